/* test-store.c - the state directory, the SQLite store and the raw spool:
 * creation and migration, case numbering, members, messages and duplicate
 * detection, threading by reference, the outbox, and spool_write. */
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testdir.h"
#include "calendar.h"
#include "cases.h"
#include "db.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
#include "spool.h"
#include "statedir.h"

#define LIST "security@example.org"
#define TOOLS "security@tools.example.org"

typedef struct {
	char *dir;    /* the state directory (does not exist before setup creates it) */
	char *tmp;    /* its parent, from g_dir_make_tmp */
	Db *db;
} Fixture;

static void
fx_setup_bare(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;

	fx->tmp = g_dir_make_tmp("embargo-test-store.XXXXXX", &err);
	g_assert_no_error(err);
	fx->dir = g_build_filename(fx->tmp, "state", NULL);
}

/* A migrated database in a fresh state directory. */
static void
fx_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;

	fx_setup_bare(fx, data);
	g_assert_true(statedir_create(fx->dir, &err));
	g_assert_no_error(err);
	fx->db = db_open(fx->dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_nonnull(fx->db);
	g_assert_true(db_migrate(fx->db, &err));
	g_assert_no_error(err);
}

static void
fx_teardown(Fixture *fx, gconstpointer data)
{
	db_close(fx->db);
	testdir_rm_rf(fx->tmp);
	g_free(fx->dir);
	g_free(fx->tmp);
}

static int
file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (int)(st.st_mode & 07777);
}

/* The first column of the first row of SQL, as text; the statement is reset
 * so that it holds no read transaction. The string lives until 16 more calls. */
static const char *
query_text(Db *db, const char *sql)
{
	static char *ring[16];
	static guint next;
	g_autoptr(GError) err = NULL;
	sqlite3_stmt *st = db_stmt(db, sql, &err);
	char *out = NULL;

	g_assert_no_error(err);
	if (st == NULL)
		return NULL;
	if (db_step(db, st, &err) == SQLITE_ROW)
		out = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	g_free(ring[next]);
	ring[next] = out;
	next = (next + 1) % G_N_ELEMENTS(ring);
	return out;
}

static gint64
query_int(Db *db, const char *sql)
{
	const char *t = query_text(db, sql);

	return t != NULL ? g_ascii_strtoll(t, NULL, 10) : -1;
}

/* ---- state directory and database ---- */

static void
test_statedir(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *new_dir = NULL, *tmp_dir = NULL, *db_path = NULL;
	g_autoptr(Db) db = NULL;

	g_assert_false(statedir_check(fx->dir, &err));   /* not there yet */
	g_assert_nonnull(err);
	g_clear_error(&err);

	g_assert_true(statedir_create(fx->dir, &err));
	g_assert_no_error(err);
	g_assert_cmpint(file_mode(fx->dir), ==, 0700);
	new_dir = g_build_filename(fx->dir, "spool", "new", NULL);
	tmp_dir = g_build_filename(fx->dir, "spool", "tmp", NULL);
	g_assert_true(g_file_test(new_dir, G_FILE_TEST_IS_DIR));
	g_assert_true(g_file_test(tmp_dir, G_FILE_TEST_IS_DIR));
	g_assert_true(statedir_check(fx->dir, &err));
	/* idempotent, and it makes an existing directory private again */
	g_assert_cmpint(chmod(fx->dir, 0755), ==, 0);
	g_assert_true(statedir_create(fx->dir, &err));
	g_assert_no_error(err);
	g_assert_cmpint(file_mode(fx->dir), ==, 0700);

	db = db_open(fx->dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_nonnull(db);
	db_path = g_build_filename(fx->dir, "embargo.db", NULL);
	g_assert_cmpint(file_mode(db_path), ==, 0600);

	/* a directory others can write to is refused, by the check and by db_open */
	g_clear_pointer(&db, db_close);
	g_assert_cmpint(chmod(fx->dir, 0777), ==, 0);
	g_assert_false(statedir_check(fx->dir, &err));
	g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
	g_clear_error(&err);
	db = db_open(fx->dir, FALSE, &err);
	g_assert_null(db);
	g_assert_nonnull(err);
	g_clear_error(&err);
	g_assert_cmpint(chmod(fx->dir, 0720), ==, 0);     /* group-writable too */
	g_assert_false(statedir_check(fx->dir, &err));
	g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
	g_clear_error(&err);
	g_assert_cmpint(chmod(fx->dir, 0700), ==, 0);

	/* a file is not a state directory */
	g_autofree char *file = g_build_filename(fx->tmp, "plain-file", NULL);
	g_assert_true(g_file_set_contents(file, "x", 1, NULL));
	g_assert_cmpint(chmod(file, 0600), ==, 0);
	g_assert_false(statedir_check(file, &err));
	g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_PERM);
}

static void
test_db_not_ready(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(Db) db = NULL;

	/* no state directory, no database */
	db = db_open(fx->dir, FALSE, &err);
	g_assert_null(db);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_NOT_READY);
	g_clear_error(&err);

	/* a state directory without a database */
	g_assert_true(statedir_create(fx->dir, &err));
	db = db_open(fx->dir, FALSE, &err);
	g_assert_null(db);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_NOT_READY);
	if (err != NULL)
		g_assert_nonnull(strstr(err->message, "embargoctl init"));
	g_clear_error(&err);
	g_autofree char *path = g_build_filename(fx->dir, "embargo.db", NULL);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));  /* and it did not create one */

	/* a database that was created but never migrated */
	db = db_open(fx->dir, TRUE, &err);
	g_assert_nonnull(db);
	g_clear_pointer(&db, db_close);
	db = db_open(fx->dir, FALSE, &err);
	g_assert_null(db);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_NOT_READY);
}

