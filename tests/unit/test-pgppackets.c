/* test-pgppackets.c - the recipients an encrypted message names, read from
 * its session key packets: v3 and v6 public-key packets, hidden
 * recipients, passphrase-only and unencrypted messages, and what is no
 * OpenPGP data. */
#include "pgppackets.h"

#include <string.h>

typedef struct {
	const char *name;
	const guint8 *data;
	gsize len;
	gboolean ok, encrypted, anonymous;
	const char *ids; /* comma-separated */
} Row;

static void
check_row(gconstpointer p)
{
	const Row *r = p;
	g_autofree char *why = NULL;
	gboolean encrypted = TRUE, anonymous = TRUE;
	g_autoptr(GPtrArray) ids = pgp_packets_recipients(r->data, r->len, &encrypted, &anonymous, &why);

	if (!r->ok) {
		g_assert_null(ids);
		g_assert_nonnull(why);
		return;
	}
	g_assert_nonnull(ids);
	g_assert_null(why);
	g_assert_cmpint(encrypted, ==, r->encrypted);
	g_assert_cmpint(anonymous, ==, r->anonymous);
	g_ptr_array_add(ids, NULL);
	{
		g_autofree char *joined = g_strjoinv(",", (char **)ids->pdata);
		g_assert_cmpstr(joined, ==, r->ids);
	}
}

/* tag 1 (old format, one-octet length), v3, key id, algorithm 18, a stub */
static const guint8 v3[] = { 0x84, 0x0b, 3, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 18, 0 };
/* the same twice, the second a wildcard, then a SEIPD packet of partial length */
static const guint8 v3_two[] = { 0x84, 0x0b, 3, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 18, 0,
	                         0x84, 0x0b, 3, 0, 0, 0, 0, 0, 0, 0, 0, 18, 0,
	                         0xd2, 0xe0, 1, 2, 3 };
/* new format tag 1, v6 naming a v4 key by its 20-octet fingerprint */
static const guint8 v6_v4[] = { 0xc1, 24, 6, 21, 4, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8,
	                        0xa9, 0xaa, 0xab, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 25, 0 };
/* v6 with no key named */
static const guint8 v6_anon[] = { 0xc1, 3, 6, 0, 25 };
/* a passphrase only (tag 3), then SEIPD */
static const guint8 skesk[] = { 0xc3, 4, 4, 9, 0, 2, 0xd2, 1, 1 };
/* a literal data packet: signed or plain, not encrypted */
static const guint8 literal[] = { 0xcb, 4, 'b', 0, 0, 0 };
/* a PKESK that claims more than there is */
static const guint8 cut[] = { 0x84, 0x30, 3, 0x11 };
static const char armored[] = "text before\n-----BEGIN PGP MESSAGE-----\nVersion: x\n\n"
                              "hAsDESIzRFVmd4gSAA==\n=AAAA\n-----END PGP MESSAGE-----\ntext after\n";

int
main(int argc, char **argv)
{
	static const Row rows[] = {
		{ "v3", v3, sizeof v3, TRUE, TRUE, FALSE, "1122334455667788" },
		{ "v3-wildcard", v3_two, sizeof v3_two, TRUE, TRUE, TRUE, "1122334455667788" },
		{ "v6-v4-key", v6_v4, sizeof v6_v4, TRUE, TRUE, FALSE, "B0B1B2B3B4B5B6B7" },
		{ "v6-anonymous", v6_anon, sizeof v6_anon, TRUE, TRUE, TRUE, "" },
		{ "passphrase", skesk, sizeof skesk, TRUE, TRUE, FALSE, "" },
		{ "literal", literal, sizeof literal, TRUE, FALSE, FALSE, "" },
		{ "truncated", cut, sizeof cut, TRUE, TRUE, FALSE, "" },
		{ "armored", (const guint8 *)armored, sizeof armored - 1, TRUE, TRUE, FALSE,
		  "1122334455667788" },
		{ "text", (const guint8 *)"hello", 5, FALSE, FALSE, FALSE, NULL },
		{ "empty", (const guint8 *)"", 0, FALSE, FALSE, FALSE, NULL },
	};

	g_test_init(&argc, &argv, NULL);
	for (gsize i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path = g_strdup_printf("/pgppackets/recipients/%s", rows[i].name);
		g_test_add_data_func(path, &rows[i], check_row);
	}
	return g_test_run();
}
