/* db.h - the SQLite store: opening, pragmas, migrations, prepared statements. */
#ifndef EMBARGO_DB_H
#define EMBARGO_DB_H

#include <glib.h>
#include <sqlite3.h>

#define EMBARGO_DB_ERROR (embargo_db_error_quark())
GQuark embargo_db_error_quark(void);

typedef enum {
	DB_ERROR_BUSY,        /* another process holds the lock: try again later */
	DB_ERROR_FAILED,      /* I/O, full disk, corruption */
	DB_ERROR_NOT_READY,   /* no database or an old schema: run embargoctl init */
} DbErrorCode;

typedef struct Db Db;

/* Opens STATE_DIR's database (creating it with CREATE); caller frees with
 * db_close. NULL with ERROR set (DB_ERROR_NOT_READY: missing or old schema). */
Db *db_open(const char *state_dir, gboolean create, GError **error);
/* Rolls back an open transaction and closes; NULL is a no-op. */
void db_close(Db *db);
/* The schema version this program needs (the highest migration). */
int db_schema_version(void);
/* Applies the missing migrations, each in its own transaction; FALSE with ERROR set. */
gboolean db_migrate(Db *db, GError **error);

/* The cached prepared statement for SQL, reset with its bindings cleared;
 * borrowed (DB owns it, valid until the next db_stmt of the same SQL).
 * NULL with ERROR set when SQL does not prepare. */
sqlite3_stmt *db_stmt(Db *db, const char *sql, GError **error);
/* SQLITE_ROW, SQLITE_DONE, or -1 with ERROR set (and STMT reset). */
int db_step(Db *db, sqlite3_stmt *stmt, GError **error);
/* Steps STMT once for a write and resets it; FALSE with ERROR set. */
gboolean db_step_done(Db *db, sqlite3_stmt *stmt, GError **error);
/* Runs SQL (one or more statements, nothing bound); FALSE with ERROR set. */
gboolean db_exec(Db *db, const char *sql, GError **error);
/* BEGIN IMMEDIATE; FALSE with ERROR set (DB_ERROR_BUSY: locked). */
gboolean db_begin(Db *db, GError **error);
/* FALSE with ERROR set, the transaction then rolled back. */
gboolean db_commit(Db *db, GError **error);
/* Rolls back the open transaction, if any. */
void db_rollback(Db *db);
/* The rowid of the last INSERT on this connection. */
sqlite3_int64 db_last_rowid(Db *db);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
int db_changes(Db *db);
/* Fills the zeroblob BLOB TABLE.COLUMN of ROWID with BYTES; FALSE with ERROR set. */
gboolean db_write_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid,
                       GBytes *bytes, GError **error);
/* The BLOB TABLE.COLUMN of ROWID; caller unrefs. NULL with ERROR set. */
GBytes *db_read_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid,
                     GError **error);

/* Bind helpers: NULL text binds SQL NULL. db_col_text's result is borrowed
 * from STMT (valid until its next step or reset); NULL for SQL NULL. */
void db_bind_text(sqlite3_stmt *stmt, int index, const char *text);
const char *db_col_text(sqlite3_stmt *stmt, int index);

/* The helpers below make the usual prepare, bind, step blocks one call.
 *
 * Sets ERROR from the SQLite result code RC: DB_ERROR_BUSY for a lock held
 * by another process (the caller defers), DB_ERROR_FAILED for the rest.
 * Always returns FALSE. */
gboolean db_set_error(Db *db, int rc, const char *what, GError **error);

/* DB_TEXTS(a, b, c) is "3, (const char *const[]){ a, b, c }", the count and
 * the texts that db_query and db_write bind to ?1, ?2, ?3. The count comes
 * from the list itself, so the two cannot disagree. */
#define DB_TEXTS(...)                                                                   \
	G_N_ELEMENTS(((const char *const[]){ __VA_ARGS__ })), ((const char *const[]){ __VA_ARGS__ })

/* db_stmt for SQL with ?1..?N bound to TEXTS (NULL binds SQL NULL); further
 * parameters may be bound by the caller. Borrowed; NULL with ERROR set. */
sqlite3_stmt *db_query(Db *db, const char *sql, guint n, const char *const *texts,
                       GError **error);
/* db_query stepped once and reset: a write. FALSE with ERROR set. */
gboolean db_write(Db *db, const char *sql, guint n, const char *const *texts, GError **error);

/* The lookups below step ST (NULL: db_query failed, ERROR already set,
 * so they return FALSE) and leave it reset. TRUE: the answer is in the out
 * parameter, "none" included; FALSE: an error, ERROR set.
 *
 * *FOUND: whether ST has a row. */
gboolean db_row_exists(Db *db, sqlite3_stmt *st, gboolean *found, GError **error);
/* *OUT: column 0 of the first row, caller g_frees; NULL when there is no
 * row or its value is NULL. */
gboolean db_one_text(Db *db, sqlite3_stmt *st, char **out, GError **error);
/* *OUT: column 0 of the first row; 0 when there is none. *FOUND (may be
 * NULL): whether there was a row. */
gboolean db_one_int64(Db *db, sqlite3_stmt *st, gboolean *found, sqlite3_int64 *out,
                      GError **error);

/* Column 0 of every row of ST, NULL values left out: a NULL-terminated
 * vector, caller g_strfreev; empty when no row. NULL only on error. */
char **db_all_text(Db *db, sqlite3_stmt *st, GError **error);
/* Makes one item of the current row of ST; never NULL. */
typedef gpointer (*DbRowFunc)(sqlite3_stmt *st);
/* Every row of ST as an item of FROM_ROW, in an array that frees them with
 * FREE_FUNC; caller unrefs; empty when no row. NULL only on error. */
GPtrArray *db_all_rows(Db *db, sqlite3_stmt *st, DbRowFunc from_row, GDestroyNotify free_func,
                       GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Db, db_close)

#endif
