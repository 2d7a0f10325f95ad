/* embargo-mda - the delivery agent: Postfix's pipe(8) runs it once per
 * message and recipient, with the message on stdin.
 *
 * Exit statuses are a contract with Postfix: 0 once the message is stored
 * and committed, 67 for a recipient that is no list (the one bounce we
 * want), 75 for everything else, so that a transient fault or a broken
 * configuration leaves the message in Postfix's queue. Nothing here may
 * exit with any other status, which is why usage errors defer too. */
#include <gio/gio.h>
#include <gmime/gmime.h>
#include <signal.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "address.h"
#include "config.h"
#include "deliver.h"
#include "envelope.h"
#include "log.h"
#include "privilege.h"
#include "spool.h"
#include "statedir.h"

#define DEFAULT_TIME_LIMIT 300

/* Past the time limit: defer, unless the message is already committed, in
 * which case only sending was slow and the outbox keeps what is unsent.
 * A deferred message's spooled copy goes: Postfix delivers it again, and
 * nothing names this one (unless a COMMIT was under way: spool_keep). */
static void
on_alarm(int sig)
{
	static const char deferred[] = "embargo-mda: time limit reached, deferring\n";
	static const char stored[] = "embargo-mda: time limit reached while sending; "
	                             "message stored, mail left pending\n";

	(void)sig;
	if (deliver_committed) {
		(void)!write(STDERR_FILENO, stored, sizeof stored - 1);
		_exit(EX_OK);
	}
	spool_remove_pending();
	(void)!write(STDERR_FILENO, deferred, sizeof deferred - 1);
	_exit(EX_TEMPFAIL);
}

static void
watchdog(guint seconds)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(seconds);
}

/* The client address Postfix's ${client_address} gave, when it is one: a
 * local submission gives none (empty), and anything else is ignored, never a
 * reason to defer. ARG itself (borrowed), or NULL. */
static const char *
client_address(const char *arg)
{
	g_autoptr(GInetAddress) addr = NULL;

	if (arg == NULL || *arg == '\0')
		return NULL;
	addr = g_inet_address_new_from_string(arg);
	if (addr == NULL) {
		log_warn("client address '%s' is not an IP address; ignored", arg);
		return NULL;
	}
	return arg;
}

static int
run(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	g_autofree char *sender_arg = NULL, *sender = NULL, *rcpt = NULL, *client_arg = NULL;
	g_auto(GStrv) rest = NULL;
	/* FILENAME, not STRING: the envelope is bytes (SMTPUTF8 or raw 8-bit),
	 * which a STRING option converts from the locale's charset and refuses,
	 * and a refused argument here is a report deferred until it bounces.
	 * envelope_text() makes them text below. */
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file", "FILE" },
		{ "sender", 'f', 0, G_OPTION_ARG_FILENAME, &sender_arg, "envelope sender", "SENDER" },
		{ "client-address", 'a', 0, G_OPTION_ARG_FILENAME, &client_arg,
		  "the SMTP client's address, for the spam filter", "ADDRESS" },
		{ G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &rest, NULL, "RECIPIENT" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("- deliver one message to an embargo list");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) config = NULL;
	g_autofree char *recipient = NULL, *local = NULL, *ext = NULL, *domain = NULL, *base = NULL;
	const EmbargoList *list;
	gboolean escaped;

	if (!privilege_check(&err)) {
		log_error("%s (message deferred)", err->message);
		return EX_TEMPFAIL;
	}
	g_option_context_add_main_entries(opts, entries, NULL);
	/* GOption's --help prints and exits 0, which Postfix would take for "delivered". */
	g_option_context_set_help_enabled(opts, FALSE);
	if (!g_option_context_parse(opts, &argc, &argv, &err)) {
		log_error("usage: %s (message deferred)", err->message);
		return EX_TEMPFAIL;
	}
	if (sender_arg == NULL || rest == NULL || rest[0] == NULL || rest[1] != NULL) {
		log_error("usage: embargo-mda [-c FILE] -f SENDER [-a ADDRESS] [--] RECIPIENT "
		          "(message deferred)");
		return EX_TEMPFAIL;
	}
	config = config_load(config_path, &err);
	if (config == NULL) {
		log_error("configuration error: %s (message deferred)", err->message);
		return EX_TEMPFAIL;
	}
	alarm(config->time_limit);
	privilege_set_home(config->state_dir);

	sender = envelope_text(sender_arg, &escaped);
	if (escaped)
		log_warn("envelope sender is not valid UTF-8 text; kept escaped as '%s'", sender);
	rcpt = envelope_text(rest[0], &escaped);
	if (escaped)
		log_warn("recipient is not valid UTF-8 text; kept escaped as '%s'", rcpt);
	recipient = address_normalize(rcpt);
	if (recipient != NULL && address_split(recipient, &local, &ext, &domain)) {
		base = g_strdup_printf("%s@%s", local, domain);
	} else if (envelope_split_recipient(rcpt, &base, &ext)) {
		/* An extension address.c refuses (8-bit, spaces...) still reaches
		 * the list Postfix delivered it to: it names no case, so it is a
		 * report, or a member's mail refused with a reply. */
		g_free(recipient);
		recipient = g_strdup_printf("%.*s+%s%s", (int)strcspn(base, "@"), base, ext,
		                            strchr(base, '@'));
	} else {
		log_info("recipient '%s' is not an address: no such list", rcpt);
		return EX_NOUSER;
	}
	list = config_find_list(config, base);
	if (list == NULL) {
		log_info("recipient %s: no such list in %s", recipient, config->path);
		return EX_NOUSER;
	}
	/* Before anything in the state directory is read or written. A mode
	 * or owner the postmaster must fix defers: the mail waits in
	 * Postfix's queue until then. */
	if (!statedir_check_tree(config->state_dir, (const char *const[]){ list->address, NULL }, &err)) {
		log_error("%s (message deferred)", err->message);
		return EX_TEMPFAIL;
	}

	Delivery d = {
		.config = config,
		.list = list,
		.envelope_from = sender,
		.recipient = recipient,
		.ext = ext,
		.send_timeout = MAX(2, MIN(60, config->time_limit / 3)),
		.client_address = client_address(client_arg),
	};
	return deliver(&d, STDIN_FILENO);
}

int
main(int argc, char **argv)
{
	int status;

	/* First, before GMime, GLib or GPGME could start a child with what we were given. */
	privilege_scrub_environment();
	watchdog(DEFAULT_TIME_LIMIT);
	log_open("embargo-mda", TRUE);
	g_mime_init();
	status = run(argc, argv);
	g_mime_shutdown();
	/* Only 0, 67 and 75 are ever returned: see the comment at the top. */
	if (status != EX_OK && status != EX_NOUSER)
		status = EX_TEMPFAIL;
	return status;
}
