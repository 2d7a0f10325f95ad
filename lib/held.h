/* held.h - cases opened from automatic mail, acknowledged to nobody. */
#ifndef EMBARGO_HELD_H
#define EMBARGO_HELD_H

#include "db.h"

/* Marks CASE_ID held for WHY; FALSE with ERROR set. */
gboolean held_set(Db *db, const char *case_id, const char *why, GError **error);
/* TRUE with *WHY the reason CASE_ID is held (caller g_frees) or NULL when it
 * is not (or there is no such case); FALSE on an error, ERROR set. */
gboolean held_reason(Db *db, const char *case_id, char **why, GError **error);

#endif
