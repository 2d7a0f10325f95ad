/* fuzz-thread.c - libFuzzer harness: the threading decision of embargo-mda
 * (route_decide: subject tag, +address, In-Reply-To and References against
 * a real SQLite store) on untrusted mail.
 *
 * Input: the envelope sender on the first line, the recipient's +extension
 * (or nothing) on the second, then the message. The store holds, once, a
 * stranger's case opened under a pre-seeded Message-ID, a reporter's case
 * with our acknowledgement, a stranger's follow-up and a notice we sent a
 * third person, a held case and a member. Each input is routed inside a
 * transaction that is rolled back.
 * Besides the sanitizers, the harness checks the rule that matters: mail
 * from outside the team that names a case by neither tag nor +address is
 * only ever filed on a case whose reporter is its sender, or that we wrote
 * to the sender about; a held case is always a new one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "address.h"
#include "caseid.h"
#include "cases.h"
#include "config.h"
#include "db.h"
#include "inmsg.h"
#include "members.h"
#include "route.h"

#define LIST "security@example.org"

static EmbargoConfig *config;
static const EmbargoList *list;
static Db *db;
static char *state_dir;

static const char seed_sql[] =
	"INSERT INTO cases (id, list, status, subject, reporter, created_at, updated_at) VALUES "
	"('SEC-2026-0001', '" LIST "', 'new', 'Announcing 2.0', 'mallory@evil.example', "
	" '2026-11-20T10:00:00Z', '2026-11-20T10:00:00Z'),"
	"('SEC-2026-0002', '" LIST "', 'new', 'Heap overflow', 'jane@example.net', "
	" '2026-11-21T10:00:00Z', '2026-11-21T10:00:00Z');"
	"INSERT INTO cases (id, list, status, subject, reporter, created_at, updated_at, held) VALUES "
	"('SEC-2026-0003', '" LIST "', 'new', 'Out of office', 'ooo@example.com', "
	" '2026-11-22T10:00:00Z', '2026-11-22T10:00:00Z', 'automatic (Auto-Submitted)');"
	"INSERT INTO messages (list, case_id, message_id, digest, envelope_from, recipient, from_addr,"
	" subject, kind, spool_path, size, received_at) VALUES "
	"('" LIST "', 'SEC-2026-0001', 'announce@lists.example', 'd1', 'mallory@evil.example', '" LIST "',"
	" 'mallory@evil.example', 'Announcing 2.0', 'report', '/x', 1, '2026-11-20T10:00:00Z'),"
	"('" LIST "', 'SEC-2026-0002', 'r1@example.net', 'd2', 'jane@example.net', '" LIST "',"
	" 'jane@example.net', 'Heap overflow', 'report', '/x', 1, '2026-11-21T10:00:00Z'),"
	"('" LIST "', 'SEC-2026-0002', 'planted@evil.example', 'd3', 'mallory@evil.example', '" LIST "',"
	" 'mallory@evil.example', 'Re: [SEC-2026-0002] me too', 'followup', '/x', 1,"
	" '2026-11-21T11:00:00Z'),"
	"('" LIST "', NULL, 'nocase@mx.example', 'd4', '', '" LIST "',"
	" 'mailer-daemon@mx.example', 'Undelivered', 'bounce', '/x', 1, '2026-11-21T12:00:00Z');"
	"INSERT INTO outbox (list, case_id, kind, envelope_from, recipients, message_id, subject,"
	" created_at) VALUES "
	"('" LIST "', 'SEC-2026-0001', 'ack', '', 'mallory@evil.example', 'embargo.ack1@example.org',"
	" 'x', '2026-11-20T10:00:00Z'),"
	"('" LIST "', 'SEC-2026-0002', 'ack', '', 'jane@example.net', 'embargo.ack2@example.org',"
	" 'x', '2026-11-21T10:00:00Z'),"
	"('" LIST "', 'SEC-2026-0002', 'notice', '', 'lee@example.org', 'embargo.notice@example.org',"
	" 'x', '2026-11-21T11:00:00Z');"
	"INSERT INTO members (list, address, added_at) VALUES "
	"('" LIST "', 'alice@example.org', '2026-11-01T00:00:00Z');";

/* The throwaway state directory goes when the fuzzer exits. */
static void
cleanup(void)
{
	GDir *d;
	const char *name;

	db_close(db);
	config_free(config);
	if (state_dir == NULL || (d = g_dir_open(state_dir, 0, NULL)) == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(state_dir, name, NULL);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			g_rmdir(path);
		else
			g_unlink(path);
	}
	g_dir_close(d);
	g_rmdir(state_dir);
	g_free(state_dir);
}

