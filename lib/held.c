/* held.c - cases opened from automatic mail. Mail marked as automatic
 * (Auto-Submitted, Precedence bulk/list/junk, List-Id) is never answered,
 * but a scanner's or a forwarding service's report is still a report: it
 * opens a case the team sees, marked held with the reason, so that a person
 * decides whether to answer it. */
#include "held.h"

gboolean
held_set(Db *db, const char *case_id, const char *why, GError **error)
{
	return db_write(db, "UPDATE cases SET held = ?2 WHERE id = ?1", DB_TEXTS(case_id, why), error);
}

gboolean
held_reason(Db *db, const char *case_id, char **why, GError **error)
{
	return db_one_text(db,
	                   db_query(db, "SELECT held FROM cases WHERE id = ?1", DB_TEXTS(case_id),
	                            error),
	                   why, error);
}
