/* db.c - owns the SQLite connection of a state directory.
 *
 * WAL with synchronous=FULL (NORMAL can lose the last commits on power
 * loss), foreign keys, a busy timeout, BEGIN IMMEDIATE for every write so a
 * writer never meets SQLITE_BUSY halfway through, and the schema versioned
 * by PRAGMA user_version with the numbered files of schema/ applied in order.
 * Every error is classified so callers can map it to defer or fail.
 *
 * The helpers at the end (db_query, db_write, db_one_text, ...) are the
 * prepare, bind, step and reset blocks the store modules would otherwise
 * each write again; a lookup through them tells "no row" from an error. */
#include "db.h"

#include <errno.h>
#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "embedded.h"
#include "statedir.h"

G_DEFINE_QUARK(embargo-db-error-quark, embargo_db_error)

#define DB_FILE "embargo.db"
#define DB_BUSY_TIMEOUT_MS 10000
#define DB_WAL_PAGES 64

struct Db {
	sqlite3 *handle;
	GHashTable *stmts;    /* SQL text (static) -> sqlite3_stmt * */
	gboolean in_txn;
};

static gboolean
db_fail(Db *db, GError **error, int rc, const char *what)
{
	int code = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ? DB_ERROR_BUSY
	                                                                        : DB_ERROR_FAILED;
	g_set_error(error, EMBARGO_DB_ERROR, code, "database: %s: %s", what,
	            db != NULL && db->handle != NULL ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc));
	return FALSE;
}

static void
stmt_finalize(gpointer data)
{
	sqlite3_finalize(data);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Migration file names ("001-initial.sql"), in the order of their numbers. */
static char **
db_migrations(void)
{
	char **names;

	embedded_init();
	names = g_resources_enumerate_children("/org/embargo/schema/",
	                                              G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);

	if (names != NULL)
		qsort(names, g_strv_length(names), sizeof(char *), cmp_str);
	return names;
}

int
db_schema_version(void)
{
	g_auto(GStrv) names = db_migrations();
	int version = 0;

	for (char **n = names; n != NULL && *n != NULL; n++)
		version = MAX(version, atoi(*n));
	return version;
}

static int
db_user_version(Db *db)
{
	sqlite3_stmt *st = db_stmt(db, "PRAGMA user_version", NULL);
	int version = -1;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	/* An unreset statement would hold its read snapshot for the whole process. */
	if (st != NULL)
		sqlite3_reset(st);
	return version;
}

Db *
db_open(const char *state_dir, gboolean create, GError **error)
{
	g_autofree char *path = g_build_filename(state_dir, DB_FILE, NULL);
	g_autoptr(Db) db = g_new0(Db, 1);
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
	int rc;

	db->stmts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, stmt_finalize);
	if (!create && !g_file_test(path, G_FILE_TEST_EXISTS)) {
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_NOT_READY,
		            "database %s does not exist: run 'embargoctl init'", path);
		return NULL;
	}
	if (!statedir_check(state_dir, error))
		return NULL;
	rc = sqlite3_open_v2(path, &db->handle, flags, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, error, rc, path);
		return NULL;
	}
	if (create)
		chmod(path, 0600);
	sqlite3_extended_result_codes(db->handle, 1);
	sqlite3_busy_timeout(db->handle, DB_BUSY_TIMEOUT_MS);
	/* embargo-mda is a short process, usually the last one with the
	 * database open: keep the WAL file between runs instead of deleting
	 * and creating it again for every message. (Skipping the checkpoint on
	 * close as well would make each next open re-read the whole WAL.) */
	int one = 1;
	sqlite3_file_control(db->handle, "main", SQLITE_FCNTL_PERSIST_WAL, &one);
	sqlite3_db_config(db->handle, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	if (!db_exec(db, "PRAGMA journal_mode=WAL", error) ||
	    !db_exec(db, "PRAGMA synchronous=FULL", error) ||
	    !db_exec(db, "PRAGMA foreign_keys=ON", error) ||
	    !db_exec(db, "PRAGMA wal_autocheckpoint=" G_STRINGIFY(DB_WAL_PAGES), error))
		return NULL;
	if (!create) {
		int have = db_user_version(db), want = db_schema_version();
		if (have != want) {
			g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_NOT_READY,
			            "database %s has schema version %d, this program needs %d: run 'embargoctl init'",
			            path, have, want);
			return NULL;
		}
	}
	return g_steal_pointer(&db);
}

