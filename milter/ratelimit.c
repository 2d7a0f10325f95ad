/* ratelimit.c - a sliding-window count of messages per client address.
 *
 * Each address keeps the times of its last MAX accepted messages in a ring;
 * a new message is allowed when the oldest of them has left the window. That
 * is exact (no burst at a window's edge, unlike fixed buckets) and costs
 * MAX timestamps per address seen within the window. Addresses whose newest
 * message has left the window are swept out every so often, so the table
 * holds only the clients of the last window. One mutex guards it: the work
 * under it is a hash lookup and a few stores, never I/O or DNS. */
#include "ratelimit.h"

#define RATELIMIT_SWEEP_EVERY 1024

typedef struct {
	guint count;     /* timestamps held, at most max */
	guint oldest;    /* index of the oldest one */
	gint64 times[];  /* monotonic microseconds */
} Window;

struct RateLimit {
	GMutex lock;
	guint max;
	gint64 span_us;
	GHashTable *clients; /* char * -> Window * */
	guint since_sweep;
};

RateLimit *
ratelimit_new(guint max, guint seconds)
{
	RateLimit *rl;

	if (max == 0 || seconds == 0)
		return NULL;
	rl = g_new0(RateLimit, 1);
	g_mutex_init(&rl->lock);
	rl->max = max;
	rl->span_us = (gint64)seconds * G_USEC_PER_SEC;
	rl->clients = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return rl;
}

void
ratelimit_free(RateLimit *rl)
{
	if (rl == NULL)
		return;
	g_hash_table_unref(rl->clients);
	g_mutex_clear(&rl->lock);
	g_free(rl);
}

static gint64
window_newest(const RateLimit *rl, const Window *w)
{
	return w->times[(w->oldest + w->count - 1) % rl->max];
}

static void
ratelimit_sweep(RateLimit *rl, gint64 now_us)
{
	GHashTableIter it;
	gpointer key, value;

	g_hash_table_iter_init(&it, rl->clients);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (window_newest(rl, value) <= now_us - rl->span_us)
			g_hash_table_iter_remove(&it);
}

/* TRUE, and counted, when CLIENT may send one more message at NOW_US; FALSE
 * when it already sent MAX within the window. A NULL RL is no limit. */
gboolean
ratelimit_take(RateLimit *rl, const char *client, gint64 now_us)
{
	Window *w;
	gboolean allowed = TRUE;

	if (rl == NULL)
		return TRUE;
	g_mutex_lock(&rl->lock);
	if (++rl->since_sweep >= RATELIMIT_SWEEP_EVERY) {
		rl->since_sweep = 0;
		ratelimit_sweep(rl, now_us);
	}
	w = g_hash_table_lookup(rl->clients, client);
	if (w == NULL) {
		w = g_malloc0(sizeof *w + rl->max * sizeof w->times[0]);
		g_hash_table_insert(rl->clients, g_strdup(client), w);
	}
	if (w->count < rl->max) {
		w->times[(w->oldest + w->count) % rl->max] = now_us;
		w->count++;
	} else if (w->times[w->oldest] <= now_us - rl->span_us) {
		w->times[w->oldest] = now_us; /* the oldest leaves, the newest takes its slot */
		w->oldest = (w->oldest + 1) % rl->max;
	} else {
		allowed = FALSE;
	}
	g_mutex_unlock(&rl->lock);
	return allowed;
}
