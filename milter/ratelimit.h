/* ratelimit.h - at most N messages per client address per window, shared by all threads. */
#ifndef EMBARGO_MILTER_RATELIMIT_H
#define EMBARGO_MILTER_RATELIMIT_H

#include <glib.h>

typedef struct RateLimit RateLimit;

RateLimit *ratelimit_new(guint max, guint seconds);
void ratelimit_free(RateLimit *rl);
gboolean ratelimit_take(RateLimit *rl, const char *client, gint64 now_us);

#endif
