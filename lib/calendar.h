/* calendar.h - due dates in calendar or business days, and UTC timestamps. */
#ifndef EMBARGO_CALENDAR_H
#define EMBARGO_CALENDAR_H

#include <glib.h>

GDateTime *calendar_add_days(GDateTime *from, guint days, gboolean business, GTimeZone *tz,
                             char **holidays);
char *calendar_iso(GDateTime *t);
GDateTime *calendar_parse_iso(const char *text);
GDateTime *calendar_now(void);

#endif
