/* signedpart.c - owns finding the signed part of a multipart/signed in the
 * bytes that arrived. A signature covers those bytes (in CRLF form), not
 * GMime's writing of the part: GMime ends a multipart it writes with a
 * line break that a sender may never have sent (a signed multipart/mixed
 * whose closing delimiter is followed straight by the signature's), and a
 * check over its writing calls a good signature bad.
 *
 * The parser keeps the message's stream: a leaf part's content is a window
 * on it. The signature part is such a leaf, so the stream and where it
 * begins are known; the two delimiter lines before it bound the signed
 * part (RFC 2046: the line break before a delimiter belongs to it). What
 * is found is taken only if GMime reads it as the very part it read in the
 * message, so that a signature can never be checked over bytes other than
 * those the team is shown. */
#include "signedpart.h"

#include <string.h>

#include "canonical.h"
#include "hdrbound.h"
#include "log.h"

/* TRUE when the line at P (up to END) is the delimiter "--BOUNDARY",
 * with blank space after it, as RFC 2046 allows. */
static gboolean
signedpart_is_delimiter(const char *p, const char *end, const char *boundary, gsize blen)
{
	if ((gsize)(end - p) < 2 + blen || p[0] != '-' || p[1] != '-' ||
	    memcmp(p + 2, boundary, blen) != 0)
		return FALSE;
	for (p += 2 + blen; p < end && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r')
			return FALSE;
	return TRUE;
}

/* The start of the last delimiter line that begins before STOP in BUF, or
 * NULL. */
static const char *
signedpart_last_delimiter(const char *buf, const char *stop, const char *end, const char *boundary,
                          gsize blen)
{
	for (const char *p = stop; p > buf;) {
		p--;
		if ((p == buf || p[-1] == '\n') && signedpart_is_delimiter(p, end, boundary, blen))
			return p;
	}
	return NULL;
}

/* LEN bytes at P with every bare LF made CRLF. */
static GBytes *
signedpart_crlf(const char *p, gsize len)
{
	GByteArray *out = g_byte_array_sized_new(len + len / 32 + 2);

	for (gsize i = 0; i < len; i++) {
		if (p[i] == '\n' && (i == 0 || p[i - 1] != '\r'))
			g_byte_array_append(out, (const guint8 *)"\r", 1);
		g_byte_array_append(out, (const guint8 *)p + i, 1);
	}
	return g_byte_array_free_to_bytes(out);
}

/* Whether GMime reads RAW as the entity it read as CONTENT: both written
 * out the same. */
static gboolean
signedpart_same(GBytes *raw, GMimeObject *content)
{
	gsize n;
	const char *p = g_bytes_get_data(raw, &n);
	g_autofree char *unsafe = hdrbound_check(p != NULL ? p : "", n);
	g_autoptr(GMimeStream) mem = NULL;
	g_autoptr(GMimeParser) parser = NULL;
	g_autoptr(GMimeObject) again = NULL;
	g_autoptr(GBytes) a = NULL, b = NULL;

	if (unsafe != NULL)
		return FALSE;
	mem = g_mime_stream_mem_new_with_buffer(p != NULL ? p : "", n);
	parser = g_mime_parser_new_with_stream(mem);
	again = g_mime_parser_construct_part(parser, NULL);
	if (again == NULL)
		return FALSE;
	a = canonical_bytes(again);
	b = canonical_bytes(content);
	return g_bytes_equal(a, b);
}

GBytes *
signedpart_bytes(GMimeMultipart *mps)
{
	GMimeObject *content, *sigpart;
	GMimeDataWrapper *w;
	GMimeStream *window, *whole;
	const char *boundary = g_mime_multipart_get_boundary(mps);
	g_autoptr(GMimeStream) before = NULL, mem = NULL;
	g_autoptr(GBytes) raw = NULL;
	GByteArray *ba;
	const char *buf, *end, *d1, *d2, *start, *stop;
	gsize blen;

	if (boundary == NULL || g_mime_multipart_get_count(mps) != 2)
		return NULL;
	content = g_mime_multipart_get_part(mps, GMIME_MULTIPART_SIGNED_CONTENT);
	sigpart = g_mime_multipart_get_part(mps, GMIME_MULTIPART_SIGNED_SIGNATURE);
	if (!GMIME_IS_PART(sigpart) || (w = g_mime_part_get_content(GMIME_PART(sigpart))) == NULL ||
	    (window = g_mime_data_wrapper_get_stream(w)) == NULL ||
	    (whole = window->super_stream) == NULL || window->bound_start <= whole->bound_start)
		return NULL;
	/* Everything up to the signature's content: its headers, and before
	 * them the delimiters around the signed part. */
	before = g_mime_stream_substream(whole, whole->bound_start, window->bound_start);
	mem = g_mime_stream_mem_new();
	if (before == NULL || g_mime_stream_write_to_stream(before, mem) < 0)
		return NULL;
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	buf = (const char *)ba->data;
	end = buf + ba->len;
	blen = strlen(boundary);
	if ((d2 = signedpart_last_delimiter(buf, end, end, boundary, blen)) == NULL ||
	    (d1 = signedpart_last_delimiter(buf, d2, end, boundary, blen)) == NULL)
		return NULL;
	start = memchr(d1, '\n', d2 - d1);
	if (start == NULL)
		return NULL;
	start++;
	/* The line break before the delimiter is the delimiter's. */
	stop = d2;
	if (stop > start && stop[-1] == '\n')
		stop--;
	if (stop > start && stop[-1] == '\r')
		stop--;
	raw = signedpart_crlf(start, stop - start);
	if (!signedpart_same(raw, content)) {
		log_info("the signed part as it arrived is not the part read: checked as written "
		         "out");
		return NULL;
	}
	return g_steal_pointer(&raw);
}
