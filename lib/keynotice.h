/* keynotice.h - members' keys that expire soon, and the one mail per key that tells the team. */
#ifndef EMBARGO_KEYNOTICE_H
#define EMBARGO_KEYNOTICE_H

#include "config.h"
#include "db.h"

#define KEYNOTICE_DAYS 30

/* TRUE when EXPIRES (ISO, UTC) is after NOW and at most KEYNOTICE_DAYS away. */
gboolean keynotice_expires_soon(const char *expires, GDateTime *now);
/* Whole days from NOW to EXPIRES (negative once past); 0 when unreadable. */
int keynotice_days_left(const char *expires, GDateTime *now);
/* Inside an open transaction: the notices not sent yet, queued and recorded
 * (sealed as team mail, seal.h). The number of outbox rows written; -1 with
 * ERROR on a database or transient gpg error. */
int keynotice_queue(Db *db, const EmbargoList *list, GDateTime *now, sqlite3_int64 cause,
                    GError **error);

#endif
