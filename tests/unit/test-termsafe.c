/* test-termsafe.c - termsafe(): controls, C1, bidi and bytes that are not
 * UTF-8 become visible escapes; printable text of any script stays. */
#include <glib.h>

#include "termsafe.h"

static void
check(const char *in, const char *want)
{
	g_autofree char *got = termsafe(in);

	g_assert_cmpstr(got, ==, want);
}

static void
test_controls(void)
{
	check("plain text", "plain text");
	check("a\033[2Jb", "a\\x1b[2Jb");
	check("bell\007 nul-less\r\n\ttab", "bell\\x07 nul-less\\x0d\\x0a\\x09tab");
	check("del\177", "del\\x7f");
}

static void
test_c1_and_bytes(void)
{
	check("csi \302\233 utf8", "csi \\u009b utf8");
	check("raw \233 byte", "raw \\x9b byte");
	check("cut \342\200", "cut \\xe2\\x80");
	check("overlong \300\257", "overlong \\xc0\\xaf");
}

static void
test_bidi(void)
{
	check("\342\200\256exe.txt", "\\u202eexe.txt");
	check("a\342\201\246b\342\201\251", "a\\u2066b\\u2069");
	check("\342\200\217rlm", "\\u200frlm");
	check("line\342\200\250sep", "line\\u2028sep");
	check("ali\342\200\213ce@exa\357\273\277mple.org", "ali\\u200bce@exa\\ufeffmple.org");
	check("tag\363\240\200\201", "tag\\ue0001");
	/* joiners stay: Persian and emoji sequences need them */
	check("\360\237\221\251\342\200\215\360\237\224\254", "\360\237\221\251\342\200\215\360\237\224\254");
}

static void
test_kept(void)
{
	check("caf\303\251 \320\277\321\200\320\270\320\262\320\265\321\202 \346\274\242\345\255\227",
	      "caf\303\251 \320\277\321\200\320\270\320\262\320\265\321\202 \346\274\242\345\255\227");
	check("", "");
	g_assert_null(termsafe(NULL));
	g_autofree char *text = termsafe_text("one\n\ttwo\033\r\n");
	g_assert_cmpstr(text, ==, "one\n\ttwo\\x1b\\x0d\n");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/termsafe/controls", test_controls);
	g_test_add_func("/termsafe/c1-and-bytes", test_c1_and_bytes);
	g_test_add_func("/termsafe/bidi", test_bidi);
	g_test_add_func("/termsafe/kept", test_kept);
	return g_test_run();
}
