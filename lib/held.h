/* held.h - cases opened from automatic mail, acknowledged to nobody. */
#ifndef EMBARGO_HELD_H
#define EMBARGO_HELD_H

#include "db.h"

/* How long later automatic mail of the same sender joins a held case
 * instead of opening another one. */
#define HELD_GROUP_DAYS 7

gboolean held_set(Db *db, const char *case_id, const char *why, GError **error);
char *held_reason(Db *db, const char *case_id, GError **error);
char *held_recent_case(Db *db, const char *list, const char *reporter, const char *since,
                       GError **error);

#endif
