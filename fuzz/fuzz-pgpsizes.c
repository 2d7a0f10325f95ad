/* fuzz-pgpsizes.c - libFuzzer harness for what bounds OpenPGP sizes:
 * - the bound on what gpg may write for one operation (gpgsink.c), driven
 *   through GPGME's own data object as gpg's output is. The input is a
 *   limit and a sequence of writes of any sizes: what the sink holds is
 *   exactly the writes it accepted, never more than the limit, and once one
 *   write was refused every later one is too;
 * - the packet framing looked at before gpg gets a key or a signature
 *   (pgppackets.c), on the same input as key data and as a signature: never
 *   a crash, and a refusal always says why;
 * - the recipients an encrypted message names (pgppackets.c), read to
 *   tell a message for the list from one quoted in a report. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gpgsink.h"
#include "pgppackets.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	gpgme_check_version(NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autoptr(GpgSink) sink = NULL;
	g_autoptr(GBytes) got = NULL;
	g_autoptr(GByteArray) want = g_byte_array_new();
	gpgme_data_t out = NULL;
	gpgme_error_t err;
	guint64 limit;
	gboolean refused = FALSE;
	size_t pos = 2;

	for (int i = 0; i < 2; i++) {
		g_autofree char *why = NULL;
		gboolean ok = pgp_packets_check(data, size, i == 0 ? PGP_PACKETS_KEY : PGP_PACKETS_SIGNATURE,
		                                &why);
		if (ok == (why != NULL))
			abort();
	}
	{
		g_autofree char *why = NULL;
		gboolean encrypted, anonymous;
		g_autoptr(GPtrArray) ids = pgp_packets_recipients(data, size, &encrypted, &anonymous, &why);
		if ((ids == NULL) == (why == NULL))
			abort();
		if (ids != NULL && ids->len > 0 && !encrypted)
			abort();
		for (guint i = 0; ids != NULL && i < ids->len; i++)
			if (strlen(ids->pdata[i]) != 16)
				abort();
	}
	if (size < 2)
		return 0;
	/* A small limit, so that the writes reach it. */
	limit = ((guint64)data[0] << 8 | data[1]) % 4096;
	sink = gpg_sink_new(limit, &out, &err);
	if (sink == NULL)
		abort();
	while (pos < size) {
		/* Each write: a length byte (times 7, past 255), then that many bytes or what is left. */
		size_t n = (size_t)data[pos++] * 7;
		ssize_t w;
		if (n > size - pos)
			n = size - pos;
		if (n == 0)
			continue; /* GPGME answers a write of nothing itself: the sink never sees it */
		w = gpgme_data_write(out, data + pos, n);
		if (w < 0) {
			refused = TRUE;
		} else {
			if (refused || (size_t)w > n)
				abort();
			/* GPGME passes a write on whole. */
			g_byte_array_append(want, data + pos, (guint)w);
		}
		pos += n;
	}
	gpgme_data_release(out);
	if (refused != gpg_sink_exceeded(sink))
		abort();
	got = gpg_sink_take(sink);
	if (g_bytes_get_size(got) > (limit > 0 ? limit : 1) || g_bytes_get_size(got) != want->len ||
	    (want->len > 0 && memcmp(g_bytes_get_data(got, NULL), want->data, want->len) != 0))
		abort();
	return 0;
}
