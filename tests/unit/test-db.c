/* test-db.c - the store's statement helpers (db_query, db_write,
 * db_one_text, ...) and the store lookups that must tell "none" from an
 * error: each is run against a real SQLite file with a row, without one,
 * and with its table dropped (an error, never "none"). */
#include <glib/gstdio.h>
#include <string.h>

#include "testdir.h"
#include "calendar.h"
#include "cases.h"
#include "db.h"
#include "held.h"
#include "keystore.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
#include "statedir.h"

#define LIST "security@example.org"

typedef struct {
	char *tmp;
	char *dir;
	Db *db;
} Fixture;

static void
fx_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;

	fx->tmp = g_dir_make_tmp("embargo-test-db.XXXXXX", &err);
	g_assert_no_error(err);
	fx->dir = g_build_filename(fx->tmp, "state", NULL);
	fx->db = testdir_open_store(fx->dir);
	g_assert_no_error(err);
	g_assert_true(db_exec(fx->db,
	                      "CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT, n INTEGER);"
	                      "INSERT INTO t VALUES ('a', 'alpha', 1), ('b', NULL, 2), ('c', 'gamma', 3);",
	                      &err));
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

static void
drop(Fixture *fx, const char *table)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *sql = g_strdup_printf("PRAGMA foreign_keys=OFF; DROP TABLE %s", table);

	g_assert_true(db_exec(fx->db, sql, &err));
	g_assert_no_error(err);
}

/* SQLite's result codes map to the two kinds a caller acts on. */
static void
test_set_error(Fixture *fx, gconstpointer data)
{
	static const struct {
		int rc;
		DbErrorCode code;
	} cases[] = {
		{ SQLITE_BUSY, DB_ERROR_BUSY },
		{ SQLITE_BUSY_SNAPSHOT, DB_ERROR_BUSY },
		{ SQLITE_LOCKED, DB_ERROR_BUSY },
		{ SQLITE_IOERR, DB_ERROR_FAILED },
		{ SQLITE_IOERR_WRITE, DB_ERROR_FAILED },
		{ SQLITE_FULL, DB_ERROR_FAILED },
		{ SQLITE_CORRUPT, DB_ERROR_FAILED },
		{ SQLITE_READONLY, DB_ERROR_FAILED },
		{ SQLITE_ERROR, DB_ERROR_FAILED },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) err = NULL;
		g_assert_false(db_set_error(fx->db, cases[i].rc, "test", &err));
		g_assert_error(err, EMBARGO_DB_ERROR, (gint)cases[i].code);
		g_assert_nonnull(strstr(err->message, "test"));
	}
	g_assert_false(db_set_error(fx->db, SQLITE_BUSY, "no error wanted", NULL));
}

/* db_one_text, db_one_int64 and db_row_exists over rows, no row, a NULL
 * value, and a statement that does not prepare. */
static void
test_lookups(Fixture *fx, gconstpointer data)
{
	static const struct {
		const char *key;
		gboolean found;
		const char *text;
		sqlite3_int64 n;
	} cases[] = {
		{ "a", TRUE, "alpha", 1 },
		{ "b", TRUE, NULL, 2 },     /* a row whose value is NULL */
		{ "c", TRUE, "gamma", 3 },
		{ "z", FALSE, NULL, 0 },    /* none */
		{ NULL, FALSE, NULL, 0 },   /* NULL binds SQL NULL, which equals nothing */
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) err = NULL;
		/* a value left from before is overwritten, not freed: the caller's to keep */
		static char stale[] = "stale";
		g_autofree char *text = NULL;
		sqlite3_int64 n = -7;
		gboolean found = !cases[i].found, found2 = !cases[i].found;

		text = stale;
		g_assert_true(db_one_text(fx->db,
		                          db_query(fx->db, "SELECT v FROM t WHERE k = ?1",
		                                   DB_TEXTS(cases[i].key), &err),
		                          &text, &err));
		g_assert_no_error(err);
		g_assert_cmpstr(text, ==, cases[i].text);
		g_assert_true(db_one_int64(fx->db,
		                           db_query(fx->db, "SELECT n FROM t WHERE k = ?1",
		                                    DB_TEXTS(cases[i].key), &err),
		                           &found, &n, &err));
		g_assert_no_error(err);
		g_assert_cmpint(found, ==, cases[i].found);
		g_assert_cmpint(n, ==, cases[i].n);
		g_assert_true(db_row_exists(fx->db,
		                            db_query(fx->db, "SELECT 1 FROM t WHERE k = ?1",
		                                     DB_TEXTS(cases[i].key), &err),
		                            &found2, &err));
		g_assert_no_error(err);
		g_assert_cmpint(found2, ==, cases[i].found);
	}
	/* an error is FALSE with ERROR set, never "none" */
	{
		g_autoptr(GError) err = NULL;
		/* a value left from before is overwritten, not freed: the caller's to keep */
		static char stale[] = "stale";
		g_autofree char *text = NULL;
		sqlite3_int64 n = -7;
		gboolean found = TRUE;

		text = stale;
		g_assert_false(db_one_text(fx->db,
		                           db_query(fx->db, "SELECT v FROM nosuch WHERE k = ?1",
		                                    DB_TEXTS("a"), &err),
		                           &text, &err));
		g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
		g_assert_null(text);
		g_clear_error(&err);
		g_assert_false(db_one_int64(fx->db,
		                            db_query(fx->db, "SELECT n FROM nosuch", 0, NULL, &err),
		                            &found, &n, &err));
		g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
		g_assert_false(found);
		g_assert_cmpint(n, ==, 0);
		g_clear_error(&err);
		g_assert_false(db_row_exists(fx->db, db_query(fx->db, "SELECT 1 FROM nosuch", 0, NULL, &err),
		                             &found, &err));
		g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
		g_clear_error(&err);
		/* an error at step time (a prepared statement whose table went away) */
		g_assert_nonnull(db_stmt(fx->db, "SELECT v FROM t WHERE k = 'a'", &err));
		drop(fx, "t");
		g_assert_false(db_one_text(fx->db, db_stmt(fx->db, "SELECT v FROM t WHERE k = 'a'", NULL),
		                           &text, &err));
		g_assert_nonnull(err);
		g_assert_null(text);
	}
}