static void
test_db_migrate(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(Db) db2 = NULL;
	gboolean existed;

	g_assert_cmpint(db_schema_version(), >=, 1);
	g_assert_cmpint(query_int(fx->db, "PRAGMA user_version"), ==, db_schema_version());
	g_assert_cmpstr(query_text(fx->db, "PRAGMA journal_mode"), ==, "wal");
	g_assert_cmpint(query_int(fx->db, "PRAGMA synchronous"), ==, 2);  /* FULL */
	g_assert_cmpint(query_int(fx->db, "PRAGMA foreign_keys"), ==, 1);
	g_assert_cmpint(query_int(fx->db,
	                          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
	                          "('members', 'case_counters', 'cases', 'messages', 'events', 'outbox')"),
	                ==, 6);

	/* data survives a second migration, which changes nothing */
	g_assert_true(member_add(fx->db, LIST, "alice@example.org", NULL, &existed, &err));
	g_assert_true(db_migrate(fx->db, &err));
	g_assert_no_error(err);
	g_assert_true(db_migrate(fx->db, &err));
	g_assert_no_error(err);
	g_assert_cmpint(query_int(fx->db, "PRAGMA user_version"), ==, db_schema_version());
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM members"), ==, 1);

	/* a migrated database opens without create, with the same pragmas */
	db2 = db_open(fx->dir, FALSE, &err);
	g_assert_no_error(err);
	g_assert_nonnull(db2);
	if (db2 == NULL)
		return;
	g_assert_cmpint(query_int(db2, "PRAGMA synchronous"), ==, 2);
	g_assert_cmpint(query_int(db2, "PRAGMA foreign_keys"), ==, 1);
	g_assert_true(db_migrate(db2, &err));
	g_assert_no_error(err);
	g_assert_cmpint(query_int(db2, "SELECT count(*) FROM members"), ==, 1);
}

static void
test_db_transactions(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(Db) other = db_open(fx->dir, FALSE, &err);
	gboolean existed;

	g_assert_no_error(err);
	if (other == NULL)
		return;
	/* Opening holds no read snapshot: after another connection commits, a
	 * write transaction begins at once (a stale snapshot would make BEGIN
	 * IMMEDIATE fail with SQLITE_BUSY_SNAPSHOT, without any busy wait). */
	g_assert_true(member_add(fx->db, LIST, "early@example.org", NULL, &existed, &err));
	g_assert_no_error(err);
	gboolean began = db_begin(other, &err);
	g_assert_true(began);
	g_assert_no_error(err);
	if (!began)
		return;
	g_assert_true(member_remove(other, LIST, "early@example.org", &existed, &err));
	g_assert_true(existed);
	g_assert_true(db_commit(other, &err));
	g_assert_no_error(err);
	/* the foreign keys are enforced */
	g_assert_false(db_exec(fx->db,
	                       "INSERT INTO events (case_id, at, actor, what) VALUES ('NOPE-2026-0001', 'x', 'y', 'z')",
	                       &err));
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_clear_error(&err);
	/* rolling back a write transaction undoes it */
	g_assert_true(db_begin(fx->db, &err));
	g_assert_true(db_exec(fx->db,
	                      "INSERT INTO members (list, address, added_at) VALUES ('l', 'a@b', 'now')", &err));
	db_rollback(fx->db);
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM members"), ==, 0);
	/* db_close of a connection in a transaction rolls it back and frees the lock */
	g_assert_true(db_begin(other, &err));
	g_assert_true(db_exec(other,
	                      "INSERT INTO members (list, address, added_at) VALUES ('l', 'b@b', 'now')", &err));
	g_clear_pointer(&other, db_close);
	g_assert_true(db_begin(fx->db, &err));
	g_assert_no_error(err);
	g_assert_true(db_commit(fx->db, &err));
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM members"), ==, 0);
}

/* ---- cases ---- */

static GDateTime *
at(int year, int month, int day)
{
	return g_date_time_new_utc(year, month, day, 12, 0, 0);
}

static char *
new_case(Fixture *fx, const char *list, const char *prefix, GDateTime *now)
{
	g_autoptr(GError) err = NULL;
	char *id = case_create(fx->db, list, prefix, "received", "Heap overflow", "jane@example.net",
	                       "Jane Doe", now, &err);

	g_assert_no_error(err);
	return id;
}

