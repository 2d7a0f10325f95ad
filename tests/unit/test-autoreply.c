/* test-autoreply.c - which senders may get an automatic reply
 * (mda/autoreply.c autoreply_allowed), table-driven: each row is a message
 * (its headers and envelope sender), what the outbox of a fresh, real
 * SQLite store already holds, and the answer expected: allowed, or refused
 * with a reason containing a given text. Each row is a test case
 * (/autoreply/NAME). The limits: ack_limit = 3 a week per sender,
 * autoreply_global_limit = 5 an hour. */
#include <string.h>

#include <glib/gstdio.h>

#include "autoreply.h"
#include "config.h"
#include "db.h"
#include "inmsg.h"
#include "outbox.h"

#define LIST "security@example.org"
#define AUTHSERV "mx.example.org"
#define NOW "2026-11-23T10:00:00Z"

/* COUNT outbox rows of KIND from ENV_FROM to RECIPIENTS ('\n' between),
 * written MINUTES before now. */
typedef struct {
	guint count;
	const char *kind;
	const char *env_from;
	const char *recipients;
	guint minutes;
} Sent;

typedef struct {
	const char *name;
	const char *env;      /* envelope sender */
	const char *headers;  /* header lines beyond From/To/Subject, each ending in "\n" */
	gboolean unparsed;    /* the message could not be parsed at all */
	Sent sent[3];
	const char *want;     /* NULL: allowed; else a text the refusal's reason contains */
} AckCase;

#define ACKS(n, to, min) { n, "ack", "", to, min }

