/* spf-check.c - SPF results from libspf2, safely.
 *
 * libspf2 abort()s the whole process on a NULL argument or any internal
 * assertion, so nothing reaches it unchecked: no client address, a
 * malformed domain or a sender with control characters is answered here
 * (RFC 7208 section 4.3: "none") without calling it. Its return codes are
 * not the result: a domain without a record returns an error code with
 * the result "none", and a DNS failure or a record that does not compile
 * leaves the result unset, which we map to temperror and permerror.
 *
 * Threads: an SPF_server_t, with its DNS layers and cache, must not be used
 * by two threads at once, and libmilter runs callbacks of different
 * connections in parallel. A single server behind a mutex would queue every
 * SMTP session behind the slowest DNS answer; so a checker keeps a pool of
 * idle servers instead. A check borrows one under the mutex (or makes a new
 * one when all are busy), runs without any lock, and gives it back. The pool
 * grows to the peak number of simultaneous checks and keeps the servers'
 * DNS caches across connections.
 *
 * Tests: with spf_test_zone, every server resolves from a static zone read
 * from that file (libspf2's zone layer with nothing below it, so any name
 * not in the file does not exist) and no DNS query leaves the process. */
#include "spf-check.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include "log.h"

G_DEFINE_QUARK(embargo-spf-error-quark, spf_check_error)
#define SPF_CHECK_ERROR (spf_check_error_quark())

typedef struct {
	char *domain;
	ns_type type;
	int herrno;
	char *data; /* NULL for the error types */
} ZoneRecord;

typedef struct {
	SPF_server_t *server;
	SPF_dns_server_t *zone; /* owned by us, not by the server; NULL with real DNS */
} Pooled;

struct SpfChecker {
	GMutex lock;
	GPtrArray *idle;     /* Pooled * */
	GPtrArray *zone;     /* ZoneRecord *; NULL: real DNS */
	char *receiver;
};

static void
zone_record_free(gpointer data)
{
	ZoneRecord *r = data;

	g_free(r->domain);
	g_free(r->data);
	g_free(r);
}

static void
pooled_free(gpointer data)
{
	Pooled *p = data;

	SPF_server_free(p->server);
	if (p->zone != NULL)
		SPF_dns_free(p->zone);
	g_free(p);
}

/* libspf2's fatal handler must not return; it logs where the postmaster looks, then aborts. */
static void G_GNUC_NORETURN
spf_fatal(const char *file, int line, const char *msg)
{
	log_error("libspf2 internal error at %s:%d: %s", file != NULL ? file : "?", line,
	          msg != NULL ? msg : "?");
	abort();
}

static void
spf_warn(const char *file, int line, const char *msg)
{
	log_warn("libspf2: %s", msg != NULL ? msg : "?");
}

static void
spf_quiet(const char *file, int line, const char *msg)
{
}

/* A multi-label domain of letters, digits, '-' and '_', labels of 1-63 characters. */
gboolean
spf_domain_valid(const char *domain)
{
	size_t n, label = 0;
	int labels = 1;

	if (domain == NULL)
		return FALSE;
	n = strlen(domain);
	if (n > 0 && domain[n - 1] == '.')
		n--;
	if (n == 0 || n > 253 || domain[0] == '.')
		return FALSE;
	for (size_t i = 0; i < n; i++) {
		char c = domain[i];
		if (c == '.') {
			if (label == 0)
				return FALSE;
			label = 0;
			labels++;
		} else if (g_ascii_isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return FALSE;
		} else {
			return FALSE;
		}
	}
	return label > 0 && labels >= 2;
}

static gboolean
zone_type(const char *name, ns_type *type, int *herrno)
{
	static const struct {
		const char *name;
		ns_type type;
		int herrno;
	} types[] = {
		{ "TXT", ns_t_txt, NETDB_SUCCESS },   { "A", ns_t_a, NETDB_SUCCESS },
		{ "AAAA", ns_t_aaaa, NETDB_SUCCESS }, { "MX", ns_t_mx, NETDB_SUCCESS },
		{ "PTR", ns_t_ptr, NETDB_SUCCESS },   { "TEMPFAIL", ns_t_any, TRY_AGAIN },
		{ "NXDOMAIN", ns_t_any, HOST_NOT_FOUND },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
		if (g_ascii_strcasecmp(name, types[i].name) == 0) {
			*type = types[i].type;
			*herrno = types[i].herrno;
			return TRUE;
		}
	}
	return FALSE;
}

