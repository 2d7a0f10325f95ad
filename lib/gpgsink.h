/* gpgsink.h - a GPGME output that takes at most a given number of bytes. */
#ifndef EMBARGO_GPGSINK_H
#define EMBARGO_GPGSINK_H

#include <glib.h>
#include <gpgme.h>

typedef struct GpgSink GpgSink;

/* A sink for at most LIMIT bytes (LIMIT > 0), and *DATA, the GPGME output
 * that writes into it; release DATA before the sink. Caller frees the sink
 * with gpg_sink_free and DATA with gpgme_data_release. NULL (*DATA NULL)
 * with *ERR set when GPGME refused. */
GpgSink *gpg_sink_new(guint64 limit, gpgme_data_t *data, gpgme_error_t *err);
/* TRUE once a write would have taken it past its limit: the operation that
 * wrote was stopped, and its output is incomplete. */
gboolean gpg_sink_exceeded(const GpgSink *sink);
/* The limit in bytes (1 when it was created with 0). */
guint64 gpg_sink_limit(const GpgSink *sink);
/* What was written, taken out of the sink (which is empty after); caller
 * g_bytes_unrefs. Never NULL. */
GBytes *gpg_sink_take(GpgSink *sink);
/* Frees SINK; NULL is fine. */
void gpg_sink_free(GpgSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpgSink, gpg_sink_free)

#endif
