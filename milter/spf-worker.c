/* spf-worker.c - the process in which libspf2 runs: embargo-milter's own
 * binary, started by spf-check.c as "embargo-milter --spf-worker RECEIVER
 * [ZONE]".
 *
 * libspf2 is unmaintained and has memory-safety bugs that a domain's own
 * records reach (an explanation TXT record of many macros overruns a stack
 * buffer while it is compiled, and the stack protector aborts). In the
 * milter's process that ends every SMTP session and defers all mail until
 * a restart. Here it ends one worker: the milter answers that lookup with
 * temperror and starts another worker for the next one.
 *
 * So nothing of the milter is in reach: the worker closes every inherited
 * descriptor but its socket (fd 0) and stderr before anything else, gives
 * up root (for "nobody") when the milter still had it, cannot gain
 * privileges, leaves no core file and has a bounded address space. It
 * commonly runs as the delivery user, who owns embargo's state (the
 * database, the list's secret key): where the kernel has Landlock, the
 * worker then confines itself (worker_sandbox) to reading /etc, /usr and
 * /lib, to TCP connections to port 53, and to signalling and tracing no
 * process outside itself, so that code that libspf2's bugs let in can
 * neither read the state nor harm the milter. It
 * serves one request at a time, in order, for as long as the milter keeps
 * the socket open, and keeps libspf2's DNS cache across them.
 *
 * Requests and replies are length-prefixed (a 32-bit length in host order,
 * then that many bytes) lists of NUL-terminated fields. A request:
 * "4" or "6", the client address, the HELO name, the sender. A reply: the
 * result token and why; or an empty token and an error message, for an
 * internal failure that is no SPF result.
 *
 * libspf2 abort()s on a NULL argument or an internal assertion; the milter
 * checks its arguments before it sends them (spf-check.c), and an abort
 * that still happens ends only this process.
 *
 * Tests: with a ZONE file, the worker resolves from a static zone read
 * from it (libspf2's zone layer with nothing below it, so any name not in
 * the file does not exist) and no DNS query leaves the process. */
#include "spf-worker.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sysexits.h>
#include <unistd.h>

#include <spf2/spf.h>
#include <spf2/spf_dns_zone.h>

#include "log.h"

G_DEFINE_QUARK(embargo-spf-worker-error-quark, spf_worker_error)
#define SPF_WORKER_ERROR (spf_worker_error_quark())
#define SPF_CHECK_ERROR SPF_WORKER_ERROR

typedef struct {
	char *domain;
	ns_type type;
	int herrno;
	char *data; /* NULL for the error types */
} ZoneRecord;

