/* gpgsink.c - owns the bound on what gpg may write for one operation.
 *
 * A compressed OpenPGP packet may stand for any amount of data: a message
 * of a kilobyte can decompress to gigabytes. gpg writes what it decrypts or
 * verifies as it goes; this output refuses (EFBIG) the write that would
 * take it past its limit, GPGME then stops the operation and closes gpg's
 * pipe, so gpg ends instead of writing on, and memory never holds more
 * than the limit. The caller asks gpg_sink_exceeded() before it looks at
 * the operation's error: a stopped operation is not a gpg fault. */
#include "gpgsink.h"

#include <errno.h>
#include <stdio.h>

struct GpgSink {
	GByteArray *bytes;
	guint64 limit;
	gboolean exceeded;
};

static ssize_t
sink_write(void *handle, const void *buffer, size_t size)
{
	GpgSink *s = handle;

	/* Once past the bound, the output has a hole: nothing after it counts. */
	if (s->exceeded || size > s->limit || s->bytes->len > s->limit - size ||
	    size > G_MAXUINT - s->bytes->len) {
		s->exceeded = TRUE;
		errno = EFBIG;
		return -1;
	}
	g_byte_array_append(s->bytes, buffer, (guint)size);
	return (ssize_t)size;
}

/* Only where the data ends: GPGME asks for that, and this output is only
 * ever appended to. */
static off_t
sink_seek(void *handle, off_t offset, int whence)
{
	GpgSink *s = handle;
	off_t end = (off_t)s->bytes->len;

	if ((whence == SEEK_SET && offset == end) || ((whence == SEEK_CUR || whence == SEEK_END) &&
	                                              offset == 0))
		return end;
	errno = EINVAL;
	return -1;
}

static struct gpgme_data_cbs sink_cbs = {
	.read = NULL,
	.write = sink_write,
	.seek = sink_seek,
	.release = NULL,
};

GpgSink *
gpg_sink_new(guint64 limit, gpgme_data_t *data, gpgme_error_t *err)
{
	GpgSink *s;

	g_return_val_if_fail(data != NULL && err != NULL, NULL);
	s = g_new0(GpgSink, 1);
	s->bytes = g_byte_array_new();
	s->limit = limit > 0 ? limit : 1;
	*data = NULL;
	*err = gpgme_data_new_from_cbs(data, &sink_cbs, s);
	if (*err) {
		gpg_sink_free(s);
		return NULL;
	}
	return s;
}

gboolean
gpg_sink_exceeded(const GpgSink *sink)
{
	g_return_val_if_fail(sink != NULL, TRUE);
	return sink->exceeded;
}

guint64
gpg_sink_limit(const GpgSink *sink)
{
	g_return_val_if_fail(sink != NULL, 0);
	return sink->limit;
}

GBytes *
gpg_sink_take(GpgSink *sink)
{
	GBytes *b;

	g_return_val_if_fail(sink != NULL, NULL);
	b = g_byte_array_free_to_bytes(sink->bytes);
	sink->bytes = g_byte_array_new();
	return b;
}

void
gpg_sink_free(GpgSink *sink)
{
	if (sink == NULL)
		return;
	g_byte_array_unref(sink->bytes);
	g_free(sink);
}
