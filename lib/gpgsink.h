/* gpgsink.h - a GPGME output that takes at most a given number of bytes. */
#ifndef EMBARGO_GPGSINK_H
#define EMBARGO_GPGSINK_H

#include <glib.h>
#include <gpgme.h>

typedef struct GpgSink GpgSink;

/* A sink for at most LIMIT bytes (LIMIT > 0), and *DATA, the GPGME output
 * that writes into it; release DATA before the sink. */
GpgSink *gpg_sink_new(guint64 limit, gpgme_data_t *data, gpgme_error_t *err);
/* TRUE once a write would have taken it past its limit: the operation that
 * wrote was stopped, and its output is incomplete. */
gboolean gpg_sink_exceeded(const GpgSink *sink);
guint64 gpg_sink_limit(const GpgSink *sink);
/* What was written, taken out of the sink. */
GBytes *gpg_sink_take(GpgSink *sink);
void gpg_sink_free(GpgSink *sink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(GpgSink, gpg_sink_free)

#endif