static void
test_case_numbers(Fixture *fx, gconstpointer data)
{
	g_autoptr(GDateTime) y26 = at(2026, 11, 23);
	g_autoptr(GDateTime) y26b = at(2026, 12, 31);
	g_autoptr(GDateTime) y27 = at(2027, 1, 1);
	g_autoptr(GError) err = NULL;
	g_autofree char *a = new_case(fx, LIST, "SEC", y26);
	g_autofree char *b = new_case(fx, LIST, "SEC", y26b);
	g_autofree char *c = new_case(fx, LIST, "SEC", y27);          /* a new year starts at 1 */
	g_autofree char *d = new_case(fx, TOOLS, "TOOLS", y26);       /* another list counts apart */
	g_autofree char *e = new_case(fx, LIST, "SEC", y26);          /* 2026 goes on */
	g_autofree char *f = new_case(fx, TOOLS, "TOOLS", y27);
	g_autofree char *g = new_case(fx, LIST, "SEC", y27);

	g_assert_cmpstr(a, ==, "SEC-2026-0001");
	g_assert_cmpstr(b, ==, "SEC-2026-0002");
	g_assert_cmpstr(c, ==, "SEC-2027-0001");
	g_assert_cmpstr(d, ==, "TOOLS-2026-0001");
	g_assert_cmpstr(e, ==, "SEC-2026-0003");
	g_assert_cmpstr(f, ==, "TOOLS-2027-0001");
	g_assert_cmpstr(g, ==, "SEC-2027-0002");

	g_autoptr(Case) got = NULL;
	g_autoptr(Case) gone = NULL;
	g_assert_true(case_get(fx->db, "SEC-2026-0002", &got, &err));
	g_assert_no_error(err);
	g_assert_nonnull(got);
	if (got != NULL) {
		g_assert_cmpstr(got->id, ==, "SEC-2026-0002");
		g_assert_cmpstr(got->list, ==, LIST);
		g_assert_cmpstr(got->status, ==, "received");
		g_assert_cmpstr(got->subject, ==, "Heap overflow");
		g_assert_cmpstr(got->reporter, ==, "jane@example.net");
		g_assert_cmpstr(got->reporter_name, ==, "Jane Doe");
		g_assert_cmpstr(got->created_at, ==, "2026-12-31T12:00:00Z");
		g_assert_cmpstr(got->updated_at, ==, "2026-12-31T12:00:00Z");
		g_assert_false(got->bounce_noticed);
	}
	g_assert_true(case_get(fx->db, "SEC-2026-0099", &gone, &err));   /* none: NULL, no error */
	g_assert_no_error(err);
	g_assert_null(gone);

	g_autoptr(GPtrArray) all = case_list(fx->db, NULL, &err);
	g_autoptr(GPtrArray) sec = case_list(fx->db, LIST, &err);
	g_autoptr(GPtrArray) none = case_list(fx->db, "nobody@example.org", &err);
	g_assert_no_error(err);
	g_assert_cmpuint(all->len, ==, 7);
	g_assert_cmpuint(sec->len, ==, 5);
	g_assert_cmpuint(none->len, ==, 0);
	/* ordered by creation time */
	g_assert_cmpstr(((Case *)sec->pdata[0])->created_at, <=, ((Case *)sec->pdata[4])->created_at);
	g_assert_cmpstr(((Case *)sec->pdata[4])->id, ==, "SEC-2027-0002");

	/* touch and bounce_noticed */
	g_assert_true(case_touch(fx->db, "SEC-2026-0001", "2026-11-24T00:00:00Z", &err));
	g_assert_true(case_set_bounce_noticed(fx->db, "SEC-2026-0001", &err));
	g_autoptr(Case) touched = NULL;
	g_assert_true(case_get(fx->db, "SEC-2026-0001", &touched, &err));
	g_assert_nonnull(touched);
	if (touched != NULL) {
		g_assert_cmpstr(touched->updated_at, ==, "2026-11-24T00:00:00Z");
		g_assert_cmpstr(touched->created_at, ==, "2026-11-23T12:00:00Z");
		g_assert_true(touched->bounce_noticed);
	}
	/* events need a case */
	g_assert_true(event_add(fx->db, "SEC-2026-0001", "2026-11-24T00:00:00Z", "embargo", "note",
	                        NULL, 0, &err));
	g_assert_no_error(err);
	g_assert_false(event_add(fx->db, "SEC-2026-0404", "2026-11-24T00:00:00Z", "embargo", "note",
	                         NULL, 0, &err));
	g_assert_nonnull(err);
}

static void
test_case_rollback(Fixture *fx, gconstpointer data)
{
	g_autoptr(GDateTime) now = at(2026, 11, 23);
	g_autoptr(GError) err = NULL;
	g_autofree char *a = NULL, *b = NULL;
	g_autoptr(Case) gone = NULL;

	/* a number handed out in a transaction that is rolled back is given again */
	g_assert_true(db_begin(fx->db, &err));
	a = new_case(fx, LIST, "SEC", now);
	g_assert_cmpstr(a, ==, "SEC-2026-0001");
	db_rollback(fx->db);
	g_assert_true(case_get(fx->db, "SEC-2026-0001", &gone, &err));
	g_assert_null(gone);
	b = new_case(fx, LIST, "SEC", now);
	g_assert_cmpstr(b, ==, "SEC-2026-0001");
}

/* ---- members ---- */

static void
test_members(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	gboolean existed = TRUE;

	g_assert_cmpint(member_is(fx->db, LIST, "alice@example.org", &err), ==, 0);
	g_assert_true(member_add(fx->db, LIST, "bob@example.org", NULL, &existed, &err));
	g_assert_false(existed);
	g_assert_true(member_add(fx->db, LIST, "alice@example.org", "Alice", &existed, &err));
	g_assert_false(existed);
	g_assert_true(member_add(fx->db, LIST, "alice@example.org", NULL, &existed, &err));
	g_assert_true(existed);                                    /* twice: not an error */
	g_assert_true(member_add(fx->db, TOOLS, "carol@example.org", NULL, &existed, &err));
	g_assert_no_error(err);

	g_assert_cmpint(member_is(fx->db, LIST, "alice@example.org", &err), ==, 1);
	g_assert_cmpint(member_is(fx->db, LIST, "carol@example.org", &err), ==, 0);  /* per list */
	g_assert_cmpint(member_is(fx->db, TOOLS, "carol@example.org", &err), ==, 1);

	g_autoptr(GPtrArray) l = member_list(fx->db, LIST, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(l->len, ==, 2);
	const Member *m0 = l->pdata[0], *m1 = l->pdata[1];
	g_assert_cmpstr(m0->address, ==, "alice@example.org");    /* sorted by address */
	g_assert_cmpstr(m0->name, ==, "Alice");                     /* adding again kept the name */
	g_assert_true(g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
	                                   m0->added_at, 0, 0));
	g_assert_cmpstr(m1->address, ==, "bob@example.org");
	g_assert_null(m1->name);

	/* a new name replaces the old one */
	g_assert_true(member_add(fx->db, LIST, "alice@example.org", "Alice A.", &existed, &err));
	g_autoptr(GPtrArray) l2 = member_list(fx->db, LIST, &err);
	g_assert_cmpstr(((Member *)l2->pdata[0])->name, ==, "Alice A.");

	g_assert_true(member_remove(fx->db, LIST, "alice@example.org", &existed, &err));
	g_assert_true(existed);
	g_assert_true(member_remove(fx->db, LIST, "alice@example.org", &existed, &err));
	g_assert_false(existed);
	g_assert_true(member_remove(fx->db, LIST, "carol@example.org", &existed, &err));
	g_assert_false(existed);                                   /* not on this list */
	g_assert_no_error(err);
	g_assert_cmpint(member_is(fx->db, LIST, "alice@example.org", &err), ==, 0);
	g_assert_cmpint(member_is(fx->db, TOOLS, "carol@example.org", &err), ==, 1);
	g_autoptr(GPtrArray) l3 = member_list(fx->db, LIST, &err);
	g_assert_cmpuint(l3->len, ==, 1);
	g_autoptr(GPtrArray) l4 = member_list(fx->db, "nobody@example.org", &err);
	g_assert_cmpuint(l4->len, ==, 0);
}