void
db_close(Db *db)
{
	if (db == NULL)
		return;
	if (db->in_txn)
		db_rollback(db);
	g_hash_table_destroy(db->stmts);
	sqlite3_close(db->handle);
	g_free(db);
}

gboolean
db_migrate(Db *db, GError **error)
{
	g_auto(GStrv) names = db_migrations();
	guint n = names != NULL ? g_strv_length(names) : 0;
	int have = db_user_version(db);

	if (have < 0)
		return db_fail(db, error, sqlite3_errcode(db->handle), "reading user_version");
	for (guint i = 0; i < n; i++) {
		int version = atoi(names[i]);
		g_autofree char *res = g_strconcat("/org/embargo/schema/", names[i], NULL);
		g_autoptr(GBytes) sql = NULL;
		g_autofree char *text = NULL, *pragma = NULL;

		if (version <= have)
			continue;
		sql = g_resources_lookup_data(res, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
		text = g_strndup(g_bytes_get_data(sql, NULL), g_bytes_get_size(sql));
		pragma = g_strdup_printf("PRAGMA user_version = %d", version);
		if (!db_begin(db, error))
			return FALSE;
		if (!db_exec(db, text, error) || !db_exec(db, pragma, error)) {
			db_rollback(db);
			g_prefix_error(error, "migration %s: ", names[i]);
			return FALSE;
		}
		if (!db_commit(db, error))
			return FALSE;
	}
	return TRUE;
}

/* A cached prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *
db_stmt(Db *db, const char *sql, GError **error)
{
	sqlite3_stmt *stmt;
	int rc;

	g_return_val_if_fail(db != NULL && sql != NULL, NULL);
	stmt = g_hash_table_lookup(db->stmts, sql);

	if (stmt != NULL) {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		return stmt;
	}
	rc = sqlite3_prepare_v3(db->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, error, rc, "prepare");
		return NULL;
	}
	/* The key outlives a caller's built SQL (case_set_field's). */
	g_hash_table_insert(db->stmts, (gpointer)g_intern_string(sql), stmt);
	return stmt;
}

/* SQLITE_ROW, SQLITE_DONE, or -1 with ERROR set. */
int
db_step(Db *db, sqlite3_stmt *stmt, GError **error)
{
	int rc;

	g_return_val_if_fail(db != NULL && stmt != NULL, -1);
	rc = sqlite3_step(stmt);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	db_fail(db, error, rc, "step");
	sqlite3_reset(stmt);
	return -1;
}

gboolean
db_step_done(Db *db, sqlite3_stmt *stmt, GError **error)
{
	int rc = db_step(db, stmt, error);

	if (rc == SQLITE_ROW) {
		sqlite3_reset(stmt);
		return TRUE;
	}
	if (rc == SQLITE_DONE)
		sqlite3_reset(stmt);
	return rc == SQLITE_DONE;
}

gboolean
db_exec(Db *db, const char *sql, GError **error)
{
	int rc = sqlite3_exec(db->handle, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? TRUE : db_fail(db, error, rc, "exec");
}

gboolean
db_begin(Db *db, GError **error)
{
	if (!db_exec(db, "BEGIN IMMEDIATE", error))
		return FALSE;
	db->in_txn = TRUE;
	return TRUE;
}

gboolean
db_commit(Db *db, GError **error)
{
	if (!db_exec(db, "COMMIT", error)) {
		db_rollback(db);
		return FALSE;
	}
	db->in_txn = FALSE;
	return TRUE;
}

void
db_rollback(Db *db)
{
	if (sqlite3_get_autocommit(db->handle) == 0)
		sqlite3_exec(db->handle, "ROLLBACK", NULL, NULL, NULL);
	db->in_txn = FALSE;
}

sqlite3_int64
db_last_rowid(Db *db)
{
	return sqlite3_last_insert_rowid(db->handle);
}

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int
db_changes(Db *db)
{
	return sqlite3_changes(db->handle);
}

/* Fills a BLOB made with zeroblob(N) from our buffer: an INSERT binding the
 * bytes would first copy them into a record as large as the message. */
gboolean
db_write_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid, GBytes *bytes,
              GError **error)
{
	sqlite3_blob *blob = NULL;
	gsize size;
	const void *data = g_bytes_get_data(bytes, &size);
	int rc = sqlite3_blob_open(db->handle, "main", table, column, rowid, 1, &blob);

	if (rc == SQLITE_OK && size > 0)
		rc = sqlite3_blob_write(blob, data, (int)size, 0);
	sqlite3_blob_close(blob);
	return rc == SQLITE_OK ? TRUE : db_fail(db, error, rc, "blob write");
}

