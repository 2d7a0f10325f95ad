/* keynotice.h - members' keys that expire soon, and the one mail per key that tells the team. */
#ifndef EMBARGO_KEYNOTICE_H
#define EMBARGO_KEYNOTICE_H

#include "config.h"
#include "db.h"

#define KEYNOTICE_DAYS 30

gboolean keynotice_expires_soon(const char *expires, GDateTime *now);
int keynotice_days_left(const char *expires, GDateTime *now);
int keynotice_queue(Db *db, const EmbargoList *list, GDateTime *now, sqlite3_int64 cause,
                    GError **error);

#endif
