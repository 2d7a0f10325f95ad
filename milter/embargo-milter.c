/* embargo-milter - the SMTP-time guard of the list addresses: SPF,
 * Authentication-Results, size and rate limits, on libmilter.
 *
 * This file only starts the daemon: it reads [milter] from embargo.conf,
 * sets up what the callbacks share (callbacks.c), binds the socket while it
 * may still be privileged, drops to [milter] user, detaches unless -f, and
 * hands over to libmilter's threads. The configuration is read once; a
 * change needs a restart (libmilter stops on SIGHUP and SIGTERM alike). */
#include <errno.h>
#include <grp.h>
#include <libmilter/mfapi.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <unistd.h>

#include "authres.h"
#include "callbacks.h"
#include "config.h"
#include "log.h"
#include "ratelimit.h"
#include "spf-check.h"

/* The authserv-id we write: [milter] authserv_id, or this host's name. */
static char *
milter_authserv_id(const EmbargoConfig *config)
{
	const char *host = g_get_host_name();

	if (config->milter.authserv_id != NULL)
		return g_strdup(config->milter.authserv_id);
	if (authres_id_valid(host))
		return g_strdup(host);
	log_warn("host name '%s' is no usable authserv-id; using 'localhost' (set [milter] authserv_id)",
	         host);
	return g_strdup("localhost");
}

/* Gives a unix socket to USER (so that its group, where the postmaster puts
 * the postfix user, may connect), then becomes USER for good. */
static gboolean
milter_drop_privileges(const EmbargoConfig *config)
{
	const char *user = config->milter.user;
	const char *sock = config->milter.socket;
	struct passwd *pw;

	if (geteuid() != 0) {
		if (user != NULL)
			log_info("not started as root: staying uid %u instead of becoming %s",
			         (unsigned)geteuid(), user);
		return TRUE;
	}
	if (user == NULL) {
		log_warn("running as root: set [milter] user to drop privileges");
		return TRUE;
	}
	pw = getpwnam(user);
	if (pw == NULL) {
		log_error("[milter] user: no such user '%s'", user);
		return FALSE;
	}
	if (g_str_has_prefix(sock, "unix:") || g_str_has_prefix(sock, "local:")) {
		const char *path = strchr(sock, ':') + 1;
		if (chown(path, pw->pw_uid, pw->pw_gid) != 0) {
			log_error("cannot give %s to %s: %s", path, user, g_strerror(errno));
			return FALSE;
		}
	}
	if (initgroups(user, pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		log_error("cannot become %s: %s", user, g_strerror(errno));
		return FALSE;
	}
	if (setuid(0) == 0) {
		log_error("could regain root after becoming %s; refusing to run", user);
		return FALSE;
	}
	return TRUE;
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
	g_autoptr(EmbargoConfig) config = NULL;
	g_autofree char *authserv_id = NULL;
	MilterGlobals globals = { 0 };
	struct smfiDesc desc;
	int status = EX_OK;

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
	config = config_load(config_path, &err);
	if (config == NULL) {
		log_error("%s", err->message);
		return EX_CONFIG;
	}
	authserv_id = milter_authserv_id(config);
	globals.config = config;
	globals.authserv_id = authserv_id;
	globals.spf = spf_checker_new(authserv_id, config->milter.spf_test_zone, &err);
	if (globals.spf == NULL) {
		log_error("%s: [milter] spf_test_zone: %s", config->path, err->message);
		return EX_CONFIG;
	}
	globals.rate = ratelimit_new(config->milter.rate_max, config->milter.rate_seconds);
	callbacks_init(&globals, &desc);

	/* The socket is rw for the owner and group only: Postfix connects as a group member. */
	umask(007);
	if (smfi_setconn(config->milter.socket) != MI_SUCCESS || smfi_register(desc) != MI_SUCCESS ||
	    smfi_opensocket(true) != MI_SUCCESS) {
		log_error("cannot listen on %s (see the libmilter message above)", config->milter.socket);
		status = EX_UNAVAILABLE;
	} else if (!milter_drop_privileges(config)) {
		status = EX_NOPERM;
	} else if (!foreground && daemon(0, 0) != 0) {
		log_error("cannot detach: %s", g_strerror(errno));
		status = EX_OSERR;
	} else {
		log_info("listening on %s as %s (spf_fail = %s, rate limit %s)", config->milter.socket,
		         authserv_id, config->milter.spf_reject ? "reject" : "tag",
		         globals.rate != NULL ? "on" : "off");
		if (smfi_main() != MI_SUCCESS)
			status = EX_SOFTWARE;
		log_info("stopped");
	}
	ratelimit_free(globals.rate);
	spf_checker_free(globals.spf);
	return status;
}
