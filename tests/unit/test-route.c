/* test-route.c - what an incoming message is, and which case it goes on
 * (mda/route.c route_decide), table-driven: each row is an envelope sender,
 * a From, Authentication-Results, a subject, In-Reply-To, the recipient's
 * +extension and other headers, and the route expected. The message is
 * read by inmsg_parse from a file, as embargo-mda reads it, and routed
 * against a real SQLite store made with the library's own functions. Each
 * row is a test case (/route/NAME). */
#include <string.h>

#include <glib/gstdio.h>

#include "cases.h"
#include "config.h"
#include "db.h"
#include "inmsg.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
#include "route.h"

#define LIST "security@example.org"
#define OTHER "other@example.org"
#define AUTHSERV "mx.example.org"

/* The store: a case of Jane's on the list, a case on the other list (its
 * id in this list's spelling, as after a change of prefix), a stranger's
 * follow-up on Jane's case, our acknowledgement to Jane. */
#define JANES "SEC-2026-0001"
#define OTHERS "SEC-2026-0002"

typedef struct {
	const char *name;
	gboolean milter;     /* [milter] authserv_id set (required), or no milter */
	const char *env;     /* envelope sender */
	const char *from;    /* From field; NULL: none */
	const char *authres; /* an Authentication-Results value; NULL: none */
	const char *subject;
	const char *irt;     /* In-Reply-To, without brackets; NULL: none */
	const char *ext;     /* the recipient's +extension; NULL: none */
	const char *headers; /* more header lines, each ending in "\n"; NULL: none */
	RouteKind kind;
	const char *case_id; /* NULL: none */
	gboolean member;
	gboolean held;
} RouteCase;

#define SPF_ALICE AUTHSERV "; spf=pass smtp.mailfrom=alice@example.org"