static const AckCase cases[] = {
	{ "plain", "kim@example.net", NULL, FALSE, { { 0 } }, NULL },
	{ "unparsed", "kim@example.net", NULL, TRUE, { { 0 } }, "not parsed" },
	/* automatic mail, RFC 3834 and common practice */
	{ "auto-generated", "kim@example.net", "Auto-Submitted: auto-generated\n", FALSE, { { 0 } },
	  "automatic mail (Auto-Submitted)" },
	{ "auto-replied", "kim@example.net", "Auto-Submitted: auto-replied\n", FALSE, { { 0 } },
	  "automatic mail" },
	{ "auto-submitted-mixed-case", "kim@example.net", "Auto-Submitted: Auto-Notified (x)\n",
	  FALSE, { { 0 } }, "automatic mail" },
	{ "auto-submitted-no", "kim@example.net", "Auto-Submitted: no\n", FALSE, { { 0 } }, NULL },
	{ "auto-submitted-no-comment", "kim@example.net", "Auto-Submitted: No (a person)\n", FALSE,
	  { { 0 } }, NULL },
	{ "precedence-bulk", "kim@example.net", "Precedence: bulk\n", FALSE, { { 0 } },
	  "Precedence: bulk" },
	{ "precedence-list", "kim@example.net", "Precedence: LIST\n", FALSE, { { 0 } },
	  "Precedence: list" },
	{ "precedence-junk", "kim@example.net", "Precedence: junk\n", FALSE, { { 0 } },
	  "Precedence: junk" },
	{ "precedence-first-class", "kim@example.net", "Precedence: first-class\n", FALSE, { { 0 } },
	  NULL },
	{ "list-id", "kim@example.net", "List-Id: <dev.example.net>\n", FALSE, { { 0 } }, "List-Id" },
	{ "x-autoreply", "kim@example.net", "X-Autoreply: yes\n", FALSE, { { 0 } }, "X-Autoreply" },
	{ "x-autorespond", "kim@example.net", "X-Autorespond: yes\n", FALSE, { { 0 } },
	  "X-Autoreply" },
	{ "multipart-report", "kim@example.net",
	  "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n", FALSE,
	  { { 0 } }, "multipart/report" },
	{ "suppress-all", "kim@example.net", "X-Auto-Response-Suppress: All\n", FALSE, { { 0 } },
	  "X-Auto-Response-Suppress" },
	{ "suppress-autoreply", "kim@example.net", "X-Auto-Response-Suppress: DR, AutoReply\n",
	  FALSE, { { 0 } }, "X-Auto-Response-Suppress" },
	{ "suppress-oof-only", "kim@example.net", "X-Auto-Response-Suppress: OOF\n", FALSE, { { 0 } },
	  NULL },
	/* senders that get none */
	{ "null-sender", "", NULL, FALSE, { { 0 } }, "no usable envelope sender" },
	{ "null-sender-brackets", "<>", NULL, FALSE, { { 0 } }, "no usable envelope sender" },
	{ "mailer-daemon-bare", "MAILER-DAEMON", NULL, FALSE, { { 0 } }, "no usable envelope sender" },
	{ "mailer-daemon", "MAILER-DAEMON@mx.example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "postmaster", "postmaster@example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "noreply", "noreply@example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "list-request", "dev-request@example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "list-bounces", "dev-bounces@example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "owner-list", "owner-dev@example.net", NULL, FALSE, { { 0 } }, "role address" },
	{ "not-an-address", "no address", NULL, FALSE, { { 0 } }, "no usable envelope sender" },
	{ "utf8-sender", "j\xc3\xb6rg@example.net", NULL, FALSE, { { 0 } }, "SMTPUTF8" },
	{ "own-list", LIST, NULL, FALSE, { { 0 } }, "our own address" },
	{ "own-list-upper-case", "SECURITY@EXAMPLE.ORG", NULL, FALSE, { { 0 } }, "our own address" },
	{ "own-case-address", "security+SEC-2026-0001-bounces@example.org", NULL, FALSE, { { 0 } },
	  "our own address" },
	/* SPF, as the milter's trusted Authentication-Results says */
	{ "spf-fail", "kim@example.net",
	  "Authentication-Results: " AUTHSERV "; spf=fail smtp.mailfrom=kim@example.net\n", FALSE,
	  { { 0 } }, "SPF fail" },
	{ "spf-fail-untrusted", "kim@example.net",
	  "Authentication-Results: evil.example; spf=fail smtp.mailfrom=kim@example.net\n", FALSE,
	  { { 0 } }, NULL },
	{ "spf-softfail", "kim@example.net",
	  "Authentication-Results: " AUTHSERV "; spf=softfail smtp.mailfrom=kim@example.net\n", FALSE,
	  { { 0 } }, NULL },
	{ "spf-pass", "kim@example.net",
	  "Authentication-Results: " AUTHSERV "; spf=pass smtp.mailfrom=kim@example.net\n", FALSE,
	  { { 0 } }, NULL },
	/* the limit per sender: ack_limit a week, counted by the address base */
	{ "sender-two-this-week", "jane@example.net", NULL, FALSE,
	  { ACKS(2, "jane@example.net", 60) }, NULL },
	{ "sender-three-this-week", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example.net", 60) }, "already got 3" },
	{ "sender-extensions-one-quota", "Jane+3@example.net", NULL, FALSE,
	  { ACKS(1, "jane+1@example.net", 60), ACKS(1, "JANE@example.net", 60),
	    ACKS(1, "jane+2@Example.NET", 60) },
	  "already got 3" },
	{ "sender-notices-count", "jane@example.net", NULL, FALSE,
	  { { 2, "notice", "", "jane@example.net", 60 }, ACKS(1, "jane@example.net", 60) },
	  "already got 3" },
	{ "sender-last-week", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example.net", 8 * 24 * 60) }, NULL },
	{ "sender-six-days", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example.net", 6 * 24 * 60) }, "already got 3" },
	{ "sender-other-domain", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example.com", 60) }, NULL },
	{ "sender-other-local-part", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "janet@example.net", 60) }, NULL },
	{ "sender-domain-suffix", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@sub.example.net", 60) }, NULL },
	{ "sender-like-wildcard", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example_net", 60) }, NULL },
	{ "sender-team-mail-not-counted", "jane@example.net", NULL, FALSE,
	  { { 3, "ack", "security-bounces@example.org", "jane@example.net", 60 },
	    { 3, "team-copy", "", "jane@example.net", 60 } },
	  NULL },
	{ "sender-several-recipients-not-counted", "jane@example.net", NULL, FALSE,
	  { ACKS(3, "jane@example.net\nkim@example.net", 60) }, NULL },
	/* the global limit: autoreply_global_limit an hour, to anyone */
	{ "global-four-this-hour", "kim@example.net", NULL, FALSE,
	  { ACKS(2, "a@example.net", 10), ACKS(2, "b@example.com", 50) }, NULL },
	{ "global-five-this-hour", "kim@example.net", NULL, FALSE,
	  { ACKS(2, "a@example.net", 10), ACKS(2, "b@example.com", 50),
	    { 1, "notice", "", "c@example.com", 59 } },
	  "autoreply_global_limit" },
	{ "global-five-earlier", "kim@example.net", NULL, FALSE,
	  { ACKS(2, "a@example.net", 61), ACKS(2, "b@example.com", 90),
	    ACKS(1, "c@example.com", 120) },
	  NULL },
};

static EmbargoConfig *config;
static char *conf_dir;

static InMessage *
message(const AckCase *ac, const char *dir)
{
	g_autofree char *path = g_build_filename(dir, "message", NULL);
	g_autofree char *text = NULL;
	g_autoptr(GError) err = NULL;
	InMessage *in;

	if (ac->unparsed)
		return g_new0(InMessage, 1);
	text = g_strdup_printf("From: %s\nTo: " LIST "\nSubject: a report\n"
	                       "Message-ID: <%s@test.example>\n%s\n"
	                       "--b\nContent-Type: text/plain\n\nThe text.\n--b--\n",
	                       ac->env, ac->name, ac->headers != NULL ? ac->headers : "");
	g_file_set_contents(path, text, -1, &err);
	g_assert_no_error(err);
	in = inmsg_parse(path, FALSE, &err);
	g_assert_no_error(err);
	g_assert_nonnull(in);
	g_assert_nonnull(in->message);
	inmsg_read_authres(in, config->milter.authserv_id);
	return in;
}

/* The rows of AC's outbox, through the library's outbox_add. */
static void
fill_outbox(Db *db, const AckCase *ac, GDateTime *now)
{
	guint n = 0;

	for (gsize i = 0; i < G_N_ELEMENTS(ac->sent) && ac->sent[i].count > 0; i++) {
		const Sent *s = &ac->sent[i];
		g_auto(GStrv) to = g_strsplit(s->recipients, "\n", -1);
		g_autoptr(GDateTime) at = g_date_time_add_minutes(now, -(gint)s->minutes);
		g_autofree char *when = g_date_time_format_iso8601(at);
		g_autoptr(GBytes) body = g_bytes_new_static("x", 1);

		for (guint j = 0; j < s->count; j++) {
			g_autofree char *mid = g_strdup_printf("out%u@example.org", n++);
			g_autoptr(GError) err = NULL;
			OutMail mail = {
				.list = LIST, .kind = s->kind, .envelope_from = s->env_from,
				.recipients = to, .message_id = mid, .subject = "x", .body = body,
			};

			g_assert_true(outbox_add(db, &mail, when, &err));
			g_assert_no_error(err);
		}
	}
}

static void
remove_tree(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			remove_tree(path);
		else
			g_unlink(path);
	}
	g_rmdir(dir);
}

static void
test_autoreply(gconstpointer data)
{
	const AckCase *ac = data;
	g_autoptr(GError) err = NULL;
	g_autofree char *dir = g_dir_make_tmp("embargo-test-autoreply.XXXXXX", &err);
	g_autoptr(GDateTime) now = g_date_time_new_from_iso8601(NOW, NULL);
	g_autofree char *why = NULL;
	g_autoptr(InMessage) in = NULL;
	Db *db;
	int allowed;

	g_assert_no_error(err);
	db = db_open(dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_true(db_migrate(db, &err));
	fill_outbox(db, ac, now);
	in = message(ac, dir);
	allowed = autoreply_allowed(db, config, config_find_list(config, LIST), in, ac->env, now,
	                            &why, &err);
	g_assert_no_error(err);
	g_test_message("allowed %d: %s", allowed, why);
	if (ac->want == NULL) {
		g_assert_cmpint(allowed, ==, 1);
		g_assert_null(why);
	} else {
		g_assert_cmpint(allowed, ==, 0);
		g_assert_nonnull(why);
		if (why != NULL && strstr(why, ac->want) == NULL)
			g_assert_cmpstr(why, ==, ac->want);
	}
	db_close(db);
	remove_tree(dir);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *path = NULL, *text = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	/* every row is checked and reported, a failing one too */
	g_test_set_nonfatal_assertions();
	g_mime_init();
	conf_dir = g_dir_make_tmp("embargo-test-autoreply.XXXXXX", &err);
	g_assert_no_error(err);
	path = g_build_filename(conf_dir, "embargo.conf", NULL);
	text = g_strdup_printf("[embargo]\nstate_dir = %s\nautoreply_global_limit = 5\n\n"
	                       "[milter]\nauthserv_id = " AUTHSERV "\n\n"
	                       "[list " LIST "]\nname = Security\nprefix = SEC\nack_limit = 3\n\n"
	                       "[list other@example.org]\nname = Other\nprefix = OSS\n",
	                       conf_dir);
	g_file_set_contents(path, text, -1, &err);
	g_assert_no_error(err);
	config = config_load(path, &err);
	g_assert_no_error(err);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *name = g_strdup_printf("/autoreply/%s", cases[i].name);
		g_test_add_data_func(name, &cases[i], test_autoreply);
	}
	rc = g_test_run();
	config_free(config);
	remove_tree(conf_dir);
	g_free(conf_dir);
	g_mime_shutdown();
	return rc;
}