/* Reads "DOMAIN TYPE [DATA]" lines; checks each as far as libspf2 would abort on it. */
static GPtrArray *
zone_load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func(zone_record_free);

	if (!g_file_get_contents(path, &text, NULL, error))
		return NULL;
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i] != NULL; i++) {
		char *line = g_strstrip(lines[i]);
		g_auto(GStrv) f = NULL;
		ZoneRecord r = { 0 };
		unsigned char buf[sizeof(struct in6_addr)];

		if (*line == '\0' || *line == '#')
			continue;
		f = g_regex_split_simple("\\s+", line, 0, 0);
		if (g_strv_length(f) < 2 || !zone_type(f[1], &r.type, &r.herrno)) {
			g_set_error(error, SPF_CHECK_ERROR, 0,
			            "%s:%d: expected DOMAIN TXT|A|AAAA|MX|PTR DATA, or DOMAIN TEMPFAIL|NXDOMAIN",
			            path, i + 1);
			return NULL;
		}
		if (r.herrno == NETDB_SUCCESS) {
			/* the data is the rest of the line after the type, unquoted */
			const char *p = line + strlen(f[0]);
			p += strspn(p, " \t");
			p += strlen(f[1]);
			p += strspn(p, " \t");
			g_autofree char *data = g_strdup(p);
			size_t n = strlen(data);
			if (n >= 2 && data[0] == '"' && data[n - 1] == '"') {
				data[n - 1] = '\0';
				memmove(data, data + 1, n - 1);
			}
			if (*data == '\0' ||
			    (r.type == ns_t_a && inet_pton(AF_INET, data, buf) != 1) ||
			    (r.type == ns_t_aaaa && inet_pton(AF_INET6, data, buf) != 1)) {
				g_set_error(error, SPF_CHECK_ERROR, 0, "%s:%d: bad data for %s", path,
				            i + 1, f[1]);
				return NULL;
			}
			r.data = g_steal_pointer(&data);
		} else if (f[2] != NULL) {
			g_set_error(error, SPF_CHECK_ERROR, 0, "%s:%d: %s takes no data", path, i + 1, f[1]);
			return NULL;
		}
		r.domain = g_strdup(f[0]);
		ZoneRecord *copy = g_new(ZoneRecord, 1);
		*copy = r;
		g_ptr_array_add(records, copy);
	}
	return g_steal_pointer(&records);
}

static Pooled *
pooled_new(SpfChecker *checker, GError **error)
{
	g_autofree Pooled *p = g_new0(Pooled, 1);

	if (checker->zone != NULL) {
		p->zone = SPF_dns_zone_new(NULL, "spf_test_zone", 0);
		if (p->zone == NULL)
			goto fail;
		for (guint i = 0; i < checker->zone->len; i++) {
			const ZoneRecord *r = checker->zone->pdata[i];
			if (SPF_dns_zone_add_str(p->zone, r->domain, r->type, r->herrno, r->data) !=
			    SPF_E_SUCCESS) {
				SPF_dns_free(p->zone);
				goto fail;
			}
		}
		p->server = SPF_server_new_dns(p->zone, 0);
	} else {
		p->server = SPF_server_new(SPF_DNS_CACHE, 0);
	}
	if (p->server == NULL) {
		if (p->zone != NULL)
			SPF_dns_free(p->zone);
		goto fail;
	}
	if (SPF_server_set_rec_dom(p->server, checker->receiver) != SPF_E_SUCCESS) {
		pooled_free(g_steal_pointer(&p));
		goto fail;
	}
	return g_steal_pointer(&p);
fail:
	g_set_error(error, SPF_CHECK_ERROR, 0, "cannot set up an SPF resolver (out of memory?)");
	return NULL;
}

