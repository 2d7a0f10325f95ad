/* sendmail.c - runs the configured sendmail as "ARGV -i -f FROM -- RCPT...".
 *
 * Never -t (recipients come from us, not from headers), never a shell, a
 * minimal environment (privilege.c's allowlist, the one gpg gets too), and
 * a time limit: a hung MTA is a transient fault like any other, and the
 * outbox row simply stays pending. The messages of one batch are
 * submitted side by side.
 *
 * GLib's g_spawn starts the child with posix_spawn when it need not close
 * descriptors in the child; GSubprocess always has it fork, which costs a
 * copy of our page tables per mail. Every descriptor embargo opens is
 * close-on-exec, so sendmail inherits only the pipes set up here. */
#include "sendmail.h"

#include <fcntl.h>
#include <gio/gio.h>
#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "privilege.h"

#define OUTPUT_KEEP 512   /* bytes of sendmail's output kept for the log */

typedef struct {
	SendmailJob *job;
	GPid pid;
	int status;
	gboolean exited;
	gboolean written;
	gboolean read_done;
	GOutputStream *in;
	GInputStream *out;
	GByteArray *output;
	char buf[4096];
} Run;

static gboolean
run_done(const Run *run)
{
	return run->pid == 0 || (run->exited && run->written && run->read_done);
}

static void
run_written(GObject *source, GAsyncResult *result, gpointer data)
{
	Run *run = data;

	/* A sendmail that stops reading is judged by its exit status. */
	g_output_stream_write_all_finish(G_OUTPUT_STREAM(source), result, NULL, NULL);
	g_output_stream_close(run->in, NULL, NULL);
	run->written = TRUE;
}

static void
run_read(GObject *source, GAsyncResult *result, gpointer data)
{
	Run *run = data;
	gssize n = g_input_stream_read_finish(G_INPUT_STREAM(source), result, NULL);

	if (n <= 0) {
		run->read_done = TRUE;
		return;
	}
	if (run->output->len < OUTPUT_KEEP)
		g_byte_array_append(run->output, (guint8 *)run->buf,
		                    (guint)MIN((gsize)n, OUTPUT_KEEP - run->output->len));
	g_input_stream_read_async(run->out, run->buf, sizeof run->buf, G_PRIORITY_DEFAULT, NULL,
	                          run_read, run);
}

static void
run_exited(GPid pid, int status, gpointer data)
{
	Run *run = data;

	run->status = status;
	run->exited = TRUE;
	g_spawn_close_pid(pid);
}

static gboolean
on_timeout(gpointer data)
{
	*(gboolean *)data = TRUE;
	return G_SOURCE_REMOVE;
}

static char **
run_argv(char **base_argv, const SendmailJob *job)
{
	GPtrArray *argv = g_ptr_array_new();

	for (char **a = base_argv; *a != NULL; a++)
		g_ptr_array_add(argv, g_strdup(*a));
	if (!g_strv_contains((const char *const *)base_argv, "-i"))
		g_ptr_array_add(argv, g_strdup("-i"));
	g_ptr_array_add(argv, g_strdup("-f"));
	g_ptr_array_add(argv, g_strdup(job->envelope_from[0] != '\0' ? job->envelope_from : "<>"));
	g_ptr_array_add(argv, g_strdup("--"));
	for (char **r = job->recipients; *r != NULL; r++)
		g_ptr_array_add(argv, g_strdup(*r));
	g_ptr_array_add(argv, NULL);
	return (char **)g_ptr_array_free(argv, FALSE);
}

static gboolean
run_start(Run *run, char **base_argv, GMainContext *ctx)
{
	g_auto(GStrv) env = privilege_environment();
	g_auto(GStrv) argv = run_argv(base_argv, run->job);
	int in[2], out[2];
	GSource *watch;
	gboolean ok;

	if (!g_unix_open_pipe(in, FD_CLOEXEC, &run->job->error))
		return FALSE;
	if (!g_unix_open_pipe(out, FD_CLOEXEC, &run->job->error)) {
		close(in[0]);
		close(in[1]);
		return FALSE;
	}
	ok = g_spawn_async_with_pipes_and_fds(NULL, (const char *const *)argv, (const char *const *)env,
	                                      G_SPAWN_LEAVE_DESCRIPTORS_OPEN |
	                                              G_SPAWN_DO_NOT_REAP_CHILD,
	                                      NULL, NULL, in[0], out[1], out[1], NULL, NULL, 0,
	                                      &run->pid, NULL, NULL, NULL, &run->job->error);
	close(in[0]);
	close(out[1]);
	if (!ok) {
		close(in[1]);
		close(out[0]);
		run->pid = 0;
		g_prefix_error(&run->job->error, "sendmail: ");
		return FALSE;
	}
	run->in = g_unix_output_stream_new(in[1], TRUE);
	run->out = g_unix_input_stream_new(out[0], TRUE);
	run->output = g_byte_array_new();
	g_output_stream_write_all_async(run->in, g_bytes_get_data(run->job->message, NULL),
	                                g_bytes_get_size(run->job->message), G_PRIORITY_DEFAULT, NULL,
	                                run_written, run);
	g_input_stream_read_async(run->out, run->buf, sizeof run->buf, G_PRIORITY_DEFAULT, NULL,
	                          run_read, run);
	watch = g_child_watch_source_new(run->pid);
	g_source_set_callback(watch, (GSourceFunc)(void (*)(void))run_exited, run, NULL);
	g_source_attach(watch, ctx);
	g_source_unref(watch);
	return TRUE;
}