/* A statement is left reset: the next use sees the rows written since. */
static void
test_reset(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *v = NULL;
	sqlite3_int64 count = 0;

	g_assert_true(db_one_text(fx->db, db_query(fx->db, "SELECT v FROM t ORDER BY k", 0, NULL, &err),
	                          &v, &err));
	g_assert_cmpstr(v, ==, "alpha");
	g_assert_true(db_write(fx->db, "INSERT INTO t (k, v, n) VALUES (?1, ?2, 4)",
	                       DB_TEXTS("d", "delta"), &err));
	g_assert_no_error(err);
	g_assert_cmpint(db_changes(fx->db), ==, 1);
	g_assert_true(db_write(fx->db, "UPDATE t SET v = ?2 WHERE k = ?1", DB_TEXTS("a", NULL), &err));
	g_assert_true(db_one_int64(fx->db, db_query(fx->db, "SELECT count(*) FROM t", 0, NULL, &err),
	                           NULL, &count, &err));
	g_assert_cmpint(count, ==, 4);
	g_clear_pointer(&v, g_free);
	g_assert_true(db_one_text(fx->db, db_query(fx->db, "SELECT v FROM t ORDER BY k", 0, NULL, &err),
	                          &v, &err));
	g_assert_null(v);
	/* a write that breaks a constraint is an error */
	g_assert_false(db_write(fx->db, "INSERT INTO t (k, v, n) VALUES (?1, ?2, 5)",
	                        DB_TEXTS("d", "again"), &err));
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
}

static gpointer
pair_from_row(sqlite3_stmt *st)
{
	return g_strdup_printf("%s=%s", db_col_text(st, 0),
	                       db_col_text(st, 1) != NULL ? db_col_text(st, 1) : "-");
}