/* RECEIVER names us in SPF macros (%{r}); TEST_ZONE, when not NULL, replaces DNS. */
SpfChecker *
spf_checker_new(const char *receiver, const char *test_zone, GError **error)
{
	SpfChecker *checker = g_new0(SpfChecker, 1);
	Pooled *first;

	SPF_error_handler = spf_fatal;
	SPF_warning_handler = spf_warn;
	SPF_info_handler = spf_quiet;
	SPF_debug_handler = spf_quiet;

	g_mutex_init(&checker->lock);
	checker->idle = g_ptr_array_new_with_free_func(pooled_free);
	checker->receiver = g_strdup(receiver);
	if (test_zone != NULL && (checker->zone = zone_load(test_zone, error)) == NULL) {
		spf_checker_free(checker);
		return NULL;
	}
	/* One server now: a resolver that cannot start fails at startup, not per message. */
	first = pooled_new(checker, error);
	if (first == NULL) {
		spf_checker_free(checker);
		return NULL;
	}
	g_ptr_array_add(checker->idle, first);
	return checker;
}

void
spf_checker_free(SpfChecker *checker)
{
	if (checker == NULL)
		return;
	g_ptr_array_unref(checker->idle);
	if (checker->zone != NULL)
		g_ptr_array_unref(checker->zone);
	g_free(checker->receiver);
	g_mutex_clear(&checker->lock);
	g_free(checker);
}

static Pooled *
spf_borrow(SpfChecker *checker, GError **error)
{
	Pooled *p = NULL;

	g_mutex_lock(&checker->lock);
	if (checker->idle->len > 0)
		p = g_ptr_array_steal_index_fast(checker->idle, checker->idle->len - 1);
	g_mutex_unlock(&checker->lock);
	return p != NULL ? p : pooled_new(checker, error);
}

static void
spf_give_back(SpfChecker *checker, Pooled *p)
{
	g_mutex_lock(&checker->lock);
	g_ptr_array_add(checker->idle, p);
	g_mutex_unlock(&checker->lock);
}

static gboolean
spf_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return FALSE;
	return TRUE;
}

static const char *
spf_result_token(SPF_result_t result, SPF_errcode_t err)
{
	switch (result) {
	case SPF_RESULT_PASS:
		return "pass";
	case SPF_RESULT_FAIL:
		return "fail";
	case SPF_RESULT_SOFTFAIL:
		return "softfail";
	case SPF_RESULT_NEUTRAL:
		return "neutral";
	case SPF_RESULT_NONE:
		return "none";
	case SPF_RESULT_TEMPERROR:
		return "temperror";
	case SPF_RESULT_PERMERROR:
		return "permerror";
	default:
		/* No result: libspf2 stopped early. A DNS failure is temporary;
		 * a record it could not compile is the domain's permanent error. */
		if (err == SPF_E_NO_MEMORY)
			return NULL;
		return err == SPF_E_DNS_ERROR ? "temperror" : "permerror";
	}
}

/* The query itself, on one of the resolver threads (spf_check). */
static const char *
spf_check_here(SpfChecker *checker, const SpfClient *client, const char *helo, const char *sender,
               char **why, GError **error)
{
	const char *domain, *at, *token;
	gboolean helo_ok = helo != NULL && spf_domain_valid(helo);
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_errcode_t err;
	Pooled *p;

	*why = NULL;
	if (sender == NULL)
		sender = "";
	if (client == NULL || (client->family != AF_INET && client->family != AF_INET6)) {
		*why = g_strdup("no client address");
		return "none";
	}
	at = strrchr(sender, '@');
	domain = *sender == '\0' ? helo : at != NULL ? at + 1 : NULL;
	if (*sender == '\0' && !helo_ok) {
		*why = g_strdup("null sender and no usable HELO name");
		return "none";
	}
	if (!spf_printable(sender) || at == sender || !spf_domain_valid(domain) ||
	    strlen(sender) > 320) {
		*why = g_strdup("malformed sender domain");
		return "none";
	}

	p = spf_borrow(checker, error);
	if (p == NULL)
		return NULL;
	req = SPF_request_new(p->server);
	if (req == NULL) {
		spf_give_back(checker, p);
		g_set_error(error, SPF_CHECK_ERROR, 0, "SPF_request_new failed");
		return NULL;
	}
	if (client->family == AF_INET)
		SPF_request_set_ipv4(req, client->v4);
	else
		SPF_request_set_ipv6(req, client->v6);
	/* HELO first: for the null sender libspf2 takes postmaster@HELO from it. */
	err = SPF_request_set_helo_dom(req, helo_ok ? helo : "unknown");
	if (err == SPF_E_SUCCESS)
		err = SPF_request_set_env_from(req, sender);
	if (err == SPF_E_SUCCESS)
		err = SPF_request_query_mailfrom(req, &resp);
	token = resp != NULL ? spf_result_token(SPF_response_result(resp), err) : NULL;
	if (token == NULL)
		g_set_error(error, SPF_CHECK_ERROR, 0, "libspf2: %s", SPF_strerror(err));
	else if (err != SPF_E_SUCCESS)
		*why = g_strdup(SPF_strerror(err));
	else
		*why = g_strdup(SPF_strreason(SPF_response_reason(resp)));
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	spf_give_back(checker, p);
	return token;
}

