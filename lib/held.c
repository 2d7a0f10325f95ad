/* held.c - held cases: cases that versions before held items
 * (helditems.c) opened from automatic mail, marked with the reason
 * (cases.held, 007-held.sql). Nothing opens one any more; they stay
 * readable. */
#include "held.h"

gboolean
held_reason(Db *db, const char *case_id, char **why, GError **error)
{
	return db_one_text(db,
	                   db_query(db, "SELECT held FROM cases WHERE id = ?1", DB_TEXTS(case_id),
	                            error),
	                   why, error);
}
