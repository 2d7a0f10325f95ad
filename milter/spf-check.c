/* spf-check.c - SPF results for embargo-milter, from libspf2 run in worker
 * processes (spf-worker.c, which says why).
 *
 * What libspf2 must never see is answered here first (RFC 7208 section
 * 4.3: "none"): no client address, a malformed domain, a sender with
 * control characters. The rest goes to a worker: a checker keeps up to
 * SPF_WORKERS_MAX of them, started on demand (so after the milter has
 * dropped its privileges), each serving one lookup at a time and keeping
 * its DNS cache from one to the next. A lookup borrows an idle worker
 * (waiting for one when all are busy), sends the request and waits at
 * most spf_timeout seconds for the reply. A worker that dies (libspf2
 * crashed, or ran out of its memory), that sends something malformed, or
 * that takes too long, is killed and reaped, and that lookup alone is
 * temperror; the next lookup starts a new worker.
 *
 * A worker is the milter's own binary (the file /proc/self/exe named when
 * the first checker was made), started again rather than forked: libmilter's threads hold locks that a fork without
 * an exec would copy held, and the worker must have nothing of the
 * milter's memory (other sessions' addresses) to leak. posix_spawn() is
 * safe in a threaded process and resets the signal mask libmilter's
 * threads run with. */
#include "spf-check.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "spf-worker.h"

G_DEFINE_QUARK(embargo-spf-error-quark, spf_check_error)
#define SPF_CHECK_ERROR (spf_check_error_quark())

/* Lookups at once; more wait for a worker (within their timeout). */
#define SPF_WORKERS_MAX 16

extern char **environ;

typedef struct {
	pid_t pid;
	int fd; /* our end of its socket */
} Worker;

struct SpfChecker {
	GMutex lock;
	GCond freed;      /* a worker went idle or away */
	GPtrArray *idle;  /* Worker * */
	guint live;       /* workers started and not yet reaped, idle or busy */
	char *receiver;
	char *zone;       /* the spf_test_zone file; NULL: DNS */
	guint timeout;    /* seconds per lookup */
};

/* Kills W (it may be stuck in a lookup or already dead) and reaps it:
 * its exit status, as waitpid() gives it, or -1. */
static int
worker_end(Worker *w)
{
	int status = -1;

	close(w->fd);
	kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
		;
	g_free(w);
	return status;
}

static void
worker_free(gpointer data)
{
	worker_end(data);
}

/* The milter's binary, as the kernel names it (valgrind names the program
 * it runs, not itself); NULL when /proc is missing. */
static const char *
self_binary(void)
{
	static gsize once;
	static char *path;

	if (g_once_init_enter(&once)) {
		path = g_file_read_link("/proc/self/exe", NULL);
		g_once_init_leave(&once, 1);
	}
	return path;
}