static void
zone_record_free(gpointer data)
{
	ZoneRecord *r = data;

	g_free(r->domain);
	g_free(r->data);
	g_free(r);
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


/* The libspf2 server: over the zone ZONE (kept in *ZONE_LAYER, which the
 * server does not own), or over DNS with libspf2's cache. */
static SPF_server_t *
server_new(GPtrArray *zone, const char *receiver, SPF_dns_server_t **zone_layer)
{
	SPF_server_t *server;

	*zone_layer = NULL;
	if (zone != NULL) {
		*zone_layer = SPF_dns_zone_new(NULL, "spf_test_zone", 0);
		if (*zone_layer == NULL)
			return NULL;
		for (guint i = 0; i < zone->len; i++) {
			const ZoneRecord *r = zone->pdata[i];
			if (SPF_dns_zone_add_str(*zone_layer, r->domain, r->type, r->herrno, r->data) !=
			    SPF_E_SUCCESS)
				return NULL;
		}
		server = SPF_server_new_dns(*zone_layer, 0);
	} else {
		server = SPF_server_new(SPF_DNS_CACHE, 0);
	}
	if (server != NULL && SPF_server_set_rec_dom(server, receiver) != SPF_E_SUCCESS) {
		SPF_server_free(server);
		server = NULL;
	}
	return server;
}

/* The milter checked the file when it loaded the configuration: an error
 * at startup, not at the first message. */
gboolean
spf_zone_check(const char *path, GError **error)
{
	g_autoptr(GPtrArray) zone = zone_load(path, error);

	return zone != NULL;
}

gboolean
spf_wire_write(int fd, const GByteArray *msg)
{
	uint32_t n;
	const guint8 *p;
	size_t left;
	g_autoptr(GByteArray) all = NULL;

	g_return_val_if_fail(msg != NULL, FALSE);
	n = msg->len;
	all = g_byte_array_sized_new(sizeof n + msg->len);
	g_byte_array_append(all, (const guint8 *)&n, sizeof n);
	g_byte_array_append(all, msg->data, msg->len);
	p = all->data;
	left = all->len;
	while (left > 0) {
		ssize_t w = send(fd, p, left, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return FALSE;
		p += w;
		left -= (size_t)w;
	}
	return TRUE;
}

static gboolean
read_all(int fd, void *buf, size_t len)
{
	guint8 *p = buf;

	while (len > 0) {
		ssize_t r = read(fd, p, len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return FALSE;
		p += r;
		len -= (size_t)r;
	}
	return TRUE;
}

/* The NUL-terminated fields of a request or reply of N bytes at BUF;
 * NULL when it is empty or does not end with a NUL. */
GStrv
spf_wire_fields(const guint8 *buf, size_t n)
{
	GPtrArray *fields;

	if (n == 0 || n > SPF_WIRE_MAX || buf[n - 1] != '\0')
		return NULL;
	fields = g_ptr_array_new();
	for (size_t i = 0; i < n; i += strlen((const char *)buf + i) + 1)
		g_ptr_array_add(fields, g_strdup((const char *)buf + i));
	g_ptr_array_add(fields, NULL);
	return (GStrv)g_ptr_array_free(fields, FALSE);
}

/* A worker's reply: *TOKEN one of the result tokens (static), or "" for
 * its internal error, and *WHY its text, valid UTF-8. FALSE for anything
 * else: the worker is then taken for broken. */
gboolean
spf_reply_parse(const guint8 *buf, size_t n, const char **token, char **why)
{
	static const char *const tokens[] = {
		"", "pass", "fail", "softfail", "neutral", "none", "temperror", "permerror",
	};
	g_auto(GStrv) fields = NULL;

	g_return_val_if_fail(token != NULL && why != NULL, FALSE);
	*token = NULL;
	*why = NULL;
	fields = spf_wire_fields(buf, n);
	if (fields == NULL || g_strv_length(fields) != 2)
		return FALSE;
	for (size_t i = 0; i < G_N_ELEMENTS(tokens); i++)
		if (strcmp(fields[0], tokens[i]) == 0)
			*token = tokens[i];
	if (*token == NULL)
		return FALSE;
	*why = g_utf8_make_valid(fields[1], -1);
	return TRUE;
}

/* The next request's fields, NULL at the end (or on a broken request). */
static GStrv
request_read(int fd)
{
	uint32_t n;
	g_autofree guint8 *buf = NULL;

	if (!read_all(fd, &n, sizeof n) || n == 0 || n > SPF_WIRE_MAX)
		return NULL;
	buf = g_malloc(n);
	if (!read_all(fd, buf, n))
		return NULL;
	return spf_wire_fields(buf, n);
}

static void
add_field(GByteArray *msg, const char *s)
{
	g_byte_array_append(msg, (const guint8 *)s, strlen(s) + 1);
}

/* One request: FIELDS are family, address, HELO, sender. TOKEN NULL: an internal error, in WHY. */
static const char *
query(SPF_server_t *server, GStrv fields, char **why)
{
	SPF_request_t *req;
	SPF_response_t *resp = NULL;
	SPF_errcode_t err;
	const char *token;
	struct in_addr v4;
	struct in6_addr v6;

	if (g_strv_length(fields) != 4) {
		*why = g_strdup("malformed request");
		return NULL;
	}
	req = SPF_request_new(server);
	if (req == NULL) {
		*why = g_strdup("SPF_request_new failed");
		return NULL;
	}
	if (strcmp(fields[0], "4") == 0 && inet_pton(AF_INET, fields[1], &v4) == 1) {
		SPF_request_set_ipv4(req, v4);
	} else if (strcmp(fields[0], "6") == 0 && inet_pton(AF_INET6, fields[1], &v6) == 1) {
		SPF_request_set_ipv6(req, v6);
	} else {
		SPF_request_free(req);
		*why = g_strdup("malformed client address");
		return NULL;
	}
	/* HELO first: for the null sender libspf2 takes postmaster@HELO from it. */
	err = SPF_request_set_helo_dom(req, fields[2]);
	if (err == SPF_E_SUCCESS)
		err = SPF_request_set_env_from(req, fields[3]);
	if (err == SPF_E_SUCCESS)
		err = SPF_request_query_mailfrom(req, &resp);
	token = resp != NULL ? spf_result_token(SPF_response_result(resp), err) : NULL;
	if (token == NULL)
		*why = g_strdup_printf("libspf2: %s", SPF_strerror(err));
	else if (err != SPF_E_SUCCESS)
		*why = g_strdup(SPF_strerror(err));
	else
		*why = g_strdup(SPF_strreason(SPF_response_reason(resp)));
	if (resp != NULL)
		SPF_response_free(resp);
	SPF_request_free(req);
	return token;
}

/* Root has nothing to do here: the worker becomes "nobody" when the milter
 * still runs as root (no [milter] user). */
static gboolean
worker_unprivileged(void)
{
	struct passwd *pw;

	if (geteuid() != 0 && getuid() != 0)
		return TRUE;
	pw = getpwnam("nobody");
	if (pw == NULL) {
		log_error("SPF worker: no user 'nobody' to run as instead of root");
		return FALSE;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
	    setuid(0) == 0) {
		log_error("SPF worker: cannot become nobody: %s", g_strerror(errno));
		return FALSE;
	}
	return TRUE;
}

/* No core file (it would hold other senders' data), no privileges to gain,
 * a bounded address space. AddressSanitizer reserves terabytes of address
 * space for its shadow: a sanitizer build keeps no RLIMIT_AS. */
static gboolean
worker_limits(void)
{
	struct rlimit core = { 0, 0 };
	struct rlimit as = { SPF_WORKER_MEMORY, SPF_WORKER_MEMORY };

	if (setrlimit(RLIMIT_CORE, &core) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		log_error("SPF worker: cannot limit itself: %s", g_strerror(errno));
		return FALSE;
	}
#ifndef __SANITIZE_ADDRESS__
	if (setrlimit(RLIMIT_AS, &as) != 0) {
		log_error("SPF worker: cannot limit its memory: %s", g_strerror(errno));
		return FALSE;
	}
#else
	(void)as;
#endif
	return TRUE;
}

/* Landlock, from <linux/landlock.h>, as far as the kernel may know it
 * beyond the headers this is built with (ABI 6: network ports, scopes). */
struct worker_ll_ruleset {
	__u64 fs;
	__u64 net;
	__u64 scoped;
};
struct worker_ll_path {
	__u64 allowed;
	__s32 parent_fd;
} __attribute__((packed));
struct worker_ll_port {
	__u64 allowed;
	__u64 port;
};
#define WORKER_LL_VERSION (1u << 0)
#define WORKER_LL_RULE_PATH 1
#define WORKER_LL_RULE_PORT 2
#define WORKER_LL_FS_READ_FILE (1ull << 2)
#define WORKER_LL_FS_READ_DIR (1ull << 3)
#define WORKER_LL_NET_BIND_TCP (1ull << 0)
#define WORKER_LL_NET_CONNECT_TCP (1ull << 1)
#define WORKER_LL_SCOPE_ABSTRACT_UNIX (1ull << 0)
#define WORKER_LL_SCOPE_SIGNAL (1ull << 1)

static void
sandbox_allow_read(int ruleset, const char *path)
{
	struct worker_ll_path rule = { WORKER_LL_FS_READ_FILE | WORKER_LL_FS_READ_DIR, -1 };

	rule.parent_fd = open(path, O_PATH | O_CLOEXEC);
	if (rule.parent_fd < 0)
		return;
	syscall(SYS_landlock_add_rule, ruleset, WORKER_LL_RULE_PATH, &rule, 0);
	close(rule.parent_fd);
}

/* Where the kernel has Landlock: reading /etc, /usr and /lib (the
 * resolver's files, where /etc/resolv.conf leads, libraries), and this
 * process's own /proc entry (sanitizers read it); no other file access,
 * no TCP but connections to port 53 (DNS over TCP), no signal or abstract
 * socket beyond this process. FALSE only when Landlock is there and fails. */
static gboolean
worker_sandbox(void)
{
	struct worker_ll_ruleset attr = { 0 };
	struct worker_ll_port dns = { WORKER_LL_NET_CONNECT_TCP, 53 };
	g_autofree char *resolv = NULL;
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, WORKER_LL_VERSION);
	size_t size = sizeof attr.fs;
	int ruleset;

	if (abi < 1)
		return TRUE; /* no Landlock here: the limits above are all there is */
	attr.fs = (1ull << 13) - 1; /* ABI 1: execute ... make_sym */
	if (abi >= 2)
		attr.fs |= 1ull << 13; /* refer */
	if (abi >= 3)
		attr.fs |= 1ull << 14; /* truncate */
	if (abi >= 5)
		attr.fs |= 1ull << 15; /* ioctl on devices */
	if (abi >= 4) {
		attr.net = WORKER_LL_NET_BIND_TCP | WORKER_LL_NET_CONNECT_TCP;
		size = offsetof(struct worker_ll_ruleset, scoped);
	}
	if (abi >= 6) {
		attr.scoped = WORKER_LL_SCOPE_ABSTRACT_UNIX | WORKER_LL_SCOPE_SIGNAL;
		size = sizeof attr;
	}
	ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
	if (ruleset < 0) {
		log_error("SPF worker: Landlock: %s", g_strerror(errno));
		return FALSE;
	}
	sandbox_allow_read(ruleset, "/etc");
	sandbox_allow_read(ruleset, "/usr");
	sandbox_allow_read(ruleset, "/lib");
	sandbox_allow_read(ruleset, "/lib64");
	sandbox_allow_read(ruleset, "/proc/self");
	/* resolv.conf is often a link into /run (systemd-resolved, resolvconf) */
	resolv = realpath("/etc/resolv.conf", NULL);
	if (resolv != NULL) {
		g_autofree char *dir = g_path_get_dirname(resolv);
		sandbox_allow_read(ruleset, dir);
	}
	if (abi >= 4)
		syscall(SYS_landlock_add_rule, ruleset, WORKER_LL_RULE_PORT, &dns, 0);
	if (syscall(SYS_landlock_restrict_self, ruleset, 0) != 0) {
		log_error("SPF worker: Landlock: %s", g_strerror(errno));
		close(ruleset);
		return FALSE;
	}
	close(ruleset);
	return TRUE;
}

/* "embargo-milter --spf-worker RECEIVER [ZONE]", with its socket as fd 0. */
int
spf_worker_main(int argc, char **argv)
{
	g_autoptr(GPtrArray) zone = NULL;
	g_autoptr(GError) err = NULL;
	SPF_dns_server_t *zone_layer = NULL;
	SPF_server_t *server;
	GStrv fields;

	/* the milter's listening socket and its connections are not ours */
	close_range(3, ~0u, 0);
	log_open("embargo-milter", TRUE);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 3 || argc > 4) {
		log_error("SPF worker: usage: embargo-milter %s RECEIVER [ZONE]", SPF_WORKER_ARG);
		return EX_USAGE;
	}
	SPF_error_handler = spf_fatal;
	SPF_warning_handler = spf_warn;
	SPF_info_handler = spf_quiet;
	SPF_debug_handler = spf_quiet;
	/* the zone is read before root is given up: it is the configuration's file */
	if (argc == 4 && (zone = zone_load(argv[3], &err)) == NULL) {
		log_error("SPF worker: %s", err->message);
		return EX_CONFIG;
	}
	if (!worker_unprivileged() || !worker_limits())
		return EX_NOPERM;
	server = server_new(zone, argv[2], &zone_layer);
	if (server == NULL) {
		log_error("SPF worker: cannot set up an SPF resolver (out of memory?)");
		if (zone_layer != NULL)
			SPF_dns_free(zone_layer);
		return EX_OSERR;
	}
	if (!worker_sandbox()) {
		SPF_server_free(server);
		if (zone_layer != NULL)
			SPF_dns_free(zone_layer);
		return EX_OSERR;
	}
	while ((fields = request_read(0)) != NULL) {
		g_autofree char *why = NULL;
		g_autoptr(GByteArray) reply = g_byte_array_new();
		const char *token = query(server, fields, &why);
		gboolean sent;

		g_strfreev(fields);
		add_field(reply, token != NULL ? token : "");
		if (strlen(why) > 512)
			why[512] = '\0';
		add_field(reply, why);
		sent = spf_wire_write(0, reply);
		if (!sent)
			break;
	}
	SPF_server_free(server);
	if (zone_layer != NULL)
		SPF_dns_free(zone_layer);
	return EX_OK;
}
