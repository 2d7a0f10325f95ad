/* spamcheck.c - owns the exchange with rspamd: one HTTP POST of the raw
 * message to its normal worker's /checkv2 (libcurl), and the reading of the
 * JSON verdict (json-glib).
 *
 * The filter is advice, never a way to lose a report: every failure here is
 * a reason string for the caller to log, and the message is then taken as
 * not spam. So the exchange is bounded in time (the caller's timeout, well
 * inside embargo-mda's time_limit) and in size (SPAMCHECK_MAX_ANSWER), it
 * follows no redirect, uses no proxy from the environment and speaks only
 * HTTP(S). */
#include "spamcheck.h"

#include <curl/curl.h>
#include <errno.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const spam_actions[] = { "reject", "rewrite subject", "add header" };

gboolean
spamcheck_action_is_spam(const char *action)
{
	if (action == NULL)
		return FALSE;
	for (guint i = 0; i < G_N_ELEMENTS(spam_actions); i++)
		if (strcmp(action, spam_actions[i]) == 0)
			return TRUE;
	return FALSE;
}

typedef struct {
	const char *name;
	double score;
} SpamSymbol;

static int
spamcheck_symbol_cmp(gconstpointer a, gconstpointer b)
{
	const SpamSymbol *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? 1 : -1;
	return strcmp(x->name, y->name);
}

/* "NAME(score) ..." of the SPAMCHECK_TOP_SYMBOLS highest scores in SYMBOLS
 * (rspamd's object of NAME -> {score}); NULL when there are none. The names
 * are rspamd's, but they are written only where the team reads them, and
 * only their printable ASCII. */
static char *
spamcheck_top_symbols(JsonObject *symbols)
{
	g_autoptr(GList) names = json_object_get_members(symbols);
	g_autoptr(GArray) all = g_array_new(FALSE, FALSE, sizeof(SpamSymbol));
	g_autoptr(GString) out = g_string_new(NULL);

	for (GList *l = names; l != NULL; l = l->next) {
		JsonNode *node = json_object_get_member(symbols, l->data);
		JsonObject *sym = JSON_NODE_HOLDS_OBJECT(node) ? json_node_get_object(node) : NULL;
		JsonNode *score = sym != NULL ? json_object_get_member(sym, "score") : NULL;
		SpamSymbol s = { l->data, 0 };

		if (score != NULL && JSON_NODE_HOLDS_VALUE(score) &&
		    json_node_get_value_type(score) != G_TYPE_STRING)
			s.score = json_node_get_double(score);
		if (!isfinite(s.score))
			s.score = 0;
		g_array_append_val(all, s);
	}
	g_array_sort(all, spamcheck_symbol_cmp);
	for (guint i = 0; i < all->len && i < SPAMCHECK_TOP_SYMBOLS; i++) {
		const SpamSymbol *s = &g_array_index(all, SpamSymbol, i);

		if (out->len > 0)
			g_string_append_c(out, ' ');
		for (const char *c = s->name; *c != '\0' && c - s->name < 64; c++)
			g_string_append_c(out, g_ascii_isgraph(*c) && *c != '(' && *c != ')' ? *c : '_');
		g_string_append_printf(out, "(%.2f)", s->score);
	}
	return out->len > 0 ? g_string_free(g_steal_pointer(&out), FALSE) : NULL;
}

gboolean
spamcheck_verdict(JsonNode *node, SpamVerdict *v, char **why)
{
	JsonObject *root;
	JsonNode *action, *score, *symbols;

	spam_verdict_clear(v);
	*why = NULL;
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		*why = g_strdup("the answer is not a JSON object");
		return FALSE;
	}
	root = json_node_get_object(node);
	action = json_object_get_member(root, "action");
	if (action == NULL || !JSON_NODE_HOLDS_VALUE(action) ||
	    json_node_get_value_type(action) != G_TYPE_STRING) {
		*why = g_strdup("the answer names no action");
		return FALSE;
	}
	score = json_object_get_member(root, "score");
	if (score != NULL && JSON_NODE_HOLDS_VALUE(score) &&
	    json_node_get_value_type(score) != G_TYPE_STRING)
		v->score = json_node_get_double(score);
	if (!isfinite(v->score))
		v->score = 0;
	v->action = g_utf8_make_valid(json_node_get_string(action), -1);
	if (strlen(v->action) > 64)   /* an action is a word or two; this one is no verdict */
		v->action[g_utf8_find_prev_char(v->action, v->action + 64) - v->action] = '\0';
	v->spam = spamcheck_action_is_spam(v->action);
	symbols = json_object_get_member(root, "symbols");
	if (symbols != NULL && JSON_NODE_HOLDS_OBJECT(symbols))
		v->symbols = spamcheck_top_symbols(json_node_get_object(symbols));
	v->checked = TRUE;
	return TRUE;
}

