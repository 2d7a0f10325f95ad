/* outbox.h - every mail embargo sends, stored before it is sent. */
#ifndef EMBARGO_OUTBOX_H
#define EMBARGO_OUTBOX_H

#include "config.h"
#include "db.h"

/* Every mail embargo sends carries it, naming the list; embargo-mda drops
 * mail that comes back with it (a loop). */
#define OUTBOX_LOOP_HEADER "X-Embargo-Loop"

typedef struct {
	const char *list;
	const char *case_id;
	sqlite3_int64 cause;        /* the incoming message that caused it, 0 for none */
	const char *kind;           /* ack, team-copy, answer, notice */
	const char *envelope_from;  /* "" for the null return path */
	char **recipients;
	const char *message_id;     /* without angle brackets */
	const char *subject;
	GBytes *body;
} OutMail;

typedef struct {
	guint sent;
	guint failed;
	guint pending;  /* still pending after the flush (all rows, not only those tried) */
	guint given_up; /* rows this flush gave up (the team is told) */
} FlushResult;

/* A row sendmail refuses waits this long, twice as long after each further
 * failure, at most OUTBOX_RETRY_MAX_S. */
#define OUTBOX_RETRY_FIRST_S (5 * 60)
#define OUTBOX_RETRY_MAX_S (4 * 3600)

/* A new Message-ID (without angle brackets) in DOMAIN; caller g_frees. */
char *outbox_new_message_id(const char *domain);
/* Stores MAIL for sending, inside the caller's transaction (strings are
 * copied). FALSE with ERROR set. */
gboolean outbox_add(Db *db, const OutMail *mail, const char *now, GError **error);
#define OUTBOX_SEND_TIMEOUT_S 60

/* Sends the due rows CAUSE caused (all when 0); *RESULT counts them. FALSE
 * with ERROR set when the store or the lock failed (a mail that cannot be
 * sent is no error: it stays pending). */
gboolean outbox_flush(Db *db, const EmbargoConfig *config, sqlite3_int64 cause, guint timeout_s,
                      FlushResult *result, GError **error);
/* outbox_flush of every row not given up, due or not. */
gboolean outbox_flush_all(Db *db, const EmbargoConfig *config, guint timeout_s,
                          FlushResult *result, GError **error);
/* How many mails of KIND went to RECIPIENT since SINCE, for rate limits;
 * -1 on an error (ERROR set). */
int outbox_count_recent(Db *db, const char *kind, const char *recipient, const char *since,
                        GError **error);

/* The recipients of the automatic replies (ack or notice mail from the
 * null return path to one address) written since SINCE to an address
 * ending in SUFFIX (matched literally, case-insensitively for ASCII): one
 * per mail, NULL-terminated, caller g_strfreevs; NULL only on an error. */
char **outbox_autoreplies_to(Db *db, const char *suffix, const char *since, GError **error);
/* TRUE with *COUNT the automatic replies written since SINCE; FALSE on an error. */
gboolean outbox_count_autoreplies(Db *db, const char *since, guint *count, GError **error);

#endif