/* libspf2 keeps a resolver state per thread and frees it with res_nclose(),
 * which leaves glibc's resolver configuration behind: every thread that
 * ever resolved leaks it when it ends. libmilter runs each connection on a
 * thread of its own, so the lookups run on a few threads that never end,
 * shared by every checker (a reload makes a new checker). */
#define SPF_RESOLVER_THREADS 16

typedef struct {
	SpfChecker *checker;
	const SpfClient *client;
	const char *helo, *sender;
	char **why;
	GError *error;
	const char *token;
	gboolean done;
	GMutex lock;
	GCond cond;
} SpfJob;

static void
spf_resolver_run(gpointer data, gpointer user_data)
{
	SpfJob *job = data;
	const char *token;
	GError *err = NULL;

	(void)user_data;
	token = spf_check_here(job->checker, job->client, job->helo, job->sender, job->why, &err);
	g_mutex_lock(&job->lock);
	job->token = token;
	job->error = err;
	job->done = TRUE;
	g_cond_signal(&job->cond);
	g_mutex_unlock(&job->lock);
}

static GThreadPool *
spf_resolvers(GError **error)
{
	static gsize once;
	static GThreadPool *pool;
	static GError *failed;

	if (g_once_init_enter(&once)) {
		pool = g_thread_pool_new(spf_resolver_run, NULL, SPF_RESOLVER_THREADS, TRUE, &failed);
		g_once_init_leave(&once, 1);
	}
	if (pool == NULL && error != NULL)
		*error = g_error_copy(failed);
	return pool;
}

/* The SPF result token for SENDER (the MAIL FROM address, without brackets;
 * "" for the null sender, whose identity is HELO) from CLIENT. NULL with
 * ERROR set on an internal error, which must not be taken for a result.
 * WHY gets a short explanation for the log. */
const char *
spf_check(SpfChecker *checker, const SpfClient *client, const char *helo, const char *sender,
          char **why, GError **error)
{
	GThreadPool *pool = checker->zone != NULL ? NULL : spf_resolvers(error);
	SpfJob job = {
		.checker = checker, .client = client, .helo = helo, .sender = sender, .why = why,
	};

	/* A test zone does no DNS: it needs no resolver thread. */
	if (checker->zone != NULL)
		return spf_check_here(checker, client, helo, sender, why, error);
	if (pool == NULL)
		return NULL;
	g_mutex_init(&job.lock);
	g_cond_init(&job.cond);
	if (!g_thread_pool_push(pool, &job, error)) {
		g_mutex_clear(&job.lock);
		g_cond_clear(&job.cond);
		return NULL;
	}
	g_mutex_lock(&job.lock);
	while (!job.done)
		g_cond_wait(&job.cond, &job.lock);
	g_mutex_unlock(&job.lock);
	g_mutex_clear(&job.lock);
	g_cond_clear(&job.cond);
	if (job.error != NULL)
		g_propagate_error(error, job.error);
	return job.token;
}