gboolean
spamcheck_parse(const char *json, gsize len, SpamVerdict *v, char **why)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) err = NULL;
	gsize start = 0;

	spam_verdict_clear(v);
	*why = NULL;
	/* rspamd answers one object. Anything else is refused before
	 * json-glib sees it: its parser (1.6) leaks the nodes it built when a
	 * scalar is followed by more ("0{...}"). */
	while (start < len && g_ascii_isspace(json[start]))
		start++;
	if (start < len && json[start] != '{') {
		*why = g_strdup(json[start] == '[' ? "the answer is not a JSON object"
		                                   : "the answer is not JSON (no object at its start)");
		return FALSE;
	}
	if (len > G_MAXSSIZE || !json_parser_load_from_data(parser, json, (gssize)len, &err)) {
		*why = g_strdup_printf("the answer is not JSON (%s)",
		                       err != NULL ? err->message : "too large");
		return FALSE;
	}
	/* An empty answer parses, to no root at all. */
	if (json_parser_get_root(parser) == NULL) {
		*why = g_strdup("the answer is not JSON (empty)");
		return FALSE;
	}
	return spamcheck_verdict(json_parser_get_root(parser), v, why);
}

typedef struct {
	GByteArray *body;
	gboolean too_large;
} SpamAnswer;

static size_t
spamcheck_collect(char *data, size_t size, size_t n, void *user)
{
	SpamAnswer *a = user;

	if (n != 0 && size > (SPAMCHECK_MAX_ANSWER - a->body->len) / n) {
		a->too_large = TRUE;
		return 0;   /* stops the transfer */
	}
	g_byte_array_append(a->body, (const guint8 *)data, (guint)(size * n));
	return size * n;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CURL, curl_easy_cleanup)

typedef struct curl_slist SpamSlist;
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpamSlist, curl_slist_free_all)

/* Adds "NAME: VALUE" to *HEADERS unless VALUE is empty or would break the
 * request's header block (the envelope is the sender's bytes). */
static void
spamcheck_header(SpamSlist **headers, const char *name, const char *value)
{
	g_autofree char *line = NULL;

	if (value == NULL || *value == '\0' || strpbrk(value, "\r\n") != NULL)
		return;
	line = g_strdup_printf("%s: %s", name, value);
	*headers = curl_slist_append(*headers, line);
}

static FILE *
spamcheck_open(const char *path, curl_off_t *size, char **why)
{
	FILE *f = fopen(path, "rbe");

	if (f == NULL || fseeko(f, 0, SEEK_END) != 0 || (*size = ftello(f)) < 0 ||
	    fseeko(f, 0, SEEK_SET) != 0) {
		*why = g_strdup_printf("cannot read the message: %s", g_strerror(errno));
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	return f;
}

gboolean
spamcheck_rspamd(const SpamQuery *q, const char *path, SpamVerdict *v, char **why)
{
	static const char *const fallback = "libcurl could not start a transfer";
	g_autoptr(CURL) curl = curl_easy_init();
	g_autoptr(SpamSlist) headers = NULL;
	g_autofree char *url = g_strdup_printf("%s/checkv2", q->url);
	g_autoptr(GByteArray) body = g_byte_array_new();
	SpamAnswer answer = { body, FALSE };
	char curl_error[CURL_ERROR_SIZE] = "";
	curl_off_t size = 0;
	long status = 0;
	CURLcode rc;
	FILE *f;

	spam_verdict_clear(v);
	*why = NULL;
	if (curl == NULL) {
		*why = g_strdup(fallback);
		return FALSE;
	}
	f = spamcheck_open(path, &size, why);
	if (f == NULL)
		return FALSE;
	spamcheck_header(&headers, "From", q->envelope_from);
	spamcheck_header(&headers, "Rcpt", q->recipient);
	spamcheck_header(&headers, "IP", q->ip);
	/* rspamd answers at once; no "100 Continue" round trip. */
	headers = curl_slist_append(headers, "Expect:");
	headers = curl_slist_append(headers, "Content-Type: message/rfc822");

	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	/* embargo-mda's own watchdog is SIGALRM: libcurl must not use signals. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)MAX(1, q->timeout));
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)MAX(1, q->timeout));
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_READDATA, f);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, size);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, spamcheck_collect);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_error);
	rc = curl_easy_perform(curl);
	fclose(f);

	if (answer.too_large) {
		*why = g_strdup_printf("the answer is larger than %u bytes", SPAMCHECK_MAX_ANSWER);
		return FALSE;
	}
	if (rc != CURLE_OK) {
		*why = g_strdup_printf("%s: %s", url,
		                       *curl_error != '\0' ? curl_error : curl_easy_strerror(rc));
		return FALSE;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		*why = g_strdup_printf("%s answered HTTP status %ld", url, status);
		return FALSE;
	}
	return spamcheck_parse((const char *)body->data, body->len, v, why);
}
