/* sendmail.c - runs the configured sendmail as "ARGV -i -f FROM -- RCPT...".
 *
 * Never -t (recipients come from us, not from headers), never a shell, a
 * minimal environment, and a time limit: a hung MTA is a transient fault
 * like any other, and the outbox row simply stays pending. */
#include "sendmail.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>

typedef struct {
	GSubprocess *proc;
	GBytes *output;
	GError *error;
	gboolean finished;
	gboolean timed_out;
} Run;

static void
run_finished(GObject *source, GAsyncResult *result, gpointer data)
{
	Run *run = data;

	g_subprocess_communicate_finish(G_SUBPROCESS(source), result, &run->output, NULL, &run->error);
	run->finished = TRUE;
}

static gboolean
run_timeout(gpointer data)
{
	Run *run = data;

	run->timed_out = TRUE;
	g_subprocess_force_exit(run->proc);
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
	return g_strdup(*text != '\0' ? text : "no output");
}

gboolean
sendmail_send(char **base_argv, const char *envelope_from, char **recipients, GBytes *message,
              guint timeout_seconds, GError **error)
{
	static const char *const env[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	g_autoptr(GPtrArray) argv = g_ptr_array_new();
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) timer = NULL;
	g_autofree char *first = NULL;
	Run run = { 0 };
	gboolean ok;

	/* A sendmail that exits before reading its input must be an error we
	 * record, not a SIGPIPE that kills the whole program. */
	signal(SIGPIPE, SIG_IGN);
	for (char **a = base_argv; *a != NULL; a++)
		g_ptr_array_add(argv, *a);
	if (!g_strv_contains((const char *const *)base_argv, "-i"))
		g_ptr_array_add(argv, "-i");
	g_ptr_array_add(argv, "-f");
	g_ptr_array_add(argv, (char *)(envelope_from[0] != '\0' ? envelope_from : "<>"));
	g_ptr_array_add(argv, "--");
	for (char **r = recipients; *r != NULL; r++)
		g_ptr_array_add(argv, *r);
	g_ptr_array_add(argv, NULL);

	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_STDIN_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE |
	                                     G_SUBPROCESS_FLAGS_STDERR_MERGE);
	g_subprocess_launcher_set_environ(launcher, (char **)env);
	g_main_context_push_thread_default(ctx);
	run.proc = g_subprocess_launcher_spawnv(launcher, (const char *const *)argv->pdata, error);
	if (run.proc == NULL) {
		g_main_context_pop_thread_default(ctx);
		g_prefix_error(error, "sendmail: ");
		return FALSE;
	}
	timer = g_timeout_source_new_seconds(timeout_seconds);
	g_source_set_callback(timer, run_timeout, &run, NULL);
	g_source_attach(timer, ctx);
	g_subprocess_communicate_async(run.proc, message, NULL, run_finished, &run);
	while (!run.finished)
		g_main_context_iteration(ctx, TRUE);
	g_source_destroy(timer);
	g_subprocess_wait(run.proc, NULL, NULL);
	g_main_context_pop_thread_default(ctx);

	first = run_output_line(run.output);
	if (run.timed_out)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "sendmail: no answer within %u s",
		            timeout_seconds);
	else if (run.error != NULL && !g_subprocess_get_if_exited(run.proc))
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: %s", run.error->message);
	else if (!g_subprocess_get_if_exited(run.proc))
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: killed by signal %d",
		            g_subprocess_get_term_sig(run.proc));
	else if (g_subprocess_get_exit_status(run.proc) != 0)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: exit status %d: %s",
		            g_subprocess_get_exit_status(run.proc), first);
	ok = !run.timed_out && g_subprocess_get_if_exited(run.proc) &&
	     g_subprocess_get_exit_status(run.proc) == 0;
	g_clear_error(&run.error);
	if (run.output != NULL)
		g_bytes_unref(run.output);
	g_object_unref(run.proc);
	return ok;
}
