/* embargo-milter - the SMTP-time guard of the list addresses: SPF,
 * Authentication-Results, size and rate limits, on libmilter.
 *
 * This file starts the daemon and runs it: it reads [milter] and the lists
 * from embargo.conf and builds what the callbacks judge by (runtime.c),
 * binds the socket while it may still be privileged (sockfile.c), drops to
 * [milter] user, detaches unless -f, and runs libmilter (smfi_main()) in a
 * thread of its own. The main thread then only waits for signals
 * (signals.c, which says why it must be the main thread): HUP reloads the
 * configuration, TERM and INT stop the milter. */
#include <errno.h>
#include <grp.h>
#include <libmilter/mfapi.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "callbacks.h"
#include "config.h"
#include "log.h"
#include "ratelimit.h"
#include "runtime.h"
#include "signals.h"
#include "sockfile.h"
#include "spf-worker.h"

/* What a reload cannot change: the socket is bound and the user is taken once. */
typedef struct {
	char *path;     /* the configuration file, absolute (daemon() changes to /) */
	char *socket;
	char *user;
	guint rate_table_max;
} Started;

/* The cap on the rate limit's table: RATELIMIT_TABLE_MAX, or
 * EMBARGO_MILTER_RATE_TABLE_MAX (for tests, which cannot flood 100,000
 * addresses). FALSE when that is not a number from 1. */
static gboolean
rate_table_max(guint *max)
{
	const char *value = g_getenv("EMBARGO_MILTER_RATE_TABLE_MAX");
	guint64 n;

	*max = RATELIMIT_TABLE_MAX;
	if (value == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, 1, G_MAXUINT, &n, NULL)) {
		log_error("EMBARGO_MILTER_RATE_TABLE_MAX: '%s' is not a number from 1", value);
		return FALSE;
	}
	*max = (guint)n;
	log_info("the rate limit remembers at most %u client addresses (EMBARGO_MILTER_RATE_TABLE_MAX)",
	         *max);
	return TRUE;
}

/* [milter] user, when the milter runs as root and must become it. */
typedef struct {
	char *name;
	uid_t uid;
	gid_t gid;
} MilterUser;

/* FALSE when [milter] user is set, we are root, and there is no such user;
 * else *USER is the user to become, or has no name (stay as we are). */
static gboolean
milter_user(const Started *st, MilterUser *user)
{
	struct passwd *pw;

	*user = (MilterUser){ 0 };
	if (geteuid() != 0) {
		if (st->user != NULL)
			log_info("not started as root: staying uid %u instead of becoming %s",
			         (unsigned)geteuid(), st->user);
		return TRUE;
	}
	if (st->user == NULL) {
		log_warn("running as root: set [milter] user to drop privileges");
		return TRUE;
	}
	pw = getpwnam(st->user);
	if (pw == NULL) {
		log_error("[milter] user: no such user '%s'", st->user);
		return FALSE;
	}
	user->name = g_strdup(st->user);
	user->uid = pw->pw_uid;
	user->gid = pw->pw_gid;
	return TRUE;
}

/* Becomes USER for good (when it has a name). */
static gboolean
milter_drop_privileges(const MilterUser *user)
{
	if (user->name == NULL)
		return TRUE;
	if (initgroups(user->name, user->gid) != 0 || setgid(user->gid) != 0 ||
	    setuid(user->uid) != 0) {
		log_error("cannot become %s: %s", user->name, g_strerror(errno));
		return FALSE;
	}
	if (setuid(0) == 0) {
		log_error("could regain root after becoming %s; refusing to run", user->name);
		return FALSE;
	}
	return TRUE;
}

/* A reload that changes the socket or the user says that it takes a restart. */
static void
warn_restart_only(const Started *st, const EmbargoMilterConfig *m)
{
	if (strcmp(st->socket, m->socket) != 0)
		log_warn("reload: [milter] socket is now %s, but the milter listens on %s until it is restarted",
		         m->socket, st->socket);
	if (g_strcmp0(st->user, m->user) != 0)
		log_warn("reload: [milter] user is now %s, but takes effect only at a restart",
		         m->user != NULL ? m->user : "(none)");
}