/* ---- messages ---- */

static MessageRecord
record(const char *list, const char *case_id, const char *message_id, const char *digest)
{
	return (MessageRecord){
		.list = list,
		.case_id = case_id,
		.message_id = message_id,
		.digest = digest,
		.envelope_from = "jane@example.net",
		.recipient = list,
		.from_addr = "jane@example.net",
		.subject = "Heap overflow",
		.kind = "report",
		.problem = NULL,
		.spool_path = "/nonexistent/spool/new/x",
		.size = 123,
		.received_at = "2026-11-23T12:00:00Z",
	};
}

static void
test_messages(Fixture *fx, gconstpointer data)
{
	g_autoptr(GDateTime) now = at(2026, 11, 23);
	g_autofree char *id = new_case(fx, LIST, "SEC", now);
	g_autoptr(GError) err = NULL;
	MessageRecord r = record(LIST, id, "r1@example.net", "aaaa");
	sqlite3_int64 row, row2, row3, row4;

	row = message_insert(fx->db, &r, &err);
	g_assert_no_error(err);
	g_assert_cmpint(row, >, 0);
	g_assert_cmpint(message_find(fx->db, LIST, "r1@example.net", "aaaa", &err), ==, row);
	/* the same Message-ID with other content is another message */
	g_assert_cmpint(message_find(fx->db, LIST, "r1@example.net", "bbbb", &err), ==, 0);
	/* the same content under another Message-ID too */
	g_assert_cmpint(message_find(fx->db, LIST, "r2@example.net", "aaaa", &err), ==, 0);
	/* and on another list */
	g_assert_cmpint(message_find(fx->db, TOOLS, "r1@example.net", "aaaa", &err), ==, 0);
	g_assert_no_error(err);

	/* the UNIQUE constraint refuses a second copy */
	row2 = message_insert(fx->db, &r, &err);
	g_assert_cmpint(row2, ==, 0);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_clear_error(&err);
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM messages"), ==, 1);

	/* but takes other content with the same Message-ID, or the same on another list */
	MessageRecord r2 = record(LIST, id, "r1@example.net", "bbbb");
	row3 = message_insert(fx->db, &r2, &err);
	g_assert_no_error(err);
	g_assert_cmpint(row3, >, row);
	MessageRecord r3 = record(TOOLS, NULL, "r1@example.net", "aaaa");
	row4 = message_insert(fx->db, &r3, &err);
	g_assert_no_error(err);
	g_assert_cmpint(row4, >, row3);
	g_assert_cmpint(message_find(fx->db, TOOLS, "r1@example.net", "aaaa", &err), ==, row4);

	/* a message without Message-ID is stored with "" and found by its digest */
	MessageRecord r4 = record(LIST, NULL, "", "cccc");
	sqlite3_int64 row5 = message_insert(fx->db, &r4, &err);
	g_assert_no_error(err);
	g_assert_cmpint(message_find(fx->db, LIST, "", "cccc", &err), ==, row5);
	g_assert_cmpint(message_find(fx->db, LIST, "", "dddd", &err), ==, 0);

	/* a case that does not exist is refused (foreign key) */
	MessageRecord r5 = record(LIST, "SEC-2026-0999", "r9@example.net", "eeee");
	g_assert_cmpint(message_insert(fx->db, &r5, &err), ==, 0);
	g_assert_nonnull(err);
	g_clear_error(&err);

	/* the row keeps what it was given */
	g_assert_cmpstr(query_text(fx->db, "SELECT kind || '|' || size || '|' || coalesce(problem, 'NULL') "
	                                   "FROM messages ORDER BY id LIMIT 1"),
	                ==, "report|123|NULL");
}

static GBytes *
body(const char *text)
{
	return g_bytes_new(text, strlen(text));
}

static gboolean
add_out(Fixture *fx, const char *list, const char *case_id, const char *kind, const char *to,
        const char *message_id, const char *now, GError **error)
{
	char *rcpt[] = { (char *)to, NULL };
	g_autoptr(GBytes) b = body("Subject: x\n\nhello\n");
	OutMail m = {
		.list = list,
		.case_id = case_id,
		.cause = 0,
		.kind = kind,
		.envelope_from = "",
		.recipients = rcpt,
		.message_id = message_id,
		.subject = "x",
		.body = b,
	};

	return outbox_add(fx->db, &m, now, error);
}