static void
test_all(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_auto(GStrv) all = NULL, none = NULL, bad = NULL;
	g_autoptr(GPtrArray) rows = NULL, norows = NULL, badrows = NULL;

	all = db_all_text(fx->db, db_query(fx->db, "SELECT v FROM t ORDER BY k", 0, NULL, &err), &err);
	g_assert_no_error(err);
	g_assert_cmpuint(g_strv_length(all), ==, 2);    /* the NULL value is left out */
	g_assert_cmpstr(all[0], ==, "alpha");
	g_assert_cmpstr(all[1], ==, "gamma");
	none = db_all_text(fx->db, db_query(fx->db, "SELECT v FROM t WHERE k = ?1", DB_TEXTS("z"), &err),
	                   &err);
	g_assert_no_error(err);
	g_assert_nonnull(none);
	g_assert_cmpuint(g_strv_length(none), ==, 0);
	rows = db_all_rows(fx->db, db_query(fx->db, "SELECT k, v FROM t ORDER BY k", 0, NULL, &err),
	                   pair_from_row, g_free, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 3);
	g_assert_cmpstr(rows->pdata[1], ==, "b=-");
	norows = db_all_rows(fx->db, db_query(fx->db, "SELECT k, v FROM t WHERE 0", 0, NULL, &err),
	                     pair_from_row, g_free, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(norows->len, ==, 0);
	drop(fx, "t");
	bad = db_all_text(fx->db, db_query(fx->db, "SELECT v FROM t", 0, NULL, &err), &err);
	g_assert_null(bad);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_clear_error(&err);
	badrows = db_all_rows(fx->db, db_query(fx->db, "SELECT k, v FROM t", 0, NULL, &err),
	                      pair_from_row, g_free, &err);
	g_assert_null(badrows);
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
}

/* The store's lookups, each answering one text (a yes/no as "yes" or
 * NULL) for KEY: a case id, an address, a Message-ID. */
typedef gboolean (*Lookup)(Db *db, const char *key, char **out, GError **error);

static gboolean
look_case(Db *db, const char *key, char **out, GError **error)
{
	g_autoptr(Case) c = NULL;

	*out = NULL;
	if (!case_get(db, key, &c, error))
		return FALSE;
	*out = c != NULL ? g_strdup(c->reporter) : NULL;
	return TRUE;
}

static gboolean
look_case_on_list(Db *db, const char *key, char **out, GError **error)
{
	return case_on_list(db, LIST, key, out, error);
}

static gboolean
look_stage(Db *db, const char *key, char **out, GError **error)
{
	return case_stage_reached(db, key, "triaged", out, error);
}

static gboolean
look_notified(Db *db, const char *key, char **out, GError **error)
{
	gboolean yes = TRUE;

	*out = NULL;
	if (!case_notified(db, key, &yes, error))
		return FALSE;
	*out = yes ? g_strdup("yes") : NULL;
	return TRUE;
}

static gboolean
look_held(Db *db, const char *key, char **out, GError **error)
{
	return held_reason(db, key, out, error);
}

static gboolean
look_list_key(Db *db, const char *key, char **out, GError **error)
{
	return keystore_list_key(db, key, out, error);
}

static gboolean
look_reporter_key(Db *db, const char *key, char **out, GError **error)
{
	return keystore_reporter_key(db, LIST, key, "2026-11-23T12:00:00Z", out, error);
}

static gboolean
look_reporter_key_on_file(Db *db, const char *key, char **out, GError **error)
{
	return keystore_reporter_key_on_file(db, LIST, key, out, error);
}

static gboolean
look_reference(Db *db, const char *key, char **out, GError **error)
{
	return message_case_by_reference(db, LIST, key, NULL, out, error);
}

static gboolean
look_member(Db *db, const char *key, char **out, GError **error)
{
	int is = member_is(db, LIST, key, error);

	*out = is > 0 ? g_strdup("yes") : NULL;
	return is >= 0;
}

static gboolean
look_autoreplies(Db *db, const char *key, char **out, GError **error)
{
	g_auto(GStrv) to = outbox_autoreplies_to(db, key, "2026-01-01T00:00:00Z", error);

	*out = to != NULL && to[0] != NULL ? g_strjoinv(",", to) : NULL;
	return to != NULL;
}

static gboolean
look_encrypted(Db *db, const char *key, char **out, GError **error)
{
	g_autoptr(GPtrArray) m = message_encrypted_of_case(db, key, 0, 20, error);

	*out = m != NULL && m->len > 0 ? g_strdup(((StoredMessage *)m->pdata[0])->spool_path) : NULL;
	return m != NULL;
}

/* One row of everything the lookups read. */
static void
fill(Fixture *fx)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_utc(2026, 11, 23, 12, 0, 0);
	g_autofree char *id = NULL;
	gboolean existed;
	char *rcpt[] = { "jane@example.net", NULL };
	char *stages[] = { "received", "triaged", NULL };
	g_autoptr(GBytes) body = g_bytes_new_static("x", 1);
	OutMail mail = { LIST, NULL, 0, "ack", "", rcpt, "embargo.ack@example.org", "ack", body };
	MessageRecord m = { LIST, NULL, "report@example.net", "d1", "jane@example.net", LIST,
	                    "jane@example.net", "report", "report", NULL, "/spool/1", 1,
	                    "2026-11-23T12:00:00Z" };
	sqlite3_int64 row;

	g_assert_true(db_begin(fx->db, &err));
	id = case_create(fx->db, LIST, "SEC", "received", "report", "jane@example.net", NULL, now, &err);
	g_assert_no_error(err);
	g_assert_cmpstr(id, ==, "SEC-2026-0001");
	mail.case_id = id;
	m.case_id = id;
	g_assert_true(db_write(fx->db, "UPDATE cases SET held = 'scanner' WHERE id = ?1", DB_TEXTS(id), &err));
	g_assert_true(case_set_stage(fx->db, id, stages, "triaged", FALSE, "2026-11-24T00:00:00Z", &err));
	g_assert_true(case_add_notification(fx->db, id, "distros", "2026-11-24T00:00:00Z", &err));
	g_assert_true(keystore_set_list_key(fx->db, LIST, "AAAA", "2026-11-23T12:00:00Z", &err));
	g_assert_true(keystore_set_reporter_key(fx->db, LIST, "jane@example.net", "BBBB",
	                                        "2026-12-01T00:00:00Z", "2026-11-23T12:00:00Z", &err));
	g_assert_true(keystore_set_reporter_key(fx->db, LIST, "old@example.net", "CCCC",
	                                        "2026-01-01T00:00:00Z", "2025-01-01T00:00:00Z", &err));
	g_assert_true(member_add(fx->db, LIST, "alice@example.org", NULL, &existed, &err));
	g_assert_true(outbox_add(fx->db, &mail, "2026-11-23T12:00:00Z", &err));
	row = message_insert(fx->db, &m, &err);
	g_assert_cmpint(row, >, 0);
	g_assert_true(keystore_set_message_crypto(fx->db, row, TRUE, "none", NULL, FALSE, &err));
	g_assert_true(db_commit(fx->db, &err));
	g_assert_no_error(err);
}