/* A BLOB read straight into one buffer of ours, without SQLite's own copy. */
GBytes *
db_read_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid, GError **error)
{
	sqlite3_blob *blob = NULL;
	int rc = sqlite3_blob_open(db->handle, "main", table, column, rowid, 0, &blob);
	int size;
	guint8 *data;

	if (rc != SQLITE_OK) {
		db_fail(db, error, rc, "blob open");
		sqlite3_blob_close(blob);
		return NULL;
	}
	size = sqlite3_blob_bytes(blob);
	data = g_malloc(size > 0 ? (gsize)size : 1);
	rc = size > 0 ? sqlite3_blob_read(blob, data, size, 0) : SQLITE_OK;
	sqlite3_blob_close(blob);
	if (rc != SQLITE_OK) {
		g_free(data);
		db_fail(db, error, rc, "blob read");
		return NULL;
	}
	return g_bytes_new_take(data, (gsize)size);
}

void
db_bind_text(sqlite3_stmt *stmt, int index, const char *text)
{
	if (text == NULL)
		sqlite3_bind_null(stmt, index);
	else
		sqlite3_bind_text(stmt, index, text, -1, SQLITE_TRANSIENT);
}

const char *
db_col_text(sqlite3_stmt *stmt, int index)
{
	return (const char *)sqlite3_column_text(stmt, index);
}

gboolean
db_set_error(Db *db, int rc, const char *what, GError **error)
{
	return db_fail(db, error, rc, what);
}

sqlite3_stmt *
db_query(Db *db, const char *sql, guint n, const char *const *texts, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, sql, error);

	g_return_val_if_fail(n == 0 || texts != NULL, NULL);
	if (st == NULL)
		return NULL;
	/* a count past the statement's parameters is a programming error, which
	 * SQLite would only report as SQLITE_RANGE at bind time */
	g_assert((int)n <= sqlite3_bind_parameter_count(st));
	for (guint i = 0; i < n; i++)
		db_bind_text(st, (int)i + 1, texts[i]);
	return st;
}

gboolean
db_write(Db *db, const char *sql, guint n, const char *const *texts, GError **error)
{
	sqlite3_stmt *st = db_query(db, sql, n, texts, error);

	return st != NULL && db_step_done(db, st, error);
}

/* Steps ST once: SQLITE_ROW (ST not reset: the caller reads the row),
 * SQLITE_DONE (reset), or -1 with ERROR set (reset). */
static int
db_first(Db *db, sqlite3_stmt *st, GError **error)
{
	int rc;

	if (st == NULL)
		return -1;
	rc = db_step(db, st, error);
	if (rc == SQLITE_DONE)
		sqlite3_reset(st);
	return rc;
}

gboolean
db_row_exists(Db *db, sqlite3_stmt *st, gboolean *found, GError **error)
{
	int rc;

	g_return_val_if_fail(found != NULL, FALSE);
	rc = db_first(db, st, error);
	*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW)
		sqlite3_reset(st);
	return rc >= 0;
}

gboolean
db_one_text(Db *db, sqlite3_stmt *st, char **out, GError **error)
{
	int rc;

	g_return_val_if_fail(out != NULL, FALSE);
	rc = db_first(db, st, error);
	*out = NULL;
	if (rc == SQLITE_ROW) {
		*out = g_strdup(db_col_text(st, 0));
		sqlite3_reset(st);
	}
	return rc >= 0;
}

gboolean
db_one_int64(Db *db, sqlite3_stmt *st, gboolean *found, sqlite3_int64 *out, GError **error)
{
	int rc;

	g_return_val_if_fail(out != NULL, FALSE);
	rc = db_first(db, st, error);
	*out = 0;
	if (found != NULL)
		*found = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc >= 0;
}

char **
db_all_text(Db *db, sqlite3_stmt *st, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	int rc;

	if (st == NULL)
		return NULL;
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		if (db_col_text(st, 0) != NULL)
			g_ptr_array_add(out, g_strdup(db_col_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return NULL;
	g_ptr_array_set_free_func(out, NULL);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

GPtrArray *
db_all_rows(Db *db, sqlite3_stmt *st, DbRowFunc from_row, GDestroyNotify free_func,
            GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(free_func);
	int rc;

	g_return_val_if_fail(from_row != NULL, NULL);
	if (st == NULL)
		return NULL;
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		g_ptr_array_add(out, from_row(st));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? g_steal_pointer(&out) : NULL;
}