/* SIGHUP: reads the file again and puts it in force for new connections.
 * A file that cannot be used changes nothing: the error (FILE:LINE: ...)
 * is logged and the configuration in force stays. */
static void
milter_reload(const Started *st)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(Runtime) old = NULL;
	g_autofree char *what = NULL;
	EmbargoConfig *config;
	Runtime *rt;

	log_info("SIGHUP: reloading %s", st->path);
	config = config_load(st->path, &err);
	if (config == NULL) {
		log_error("reload failed, the configuration in force stays: %s", err->message);
		return;
	}
	warn_restart_only(st, &config->milter);
	old = runtime_current();
	rt = runtime_new(config, old, st->rate_table_max, &err);
	if (rt == NULL) {
		log_error("reload failed, the configuration in force stays: %s", err->message);
		return;
	}
	what = runtime_describe(rt);
	runtime_install(rt);
	log_info("reloaded: %s", what);
}

/* libmilter's listener and its connection threads, until smfi_stop() or
 * until libmilter's own signal thread stops them. */
static gpointer
milter_thread(gpointer data)
{
	gboolean ok = smfi_main() == MI_SUCCESS;

	(void)data;
	signals_wake();
	return GINT_TO_POINTER(ok);
}

/* libmilter serves connections from a pool of worker threads that it
 * starts and ends as the load changes: under load about one per message
 * (measured with bench/milter-run). Each would get the default stack, the
 * size of RLIMIT_STACK (8 MiB), of which glibc keeps only 40 MiB for reuse:
 * most starts would map and protect a new stack and most ends unmap one,
 * system calls that make the other CPUs flush their TLBs. The callbacks
 * need far less (libspf2 and the resolver, GLib's formatting; the tests
 * run under ASan too), so threads that are made without a stack size of
 * their own get 512 KiB, of which glibc keeps 80 for reuse. */
static void
milter_thread_stacks(void)
{
	pthread_attr_t attr;

	if (pthread_attr_init(&attr) != 0)
		return;
	if (pthread_attr_setstacksize(&attr, 512 * 1024) == 0 && pthread_setattr_default_np(&attr) != 0)
		log_warn("cannot set the default thread stack size; libmilter's threads keep theirs");
	pthread_attr_destroy(&attr);
}

/* Runs libmilter and answers signals until it has stopped; an exit status. */
static int
milter_run(const Started *st)
{
	g_autoptr(GError) err = NULL;
	GThread *thread = g_thread_try_new("libmilter", milter_thread, NULL, &err);
	gboolean stopping = FALSE;
	int sig;

	if (thread == NULL) {
		log_error("cannot start libmilter's thread: %s", err->message);
		return EX_OSERR;
	}
	while ((sig = signals_next()) != 0) {
		if (sig == SIGHUP && !stopping) {
			milter_reload(st);
		} else if (sig != SIGHUP && !stopping) {
			log_info("stopping on %s", sig == SIGTERM ? "SIGTERM" : sig == SIGINT ? "SIGINT" : "an error");
			smfi_stop();
			stopping = TRUE;
			if (sig < 0)
				break;
		}
	}
	if (!stopping)
		log_warn("libmilter stopped by itself (a signal its own thread took, or a failure it logged)");
	return GPOINTER_TO_INT(g_thread_join(thread)) ? EX_OK : EX_SOFTWARE;
}

/* Claims the socket's file and binds it (libmilter); NULL when it cannot. */
static SockFile *
milter_listen(const Started *st)
{
	g_autoptr(GError) err = NULL;
	SockFile *sf = sockfile_claim(st->socket, &err);

	if (sf == NULL) {
		log_error("cannot listen on %s: %s", st->socket, err->message);
		return NULL;
	}
	/* The socket is rw for the owner and group only: Postfix connects as a group member. */
	umask(007);
	if (smfi_setconn(st->socket) != MI_SUCCESS || smfi_opensocket(true) != MI_SUCCESS) {
		log_error("cannot listen on %s (see the libmilter message above)", st->socket);
		sockfile_release(sf);
		return NULL;
	}
	sockfile_note(sf);
	return sf;
}