static const struct {
	const char *name;
	Lookup look;
	const char *key, *want;  /* a key found, and its answer */
	const char *none;        /* a key that finds nothing */
	const char *table;       /* dropped: then every key is an error */
} lookups[] = {
	{ "case_get", look_case, "SEC-2026-0001", "jane@example.net", "SEC-2026-0404", "cases" },
	{ "case_on_list", look_case_on_list, "SEC-2026-0001", "SEC-2026-0001", "SEC-2026-0404",
	  "cases" },
	{ "case_stage_reached", look_stage, "SEC-2026-0001", "2026-11-24T00:00:00Z", "SEC-2026-0404",
	  "case_stages" },
	{ "case_notified", look_notified, "SEC-2026-0001", "yes", "SEC-2026-0404", "notifications" },
	{ "held_reason", look_held, "SEC-2026-0001", "scanner", "SEC-2026-0404", "cases" },
	{ "keystore_list_key", look_list_key, LIST, "AAAA", "other@example.org", "list_keys" },
	{ "keystore_reporter_key", look_reporter_key, "jane@example.net", "BBBB", "old@example.net",
	  "reporter_keys" },
	{ "keystore_reporter_key_on_file", look_reporter_key_on_file, "old@example.net", "CCCC",
	  "bob@example.net", "reporter_keys" },
	{ "message_case_by_reference", look_reference, "report@example.net", "SEC-2026-0001",
	  "unknown@example.net", "messages" },
	{ "member_is", look_member, "alice@example.org", "yes", "mallory@example.org", "members" },
	{ "outbox_autoreplies_to", look_autoreplies, "@example.net", "jane@example.net",
	  "@example.com", "outbox" },
	{ "message_encrypted_of_case", look_encrypted, "SEC-2026-0001", "/spool/1", "SEC-2026-0404",
	  "messages" },
};

/* Found, none (TRUE and NULL), and error (FALSE, ERROR set, never "none"). */
static void
test_none_or_error(Fixture *fx, gconstpointer data)
{
	guint i = GPOINTER_TO_UINT(data);
	g_autoptr(GError) err = NULL;
	g_autofree char *found = NULL, *none = NULL, *broken = NULL;

	fill(fx);
	g_test_message("%s", lookups[i].name);
	g_assert_true(lookups[i].look(fx->db, lookups[i].key, &found, &err));
	g_assert_no_error(err);
	g_assert_cmpstr(found, ==, lookups[i].want);
	g_assert_true(lookups[i].look(fx->db, lookups[i].none, &none, &err));
	g_assert_no_error(err);
	g_assert_null(none);
	drop(fx, lookups[i].table);
	g_assert_false(lookups[i].look(fx->db, lookups[i].key, &broken, &err));
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_assert_null(broken);
	/* and without an error to fill in, still FALSE: the answer is not in ERROR */
	g_assert_false(lookups[i].look(fx->db, lookups[i].none, &broken, NULL));
	g_assert_null(broken);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add("/db/set-error", Fixture, NULL, fx_setup, test_set_error, fx_teardown);
	g_test_add("/db/lookups", Fixture, NULL, fx_setup, test_lookups, fx_teardown);
	g_test_add("/db/reset", Fixture, NULL, fx_setup, test_reset, fx_teardown);
	g_test_add("/db/all", Fixture, NULL, fx_setup, test_all, fx_teardown);
	for (guint i = 0; i < G_N_ELEMENTS(lookups); i++) {
		g_autofree char *path = g_strdup_printf("/db/none-or-error/%s", lookups[i].name);
		g_test_add(path, Fixture, GUINT_TO_POINTER(i), fx_setup, test_none_or_error, fx_teardown);
	}
	return g_test_run();
}