static const RouteCase cases[] = {
	/* strangers, threading by tag, references and +address */
	{ "report", FALSE, "kim@example.net", "Kim <kim@example.net>", NULL, "Overflow", NULL, NULL,
	  NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "followup-tag", FALSE, "jane@example.net", "jane@example.net", NULL, "Re: [" JANES "] more",
	  NULL, NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "followup-tag-lower-case", FALSE, "kim@example.net", "kim@example.net", NULL,
	  "Re: [sec-2026-0001] more", NULL, NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "tag-of-other-list", FALSE, "jane@example.net", "jane@example.net", NULL,
	  "Re: [" OTHERS "] x", NULL, NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "tag-unknown-case", FALSE, "jane@example.net", "jane@example.net", NULL,
	  "Re: [SEC-2026-0099] x", NULL, NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "tag-of-other-prefix", FALSE, "jane@example.net", "jane@example.net", NULL,
	  "Re: [OSS-2026-0001] x", NULL, NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "irt-own-report", FALSE, "jane@example.net", "jane@example.net", NULL, "Re: Overflow",
	  "r1@example.net", NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "irt-own-report-from-case", FALSE, "jane@example.net", "Jane <JANE@EXAMPLE.NET>", NULL,
	  "Re: Overflow", "r1@example.net", NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "irt-others-report", FALSE, "mallory@evil.example", "mallory@evil.example", NULL,
	  "Re: Overflow", "r1@example.net", NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "irt-others-report-forged-envelope", FALSE, "jane@example.net", "mallory@evil.example",
	  NULL, "Re: Overflow", "r1@example.net", NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "irt-planted-followup", FALSE, "kim@example.net", "kim@example.net", NULL, "Re: me too",
	  "planted@evil.example", NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "irt-our-ack-to-sender", FALSE, "jane@example.net", "jane@example.net", NULL, "Re: ack",
	  "ack1@example.org", NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "irt-our-ack-to-another", FALSE, "kim@example.net", "kim@example.net", NULL, "Re: ack",
	  "ack1@example.org", NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "irt-unknown", FALSE, "jane@example.net", "jane@example.net", NULL, "Re: x",
	  "nothing@example.net", NULL, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "ext-team-stranger", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL, JANES,
	  NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "ext-reporter-stranger", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  JANES "-reporter", NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "ext-unknown-case-stranger", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  "SEC-2026-0099", NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "ext-invalid-stranger", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  "bogus", NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "ext-other-list-stranger", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  OTHERS, NULL, ROUTE_REPORT, NULL, FALSE, FALSE },
	/* members, without a milter: envelope sender and From agree */
	{ "member-report", FALSE, "alice@example.org", "Alice <alice@example.org>", NULL, "A find",
	  NULL, NULL, NULL, ROUTE_REPORT, NULL, TRUE, FALSE },
	{ "member-tag", FALSE, "alice@example.org", "alice@example.org", NULL, "Re: [" JANES "] x",
	  NULL, NULL, NULL, ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	{ "member-irt-report", FALSE, "alice@example.org", "alice@example.org", NULL, "Re: x",
	  "r1@example.net", NULL, NULL, ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	{ "member-irt-our-ack", FALSE, "alice@example.org", "alice@example.org", NULL, "Re: x",
	  "ack1@example.org", NULL, NULL, ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	/* a stranger's mail on a case anchors nothing, not even for the team */
	{ "member-irt-strangers-followup", FALSE, "alice@example.org", "alice@example.org", NULL,
	  "Re: x", "planted@evil.example", NULL, NULL, ROUTE_REPORT, NULL, TRUE, FALSE },
	{ "member-ext-team", FALSE, "alice@example.org", "alice@example.org", NULL, "x", NULL, JANES,
	  NULL, ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	{ "member-ext-reporter", FALSE, "alice@example.org", "alice@example.org", NULL, "x", NULL,
	  JANES "-reporter", NULL, ROUTE_ANSWER, JANES, TRUE, FALSE },
	{ "member-ext-reporter-tag-ignored", FALSE, "alice@example.org", "alice@example.org", NULL,
	  "Re: [" OTHERS "] x", NULL, JANES "-reporter", NULL, ROUTE_ANSWER, JANES, TRUE, FALSE },
	{ "member-ext-unknown-case", FALSE, "alice@example.org", "alice@example.org", NULL, "x",
	  NULL, "SEC-2026-0099", NULL, ROUTE_REFUSED, NULL, TRUE, FALSE },
	{ "member-ext-invalid", FALSE, "alice@example.org", "alice@example.org", NULL, "x", NULL,
	  "bogus", NULL, ROUTE_REFUSED, NULL, TRUE, FALSE },
	{ "member-ext-other-list", FALSE, "alice@example.org", "alice@example.org", NULL, "x", NULL,
	  OTHERS "-reporter", NULL, ROUTE_REFUSED, NULL, TRUE, FALSE },
	{ "member-from-forged-envelope", FALSE, "mallory@evil.example", "alice@example.org", NULL,
	  "x", NULL, JANES "-reporter", NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "member-envelope-forged-from", FALSE, "alice@example.org", "mallory@evil.example", NULL,
	  "x", NULL, JANES "-reporter", NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "member-two-froms", FALSE, "alice@example.org", "alice@example.org, bob@example.org", NULL,
	  "x", NULL, JANES "-reporter", NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "member-no-from", FALSE, "alice@example.org", NULL, NULL, "x", NULL, JANES "-reporter", NULL,
	  ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	/* members behind the milter: the proof is a trusted Authentication-Results */
	{ "milter-spf-pass", TRUE, "alice@example.org", "alice@example.org", SPF_ALICE,
	  "Re: [" JANES "] x", NULL, NULL, NULL, ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	{ "milter-no-authres", TRUE, "alice@example.org", "alice@example.org", NULL,
	  "Re: [" JANES "] x", NULL, NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-foreign-authserv", TRUE, "alice@example.org", "alice@example.org",
	  "evil.example; spf=pass smtp.mailfrom=alice@example.org", "Re: [" JANES "] x", NULL, NULL,
	  NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-authserv-prefix", TRUE, "alice@example.org", "alice@example.org",
	  AUTHSERV ".evil.example; spf=pass smtp.mailfrom=alice@example.org", "Re: [" JANES "] x",
	  NULL, NULL, NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-spf-fail", TRUE, "alice@example.org", "alice@example.org",
	  AUTHSERV "; spf=fail smtp.mailfrom=alice@example.org", "Re: [" JANES "] x", NULL, NULL,
	  NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-spf-pass-other-sender", TRUE, "mallory@evil.example", "alice@example.org",
	  AUTHSERV "; spf=pass smtp.mailfrom=mallory@evil.example", "Re: [" JANES "] x", NULL, NULL,
	  NULL, ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-dkim-aligned", TRUE, "bounce@mail.example.com", "alice@example.org",
	  AUTHSERV "; dkim=pass header.d=example.org", "Re: [" JANES "] x", NULL, NULL, NULL,
	  ROUTE_DISCUSSION, JANES, TRUE, FALSE },
	{ "milter-dkim-other-domain", TRUE, "alice@example.org", "alice@example.org",
	  AUTHSERV "; dkim=pass header.d=evil.example", "Re: [" JANES "] x", NULL, NULL, NULL,
	  ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-dmarc-pass", TRUE, "bounce@mail.example.com", "alice@example.org",
	  AUTHSERV "; dmarc=pass header.from=example.org", "x", NULL, JANES "-reporter", NULL,
	  ROUTE_ANSWER, JANES, TRUE, FALSE },
	{ "milter-dmarc-other-domain", TRUE, "alice@example.org", "alice@example.org",
	  AUTHSERV "; dmarc=pass header.from=evil.example", "x", NULL, JANES "-reporter", NULL,
	  ROUTE_FOLLOWUP, JANES, FALSE, FALSE },
	{ "milter-stranger-proven", TRUE, "kim@example.net", "kim@example.net",
	  AUTHSERV "; spf=pass smtp.mailfrom=kim@example.net", "x", NULL, NULL, NULL, ROUTE_REPORT,
	  NULL, FALSE, FALSE },
	/* bounces and loops */
	{ "null-sender", FALSE, "", "MAILER-DAEMON@mx.example.net", NULL, "Undelivered", NULL, NULL,
	  NULL, ROUTE_BOUNCE, NULL, FALSE, FALSE },
	{ "null-sender-brackets", FALSE, "<>", "x@mx.example.net", NULL, "Undelivered", NULL, NULL,
	  NULL, ROUTE_BOUNCE, NULL, FALSE, FALSE },
	{ "mailer-daemon-sender", FALSE, "MAILER-DAEMON", "x@mx.example.net", NULL, "Undelivered",
	  NULL, NULL, NULL, ROUTE_BOUNCE, NULL, FALSE, FALSE },
	{ "bounce-to-case-return-path", FALSE, "", "x@mx.example.net", NULL, "Undelivered", NULL,
	  JANES "-bounces", NULL, ROUTE_BOUNCE, JANES, FALSE, FALSE },
	{ "bounce-references-case", FALSE, "", "x@mx.example.net", NULL, "Undelivered",
	  "ack1@example.org", NULL, NULL, ROUTE_BOUNCE, JANES, FALSE, FALSE },
	{ "delivery-report", FALSE, "postmaster@mx.example.net", "postmaster@mx.example.net", NULL,
	  "Delivery Status", NULL, NULL,
	  "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n", ROUTE_BOUNCE,
	  NULL, FALSE, FALSE },
	{ "loop-own-list", FALSE, "alice@example.org", "alice@example.org", NULL, "x", NULL, NULL,
	  "X-Embargo-Loop: " LIST "\n", ROUTE_LOOP, NULL, FALSE, FALSE },
	{ "loop-other-own-list", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL, NULL,
	  "X-Embargo-Loop: " OTHER "\n", ROUTE_LOOP, NULL, FALSE, FALSE },
	{ "loop-case-address", FALSE, "kim@example.net", "kim@example.net", NULL,
	  "Re: [" JANES "] x", NULL, NULL, "X-Embargo-Loop: security+" JANES "@example.org\n",
	  ROUTE_LOOP, JANES, FALSE, FALSE },
	{ "loop-foreign-list", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL, NULL,
	  "X-Embargo-Loop: security@foreign.example\n", ROUTE_REPORT, NULL, FALSE, FALSE },
	/* automatic mail (RFC 3834) */
	{ "auto-generated-no-case", FALSE, "scanner@example.net", "scanner@example.net", NULL,
	  "Scan results", NULL, NULL, "Auto-Submitted: auto-generated\n", ROUTE_REPORT, NULL, FALSE,
	  TRUE },
	{ "auto-submitted-no", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL, NULL,
	  "Auto-Submitted: no\n", ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "auto-submitted-comment", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  NULL, "Auto-Submitted: Auto-Generated (scanner)\n", ROUTE_REPORT, NULL, FALSE, TRUE },
	{ "auto-replied-no-case", FALSE, "kim@example.net", "kim@example.net", NULL,
	  "Out of office", NULL, NULL, "Auto-Submitted: auto-replied\n", ROUTE_AUTOREPLY, NULL, FALSE,
	  FALSE },
	{ "auto-replied-upper-case", FALSE, "kim@example.net", "kim@example.net", NULL,
	  "Out of office", NULL, NULL, "Auto-Submitted: AUTO-REPLIED; owner-email=x@y\n",
	  ROUTE_AUTOREPLY, NULL, FALSE, FALSE },
	{ "x-autoreply-no-case", FALSE, "kim@example.net", "kim@example.net", NULL, "Away", NULL,
	  NULL, "X-Autoreply: yes\n", ROUTE_AUTOREPLY, NULL, FALSE, FALSE },
	{ "auto-replied-on-case", FALSE, "jane@example.net", "jane@example.net", NULL,
	  "Re: [" JANES "] away", NULL, NULL, "Auto-Submitted: auto-replied\n", ROUTE_AUTOREPLY, JANES,
	  FALSE, FALSE },
	{ "auto-generated-on-case-ext", FALSE, "kim@example.net", "kim@example.net", NULL, "x",
	  NULL, JANES, "Auto-Submitted: auto-generated\n", ROUTE_AUTOREPLY, JANES, FALSE, FALSE },
	{ "precedence-bulk", FALSE, "news@example.net", "news@example.net", NULL, "News", NULL,
	  NULL, "Precedence: bulk\n", ROUTE_REPORT, NULL, FALSE, TRUE },
	{ "precedence-first-class", FALSE, "kim@example.net", "kim@example.net", NULL, "x", NULL,
	  NULL, "Precedence: first-class\n", ROUTE_REPORT, NULL, FALSE, FALSE },
	{ "list-id", FALSE, "list@example.net", "someone@example.net", NULL, "[list] x", NULL, NULL,
	  "List-Id: <dev.example.net>\n", ROUTE_REPORT, NULL, FALSE, TRUE },
	{ "automatic-member-no-case", FALSE, "alice@example.org", "alice@example.org", NULL, "cron",
	  NULL, NULL, "Auto-Submitted: auto-generated\n", ROUTE_AUTOREPLY, NULL, TRUE, FALSE },
	{ "automatic-foreign-loop", FALSE, "security@foreign.example", "security@foreign.example",
	  NULL, "Ack", NULL, NULL,
	  "Auto-Submitted: auto-generated\nX-Embargo-Loop: security@foreign.example\n",
	  ROUTE_AUTOREPLY, NULL, FALSE, FALSE },
	{ "automatic-irt-others-report", FALSE, "mallory@evil.example", "mallory@evil.example", NULL,
	  "x", "r1@example.net", NULL, "Auto-Submitted: auto-generated\n", ROUTE_REPORT, NULL, FALSE,
	  TRUE },
};

static EmbargoConfig *config_plain, *config_milter;
static Db *db;
static char *dir;

static char *
message_text(const RouteCase *rc)
{
	GString *s = g_string_new(NULL);

	if (rc->from != NULL)
		g_string_append_printf(s, "From: %s\n", rc->from);
	g_string_append_printf(s, "To: %s\nSubject: %s\nMessage-ID: <%s@test.example>\n", LIST,
	                       rc->subject, rc->name);
	g_string_append(s, "Date: Mon, 23 Nov 2026 10:00:00 +0000\n");
	if (rc->irt != NULL)
		g_string_append_printf(s, "In-Reply-To: <%s>\n", rc->irt);
	if (rc->authres != NULL)
		g_string_append_printf(s, "Authentication-Results: %s\n", rc->authres);
	if (rc->headers != NULL)
		g_string_append(s, rc->headers);
	if (rc->headers != NULL && strstr(rc->headers, "multipart/report") != NULL)
		g_string_append(s, "\n--b\nContent-Type: text/plain\n\nnot delivered\n"
		                   "--b\nContent-Type: message/delivery-status\n\n"
		                   "Reporting-MTA: dns; mx.example.net\n\n--b--\n");
	else
		g_string_append(s, "\nThe text.\n");
	return g_string_free(s, FALSE);
}

static void
test_route(gconstpointer data)
{
	const RouteCase *rc = data;
	const EmbargoConfig *config = rc->milter ? config_milter : config_plain;
	g_autofree char *path = g_build_filename(dir, "message", NULL);
	g_autofree char *text = message_text(rc);
	g_autoptr(GError) err = NULL;
	g_autoptr(InMessage) in = NULL;
	Route route;

	g_file_set_contents(path, text, -1, &err);
	g_assert_no_error(err);
	in = inmsg_parse(path, FALSE, &err);
	g_assert_no_error(err);
	g_assert_nonnull(in);
	inmsg_read_authres(in, config->milter.authserv_id);
	g_assert_true(route_decide(db, config, config_find_list(config, LIST), in, rc->env, rc->ext,
	                           &route, &err));
	g_assert_no_error(err);
	g_test_message("route %s, case %s, member %d, held %d, why %s", route_kind_name(route.kind),
	               route.case_id, route.from_member, route.held, route.why);
	g_assert_cmpstr(route_kind_name(route.kind), ==, route_kind_name(rc->kind));
	g_assert_cmpstr(route.case_id, ==, rc->case_id);
	g_assert_cmpint(route.from_member, ==, rc->member);
	g_assert_cmpint(route.held, ==, rc->held);
	if (route.kind == ROUTE_REFUSED || route.kind == ROUTE_LOOP || route.kind == ROUTE_BOUNCE)
		g_assert_nonnull(route.why);
	route_clear(&route);
}

static EmbargoConfig *
load_config(const char *name, const char *extra)
{
	g_autofree char *path = g_build_filename(dir, name, NULL);
	g_autofree char *text = g_strdup_printf("[embargo]\nstate_dir = %s\n%s\n"
	                                        "[list " LIST "]\nname = Security\nprefix = SEC\n\n"
	                                        "[list " OTHER "]\nname = Other\nprefix = OSS\n",
	                                        dir, extra);
	g_autoptr(GError) err = NULL;
	EmbargoConfig *config;

	g_file_set_contents(path, text, -1, &err);
	g_assert_no_error(err);
	config = config_load(path, &err);
	g_assert_no_error(err);
	return config;
}

/* The store every row is routed against, made through the library. */
static void
setup_store(void)
{
	g_autoptr(GDateTime) now = g_date_time_new_utc(2026, 11, 21, 10, 0, 0);
	g_autoptr(GError) err = NULL;
	g_autofree char *janes = NULL, *others = NULL;
	gboolean existed;
	char *ack_to[] = { "jane@example.net", NULL };
	MessageRecord m = {
		.list = LIST, .message_id = "r1@example.net", .digest = "d1",
		.envelope_from = "jane@example.net", .recipient = LIST, .from_addr = "jane@example.net",
		.subject = "Overflow", .kind = "report", .spool_path = "/x", .size = 1,
		.received_at = "2026-11-21T10:00:00Z",
	};
	OutMail ack = {
		.list = LIST, .kind = "ack", .envelope_from = "", .recipients = ack_to,
		.message_id = "ack1@example.org", .subject = "Re: Overflow",
	};

	db = db_open(dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_true(db_migrate(db, &err));
	g_assert_true(member_add(db, LIST, "alice@example.org", "Alice", &existed, &err));
	g_assert_true(member_add(db, LIST, "bob@example.org", "Bob", &existed, &err));
	janes = case_create(db, LIST, "SEC", "new", "Overflow", "jane@example.net", "Jane", now,
	                    &err);
	g_assert_no_error(err);
	g_assert_cmpstr(janes, ==, JANES);
	/* the store numbers a list's cases on its own: the other list's case
	 * gets an id of this list's spelling by moving one */
	others = case_create(db, LIST, "SEC", "new", "Other", "lee@example.net", "Lee", now, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(others, ==, OTHERS);
	g_assert_true(db_exec(db, "UPDATE cases SET list = '" OTHER "' WHERE id = '" OTHERS "'",
	                      &err));
	m.case_id = JANES;
	g_assert_cmpint(message_insert(db, &m, &err), >, 0);
	m.message_id = "planted@evil.example";
	m.digest = "d2";
	m.envelope_from = m.from_addr = "mallory@evil.example";
	m.kind = "followup";
	g_assert_cmpint(message_insert(db, &m, &err), >, 0);
	g_assert_no_error(err);
	ack.case_id = JANES;
	ack.body = g_bytes_new_static("x", 1);
	g_assert_true(outbox_add(db, &ack, "2026-11-21T10:00:01Z", &err));
	g_bytes_unref(ack.body);
	g_assert_no_error(err);
}

static void
remove_dir(void)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		g_unlink(path);
	}
	g_rmdir(dir);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	int rc;

	g_test_init(&argc, &argv, NULL);
	/* every row is checked and reported, a failing one too */
	g_test_set_nonfatal_assertions();
	g_mime_init();
	dir = g_dir_make_tmp("embargo-test-route.XXXXXX", &err);
	g_assert_no_error(err);
	config_plain = load_config("plain.conf", "");
	config_milter = load_config("milter.conf", "\n[milter]\nauthserv_id = " AUTHSERV "\n");
	g_assert_true(config_milter->milter.required);
	g_assert_false(config_plain->milter.required);
	setup_store();
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *path = g_strdup_printf("/route/%s", cases[i].name);
		g_test_add_data_func(path, &cases[i], test_route);
	}
	rc = g_test_run();
	db_close(db);
	config_free(config_plain);
	config_free(config_milter);
	remove_dir();
	g_free(dir);
	g_mime_shutdown();
	return rc;
}