static Worker *
worker_start(SpfChecker *checker, GError **error)
{
	const char *argv[] = { "embargo-milter", SPF_WORKER_ARG, checker->receiver, checker->zone,
		               NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	int sv[2], child, rc;
	pid_t pid;

	if (self_binary() == NULL) {
		g_set_error(error, SPF_CHECK_ERROR, 0, "cannot start an SPF worker: /proc/self/exe unreadable");
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		g_set_error(error, SPF_CHECK_ERROR, 0, "cannot start an SPF worker: socketpair: %s",
		            g_strerror(errno));
		return NULL;
	}
	/* dup2() onto fd 0 clears close-on-exec only when the two differ */
	child = sv[1] > 2 ? sv[1] : fcntl(sv[1], F_DUPFD_CLOEXEC, 3);
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGPIPE);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, child, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	rc = child < 0 ? errno
	               : posix_spawn(&pid, self_binary(), &fa, &attr, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (child >= 0 && child != sv[1])
		close(child);
	close(sv[1]);
	if (rc != 0) {
		close(sv[0]);
		g_set_error(error, SPF_CHECK_ERROR, 0, "cannot start an SPF worker: %s", g_strerror(rc));
		return NULL;
	}
	Worker *w = g_new0(Worker, 1);
	w->pid = pid;
	w->fd = sv[0];
	return w;
}

/* An idle worker has nothing to say: anything to read (or a hangup) means it is gone. */
static gboolean
worker_gone(Worker *w)
{
	struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

	return poll(&pfd, 1, 0) != 0;
}

static char *
status_text(int status)
{
	if (status >= 0 && WIFSIGNALED(status))
		return g_strdup_printf("was killed by signal %d (%s)", WTERMSIG(status),
		                       g_strsignal(WTERMSIG(status)));
	if (status >= 0 && WIFEXITED(status))
		return g_strdup_printf("exited with status %d", WEXITSTATUS(status));
	return g_strdup("is gone");
}

/* An idle worker, a new one, or NULL: ERROR set when none could be started,
 * or none became free before DEADLINE (monotonic microseconds). */
static Worker *
worker_borrow(SpfChecker *checker, gint64 deadline, GError **error)
{
	Worker *w = NULL;

	g_mutex_lock(&checker->lock);
	while (checker->idle->len == 0 && checker->live >= SPF_WORKERS_MAX) {
		if (!g_cond_wait_until(&checker->freed, &checker->lock, deadline)) {
			g_mutex_unlock(&checker->lock);
			return NULL;
		}
	}
	if (checker->idle->len > 0)
		w = g_ptr_array_steal_index_fast(checker->idle, checker->idle->len - 1);
	else
		checker->live++;
	g_mutex_unlock(&checker->lock);
	if (w != NULL && worker_gone(w)) {
		/* it died while idle: the lookup goes to a new one (the slot is kept) */
		g_autofree char *ended = status_text(worker_end(w));
		log_warn("SPF worker died while idle: it %s", ended);
		w = NULL;
	}
	if (w != NULL)
		return w;
	w = worker_start(checker, error);
	if (w == NULL) {
		g_mutex_lock(&checker->lock);
		checker->live--;
		g_cond_signal(&checker->freed);
		g_mutex_unlock(&checker->lock);
	}
	return w;
}

/* W back to the idle ones, or (BROKEN) ended; the status of an ended one. */
static int
worker_give_back(SpfChecker *checker, Worker *w, gboolean broken)
{
	int status = 0;

	if (broken)
		status = worker_end(w);
	g_mutex_lock(&checker->lock);
	if (broken)
		checker->live--;
	else
		g_ptr_array_add(checker->idle, w);
	g_cond_signal(&checker->freed);
	g_mutex_unlock(&checker->lock);
	return status;
}

/* Reads LEN bytes from FD before DEADLINE; FALSE with *TIMED_OUT set when it passed. */
static gboolean
read_until(int fd, void *buf, size_t len, gint64 deadline, gboolean *timed_out)
{
	guint8 *p = buf;

	while (len > 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		gint64 left = deadline - g_get_monotonic_time();
		int n;
		ssize_t r;

		if (left <= 0) {
			*timed_out = TRUE;
			return FALSE;
		}
		n = poll(&pfd, 1, (int)MIN((left + 999) / 1000, G_MAXINT));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return FALSE;
		if (n == 0)
			continue;
		r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return FALSE;
		p += r;
		len -= (size_t)r;
	}
	return TRUE;
}

/* The reply's token and why (spf_reply_parse), or FALSE when the worker
 * sent no well-formed reply in time. */
static gboolean
reply_read(int fd, gint64 deadline, const char **token, char **why, gboolean *timed_out)
{
	uint32_t n;
	g_autofree guint8 *buf = NULL;

	if (!read_until(fd, &n, sizeof n, deadline, timed_out) || n < 2 || n > SPF_WIRE_MAX)
		return FALSE;
	buf = g_malloc(n);
	if (!read_until(fd, buf, n, deadline, timed_out))
		return FALSE;
	return spf_reply_parse(buf, n, token, why);
}

/* RECEIVER names us in SPF macros (%{r}); TEST_ZONE, when not NULL, replaces DNS. */
SpfChecker *
spf_checker_new(const char *receiver, const char *test_zone, GError **error)
{
	SpfChecker *checker;

	if (test_zone != NULL && !spf_zone_check(test_zone, error))
		return NULL;
	self_binary(); /* now, while the binary's name is the one we started from */
	checker = g_new0(SpfChecker, 1);
	g_mutex_init(&checker->lock);
	g_cond_init(&checker->freed);
	checker->idle = g_ptr_array_new_with_free_func(worker_free);
	checker->receiver = g_strdup(receiver);
	checker->zone = test_zone != NULL ? g_canonicalize_filename(test_zone, NULL) : NULL;
	checker->timeout = SPF_TIMEOUT_DEFAULT;
	return checker;
}

/* Seconds a lookup may take, from borrowing a worker to its reply. */
void
spf_checker_set_timeout(SpfChecker *checker, guint seconds)
{
	g_return_if_fail(checker != NULL);
	checker->timeout = MAX(seconds, 1);
}

/* Once no lookup runs (the last connection of its configuration is gone). */
void
spf_checker_free(SpfChecker *checker)
{
	if (checker == NULL)
		return;
	g_ptr_array_unref(checker->idle);
	g_free(checker->receiver);
	g_free(checker->zone);
	g_cond_clear(&checker->freed);
	g_mutex_clear(&checker->lock);
	g_free(checker);
}

/* A multi-label domain of letters, digits, '-' and '_', labels of 1-63 characters. */
gboolean
spf_domain_valid(const char *domain)
{
	size_t n, label = 0;
	int labels = 1;

	if (domain == NULL)
		return FALSE;
	n = strlen(domain);
	if (n > 0 && domain[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || domain[0] == '.')
		return FALSE;
	for (size_t i = 0; i < n; i++) {
		char c = domain[i];
		if (c == '.') {
			if (label == 0)
				return FALSE;
			label = 0;
			labels++;
		} else if (g_ascii_isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return FALSE;
		} else {
			return FALSE;
		}
	}
	return label > 0 && labels >= 2;
}

static gboolean
spf_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return FALSE;
	return TRUE;
}

/* A lookup by a worker. TOKEN is NULL, with ERROR set, for the worker's
 * internal error; a worker that fails us makes it temperror. */
static const char *
spf_check_worker(SpfChecker *checker, const SpfClient *client, const char *helo,
                 const char *sender, char **why, GError **error)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)checker->timeout * G_USEC_PER_SEC;
	char addr[INET6_ADDRSTRLEN];
	g_autoptr(GByteArray) req = g_byte_array_new();
	g_autofree char *text = NULL, *ended = NULL;
	gboolean timed_out = FALSE;
	const char *token = NULL;
	int status;
	Worker *w;

	if (client->family == AF_INET)
		inet_ntop(AF_INET, &client->v4, addr, sizeof addr);
	else
		inet_ntop(AF_INET6, &client->v6, addr, sizeof addr);
	g_byte_array_append(req, (const guint8 *)(client->family == AF_INET ? "4" : "6"), 2);
	g_byte_array_append(req, (const guint8 *)addr, strlen(addr) + 1);
	g_byte_array_append(req, (const guint8 *)helo, strlen(helo) + 1);
	g_byte_array_append(req, (const guint8 *)sender, strlen(sender) + 1);

	w = worker_borrow(checker, deadline, error);
	if (w == NULL) {
		if (error != NULL && *error != NULL)
			return NULL;
		*why = g_strdup_printf("no SPF worker became free within %u s", checker->timeout);
		log_warn("SPF for <%s> from %s: %s; temperror", sender, addr, *why);
		return "temperror";
	}
	if (spf_wire_write(w->fd, req) && reply_read(w->fd, deadline, &token, &text, &timed_out)) {
		worker_give_back(checker, w, FALSE);
		if (*token == '\0') {
			g_set_error(error, SPF_CHECK_ERROR, 0, "SPF worker: %s", text);
			return NULL;
		}
		*why = g_steal_pointer(&text);
		return token;
	}
	status = worker_give_back(checker, w, TRUE);
	ended = status_text(status);
	if (timed_out)
		*why = g_strdup_printf("SPF lookup took longer than %u s", checker->timeout);
	else
		*why = g_strdup_printf("SPF lookup failed: its worker %s", ended);
	log_warn("SPF for <%s> from %s: %s; temperror for this message", sender, addr, *why);
	return "temperror";
}