/* Binds the socket (as root, or once [milter] user, as its directory
 * requires: sockfile.c), becomes [milter] user, detaches unless
 * FOREGROUND, and runs; the socket file goes at exit. An exit status. */
static int
milter_serve(const Started *st, gboolean foreground)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(Runtime) rt = NULL;
	g_autofree char *what = NULL;
	MilterUser user;
	SockFile *sf = NULL;
	gboolean as_user = FALSE;
	int dir_fd = -1, status;

	if (!milter_user(st, &user))
		return EX_NOPERM;
	if (user.name != NULL &&
	    !sockfile_dir(st->socket, user.uid, user.gid, &as_user, &dir_fd, &err)) {
		log_error("cannot listen on %s: %s", st->socket, err->message);
		g_free(user.name);
		return EX_NOPERM;
	}
	if (!as_user && (sf = milter_listen(st)) == NULL) {
		status = EX_UNAVAILABLE;
	} else if (!as_user && user.name != NULL && !sockfile_give(sf, dir_fd, user.uid, user.gid, &err)) {
		log_error("cannot give the socket to %s: %s", user.name, err->message);
		status = EX_NOPERM;
	} else if (!milter_drop_privileges(&user)) {
		status = EX_NOPERM;
	} else if (as_user && (sf = milter_listen(st)) == NULL) {
		status = EX_UNAVAILABLE;
	} else if (!foreground && daemon(0, 0) != 0) {
		log_error("cannot detach: %s", g_strerror(errno));
		status = EX_OSERR;
	} else {
		rt = runtime_current();
		what = runtime_describe(rt);
		log_info("listening on %s: %s", st->socket, what);
		milter_thread_stacks();
		status = milter_run(st);
		log_info("stopped");
	}
	if (dir_fd >= 0)
		close(dir_fd);
	g_free(user.name);
	sockfile_release(sf);
	return status;
}

static void
started_clear(Started *st)
{
	g_free(st->path);
	g_free(st->socket);
	g_free(st->user);
}

int
main(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	gboolean foreground = FALSE;
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file", "FILE" },
		{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &foreground,
		  "stay in the foreground and log to stderr too", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("- embargo's SMTP-time filter");
	g_autoptr(GError) err = NULL;
	EmbargoConfig *config;
	Runtime *rt;
	Started st = { 0 };
	struct smfiDesc desc;
	int status;

	/* spf-check.c starts the SPF workers from this binary */
	if (argc > 1 && strcmp(argv[1], SPF_WORKER_ARG) == 0)
		return spf_worker_main(argc, argv);
	g_option_context_add_main_entries(opts, entries, NULL);
	if (!g_option_context_parse(opts, &argc, &argv, &err)) {
		fprintf(stderr, "embargo-milter: %s\n", err->message);
		return EX_USAGE;
	}
	if (argc > 1) {
		fprintf(stderr, "embargo-milter: unexpected argument '%s'\n", argv[1]);
		return EX_USAGE;
	}
	log_open("embargo-milter", foreground);
	/* First, so that a signal during the start is not the default (death): it waits in the pipe. */
	if (!signals_init(&err)) {
		log_error("cannot set up signal handling: %s", err->message);
		return EX_OSERR;
	}
	if (!rate_table_max(&st.rate_table_max))
		return EX_USAGE;
	config = config_load(config_path, &err);
	if (config == NULL) {
		log_error("%s", err->message);
		return EX_CONFIG;
	}
	st.path = g_canonicalize_filename(config->path, NULL);
	st.socket = g_strdup(config->milter.socket);
	st.user = g_strdup(config->milter.user);
	rt = runtime_new(config, NULL, st.rate_table_max, &err);
	if (rt == NULL) {
		log_error("%s", err->message);
		started_clear(&st);
		return EX_CONFIG;
	}
	runtime_install(rt);
	callbacks_init(&desc);
	if (smfi_register(desc) != MI_SUCCESS) {
		log_error("libmilter refused our filter description (see its message above)");
		status = EX_SOFTWARE;
	} else {
		status = milter_serve(&st, foreground);
	}
	/* Connections still open (there are none after a clean stop) keep theirs. */
	runtime_install(NULL);
	started_clear(&st);
	return status;
}
