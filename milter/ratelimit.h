/* ratelimit.h - at most N messages per client address (IPv6: per network) per window, shared by all threads. */
#ifndef EMBARGO_MILTER_RATELIMIT_H
#define EMBARGO_MILTER_RATELIMIT_H

#include <glib.h>

/* Addresses the table holds at most, unless EMBARGO_MILTER_RATE_TABLE_MAX says otherwise. */
#define RATELIMIT_TABLE_MAX 100000

typedef struct RateLimit RateLimit;

/* A table allowing MAX messages per SECONDS per client; caller drops it with
 * ratelimit_unref. NULL when MAX or SECONDS is 0: no limit (every function
 * here takes that NULL as "no limit"). */
RateLimit *ratelimit_new(guint max, guint seconds, guint table_max, guint ipv6_prefix);
/* The same, starting from the history of OLD (borrowed; NULL: none). */
RateLimit *ratelimit_new_from(RateLimit *old, guint max, guint seconds, guint table_max,
                              guint ipv6_prefix, gint64 now_us);
/* A new reference to RL (NULL stays NULL); ratelimit_unref drops one (NULL is fine). */
RateLimit *ratelimit_ref(RateLimit *rl);
void ratelimit_unref(RateLimit *rl);
/* TRUE when RL is what these settings ask for (NULL: no limit). */
gboolean ratelimit_same(const RateLimit *rl, guint max, guint seconds, guint table_max,
                        guint ipv6_prefix);
/* TRUE, and counted, when CLIENT may send one more now; FALSE: over the limit. */
gboolean ratelimit_take(RateLimit *rl, const char *client, gint64 now_us);
/* Client addresses held now; 0 for NULL. */
guint ratelimit_size(RateLimit *rl);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(RateLimit, ratelimit_unref)

#endif
