/* calendar.c - due dates and timestamps.
 *
 * Times are stored as UTC ISO 8601 strings ("2026-11-23T12:00:00Z"), which
 * sort as text in SQLite. Business days are counted in the project's time
 * zone: Saturdays, Sundays and configured holidays do not count. */
#include "calendar.h"

#include <string.h>

static gboolean
calendar_is_business_day(GDateTime *local, char **holidays)
{
	int dow = g_date_time_get_day_of_week(local);
	g_autofree char *day = NULL;

	if (dow >= 6)
		return FALSE;
	day = g_date_time_format(local, "%Y-%m-%d");
	return holidays == NULL || !g_strv_contains((const char *const *)holidays, day);
}

/* FROM plus DAYS; a business-day deadline ends on the same local time of the Nth business day. */
GDateTime *
calendar_add_days(GDateTime *from, guint days, gboolean business, GTimeZone *tz, char **holidays)
{
	g_autoptr(GDateTime) local = NULL;
	GDateTime *t;

	g_return_val_if_fail(from != NULL && tz != NULL, NULL);
	local = g_date_time_to_timezone(from, tz);
	if (!business)
		return g_date_time_add_days(from, (int)days);
	t = g_date_time_ref(local);
	while (days > 0) {
		GDateTime *next = g_date_time_add_days(t, 1);
		g_date_time_unref(t);
		t = next;
		if (calendar_is_business_day(t, holidays))
			days--;
	}
	GDateTime *utc = g_date_time_to_utc(t);
	g_date_time_unref(t);
	return utc;
}

char *
calendar_iso(GDateTime *t)
{
	g_autoptr(GDateTime) utc = NULL;

	g_return_val_if_fail(t != NULL, NULL);
	utc = g_date_time_to_utc(t);
	return g_date_time_format(utc, "%Y-%m-%dT%H:%M:%SZ");
}

GDateTime *
calendar_parse_iso(const char *text)
{
	g_autoptr(GTimeZone) utc = g_time_zone_new_utc();

	return text != NULL ? g_date_time_new_from_iso8601(text, utc) : NULL;
}

/* Now, or EMBARGO_NOW when set, so that tests can stand on a fixed date. */
GDateTime *
calendar_now(void)
{
	const char *fixed = g_getenv("EMBARGO_NOW");
	GDateTime *t = NULL;

	if (fixed != NULL && *fixed != '\0')
		t = calendar_parse_iso(fixed);
	return t != NULL ? t : g_date_time_new_now_utc();
}
