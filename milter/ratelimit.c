/* ratelimit.c - a sliding-window count of messages per client address, in
 * a table of bounded size.
 *
 * Each address keeps the times of its last MAX accepted messages in a ring;
 * a new message is allowed when the oldest of them has left the window. That
 * is exact (no burst at a window's edge, unlike fixed buckets) and costs
 * MAX timestamps per address.
 *
 * The table holds at most TABLE_MAX addresses, so that a flood of distinct
 * client addresses cannot grow it without bound. The addresses are also
 * kept in the order they were last seen (least recent first): every lookup
 * first drops addresses at that end whose newest message has left the
 * window (they no longer count for anything), and a new address that finds
 * the table full pushes out the least recently seen one, whose count then
 * starts again from nothing. Both are O(1) per message, so a full table
 * costs a flood no more CPU than an empty one. Forgetting live addresses is
 * logged, at most once per window.
 *
 * One mutex guards a table: the work under it is a hash lookup and a few
 * stores, never I/O or DNS. A table is refcounted: the configurations in
 * force share it while their rate_limit is the same (runtime.c). */
#include "ratelimit.h"

#include "log.h"

typedef struct {
	GList lru;       /* link in RateLimit.lru; .data points back here */
	char *client;    /* the hash table's key, owned here */
	guint count;     /* timestamps held, at most max */
	guint oldest;    /* index of the oldest one */
	gint64 times[];  /* monotonic microseconds */
} Window;

struct RateLimit {
	gatomicrefcount refs;
	GMutex lock;
	guint max;
	guint seconds;
	gint64 span_us;
	guint table_max;
	GHashTable *clients; /* char * -> Window *, the key being Window.client */
	GQueue lru;          /* Window *, least recently seen first */
	guint64 forgotten;   /* live addresses pushed out since the last report */
	gboolean reported;   /* ... and when that report was, if any */
	gint64 reported_us;
};

static void
window_free(gpointer data)
{
	Window *w = data;

	g_free(w->client);
	g_free(w);
}

RateLimit *
ratelimit_new(guint max, guint seconds, guint table_max)
{
	RateLimit *rl;

	if (max == 0 || seconds == 0)
		return NULL;
	rl = g_new0(RateLimit, 1);
	g_atomic_ref_count_init(&rl->refs);
	g_mutex_init(&rl->lock);
	rl->max = max;
	rl->seconds = seconds;
	rl->span_us = (gint64)seconds * G_USEC_PER_SEC;
	rl->table_max = MAX(table_max, 1);
	rl->clients = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, window_free);
	g_queue_init(&rl->lru);
	return rl;
}

RateLimit *
ratelimit_ref(RateLimit *rl)
{
	if (rl != NULL)
		g_atomic_ref_count_inc(&rl->refs);
	return rl;
}

void
ratelimit_unref(RateLimit *rl)
{
	if (rl == NULL || !g_atomic_ref_count_dec(&rl->refs))
		return;
	g_hash_table_unref(rl->clients); /* frees every Window, and so the links of lru */
	g_mutex_clear(&rl->lock);
	g_free(rl);
}

/* Whether RL is what rate_limit = MAX/SECONDS (and TABLE_MAX) asks for; a NULL RL is "none". */
gboolean
ratelimit_same(const RateLimit *rl, guint max, guint seconds, guint table_max)
{
	if (rl == NULL || max == 0 || seconds == 0)
		return rl == NULL && (max == 0 || seconds == 0);
	return rl->max == max && rl->seconds == seconds && rl->table_max == MAX(table_max, 1);
}

/* W's newest message has left RL's window (W is in a table whose rings hold RING). */
static gboolean
window_expired(const RateLimit *rl, const Window *w, guint ring, gint64 now_us)
{
	return w->count == 0 || w->times[(w->oldest + w->count - 1) % ring] <= now_us - rl->span_us;
}

static void
forget(RateLimit *rl, Window *w)
{
	g_queue_unlink(&rl->lru, &w->lru);
	g_hash_table_remove(rl->clients, w->client); /* frees W */
}

static Window *
least_recent(RateLimit *rl)
{
	return rl->lru.head != NULL ? rl->lru.head->data : NULL;
}

/* Drops addresses whose every message has left the window, least recently seen first. */
static void
expire(RateLimit *rl, gint64 now_us)
{
	Window *w;

	while ((w = least_recent(rl)) != NULL && window_expired(rl, w, rl->max, now_us))
		forget(rl, w);
}

