/* held.c - cases opened from automatic mail. Mail marked as automatic
 * (Auto-Submitted, Precedence bulk/list/junk, List-Id) is never answered,
 * but a scanner's or a forwarding service's report is still a report: it
 * opens a case the team sees, marked held with the reason, so that a person
 * decides whether to answer it. */
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
