/* test-envelope.c - envelope arguments made text, and recipients split past
 * an extension address.c refuses. */
#include "envelope.h"

static void
test_text(void)
{
	struct {
		const char *in, *out;
		gboolean escaped;
	} cases[] = {
		{ "jane@example.net", "jane@example.net", FALSE },
		{ "", "", FALSE },
		{ "j\xc3\xb6rg@ex\xc3\xa4mple.org", "j\xc3\xb6rg@ex\xc3\xa4mple.org", FALSE },
		{ "a\\b@x.org", "a\\b@x.org", FALSE },
		{ "j\xffrg@x.org", "j\\xffrg@x.org", TRUE },
		{ "a\\\xff", "a\\\\\\xff", TRUE },
		{ "a\r\nb", "a\\x0d\\x0ab", TRUE },
		{ "ex\xc3mple", "ex\\xc3mple", TRUE },
		{ "\xc3\xb6\xed\xa0\x80", "\xc3\xb6\\xed\\xa0\\x80", TRUE },
		{ "\x7f", "\\x7f", TRUE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean escaped = !cases[i].escaped;
		g_autofree char *t = envelope_text(cases[i].in, &escaped);
		g_assert_cmpstr(t, ==, cases[i].out);
		g_assert_true(g_utf8_validate(t, -1, NULL));
		g_assert_cmpint(escaped, ==, cases[i].escaped);
	}
}

static void
test_split(void)
{
	struct {
		const char *in, *base, *ext;
	} ok[] = {
		{ "security+j\xc3\xb6rg@example.org", "security@example.org", "j\xc3\xb6rg" },
		{ "<Security+a b@Example.ORG>", "security@example.org", "a b" },
		{ "security+a@b@example.org", "security@example.org", "a@b" },
		{ "security+@example.org", "security@example.org", "" },
	};
	const char *bad[] = { "s\xc3\xa9" "curit\xc3\xa9@example.org", "security@example.org", "+x@y.org",
		              "sec urity+x@example.org", "security+x", "a@x+y.org", "-o+x@example.org", NULL };

	for (gsize i = 0; i < G_N_ELEMENTS(ok); i++) {
		g_autofree char *base = NULL, *ext = NULL;
		g_assert_true(envelope_split_recipient(ok[i].in, &base, &ext));
		g_assert_cmpstr(base, ==, ok[i].base);
		g_assert_cmpstr(ext, ==, ok[i].ext);
	}
	for (int i = 0; bad[i] != NULL; i++) {
		g_autofree char *base = NULL, *ext = NULL;
		g_assert_false(envelope_split_recipient(bad[i], &base, &ext));
		g_assert_null(base);
		g_assert_null(ext);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/envelope/text", test_text);
	g_test_add_func("/envelope/split", test_split);
	return g_test_run();
}
