/* held.c - cases opened from automatic mail. Mail marked as automatic
 * (Auto-Submitted, Precedence bulk/list/junk, List-Id) is never answered,
 * but a scanner's or a forwarding service's report is still a report: it
 * opens a case the team sees, marked held with the reason, so that a person
 * decides whether to answer it. One sender's automatic mail joins its held
 * case for a while, so an out-of-office storm or list traffic does not
 * become one case and one team copy per mail. */
#include "held.h"

gboolean
held_set(Db *db, const char *case_id, const char *why, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE cases SET held = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, case_id);
	db_bind_text(st, 2, why);
	return db_step_done(db, st, error);
}

/* Why CASE_ID is held, or NULL when it is not (or on error, with ERROR set). */
char *
held_reason(Db *db, const char *case_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT held FROM cases WHERE id = ?1", error);
	char *why = NULL;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, case_id);
	if (db_step(db, st, error) == SQLITE_ROW)
		why = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return why;
}

/* The latest held case of REPORTER on LIST opened at or after SINCE (ISO
 * UTC), or NULL (or on error, with ERROR set). */
char *
held_recent_case(Db *db, const char *list, const char *reporter, const char *since,
                 GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT id FROM cases WHERE list = ?1 AND reporter = ?2 AND "
	                           "held IS NOT NULL AND created_at >= ?3 "
	                           "ORDER BY created_at DESC, id DESC LIMIT 1",
	                           error);
	char *id = NULL;

	if (st == NULL || reporter == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, reporter);
	db_bind_text(st, 3, since);
	if (db_step(db, st, error) == SQLITE_ROW)
		id = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return id;
}