/* message_case_by_reference, which must not fail here: the case or NULL. */
static char *
by_ref(Db *db, const char *list, const char *message_id, const char *sender, GError **error)
{
	char *case_id = NULL;

	g_assert_true(message_case_by_reference(db, list, message_id, sender, &case_id, error));
	return case_id;
}

static void
test_references(Fixture *fx, gconstpointer data)
{
	g_autoptr(GDateTime) now = at(2026, 11, 23);
	g_autofree char *c1 = new_case(fx, LIST, "SEC", now);
	g_autofree char *c2 = new_case(fx, LIST, "SEC", now);
	g_autofree char *t1 = new_case(fx, TOOLS, "TOOLS", now);
	g_autoptr(GError) err = NULL;
	MessageRecord r1 = record(LIST, c1, "report1@example.net", "d1");
	MessageRecord r2 = record(LIST, NULL, "nocase@example.net", "d2");
	MessageRecord r3 = record(TOOLS, t1, "toolsreport@example.net", "d3");

	g_assert_cmpint(message_insert(fx->db, &r1, &err), >, 0);
	g_assert_cmpint(message_insert(fx->db, &r2, &err), >, 0);
	g_assert_cmpint(message_insert(fx->db, &r3, &err), >, 0);
	g_assert_true(add_out(fx, LIST, c2, "ack", "bob@example.net", "embargo.ack2@example.org",
	                      "2026-11-23T12:00:00Z", &err));
	g_assert_true(add_out(fx, LIST, NULL, "notice", "bob@example.net", "embargo.nocase@example.org",
	                      "2026-11-23T12:00:00Z", &err));
	g_assert_no_error(err);

	g_autofree char *a = by_ref(fx->db, LIST, "report1@example.net", NULL, &err);
	g_autofree char *b = by_ref(fx->db, LIST, "embargo.ack2@example.org", NULL, &err);
	g_autofree char *c = by_ref(fx->db, LIST, "nocase@example.net", NULL, &err);
	g_autofree char *d = by_ref(fx->db, LIST, "embargo.nocase@example.org", NULL, &err);
	g_autofree char *e = by_ref(fx->db, LIST, "unknown@example.net", NULL, &err);
	g_autofree char *f = by_ref(fx->db, LIST, "toolsreport@example.net", NULL, &err);
	g_autofree char *g = by_ref(fx->db, TOOLS, "toolsreport@example.net", NULL, &err);
	g_autofree char *h = by_ref(fx->db, LIST, "", NULL, &err);
	g_autofree char *i = by_ref(fx->db, LIST, NULL, NULL, &err);

	g_assert_no_error(err);
	g_assert_cmpstr(a, ==, c1);            /* via an incoming message */
	g_assert_cmpstr(b, ==, c2);            /* via a mail we sent */
	g_assert_null(c);                      /* rows without a case do not count */
	g_assert_null(d);
	g_assert_null(e);
	g_assert_null(f);                      /* another list's message is not ours */
	g_assert_cmpstr(g, ==, t1);
	g_assert_null(h);
	g_assert_null(i);

	/* Thread anchors: a stranger's follow-up anchors nothing, the
	 * reporter's and a member's do; and only the reporter threads. */
	MessageRecord s1 = record(LIST, c1, "stranger@example.net", "d4");
	MessageRecord s2 = record(LIST, c1, "janefollow@example.net", "d5");
	MessageRecord s3 = record(LIST, c1, "member@example.org", "d6");
	s1.kind = s2.kind = "followup";
	s1.from_addr = "mallory@example.net";
	s3.kind = "discussion";
	s3.from_addr = "alice@example.org";
	g_assert_cmpint(message_insert(fx->db, &s1, &err), >, 0);
	g_assert_cmpint(message_insert(fx->db, &s2, &err), >, 0);
	g_assert_cmpint(message_insert(fx->db, &s3, &err), >, 0);

	g_autofree char *j = by_ref(fx->db, LIST, "stranger@example.net", NULL, &err);
	g_autofree char *k = by_ref(fx->db, LIST, "stranger@example.net",
	                                "mallory@example.net", &err);
	g_autofree char *l = by_ref(fx->db, LIST, "janefollow@example.net",
	                                "jane@example.net", &err);
	g_autofree char *m = by_ref(fx->db, LIST, "member@example.org", NULL, &err);
	g_autofree char *n = by_ref(fx->db, LIST, "report1@example.net",
	                                "jane@example.net", &err);
	g_autofree char *o = by_ref(fx->db, LIST, "report1@example.net",
	                                "mallory@example.net", &err);
	g_autofree char *p = by_ref(fx->db, LIST, "embargo.ack2@example.org",
	                                "mallory@example.net", &err);
	g_autofree char *q = by_ref(fx->db, LIST, "embargo.ack2@example.org",
	                                "jane@example.net", &err);

	g_assert_true(add_out(fx, LIST, c2, "notice", "Mallory@Example.NET", "embargo.notice@example.org",
	                      "2026-11-23T12:00:00Z", &err));
	g_autofree char *r = by_ref(fx->db, LIST, "embargo.notice@example.org",
	                                "mallory@example.net", &err);
	g_autofree char *t = by_ref(fx->db, LIST, "embargo.notice@example.org",
	                                "bob@example.net", &err);

	g_assert_no_error(err);
	g_assert_cmpstr(r, ==, c2);            /* our mail to the sender themselves */
	g_assert_null(t);
	g_assert_null(j);
	g_assert_null(k);
	g_assert_cmpstr(l, ==, c1);
	g_assert_cmpstr(m, ==, c1);
	g_assert_cmpstr(n, ==, c1);
	g_assert_null(o);                      /* not the sender's case */
	g_assert_null(p);                      /* our mail, not to this sender nor their case */
	g_assert_cmpstr(q, ==, c2);
}

