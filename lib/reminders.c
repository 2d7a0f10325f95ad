/* reminders.c - the record of deadline reminders sent (reminders.h). A
 * reminder is inserted with INSERT OR IGNORE and is new only when a row
 * went in, so a reminder is mailed once even when two runs overlap. */
#include "reminders.h"

gboolean
reminder_record(Db *db, const char *case_id, const char *deadline, const char *threshold,
                const char *due, const char *sent_at, gboolean *fresh, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(case_id != NULL && deadline != NULL && fresh != NULL, FALSE);
	st = db_stmt(db,
	             "INSERT OR IGNORE INTO reminders (case_id, deadline, threshold, due, "
	             "sent_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	             error);
	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, case_id);
	db_bind_text(st, 2, deadline);
	db_bind_text(st, 3, threshold);
	db_bind_text(st, 4, due);
	db_bind_text(st, 5, sent_at);
	if (!db_step_done(db, st, error))
		return FALSE;
	*fresh = db_changes(db) > 0;
	return TRUE;
}
