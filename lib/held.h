/* held.h - cases opened from automatic mail, acknowledged to nobody. */
#ifndef EMBARGO_HELD_H
#define EMBARGO_HELD_H

#include "db.h"

gboolean held_set(Db *db, const char *case_id, const char *why, GError **error);
char *held_reason(Db *db, const char *case_id, GError **error);

#endif