static void
test_outbox(Fixture *fx, gconstpointer data)
{
	g_autoptr(GDateTime) now = at(2026, 11, 23);
	g_autofree char *c1 = new_case(fx, LIST, "SEC", now);
	g_autoptr(GError) err = NULL;
	g_autofree char *mid1 = outbox_new_message_id("example.org");
	g_autofree char *mid2 = outbox_new_message_id("example.org");

	g_assert_cmpstr(mid1, !=, mid2);
	g_assert_true(g_str_has_suffix(mid1, "@example.org"));
	g_assert_null(strchr(mid1, '<'));

	g_assert_true(add_out(fx, LIST, c1, "ack", "jane@example.net", mid1, "2026-11-20T10:00:00Z", &err));
	g_assert_true(add_out(fx, LIST, c1, "ack", "jane@example.net", mid2, "2026-11-23T10:00:00Z", &err));
	g_assert_true(add_out(fx, LIST, c1, "team-copy", "jane@example.net", "tc@example.org",
	                      "2026-11-23T10:00:00Z", &err));
	g_assert_true(add_out(fx, LIST, c1, "ack", "max@example.net", "ack-max@example.org",
	                      "2026-11-23T10:00:00Z", &err));
	g_assert_no_error(err);

	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "jane@example.net", "2026-11-16T10:00:00Z", &err), ==, 2);
	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "jane@example.net", "2026-11-21T00:00:00Z", &err), ==, 1);
	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "jane@example.net", "2026-11-23T10:00:00Z", &err), ==, 1);
	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "jane@example.net", "2026-11-24T00:00:00Z", &err), ==, 0);
	g_assert_cmpint(outbox_count_recent(fx->db, "team-copy", "jane@example.net", "2026-01-01T00:00:00Z", &err), ==, 1);
	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "max@example.net", "2026-01-01T00:00:00Z", &err), ==, 1);
	g_assert_cmpint(outbox_count_recent(fx->db, "ack", "nobody@example.net", "2026-01-01T00:00:00Z", &err), ==, 0);
	g_assert_no_error(err);

	/* rows start pending, with the Message-ID they were given */
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 4);
	g_assert_cmpint(query_int(fx->db, "SELECT count(*) FROM outbox WHERE message_id = 'tc@example.org'"), ==, 1);
	/* a Message-ID is never used twice */
	g_assert_false(add_out(fx, LIST, c1, "ack", "jane@example.net", mid1, "2026-11-23T10:00:00Z", &err));
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_clear_error(&err);

	/* several recipients are stored one a line */
	char *rcpt[] = { "alice@example.org", "bob@example.org", NULL };
	g_autoptr(GBytes) b = body("x");
	OutMail m = { .list = LIST, .case_id = c1, .kind = "team-copy", .envelope_from = LIST,
	              .recipients = rcpt, .message_id = "multi@example.org", .subject = "s", .body = b };
	g_assert_true(outbox_add(fx->db, &m, "2026-11-23T10:00:00Z", &err));
	g_assert_cmpstr(query_text(fx->db, "SELECT recipients FROM outbox WHERE message_id = 'multi@example.org'"),
	                ==, "alice@example.org\nbob@example.org");
}

/* ---- spool ---- */

static SpoolEntry *
spool_bytes(Fixture *fx, const char *data, gsize len, GError **error)
{
	g_autofree char *path = g_build_filename(fx->tmp, "input.eml", NULL);
	SpoolEntry *e;
	int fd;

	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	fd = open(path, O_RDONLY);
	g_assert_cmpint(fd, >=, 0);
	e = spool_write(fx->dir, fd, error);
	close(fd);
	return e;
}

static void
assert_spooled(Fixture *fx, const SpoolEntry *e, const char *data, gsize len)
{
	g_autofree char *prefix = g_strconcat(fx->dir, "/spool/new/", NULL);
	g_autofree char *got = NULL;
	gsize got_len = 0;

	g_assert_nonnull(e);
	if (e == NULL)
		return;
	g_assert_true(g_str_has_prefix(e->path, prefix));
	g_assert_cmpint(file_mode(e->path), ==, 0600);
	g_assert_true(g_file_get_contents(e->path, &got, &got_len, NULL));
	g_assert_cmpmem(got, got_len, data, len);
	g_assert_cmpint(e->size, ==, (goffset)len);
}

static int
count_files(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	int n = 0;

	while (d != NULL && g_dir_read_name(d) != NULL)
		n++;
	return n;
}

static void
test_spool_file(Fixture *fx, gconstpointer data)
{
	static const char msg[] = "From: jane@example.net\nSubject: x\n\nbody\n";
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) e = spool_bytes(fx, msg, sizeof msg - 1, &err);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)msg,
	                                                   sizeof msg - 1);
	g_autofree char *tmp = g_build_filename(fx->dir, "spool", "tmp", NULL);
	g_autofree char *new_dir = g_build_filename(fx->dir, "spool", "new", NULL);

	g_assert_no_error(err);
	assert_spooled(fx, e, msg, sizeof msg - 1);
	g_assert_cmpstr(e->digest, ==, sum);
	g_assert_false(e->has_nul);
	g_assert_cmpint(count_files(tmp), ==, 0);       /* nothing left behind in tmp */

	/* the same bytes again: a second file, same digest */
	g_autoptr(SpoolEntry) e2 = spool_bytes(fx, msg, sizeof msg - 1, &err);
	g_assert_nonnull(e2);
	if (e2 != NULL) {
		g_assert_cmpstr(e2->path, !=, e->path);
		g_assert_cmpstr(e2->digest, ==, e->digest);
	}
	g_assert_cmpint(count_files(new_dir), ==, 2);
	spool_discard(e2);
	g_assert_false(g_file_test(e2->path, G_FILE_TEST_EXISTS));
	g_assert_cmpint(count_files(new_dir), ==, 1);

	/* empty input */
	g_autoptr(SpoolEntry) empty = spool_bytes(fx, "", 0, &err);
	g_autofree char *empty_sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)"", 0);
	assert_spooled(fx, empty, "", 0);
	if (empty != NULL)
		g_assert_cmpstr(empty->digest, ==, empty_sum);
}

