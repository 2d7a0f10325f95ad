/* runtime.c - one loaded configuration and what the milter builds from it
 * (the authserv-id, the SPF checker, the rate-limit table), and the one in
 * force.
 *
 * A reload (SIGHUP, embargo-milter.c) builds a new Runtime off to the side
 * and swaps it in under a mutex; it never changes one in place. Each SMTP
 * connection takes a reference to the Runtime in force when it starts and
 * drops it at its close, so a connection sees one configuration from start
 * to end, and a Runtime is freed only when the last connection that uses it
 * is gone. Only the pointer swap and the refcount are under the lock; the
 * file is read and checked, and the SPF zone loaded, before it is taken. */
#include "runtime.h"

#include "authres.h"
#include "log.h"

static GMutex current_lock;
static Runtime *current;

/* The authserv-id we write: [milter] authserv_id, or this host's name. */
static char *
authserv_id_of(const EmbargoConfig *config)
{
	const char *host = g_get_host_name();

	if (config->milter.authserv_id != NULL)
		return g_strdup(config->milter.authserv_id);
	if (authres_id_valid(host))
		return g_strdup(host);
	log_warn("host name '%s' is no usable authserv-id; using 'localhost' (set [milter] authserv_id)",
	         host);
	return g_strdup("localhost");
}

/* The rate-limit table for M: PREVIOUS's own when the limit did not change
 * (its counts go on), else a new one that starts from PREVIOUS's history. */
static RateLimit *
rate_of(const EmbargoMilterConfig *m, const Runtime *previous, guint table_max)
{
	RateLimit *old = previous != NULL ? previous->rate : NULL;

	if (previous != NULL &&
	    ratelimit_same(old, m->rate_max, m->rate_seconds, table_max, m->rate_ipv6_prefix))
		return ratelimit_ref(old);
	return ratelimit_new_from(old, m->rate_max, m->rate_seconds, table_max, m->rate_ipv6_prefix,
	                          g_get_monotonic_time());
}

/* Builds what CONFIG (taken, even on failure) asks for; PREVIOUS, the
 * Runtime in force if any, lends its rate-limit history. NULL with ERROR
 * set ("FILE: [milter] KEY: ...") when CONFIG cannot be used. */
Runtime *
runtime_new(EmbargoConfig *config, Runtime *previous, guint rate_table_max, GError **error)
{
	g_autoptr(Runtime) rt = NULL;

	g_return_val_if_fail(config != NULL, NULL);
	rt = g_new0(Runtime, 1);
	g_atomic_ref_count_init(&rt->refs);
	rt->config = config;
	rt->authserv_id = authserv_id_of(config);
	rt->spf = spf_checker_new(rt->authserv_id, config->milter.spf_test_zone, error);
	if (rt->spf == NULL) {
		g_prefix_error(error, "%s: [milter] spf_test_zone: ", config->path);
		return NULL;
	}
	spf_checker_set_timeout(rt->spf, config->milter.spf_timeout);
	rt->rate = rate_of(&config->milter, previous, rate_table_max);
	for (guint i = 0; i < config->lists->len; i++) {
		const EmbargoList *list = config->lists->pdata[i];
		if (list->max_message_size > 0)
			rt->size_limits = TRUE;
	}
	return g_steal_pointer(&rt);
}

Runtime *
runtime_ref(Runtime *rt)
{
	if (rt != NULL)
		g_atomic_ref_count_inc(&rt->refs);
	return rt;
}

void
runtime_unref(Runtime *rt)
{
	if (rt == NULL || !g_atomic_ref_count_dec(&rt->refs))
		return;
	ratelimit_unref(rt->rate);
	spf_checker_free(rt->spf);
	g_free(rt->authserv_id);
	config_free(rt->config);
	g_free(rt);
}

/* "authserv-id mx.example.org, 2 lists, spf_fail = tag, rate limit 20/600", for the log. */
char *
runtime_describe(const Runtime *rt)
{
	const EmbargoMilterConfig *m;
	g_autofree char *rate = NULL;

	g_return_val_if_fail(rt != NULL, NULL);
	m = &rt->config->milter;
	rate = rt->rate != NULL ? g_strdup_printf("%u/%u", m->rate_max, m->rate_seconds) : g_strdup("none");
	return g_strdup_printf("authserv-id %s, %u list%s, spf_fail = %s, rate limit %s", rt->authserv_id,
	                       rt->config->lists->len, rt->config->lists->len == 1 ? "" : "s",
	                       m->spf_reject ? "reject" : "tag", rate);
}

/* Puts RT (taken; NULL at exit) in force for the connections that start
 * from now on; the one it replaces lives on while connections hold it. */
void
runtime_install(Runtime *rt)
{
	Runtime *old;

	g_mutex_lock(&current_lock);
	old = current;
	current = rt;
	g_mutex_unlock(&current_lock);
	runtime_unref(old);
}

/* A new reference to the Runtime in force, NULL when there is none. */
Runtime *
runtime_current(void)
{
	Runtime *rt;

	g_mutex_lock(&current_lock);
	rt = runtime_ref(current);
	g_mutex_unlock(&current_lock);
	return rt;
}