static void
setup(void)
{
	g_autoptr(GError) err = NULL;
	char *dir = state_dir = g_dir_make_tmp("embargo-fuzz-thread.XXXXXX", &err);
	g_autofree char *conf = NULL, *text = NULL;

	g_assert_no_error(err);
	atexit(cleanup);
	conf = g_build_filename(dir, "embargo.conf", NULL);
	text = g_strdup_printf("[embargo]\nstate_dir = %s\n\n[list " LIST "]\nname = Security\n"
	                       "prefix = SEC\npolicy = cncf\n",
	                       dir);
	g_file_set_contents(conf, text, -1, &err);
	g_assert_no_error(err);
	config = config_load(conf, &err);
	g_assert_no_error(err);
	list = config_find_list(config, LIST);
	db = db_open(dir, TRUE, &err);
	g_assert_no_error(err);
	if (!db_migrate(db, &err) || !db_exec(db, seed_sql, &err))
		g_error("setting up the store: %s", err->message);
	/* A fixed "now" near the seeded cases, so that the held case is recent. */
	g_setenv("EMBARGO_NOW", "2026-11-23T10:00:00Z", TRUE);
}

static char *
take_line(const uint8_t **data, size_t *size)
{
	const uint8_t *nl = memchr(*data, '\n', *size);
	size_t n = nl != NULL ? (size_t)(nl - *data) : *size;
	char *line = g_strndup((const char *)*data, n);

	*data += nl != NULL ? n + 1 : n;
	*size -= nl != NULL ? n + 1 : n;
	return line;
}

/* Whether we sent SENDER mail about CASE_ID. */
static gboolean
sent_to(const char *case_id, const char *sender)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT 1 FROM outbox WHERE case_id = ?1 AND instr(char(10) || "
	                           "lower(recipients) || char(10), char(10) || ?2 || char(10)) > 0",
	                           NULL);
	gboolean found;

	if (st == NULL)
		abort();
	db_bind_text(st, 1, case_id);
	db_bind_text(st, 2, sender);
	found = db_step(db, st, NULL) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

/* The rule: a non-member's mail that names no case by tag or +address is on
 * no case, on a case whose reporter is its sender, or on a case we sent the
 * sender mail about; a held case is a new one. */
static void
check(const InMessage *in, const char *env, const char *ext, const Route *r)
{
	g_autofree char *tag = caseid_from_subject(in->subject, "SEC");
	g_autofree char *sender = NULL;
	g_autoptr(Case) c = NULL;
	g_autoptr(GError) err = NULL;

	if (r->held && r->case_id != NULL) {
		fprintf(stderr, "a held case must be a new one, not %s\n", r->case_id);
		abort();
	}
	if (r->case_id == NULL || r->from_member || r->kind == ROUTE_BOUNCE || r->kind == ROUTE_LOOP)
		return;
	if (tag != NULL || (ext != NULL && *ext != '\0'))
		return;
	sender = in->from_addr != NULL ? g_strdup(in->from_addr) : address_normalize(env);
	if (!case_get(db, r->case_id, &c, &err) || c == NULL || sender == NULL ||
	    (strcmp(c->reporter, sender) != 0 && !sent_to(c->id, sender))) {
		fprintf(stderr, "%s mail of %s filed on %s, whose reporter is %s\n",
		        route_kind_name(r->kind), sender != NULL ? sender : "(nobody)", r->case_id,
		        c != NULL ? c->reporter : "?");
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean ready;
	g_autofree char *env = NULL, *ext = NULL;
	g_autoptr(GError) err = NULL;
	char path[64];
	InMessage *in;
	Route route;
	int fd;

	if (!ready) {
		g_mime_init();
		setup();
		ready = TRUE;
	}
	env = take_line(&data, &size);
	ext = take_line(&data, &size);
	fd = memfd_create("msg", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	in = inmsg_parse(path, memchr(data, 0, size) != NULL, NULL);
	close(fd);
	if (in == NULL)
		return 0;
	if (!db_begin(db, &err))
		g_error("begin: %s", err->message);
	if (route_decide(db, config, list, in, env, *ext != '\0' ? ext : NULL, &route, &err)) {
		check(in, env, ext, &route);
		route_clear(&route);
	}
	db_rollback(db);
	inmsg_free(in);
	return 0;
}