static void
test_spool_from_line(Fixture *fx, gconstpointer data)
{
	static const char body_text[] = "From: jane@example.net\nSubject: x\n\nFrom here on\n";
	g_autofree char *a = g_strconcat("From jane@example.net  Mon Nov 23 10:00:00 2026\n", body_text, NULL);
	g_autofree char *b = g_strconcat("From jane@example.net  Tue Nov 24 11:11:11 2026\n", body_text, NULL);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)body_text,
	                                                   strlen(body_text));
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) ea = spool_bytes(fx, a, strlen(a), &err);
	g_autoptr(SpoolEntry) eb = spool_bytes(fx, b, strlen(b), &err);
	g_autoptr(SpoolEntry) plain = spool_bytes(fx, body_text, strlen(body_text), &err);

	g_assert_no_error(err);
	assert_spooled(fx, ea, a, strlen(a));           /* the file keeps the From_ line */
	g_assert_cmpstr(ea->digest, ==, sum);           /* the digest skips it */
	g_assert_cmpstr(eb->digest, ==, sum);
	g_assert_cmpstr(plain->digest, ==, sum);

	/* only a leading "From " line: "From:" is a header, and a later "From " is content */
	static const char from_header[] = "From:x\n\nbody\n";
	g_autofree char *hsum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)from_header,
	                                                    strlen(from_header));
	g_autoptr(SpoolEntry) eh = spool_bytes(fx, from_header, strlen(from_header), &err);
	g_assert_cmpstr(eh->digest, ==, hsum);

	/* a From_ line with no end at all: everything is skipped */
	static const char only[] = "From jane@example.net Mon Nov 23 10:00:00 2026";
	g_autofree char *empty_sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)"", 0);
	g_autoptr(SpoolEntry) eo = spool_bytes(fx, only, strlen(only), &err);
	g_assert_cmpstr(eo->digest, ==, empty_sum);
}

typedef struct {
	int fd;
	GBytes *data;
	gsize first;      /* bytes of the first write, then a pause */
} Writer;

static gpointer
writer_thread(gpointer p)
{
	Writer *w = p;
	gsize len;
	const char *d = g_bytes_get_data(w->data, &len);
	gsize off = 0;

	if (w->first > 0) {
		(void)!write(w->fd, d, w->first);
		off = w->first;
		g_usleep(100 * 1000);
	}
	while (off < len) {
		gsize n = MIN(len - off, 4093);   /* odd chunks, across the reader's buffer */
		ssize_t r = write(w->fd, d + off, n);
		if (r <= 0)
			break;
		off += (gsize)r;
	}
	close(w->fd);
	return NULL;
}

/* spool_write from a pipe fed by a thread, FIRST bytes then a pause then the rest. */
static SpoolEntry *
spool_pipe(Fixture *fx, GBytes *data, gsize first, GError **error)
{
	int fds[2];
	Writer w;
	GThread *t;
	SpoolEntry *e;

	g_assert_cmpint(pipe(fds), ==, 0);
	w = (Writer){ fds[1], data, first };
	t = g_thread_new("writer", writer_thread, &w);
	e = spool_write(fx->dir, fds[0], error);
	g_thread_join(t);
	close(fds[0]);
	return e;
}

static void
test_spool_pipe(Fixture *fx, gconstpointer data)
{
	/* 300 KB with NUL bytes, well past one pipe buffer and one read */
	GString *s = g_string_new("From jane@example.net Mon Nov 23 10:00:00 2026\n"
	                          "From: jane@example.net\nSubject: big\n\n");
	gsize skip = strlen("From jane@example.net Mon Nov 23 10:00:00 2026\n");
	for (int i = 0; s->len < 300 * 1024; i++)
		g_string_append_printf(s, "line %d of the proof of concept\n", i);
	g_string_append_len(s, "nul\0here\n", 9);
	g_autoptr(GBytes) bytes = g_string_free_to_bytes(s);
	gsize len;
	const char *d = g_bytes_get_data(bytes, &len);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)d + skip,
	                                                   len - skip);
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) e = spool_pipe(fx, bytes, 0, &err);

	g_assert_no_error(err);
	assert_spooled(fx, e, d, len);
	if (e == NULL)
		return;
	g_assert_cmpstr(e->digest, ==, sum);
	g_assert_true(e->has_nul);
}

static void
test_spool_pipe_slow_start(Fixture *fx, gconstpointer data)
{
	/* The digest must not depend on how the bytes arrive: a From_ line
	 * that comes in two reads ("Fro", then the rest) is still skipped. */
	static const char msg[] = "From jane@example.net Mon Nov 23 10:00:00 2026\n"
	                          "From: jane@example.net\nSubject: x\n\nbody\n";
	gsize skip = strlen("From jane@example.net Mon Nov 23 10:00:00 2026\n");
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)msg + skip,
	                                                   sizeof msg - 1 - skip);
	g_autoptr(GBytes) bytes = g_bytes_new_static(msg, sizeof msg - 1);
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) whole = spool_pipe(fx, bytes, 0, &err);
	g_autoptr(SpoolEntry) split = spool_pipe(fx, bytes, 3, &err);

	g_assert_no_error(err);
	assert_spooled(fx, split, msg, sizeof msg - 1);
	if (whole == NULL || split == NULL)
		return;
	g_assert_cmpstr(whole->digest, ==, sum);
	g_assert_cmpstr(split->digest, ==, sum);
}

