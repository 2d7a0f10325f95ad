/* spamcheck.h - asking rspamd what it makes of one message, and reading
 * its answer into a SpamVerdict. */
#ifndef EMBARGO_SPAMCHECK_H
#define EMBARGO_SPAMCHECK_H

#include <glib.h>
#include <json-glib/json-glib.h>

#include "spamverdict.h"

/* How many symbols a verdict names, the highest scores first. */
#define SPAMCHECK_TOP_SYMBOLS 5
/* The most of an answer that is read: a verdict is a few kilobytes. */
#define SPAMCHECK_MAX_ANSWER (256 * 1024)

typedef struct {
	const char *url;           /* rspamd's normal worker, e.g. http://127.0.0.1:11333 */
	guint timeout;             /* seconds the whole exchange may take, at least 1 */
	const char *envelope_from; /* rspamd's From: the envelope sender; NULL or "": none */
	const char *recipient;     /* rspamd's Rcpt; NULL: none */
	const char *ip;            /* the client's address, NULL when unknown */
} SpamQuery;

/* Posts the message in the file PATH to Q->url/checkv2 and fills *V (cleared
 * first; the caller frees it with spam_verdict_clear). Never fails: TRUE
 * with v->checked set when rspamd answered a verdict; FALSE with v->checked
 * FALSE and *WHY (caller g_frees) the reason when it could not be asked or
 * its answer was no verdict (refused, timed out, an HTTP error, not JSON,
 * no action, too large). Nothing is logged here. */
gboolean spamcheck_rspamd(const SpamQuery *q, const char *path, SpamVerdict *v, char **why);
/* Reads rspamd's /checkv2 answer JSON (LEN bytes) into *V (cleared first):
 * the action (reject, rewrite subject and add header are spam; anything
 * else is not), the score and the top symbols. FALSE with *WHY (caller
 * g_frees) when it is no verdict; *V is then left cleared. */
gboolean spamcheck_parse(const char *json, gsize len, SpamVerdict *v, char **why);
/* The same for an answer json-glib has read, ROOT (borrowed; NULL: none). */
gboolean spamcheck_verdict(JsonNode *root, SpamVerdict *v, char **why);
/* TRUE for an rspamd action that means spam; FALSE for any other or NULL. */
gboolean spamcheck_action_is_spam(const char *action);

#endif
