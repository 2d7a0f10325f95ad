/* test-pendingkey.c - the rule for a reporter's key offered by mail, case
 * by case, and how a fingerprint written by a person is read. */
#include "pendingkey.h"

#define K1 "0123456789ABCDEF0123456789ABCDEF01234567"
#define K2 "89ABCDEF0123456789ABCDEF0123456789ABCDEF"

static void
test_verdict(void)
{
	static const struct {
		const char *on_file, *offered;
		gboolean signed_, report, others;
		KeyOfferVerdict want;
	} cases[] = {
		/* the first key: only from the report that opens a case, and only the address's first case */
		{ NULL, K1, FALSE, TRUE, FALSE, KEYOFFER_TAKE },
		{ NULL, K1, FALSE, FALSE, FALSE, KEYOFFER_HOLD },
		{ NULL, K1, TRUE, FALSE, FALSE, KEYOFFER_HOLD },  /* signed by itself proves nothing */
		{ NULL, K1, FALSE, TRUE, TRUE, KEYOFFER_HOLD },
		/* a key on file: the same key is an update, another needs its signature */
		{ K1, K1, FALSE, FALSE, FALSE, KEYOFFER_REFRESH },
		{ K1, "0123456789abcdef0123456789abcdef01234567", FALSE, FALSE, FALSE, KEYOFFER_REFRESH },
		{ K1, K2, FALSE, TRUE, FALSE, KEYOFFER_HOLD },   /* even in a new report */
		{ K1, K2, FALSE, FALSE, FALSE, KEYOFFER_HOLD },
		{ K1, K2, TRUE, FALSE, FALSE, KEYOFFER_TAKE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		KeyOffer o = {
			.on_file = cases[i].on_file,
			.offered = cases[i].offered,
			.signed_by_on_file = cases[i].signed_,
			.opens_case = cases[i].report,
			.other_cases = cases[i].others,
		};
		const char *why = NULL;
		KeyOfferVerdict v = pendingkey_verdict(&o, &why);

		g_assert_cmpint(v, ==, cases[i].want);
		g_assert_true((v == KEYOFFER_HOLD) == (why != NULL));
	}
}

static void
test_normalize(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ K1, K1 },
		{ "0123 4567 89ab cdef 0123  4567 89AB CDEF 0123 4567", K1 },
		{ "0x" K1, K1 },
		{ K1 "0", NULL },
		{ "0123456789ABCDEF", NULL },                 /* a key id is not a fingerprint */
		{ "0123456789ABCDEF0123456789ABCDEF0123456G", NULL },
		{ "", NULL },
		{ "alice@example.org", NULL },
		{ K1 "89ABCDEF0123456789ABCDEF", K1 "89ABCDEF0123456789ABCDEF" }, /* 64: a v5 fingerprint */
		{ K1 K2, NULL },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = pendingkey_normalize_fpr(cases[i].in);
		g_assert_cmpstr(got, ==, cases[i].want);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/pendingkey/verdict", test_verdict);
	g_test_add_func("/pendingkey/normalize", test_normalize);
	return g_test_run();
}
