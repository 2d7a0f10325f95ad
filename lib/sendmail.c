/* sendmail.c - runs the configured sendmail as "ARGV -i -f FROM -- RCPT...".
 *
 * Never -t (recipients come from us, not from headers), never a shell, a
 * minimal environment, and a time limit: a hung MTA is a transient fault
 * like any other, and the outbox row simply stays pending. The messages of
 * one batch are submitted side by side, so a delivery's acknowledgement and
 * team copy cost one sendmail's latency, not two. */
#include "sendmail.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

typedef struct {
	SendmailJob *job;
	GSubprocess *proc;
	GBytes *output;
	GError *error;
	gboolean finished;
} Run;

typedef struct {
	Run *runs;
	guint n;
	gboolean timed_out;
} Batch;

static void
run_finished(GObject *source, GAsyncResult *result, gpointer data)
{
	Run *run = data;

	g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &run->output, NULL, &run->error);
	run->finished = TRUE;
}

static gboolean
batch_timeout(gpointer data)
{
	Batch *batch = data;

	batch->timed_out = TRUE;
	for (guint i = 0; i < batch->n; i++)
		if (batch->runs[i].proc != NULL && !batch->runs[i].finished)
			g_subprocess_force_exit(batch->runs[i].proc);
	return G_SOURCE_REMOVE;
}

/* The first line of sendmail's output, made safe for a log line. */
static char *
run_output_line(GBytes *output)
{
	gsize n = 0;
	const char *data = output != NULL ? g_bytes_get_data(output, &n) : NULL;
	g_autofree char *text = g_strndup(data != NULL ? data : "", MIN(n, 300));

	text[strcspn(text, "\r\n")] = '\0';
	for (char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return g_strdup(*text != '\0' ? text : "no output");
}

static GSubprocess *
run_spawn(GSubprocessLauncher *launcher, char **base_argv, const SendmailJob *job, GError **error)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	GSubprocess *proc;

	for (char **a = base_argv; *a != NULL; a++)
		g_ptr_array_add(argv, *a);
	if (!g_strv_contains((const char *const *)base_argv, "-i"))
		g_ptr_array_add(argv, "-i");
	g_ptr_array_add(argv, "-f");
	g_ptr_array_add(argv, (char *)(job->envelope_from[0] != '\0' ? job->envelope_from : "<>"));
	g_ptr_array_add(argv, "--");
	for (char **r = job->recipients; *r != NULL; r++)
		g_ptr_array_add(argv, *r);
	g_ptr_array_add(argv, NULL);
	proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, error);
	if (proc == NULL)
		g_prefix_error(error, "sendmail: ");
	return proc;
}

/* Sets the job's error from how its sendmail ended; nothing when it succeeded. */
static void
run_verdict(Run *run, gboolean timed_out, guint timeout_seconds)
{
	g_autofree char *first = run_output_line(run->output);
	GError **error = &run->job->error;

	if (!g_subprocess_get_if_exited(run->proc) && timed_out)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "sendmail: no answer within %u s",
		            timeout_seconds);
	else if (!g_subprocess_get_if_exited(run->proc))
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: killed by signal %d",
		            g_subprocess_get_term_sig(run->proc));
	else if (g_subprocess_get_exit_status(run->proc) != 0)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: exit status %d: %s",
		            g_subprocess_get_exit_status(run->proc), first);
}

/* Submits every job at once and waits for all of them, TIMEOUT_SECONDS at most;
 * each job's ERROR says whether its message was accepted. */
void
sendmail_run(char **base_argv, SendmailJob *jobs, guint n, guint timeout_seconds)
{
	static const char *const env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) timer = NULL;
	g_autofree Run *runs = g_new0(Run, n);
	Batch batch = { runs, n, FALSE };

	/* A sendmail that exits before reading its input must be an error we
	 * record, not a SIGPIPE that kills the whole program. */
	signal(SIGPIPE, SIG_IGN);
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDERR_MERGE);
	g_subprocess_launcher_set_environ(launcher, (char **)env);
	g_main_context_push_thread_default(ctx);
	for (guint i = 0; i < n; i++) {
		runs[i].job = &jobs[i];
		runs[i].proc = run_spawn(launcher, base_argv, &jobs[i], &jobs[i].error);
		if (runs[i].proc == NULL)
			continue;
		g_subprocess_communicate_async(runs[i].proc, jobs[i].message, NULL, run_finished, &runs[i]);
	}
	timer = g_timeout_source_new_seconds(timeout_seconds);
	g_source_set_callback(timer, batch_timeout, &batch, NULL);
	g_source_attach(timer, ctx);
	for (guint i = 0; i < n; i++)
		while (runs[i].proc != NULL && !runs[i].finished)
			g_main_context_iteration(ctx, TRUE);
	g_source_destroy(timer);
	for (guint i = 0; i < n; i++) {
		if (runs[i].proc == NULL)
			continue;
		g_subprocess_wait(runs[i].proc, NULL, NULL);
		run_verdict(&runs[i], batch.timed_out, timeout_seconds);
		g_clear_error(&runs[i].error);
		if (runs[i].output != NULL)
			g_bytes_unref(runs[i].output);
		g_object_unref(runs[i].proc);
	}
	g_main_context_pop_thread_default(ctx);
}
