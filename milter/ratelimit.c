/* ratelimit.c - a sliding-window count of messages per client address, in
 * a table of bounded size.
 *
 * An IPv6 client counts per network, not per address: a host is commonly
 * given a /64 (or more) and may send from any address in it, so a count
 * per address would never stop it. The key of an IPv6 address is its
 * network of [milter] rate_ipv6_prefix bits ("2001:db8:1:2::/64"); an
 * IPv4-mapped address (::ffff:192.0.2.1) counts as the IPv4 address it is.
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

#include <arpa/inet.h>
#include <string.h>

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
	guint ipv6_prefix;   /* bits of an IPv6 address that make its key */
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

/* The key CLIENT (an address as text, or a key of a table with another
 * prefix: "ADDRESS/BITS") counts under in RL; anything that is no IPv6
 * address is its own key. */
static char *
client_key(const RateLimit *rl, const char *client)
{
	const char *slash = strchr(client, '/');
	g_autofree char *addr = slash != NULL ? g_strndup(client, slash - client) : g_strdup(client);
	char text[INET6_ADDRSTRLEN];
	struct in6_addr a;

	if (inet_pton(AF_INET6, addr, &a) != 1)
		return g_strdup(client);
	if (IN6_IS_ADDR_V4MAPPED(&a)) {
		inet_ntop(AF_INET, &a.s6_addr[12], text, sizeof text);
		return g_strdup(text);
	}
	if (rl->ipv6_prefix >= 128) {
		inet_ntop(AF_INET6, &a, text, sizeof text);
		return g_strdup(text);
	}
	for (guint bit = rl->ipv6_prefix; bit < 128; bit++)
		a.s6_addr[bit / 8] &= (guint8)~(0x80u >> (bit % 8));
	inet_ntop(AF_INET6, &a, text, sizeof text);
	return g_strdup_printf("%s/%u", text, rl->ipv6_prefix);
}

/* IPV6_PREFIX (1-128; outside, 128): the bits of an IPv6 client's address that it counts by. */
RateLimit *
ratelimit_new(guint max, guint seconds, guint table_max, guint ipv6_prefix)
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
	rl->ipv6_prefix = ipv6_prefix >= 1 && ipv6_prefix <= 128 ? ipv6_prefix : 128;
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

/* Whether RL is what rate_limit = MAX/SECONDS (and TABLE_MAX, IPV6_PREFIX) asks for; a NULL RL is "none". */
gboolean
ratelimit_same(const RateLimit *rl, guint max, guint seconds, guint table_max, guint ipv6_prefix)
{
	if (rl == NULL || max == 0 || seconds == 0)
		return rl == NULL && (max == 0 || seconds == 0);
	return rl->max == max && rl->seconds == seconds && rl->table_max == MAX(table_max, 1) &&
	       rl->ipv6_prefix == (ipv6_prefix >= 1 && ipv6_prefix <= 128 ? ipv6_prefix : 128);
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

/* A new window for KEY (a key of RL's, taken). */
static Window *
window_add(RateLimit *rl, char *key, gint64 now_us)
{
	Window *w = g_malloc0(sizeof *w + rl->max * sizeof w->times[0]);

	make_room(rl, now_us);
	w->client = key;
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
	g_autofree char *key = NULL;
	Window *w;
	gboolean allowed = TRUE;
	guint64 report;

	if (rl == NULL)
		return TRUE;
	g_return_val_if_fail(client != NULL, TRUE);
	key = client_key(rl, client);
	g_mutex_lock(&rl->lock);
	expire(rl, now_us);
	w = g_hash_table_lookup(rl->clients, key);
	if (w == NULL) {
		w = window_add(rl, g_steal_pointer(&key), now_us);
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

static gint
time_cmp(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

	return x < y ? -1 : x > y;
}

/* The messages of one key of a new table, while its history is copied. */
typedef struct {
	char *key;
	guint last; /* when it was last seen, as a place in the old order */
	GArray *times;
} Merged;

static void
merged_free(gpointer data)
{
	Merged *m = data;

	g_free(m->key);
	g_array_unref(m->times);
	g_free(m);
}

static gint
merged_cmp(gconstpointer a, gconstpointer b)
{
	const Merged *x = *(Merged *const *)a, *y = *(Merged *const *)b;

	return x->last < y->last ? -1 : x->last > y->last;
}

/* Copies OLD's recent history into a new table RL: each key of RL keeps
 * its newest messages still within RL's window, at most RL's MAX of them,
 * and its place in the order last seen. With another IPv6 prefix, several
 * old keys may make one new key: their messages are merged in time order. */
static void
copy_history(RateLimit *rl, RateLimit *old, gint64 now_us)
{
	g_autoptr(GHashTable) merged = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(merged_free);
	guint place = 0;

	/* first the messages per new key (windows are made only once they have
	 * messages: a table that makes room drops empty ones) ... */
	for (GList *l = old->lru.head; l != NULL; l = l->next, place++) {
		const Window *from = l->data;
		g_autofree char *key = NULL;
		Merged *m;

		if (window_expired(rl, from, old->max, now_us))
			continue;
		key = client_key(rl, from->client);
		m = g_hash_table_lookup(merged, key);
		if (m == NULL) {
			m = g_new0(Merged, 1);
			m->key = g_steal_pointer(&key);
			m->times = g_array_new(FALSE, FALSE, sizeof(gint64));
			g_ptr_array_add(keys, m);
			g_hash_table_insert(merged, m->key, m);
		}
		m->last = place;
		for (guint i = 0; i < from->count; i++) {
			gint64 when = from->times[(from->oldest + i) % old->max];
			if (when > now_us - rl->span_us)
				g_array_append_val(m->times, when);
		}
	}
	/* ... then a window per key, least recently seen first, its newest messages in order */
	g_ptr_array_sort(keys, merged_cmp);
	for (guint k = 0; k < keys->len; k++) {
		Merged *m = keys->pdata[k];
		Window *to = window_add(rl, g_strdup(m->key), now_us);

		g_array_sort(m->times, time_cmp);
		for (guint i = m->times->len > rl->max ? m->times->len - rl->max : 0; i < m->times->len; i++)
			window_push(rl, to, g_array_index(m->times, gint64, i));
	}
	rl->forgotten = 0; /* what did not fit was not forgotten by a flood */
}

/* A table for a changed rate_limit (a reload) that starts from OLD's
 * history, so that a reload does not give every client a fresh allowance.
 * OLD may be NULL (there was no limit) and stays usable: connections that
 * began before the reload still count in it. */
RateLimit *
ratelimit_new_from(RateLimit *old, guint max, guint seconds, guint table_max, guint ipv6_prefix,
                   gint64 now_us)
{
	RateLimit *rl = ratelimit_new(max, seconds, table_max, ipv6_prefix);

	if (rl == NULL || old == NULL)
		return rl;
	g_mutex_lock(&old->lock);
	copy_history(rl, old, now_us);
	g_mutex_unlock(&old->lock);
	return rl;
}
