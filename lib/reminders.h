/* reminders.h - the record of deadline reminders sent, so that each is
 * sent once. */
#ifndef EMBARGO_REMINDERS_H
#define EMBARGO_REMINDERS_H

#include "db.h"

/* Records that the reminder of CASE_ID's DEADLINE at THRESHOLD ("soon",
 * "passed"), for the deadline due at DUE, was sent at SENT_AT. TRUE with
 * *FRESH TRUE when it was not recorded before, FALSE when it was (nothing
 * changed); FALSE with ERROR on a store error, *FRESH then untouched. */
gboolean reminder_record(Db *db, const char *case_id, const char *deadline, const char *threshold,
                         const char *due, const char *sent_at, gboolean *fresh, GError **error);

#endif
