/* test-caseid.c - case ids, subject tags and case addresses. */
#include "caseid.h"

static void
test_format_parse(void)
{
	g_autofree char *id = caseid_format("SEC", 2026, 42);
	int year;
	guint n;

	g_assert_cmpstr(id, ==, "SEC-2026-0042");
	g_assert_true(caseid_parse(id, "SEC", &year, &n));
	g_assert_cmpint(year, ==, 2026);
	g_assert_cmpuint(n, ==, 42);
	g_assert_false(caseid_parse("SEC-2026-42", "SEC", NULL, NULL));
	g_assert_false(caseid_parse("SEC-2026-0042x", "SEC", NULL, NULL));
	g_assert_false(caseid_parse("SECX-2026-0042", "SEC", NULL, NULL));
	g_assert_false(caseid_parse("SEC-2026-0000", "SEC", NULL, NULL));
	g_autofree char *big = caseid_format("SEC", 2026, 12345);
	g_assert_cmpstr(big, ==, "SEC-2026-12345");
}

static void
test_subject(void)
{
	g_autofree char *a = caseid_from_subject("Re: [SEC-2026-0007] overflow", "SEC");
	g_autofree char *b = caseid_from_subject("Re: [sec-2026-0007] overflow", "SEC");
	g_autofree char *c = caseid_from_subject("SEC-2026-0007 without brackets", "SEC");
	g_autofree char *d = caseid_from_subject("[OTHER-2026-0007] other list", "SEC");
	g_autofree char *e = caseid_from_subject("[ [SEC-2026-0009]", "SEC");

	g_assert_cmpstr(a, ==, "SEC-2026-0007");
	g_assert_cmpstr(b, ==, "SEC-2026-0007");
	g_assert_null(c);
	g_assert_null(d);
	g_assert_cmpstr(e, ==, "SEC-2026-0009");
	g_assert_null(caseid_from_subject(NULL, "SEC"));
}

static void
test_extension(void)
{
	char *id = NULL;

	g_assert_cmpint(caseid_from_extension(NULL, "SEC", &id), ==, CASE_ADDR_NONE);
	g_assert_cmpint(caseid_from_extension("sec-2026-0042", "SEC", &id), ==, CASE_ADDR_TEAM);
	g_assert_cmpstr(id, ==, "SEC-2026-0042");
	g_free(id);
	g_assert_cmpint(caseid_from_extension("SEC-2026-0042-reporter", "SEC", &id), ==,
	                CASE_ADDR_REPORTER);
	g_free(id);
	g_assert_cmpint(caseid_from_extension("SEC-2026-0042-bounces", "SEC", &id), ==,
	                CASE_ADDR_BOUNCES);
	g_free(id);
	g_assert_cmpint(caseid_from_extension("SEC-2026-0042-other", "SEC", &id), ==,
	                CASE_ADDR_INVALID);
	g_assert_null(id);
	g_assert_cmpint(caseid_from_extension("hello", "SEC", &id), ==, CASE_ADDR_INVALID);
	g_autofree char *addr = caseid_address("security", "example.org", "SEC-2026-0042", "reporter");
	g_assert_cmpstr(addr, ==, "security+SEC-2026-0042-reporter@example.org");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/caseid/format-parse", test_format_parse);
	g_test_add_func("/caseid/subject", test_subject);
	g_test_add_func("/caseid/extension", test_extension);
	return g_test_run();
}
