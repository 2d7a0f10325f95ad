/* test-calendar.c - due dates in calendar and business days, time zones,
 * holidays, UTC timestamps and EMBARGO_NOW. */
#include "calendar.h"

/* A UTC instant from its ISO 8601 text; the test fails when it does not parse. */
static GDateTime *
utc(const char *iso)
{
	GDateTime *t = calendar_parse_iso(iso);

	g_assert_nonnull(t);
	return t;
}

/* calendar_add_days(FROM, ...) rendered as a UTC ISO string, for comparisons. */
static char *
due(const char *from, guint days, gboolean business, const char *zone, char **holidays)
{
	g_autoptr(GDateTime) t = utc(from);
	g_autoptr(GTimeZone) tz = g_time_zone_new_identifier(zone);
	g_autoptr(GDateTime) d = NULL;

	g_assert_nonnull(tz);
	d = calendar_add_days(t, days, business, tz, holidays);
	g_assert_nonnull(d);
	return calendar_iso(d);
}

static void
test_calendar_days(void)
{
	/* Calendar days count weekends: Fri + 3 = Mon, same time of day. */
	g_autofree char *a = due("2026-11-20T10:00:00Z", 3, FALSE, "UTC", NULL);
	g_autofree char *b = due("2026-11-20T10:00:00Z", 0, FALSE, "UTC", NULL);
	g_autofree char *c = due("2026-12-30T23:59:59Z", 7, FALSE, "UTC", NULL);
	g_autofree char *d = due("2028-02-28T12:00:00Z", 1, FALSE, "UTC", NULL);

	g_assert_cmpstr(a, ==, "2026-11-23T10:00:00Z");
	g_assert_cmpstr(b, ==, "2026-11-20T10:00:00Z");
	g_assert_cmpstr(c, ==, "2027-01-06T23:59:59Z");     /* across the year */
	g_assert_cmpstr(d, ==, "2028-02-29T12:00:00Z");     /* leap day */
}

static void
test_business_days(void)
{
	/* 2026-11-20 is a Friday. */
	g_autofree char *fri3 = due("2026-11-20T10:00:00Z", 3, TRUE, "UTC", NULL);
	g_autofree char *fri1 = due("2026-11-20T10:00:00Z", 1, TRUE, "UTC", NULL);
	g_autofree char *mon3 = due("2026-11-23T10:00:00Z", 3, TRUE, "UTC", NULL);
	g_autofree char *mon5 = due("2026-11-23T10:00:00Z", 5, TRUE, "UTC", NULL);
	g_autofree char *sat1 = due("2026-11-21T10:00:00Z", 1, TRUE, "UTC", NULL);
	g_autofree char *sun1 = due("2026-11-22T10:00:00Z", 1, TRUE, "UTC", NULL);
	g_autofree char *fri0 = due("2026-11-20T10:00:00Z", 0, TRUE, "UTC", NULL);
	g_autofree char *fri10 = due("2026-11-20T10:00:00Z", 10, TRUE, "UTC", NULL);

	g_assert_cmpstr(fri3, ==, "2026-11-25T10:00:00Z");  /* Fri + 3 business days = Wed */
	g_assert_cmpstr(fri1, ==, "2026-11-23T10:00:00Z");  /* Fri + 1 = Mon */
	g_assert_cmpstr(mon3, ==, "2026-11-26T10:00:00Z");  /* Mon + 3 = Thu */
	g_assert_cmpstr(mon5, ==, "2026-11-30T10:00:00Z");  /* Mon + 5 = next Mon */
	g_assert_cmpstr(sat1, ==, "2026-11-23T10:00:00Z");  /* from a Saturday: Mon */
	g_assert_cmpstr(sun1, ==, "2026-11-23T10:00:00Z");  /* from a Sunday: Mon */
	g_assert_cmpstr(fri0, ==, "2026-11-20T10:00:00Z");
	g_assert_cmpstr(fri10, ==, "2026-12-04T10:00:00Z"); /* two whole weeks */
}

