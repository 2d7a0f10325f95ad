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

Db *db_open(const char *state_dir, gboolean create, GError **error);
void db_close(Db *db);
int db_schema_version(void);
gboolean db_migrate(Db *db, GError **error);

sqlite3_stmt *db_stmt(Db *db, const char *sql, GError **error);
int db_step(Db *db, sqlite3_stmt *stmt, GError **error);
gboolean db_step_done(Db *db, sqlite3_stmt *stmt, GError **error);
gboolean db_exec(Db *db, const char *sql, GError **error);
gboolean db_begin(Db *db, GError **error);
gboolean db_commit(Db *db, GError **error);
void db_rollback(Db *db);
sqlite3_int64 db_last_rowid(Db *db);
int db_changes(Db *db);
gboolean db_write_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid,
                       GBytes *bytes, GError **error);
GBytes *db_read_blob(Db *db, const char *table, const char *column, sqlite3_int64 rowid,
                     GError **error);

/* Bind helpers: NULL text binds SQL NULL. */
void db_bind_text(sqlite3_stmt *stmt, int index, const char *text);
const char *db_col_text(sqlite3_stmt *stmt, int index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Db, db_close)

#endif
