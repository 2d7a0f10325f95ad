/* calendar.h - due dates in calendar or business days, and UTC timestamps. */
#ifndef EMBARGO_CALENDAR_H
#define EMBARGO_CALENDAR_H

#include <glib.h>

/* FROM plus DAYS (business days counted in TZ, HOLIDAYS "YYYY-MM-DD" or
 * NULL), in UTC; caller unrefs. NULL only past GDateTime's range. */
GDateTime *calendar_add_days(GDateTime *from, guint days, gboolean business, GTimeZone *tz,
                             char **holidays);
/* T as "YYYY-MM-DDTHH:MM:SSZ" in UTC; caller g_frees. */
char *calendar_iso(GDateTime *t);
/* TEXT (ISO 8601, UTC unless it says otherwise) as a time; caller unrefs.
 * NULL when TEXT is NULL or not such a time. */
GDateTime *calendar_parse_iso(const char *text);
/* Now in UTC, or EMBARGO_NOW when set and valid; caller unrefs. Never NULL. */
GDateTime *calendar_now(void);

#endif