static void
test_holidays(void)
{
	char *mon[] = { "2026-11-23", NULL };
	char *two[] = { "2026-11-24", "2026-11-25", NULL };
	char *weekend[] = { "2026-11-21", "2026-11-22", NULL };
	char *empty[] = { NULL };
	char *xmas[] = { "2026-12-24", "2026-12-25", "2026-12-31", "2027-01-01", NULL };
	g_autofree char *a = due("2026-11-20T10:00:00Z", 3, TRUE, "UTC", mon);
	g_autofree char *b = due("2026-11-20T10:00:00Z", 3, TRUE, "UTC", two);
	g_autofree char *c = due("2026-11-20T10:00:00Z", 3, TRUE, "UTC", weekend);
	g_autofree char *d = due("2026-11-20T10:00:00Z", 3, TRUE, "UTC", empty);
	g_autofree char *e = due("2026-12-23T09:00:00Z", 3, TRUE, "UTC", xmas);
	g_autofree char *f = due("2026-11-20T10:00:00Z", 3, FALSE, "UTC", mon);

	g_assert_cmpstr(a, ==, "2026-11-26T10:00:00Z");  /* Monday off: Thu */
	g_assert_cmpstr(b, ==, "2026-11-27T10:00:00Z");  /* Tue and Wed off: Fri */
	g_assert_cmpstr(c, ==, "2026-11-25T10:00:00Z");  /* holidays on a weekend change nothing */
	g_assert_cmpstr(d, ==, "2026-11-25T10:00:00Z");
	/* Wed 23 Dec + 3: Thu 24 off, Fri 25 off, Mon 28, Tue 29, Wed 30 */
	g_assert_cmpstr(e, ==, "2026-12-30T09:00:00Z");
	g_assert_cmpstr(f, ==, "2026-11-23T10:00:00Z");  /* calendar days ignore holidays */
}

static void
test_timezone(void)
{
	/* Friday 23:30 UTC is Saturday 08:30 in Tokyo. In UTC the next business
	 * day is Monday 23:30 UTC; in Tokyo it is Monday 08:30 JST, which is
	 * Sunday 23:30 UTC. */
	g_autofree char *in_utc = due("2026-11-20T23:30:00Z", 1, TRUE, "UTC", NULL);
	g_autofree char *in_tokyo = due("2026-11-20T23:30:00Z", 1, TRUE, "Asia/Tokyo", NULL);
	/* A holiday is a date in the project's zone: Monday 23 Nov in Tokyo. */
	char *mon[] = { "2026-11-23", NULL };
	g_autofree char *tokyo_hol = due("2026-11-20T23:30:00Z", 1, TRUE, "Asia/Tokyo", mon);
	/* Friday 21:00 in New York is Saturday 02:00 UTC: counted from Friday there. */
	g_autofree char *ny = due("2026-11-21T02:00:00Z", 1, TRUE, "America/New_York", NULL);
	g_autofree char *ny_utc = due("2026-11-21T02:00:00Z", 1, TRUE, "UTC", NULL);

	g_assert_cmpstr(in_utc, ==, "2026-11-23T23:30:00Z");
	g_assert_cmpstr(in_tokyo, ==, "2026-11-22T23:30:00Z");
	g_assert_cmpstr(tokyo_hol, ==, "2026-11-23T23:30:00Z"); /* Tue 24 08:30 JST */
	g_assert_cmpstr(ny, ==, "2026-11-24T02:00:00Z");      /* Mon 23 21:00 EST */
	g_assert_cmpstr(ny_utc, ==, "2026-11-23T02:00:00Z");  /* Mon 23 02:00 UTC */
}