/* The first line of sendmail's output, made safe for a log line. */
static char *
run_output_line(const GByteArray *output)
{
	g_autofree char *text = output != NULL && output->len > 0
	                            ? g_strndup((const char *)output->data, output->len)
	                            : g_strdup("");

	text[strcspn(text, "\r\n")] = '\0';
	for (char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	return g_strdup(*text != '\0' ? text : "no output");
}

/* sysexits(3) statuses by which sendmail refuses this message rather than
 * failing as a whole: bad data, unknown user or host, "service unavailable"
 * (Postfix's sendmail for a message over message_size_limit). Everything
 * else (EX_TEMPFAIL, EX_OSERR, EX_CONFIG, 1...) says the MTA cannot take
 * mail now, whatever the mail. */
static gboolean
sendmail_status_refuses(int status)
{
	return status == EX_DATAERR || status == EX_NOUSER || status == EX_NOHOST ||
	       status == EX_UNAVAILABLE;
}

static void
run_verdict(Run *run, gboolean timed_out, guint timeout_seconds)
{
	g_autofree char *first = run_output_line(run->output);
	GError **error = &run->job->error;

	if (timed_out && WIFSIGNALED(run->status) && WTERMSIG(run->status) == SIGKILL)
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "sendmail: no answer within %u s",
		            timeout_seconds);
	else if (WIFSIGNALED(run->status))
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: killed by signal %d",
		            WTERMSIG(run->status));
	else if (!WIFEXITED(run->status) || WEXITSTATUS(run->status) != 0) {
		g_set_error(error, G_IO_ERROR, G_IO_ERROR_FAILED, "sendmail: exit status %d: %s",
		            WEXITSTATUS(run->status), first);
		run->job->refused = sendmail_status_refuses(WEXITSTATUS(run->status));
	}
}

static void
run_free(Run *run)
{
	g_clear_object(&run->in);
	g_clear_object(&run->out);
	if (run->output != NULL)
		g_byte_array_unref(run->output);
}

/* Submits every job at once and waits for all of them, TIMEOUT_SECONDS at most;
 * each job's ERROR says whether its message was accepted. */
void
sendmail_run(char **base_argv, SendmailJob *jobs, guint n, guint timeout_seconds)
{
	g_autoptr(GMainContext) ctx = g_main_context_new();
	g_autoptr(GSource) timer = g_timeout_source_new_seconds(timeout_seconds);
	g_autofree Run *runs = g_new0(Run, n);
	gboolean timed_out = FALSE, killed = FALSE, all_done;

	g_return_if_fail(base_argv != NULL && base_argv[0] != NULL && (jobs != NULL || n == 0));
	/* A sendmail that exits before reading its input must be an error we
	 * record, not a SIGPIPE that kills the whole program. */
	signal(SIGPIPE, SIG_IGN);
	g_main_context_push_thread_default(ctx);
	for (guint i = 0; i < n; i++) {
		runs[i].job = &jobs[i];
		run_start(&runs[i], base_argv, ctx);
	}
	g_source_set_callback(timer, on_timeout, &timed_out, NULL);
	g_source_attach(timer, ctx);
	/* Past the time limit the children still running are killed; the loop
	 * then goes on until each is reaped and its pipes are closed, so that
	 * nothing is left pending or running behind us. */
	do {
		all_done = TRUE;
		for (guint i = 0; i < n; i++)
			all_done = all_done && run_done(&runs[i]);
		if (all_done)
			break;
		g_main_context_iteration(ctx, TRUE);
		if (timed_out && !killed) {
			killed = TRUE;
			for (guint i = 0; i < n; i++)
				if (runs[i].pid != 0 && !runs[i].exited)
					kill(runs[i].pid, SIGKILL);
		}
	} while (TRUE);
	g_source_destroy(timer);
	for (guint i = 0; i < n; i++)
		if (runs[i].pid != 0)
			run_verdict(&runs[i], timed_out, timeout_seconds);
	g_main_context_pop_thread_default(ctx);
	for (guint i = 0; i < n; i++)
		run_free(&runs[i]);
}
