/* held.h - held cases opened from automatic mail by earlier versions. */
#ifndef EMBARGO_HELD_H
#define EMBARGO_HELD_H

#include "db.h"

/* TRUE with *WHY the reason CASE_ID is held (caller g_frees) or NULL when it
 * is not (or there is no such case); FALSE on an error, ERROR set. */
gboolean held_reason(Db *db, const char *case_id, char **why, GError **error);

#endif