static void
test_dst(void)
{
	/* Business deadlines keep the local time of day across a DST change:
	 * Fri 23 Oct 2026 10:00 CEST (08:00 UTC) + 3 business days is
	 * Wed 28 Oct 10:00 CET (09:00 UTC); summer time ends on Sun 25 Oct. */
	g_autofree char *ams = due("2026-10-23T08:00:00Z", 3, TRUE, "Europe/Amsterdam", NULL);

	g_assert_cmpstr(ams, ==, "2026-10-28T09:00:00Z");
}

static void
test_iso_round_trip(void)
{
	g_autoptr(GDateTime) t = utc("2026-11-23T12:34:56Z");
	g_autofree char *s = calendar_iso(t);
	g_autoptr(GDateTime) back = calendar_parse_iso(s);
	g_autoptr(GTimeZone) tokyo = g_time_zone_new_identifier("Asia/Tokyo");
	g_autoptr(GDateTime) local = g_date_time_new(tokyo, 2026, 11, 24, 8, 30, 0);
	g_autofree char *ls = calendar_iso(local);
	g_autoptr(GDateTime) offset = calendar_parse_iso("2026-11-23T21:34:56+09:00");
	g_autoptr(GDateTime) frac = g_date_time_add_seconds(t, 0.75);
	g_autofree char *fs = calendar_iso(frac);
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *ns = calendar_iso(now);

	g_assert_cmpstr(s, ==, "2026-11-23T12:34:56Z");
	g_assert_nonnull(back);
	g_assert_true(g_date_time_equal(t, back));
	/* calendar_iso always writes UTC, whatever the zone of its argument. */
	g_assert_cmpstr(ls, ==, "2026-11-23T23:30:00Z");
	/* an explicit offset is honoured by the parser */
	g_assert_nonnull(offset);
	g_assert_true(g_date_time_equal(offset, t));
	/* whole seconds only: the text sorts and compares in SQLite */
	g_assert_cmpstr(fs, ==, "2026-11-23T12:34:56Z");
	g_assert_true(g_regex_match_simple("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
	                                   ns, 0, 0));

	/* what is not a timestamp does not parse */
	g_assert_null(calendar_parse_iso(NULL));
	g_assert_null(calendar_parse_iso(""));
	g_assert_null(calendar_parse_iso("yesterday"));
	g_assert_null(calendar_parse_iso("2026-13-45T99:00:00Z"));
}

static void
test_now(void)
{
	g_autoptr(GDateTime) fixed = NULL;
	g_autoptr(GDateTime) bad = NULL;
	g_autoptr(GDateTime) real = NULL;
	g_autoptr(GDateTime) before = g_date_time_new_now_utc();
	g_autoptr(GDateTime) after = NULL;
	g_autofree char *s = NULL;

	g_setenv("EMBARGO_NOW", "2030-01-02T03:04:05Z", TRUE);
	fixed = calendar_now();
	s = calendar_iso(fixed);
	g_assert_cmpstr(s, ==, "2030-01-02T03:04:05Z");

	/* a value that does not parse falls back to the clock */
	g_setenv("EMBARGO_NOW", "not a time", TRUE);
	bad = calendar_now();
	g_assert_nonnull(bad);
	g_assert_cmpint(g_date_time_get_year(bad), !=, 2030);

	g_setenv("EMBARGO_NOW", "", TRUE);
	real = calendar_now();
	g_unsetenv("EMBARGO_NOW");
	after = g_date_time_new_now_utc();
	g_assert_nonnull(real);
	g_assert_cmpint(g_date_time_compare(before, real), <=, 0);
	g_assert_cmpint(g_date_time_compare(real, after), <=, 0);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/calendar/calendar-days", test_calendar_days);
	g_test_add_func("/calendar/business-days", test_business_days);
	g_test_add_func("/calendar/holidays", test_holidays);
	g_test_add_func("/calendar/timezone", test_timezone);
	g_test_add_func("/calendar/dst", test_dst);
	g_test_add_func("/calendar/iso-round-trip", test_iso_round_trip);
	g_test_add_func("/calendar/now", test_now);
	return g_test_run();
}