/* The SPF result token for SENDER (the MAIL FROM address, without brackets;
 * "" for the null sender, whose identity is HELO) from CLIENT. NULL with
 * ERROR set on an internal error, which must not be taken for a result.
 * WHY gets a short explanation for the log. */
const char *
spf_check(SpfChecker *checker, const SpfClient *client, const char *helo, const char *sender,
          char **why, GError **error)
{
	const char *domain, *at;
	gboolean helo_ok = helo != NULL && spf_domain_valid(helo);

	g_return_val_if_fail(checker != NULL && why != NULL, NULL);
	*why = NULL;
	if (sender == NULL)
		sender = "";
	if (client == NULL || (client->family != AF_INET && client->family != AF_INET6)) {
		*why = g_strdup("no client address");
		return "none";
	}
	at = strrchr(sender, '@');
	domain = *sender == '\0' ? helo : at != NULL ? at + 1 : NULL;
	if (*sender == '\0' && !helo_ok) {
		*why = g_strdup("null sender and no usable HELO name");
		return "none";
	}
	if (!spf_printable(sender) || at == sender || !spf_domain_valid(domain) ||
	    strlen(sender) > 320) {
		*why = g_strdup("malformed sender domain");
		return "none";
	}
	return spf_check_worker(checker, client, helo_ok ? helo : "unknown", sender, why, error);
}