static void
test_spool_nul(Fixture *fx, gconstpointer data)
{
	static const char with_nul[] = "Subject: x\n\nbefore\0after\n";
	static const char at_end[] = "Subject: x\n\nend\0";
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) a = spool_bytes(fx, with_nul, sizeof with_nul - 1, &err);
	g_autoptr(SpoolEntry) b = spool_bytes(fx, at_end, sizeof at_end - 1, &err);
	g_autoptr(SpoolEntry) c = spool_bytes(fx, "Subject: x\n\nclean\n", 18, &err);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)with_nul,
	                                                   sizeof with_nul - 1);

	g_assert_no_error(err);
	assert_spooled(fx, a, with_nul, sizeof with_nul - 1);   /* NUL bytes kept as they are */
	g_assert_true(a->has_nul);
	g_assert_cmpstr(a->digest, ==, sum);
	g_assert_true(b->has_nul);
	g_assert_false(c->has_nul);
}

static void
test_spool_errors(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *missing = g_build_filename(fx->tmp, "nowhere", NULL);
	int fds[2];
	SpoolEntry *e;

	g_assert_cmpint(pipe(fds), ==, 0);
	close(fds[1]);
	e = spool_write(missing, fds[0], &err);
	close(fds[0]);
	g_assert_null(e);
	g_assert_nonnull(err);
	g_clear_error(&err);

	/* an fd that cannot be read */
	e = spool_write(fx->dir, -1, &err);
	g_assert_null(e);
	g_assert_nonnull(err);
	g_autofree char *tmp = g_build_filename(fx->dir, "spool", "tmp", NULL);
	g_autofree char *new_dir = g_build_filename(fx->dir, "spool", "new", NULL);
	g_assert_cmpint(count_files(tmp), ==, 0);        /* the half-written file is gone */
	g_assert_cmpint(count_files(new_dir), ==, 0);
}

/* A resent message: the MTA's new trace fields do not change the digest,
 * but the same fields below the first ordinary header do. */
static void
test_spool_trace_fields(Fixture *fx, gconstpointer data)
{
	static const char body_text[] = "From: jane@example.net\nSubject: x\nReceived: inner\n\nbody\n";
	g_autofree char *a = g_strconcat("From jane@example.net  Mon Nov 23 10:00:00 2026\n"
	                                 "Return-Path: <jane@example.net>\n"
	                                 "Received: from a (a [192.0.2.1])\n\tby mx with ESMTP id AAAA1\n"
	                                 "Authentication-Results: mx; spf=pass smtp.mailfrom=jane@example.net\n",
	                                 body_text, NULL);
	g_autofree char *b = g_strconcat("received: from a (a [192.0.2.1])\n by mx with ESMTP id BBBB2\n"
	                                 "Delivered-To: security@example.org\nX-Original-To: security@example.org\n",
	                                 body_text, NULL);
	g_autofree char *c = g_strconcat(body_text, NULL);
	g_autofree char *d = g_strconcat("Subject: x\nReceived: moved\n", body_text, NULL);
	g_autofree char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)body_text,
	                                                   strlen(body_text));
	g_autoptr(GError) err = NULL;
	g_autoptr(SpoolEntry) ea = spool_bytes(fx, a, strlen(a), &err);
	g_autoptr(SpoolEntry) eb = spool_bytes(fx, b, strlen(b), &err);
	g_autoptr(SpoolEntry) ec = spool_bytes(fx, c, strlen(c), &err);
	g_autoptr(SpoolEntry) ed = spool_bytes(fx, d, strlen(d), &err);

	g_assert_no_error(err);
	assert_spooled(fx, ea, a, strlen(a));   /* the file keeps every byte */
	g_assert_cmpstr(ea->digest, ==, sum);
	g_assert_cmpstr(eb->digest, ==, sum);
	g_assert_cmpstr(ec->digest, ==, sum);
	g_assert_cmpstr(ed->digest, !=, sum);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_unsetenv("EMBARGO_NOW");
#define ADD(path, setup, fn) g_test_add(path, Fixture, NULL, setup, fn, fx_teardown)
	ADD("/store/statedir", fx_setup_bare, test_statedir);
	ADD("/store/db-not-ready", fx_setup_bare, test_db_not_ready);
	ADD("/store/db-migrate", fx_setup, test_db_migrate);
	ADD("/store/db-transactions", fx_setup, test_db_transactions);
	ADD("/store/case-numbers", fx_setup, test_case_numbers);
	ADD("/store/case-rollback", fx_setup, test_case_rollback);
	ADD("/store/members", fx_setup, test_members);
	ADD("/store/messages", fx_setup, test_messages);
	ADD("/store/references", fx_setup, test_references);
	ADD("/store/outbox", fx_setup, test_outbox);
	ADD("/store/spool-file", fx_setup, test_spool_file);
	ADD("/store/spool-from-line", fx_setup, test_spool_from_line);
	ADD("/store/spool-trace-fields", fx_setup, test_spool_trace_fields);
	ADD("/store/spool-pipe", fx_setup, test_spool_pipe);
	ADD("/store/spool-pipe-slow-start", fx_setup, test_spool_pipe_slow_start);
	ADD("/store/spool-nul", fx_setup, test_spool_nul);
	ADD("/store/spool-errors", fx_setup, test_spool_errors);
	return g_test_run();
}
