/* signals.c - SIGHUP, SIGTERM and SIGINT for embargo-milter's main thread.
 *
 * libmilter has a signal thread of its own: smfi_main() blocks HUP, TERM
 * and INT in the thread that calls it (and so in every thread it starts)
 * and a thread of its waits for them with sigwait(); on any of them it
 * stops the milter, HUP included. To reload on HUP instead, the milter
 * must take HUP before libmilter's thread does. So smfi_main() runs in a
 * thread of its own (embargo-milter.c) and the main thread, which never
 * blocks these signals, takes them with a handler that only writes the
 * signal's number to a pipe; the main thread reads the pipe and does the
 * work (reload, or smfi_stop()) outside the handler.
 *
 * Which thread takes a signal sent to the process is the kernel's choice:
 * POSIX lets it pick any thread that does not block it, and a thread in
 * sigwait() counts. Linux gives it to the main thread (the one whose id is
 * the process id) whenever that thread does not block it and has no other
 * signal pending; SA_NODEFER keeps it unblocked even while the handler
 * runs, so a second HUP in that instant also comes here. A thread of libmilter never runs the handler
 * (they all block these signals); any other thread that does is harmless,
 * since the handler only writes to the pipe. */
#include "signals.h"

#include <errno.h>
#include <glib-unix.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipe_fds[2] = { -1, -1 };

/* Async-signal-safe: one write, errno kept. The write end does not block:
 * with the pipe full, a signal is dropped, and one already waiting in the
 * pipe does the same work. */
static void
on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(pipe_fds[1], &b, 1) < 0) {
		/* full pipe: the byte already there stands for this one too */
	}
	errno = saved;
}

gboolean
signals_init(GError **error)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	struct sigaction sa;
	sigset_t set;

	if (!g_unix_open_pipe(pipe_fds, FD_CLOEXEC, error) ||
	    !g_unix_set_fd_nonblocking(pipe_fds[1], TRUE, error))
		return FALSE;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&set);
	for (size_t i = 0; i < G_N_ELEMENTS(sigs); i++) {
		sigaddset(&set, sigs[i]);
		if (sigaction(sigs[i], &sa, NULL) != 0) {
			g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "sigaction: %s",
			            g_strerror(errno));
			return FALSE;
		}
	}
	/* in case whoever started us left them blocked */
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	return TRUE;
}

/* Waits for the next signal and returns its number; 0 after signals_wake(),
 * -1 when the pipe cannot be read (which cannot happen while we hold both ends). */
int
signals_next(void)
{
	unsigned char b;
	ssize_t n;

	g_return_val_if_fail(pipe_fds[0] >= 0, -1);
	do
		n = read(pipe_fds[0], &b, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? b : -1;
}

/* From another thread: makes the main thread's signals_next() return 0. */
void
signals_wake(void)
{
	on_signal(0);
}
