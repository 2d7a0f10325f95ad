/* casestats.c - the store's counts behind "embargoctl stats" (casestats.h):
 * how many deadlines a list's cases met. The handling times are computed
 * from the cases themselves, by embargoctl. */
#include "casestats.h"

gboolean
casestats_deadlines(Db *db, const char *list, const char *now_iso, const char *closed_stage,
                    guint *counted, guint *met, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(list != NULL && now_iso != NULL && counted != NULL && met != NULL,
	                     FALSE);
	st = db_stmt(db,
	             "SELECT COUNT(*), COALESCE(SUM(d.met_at IS NOT NULL AND "
	             "d.met_at <= d.due), 0) FROM deadlines d JOIN cases c "
	             "ON c.id = d.case_id LEFT JOIN case_stages cs ON cs.case_id = c.id "
	             "AND cs.stage = ?3 WHERE c.list = ?1 AND d.due IS NOT NULL AND "
	             "(d.met_at IS NOT NULL OR (d.due <= ?2 AND (cs.reached_at IS NULL "
	             "OR d.due <= cs.reached_at)))",
	             error);
	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, now_iso);
	db_bind_text(st, 3, closed_stage);
	if (db_step(db, st, error) != SQLITE_ROW)
		return FALSE;
	*counted = (guint)sqlite3_column_int64(st, 0);
	*met = (guint)sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return TRUE;
}