/* Makes room for one more address: the expired ones go first, then the least recently seen. */
static void
make_room(RateLimit *rl, gint64 now_us)
{
	expire(rl, now_us);
	while (g_hash_table_size(rl->clients) >= rl->table_max) {
		forget(rl, least_recent(rl));
		rl->forgotten++;
	}
}

static Window *
window_add(RateLimit *rl, const char *client, gint64 now_us)
{
	Window *w = g_malloc0(sizeof *w + rl->max * sizeof w->times[0]);

	make_room(rl, now_us);
	w->client = g_strdup(client);
	w->lru.data = w;
	g_hash_table_insert(rl->clients, w->client, w);
	g_queue_push_tail_link(&rl->lru, &w->lru);
	return w;
}

static void
window_push(RateLimit *rl, Window *w, gint64 t)
{
	if (w->count < rl->max) {
		w->times[(w->oldest + w->count) % rl->max] = t;
		w->count++;
	} else {
		w->times[w->oldest] = t; /* the oldest leaves, the newest takes its slot */
		w->oldest = (w->oldest + 1) % rl->max;
	}
}

/* The number of live addresses pushed out to report now, or 0: at most one report per window. */
static guint64
report_due(RateLimit *rl, gint64 now_us)
{
	guint64 n = rl->forgotten;

	if (n == 0 || (rl->reported && now_us - rl->reported_us < rl->span_us))
		return 0;
	rl->forgotten = 0;
	rl->reported = TRUE;
	rl->reported_us = now_us;
	return n;
}

/* TRUE, and counted, when CLIENT may send one more message at NOW_US; FALSE
 * when it already sent MAX within the window. A NULL RL is no limit. */
gboolean
ratelimit_take(RateLimit *rl, const char *client, gint64 now_us)
{
	Window *w;
	gboolean allowed = TRUE;
	guint64 report;

	if (rl == NULL)
		return TRUE;
	g_mutex_lock(&rl->lock);
	expire(rl, now_us);
	w = g_hash_table_lookup(rl->clients, client);
	if (w == NULL) {
		w = window_add(rl, client, now_us);
	} else {
		/* seen now, refused or not: a client that keeps trying stays remembered */
		g_queue_unlink(&rl->lru, &w->lru);
		g_queue_push_tail_link(&rl->lru, &w->lru);
	}
	if (w->count < rl->max || w->times[w->oldest] <= now_us - rl->span_us)
		window_push(rl, w, now_us);
	else
		allowed = FALSE;
	report = report_due(rl, now_us);
	g_mutex_unlock(&rl->lock);

	if (report > 0)
		log_warn("rate limit: the table of client addresses is full (%u): forgot %" G_GUINT64_FORMAT
		         ", the least recently seen, whose counts start again (said at most once per window)",
		         rl->table_max, report);
	return allowed;
}

/* Addresses held now. */
guint
ratelimit_size(RateLimit *rl)
{
	guint n;

	if (rl == NULL)
		return 0;
	g_mutex_lock(&rl->lock);
	n = g_hash_table_size(rl->clients);
	g_mutex_unlock(&rl->lock);
	return n;
}

/* Copies OLD's recent history into a new table RL: each address keeps its
 * newest messages still within RL's window, at most RL's MAX of them, and
 * its place in the order last seen. */
static void
copy_history(RateLimit *rl, RateLimit *old, gint64 now_us)
{
	for (GList *l = old->lru.head; l != NULL; l = l->next) {
		const Window *from = l->data;
		guint keep = MIN(from->count, rl->max);
		Window *to;

		if (window_expired(rl, from, old->max, now_us))
			continue;
		to = window_add(rl, from->client, now_us);
		for (guint i = from->count - keep; i < from->count; i++) {
			gint64 t = from->times[(from->oldest + i) % old->max];
			if (t > now_us - rl->span_us)
				window_push(rl, to, t);
		}
	}
	rl->forgotten = 0; /* what did not fit was not forgotten by a flood */
}

/* A table for a changed rate_limit (a reload) that starts from OLD's
 * history, so that a reload does not give every client a fresh allowance.
 * OLD may be NULL (there was no limit) and stays usable: connections that
 * began before the reload still count in it. */
RateLimit *
ratelimit_new_from(RateLimit *old, guint max, guint seconds, guint table_max, gint64 now_us)
{
	RateLimit *rl = ratelimit_new(max, seconds, table_max);

	if (rl == NULL || old == NULL)
		return rl;
	g_mutex_lock(&old->lock);
	copy_history(rl, old, now_us);
	g_mutex_unlock(&old->lock);
	return rl;
}
