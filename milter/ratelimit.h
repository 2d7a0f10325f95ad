/* ratelimit.h - at most N messages per client address (IPv6: per network) per window, shared by all threads. */
#ifndef EMBARGO_MILTER_RATELIMIT_H
#define EMBARGO_MILTER_RATELIMIT_H

#include <glib.h>

/* Addresses the table holds at most, unless EMBARGO_MILTER_RATE_TABLE_MAX says otherwise. */
#define RATELIMIT_TABLE_MAX 100000

typedef struct RateLimit RateLimit;

RateLimit *ratelimit_new(guint max, guint seconds, guint table_max, guint ipv6_prefix);
RateLimit *ratelimit_new_from(RateLimit *old, guint max, guint seconds, guint table_max,
                              guint ipv6_prefix, gint64 now_us);
RateLimit *ratelimit_ref(RateLimit *rl);
void ratelimit_unref(RateLimit *rl);
gboolean ratelimit_same(const RateLimit *rl, guint max, guint seconds, guint table_max,
                        guint ipv6_prefix);
gboolean ratelimit_take(RateLimit *rl, const char *client, gint64 now_us);
guint ratelimit_size(RateLimit *rl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RateLimit, ratelimit_unref)

#endif
