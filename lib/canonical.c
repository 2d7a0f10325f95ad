/* canonical.c - writes a MIME entity in its canonical form, lines ending in
 * CRLF (RFC 3156 section 5): what a signature is made over when we sign,
 * and what it is checked against when we verify. */
#include "canonical.h"

GBytes *
canonical_bytes(GMimeObject *obj)
{
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new(mem);
	GMimeFilter *crlf = g_mime_filter_unix2dos_new(FALSE);
	GByteArray *ba;

	g_return_val_if_fail(GMIME_IS_OBJECT(obj), NULL);
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), crlf);
	g_object_unref(crlf);
	g_mime_object_write_to_stream(obj, NULL, filtered);
	g_mime_stream_flush(filtered);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	return g_bytes_new(ba->data, ba->len);
}
