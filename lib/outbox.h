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

char *outbox_new_message_id(const char *domain);
gboolean outbox_add(Db *db, const OutMail *mail, const char *now, GError **error);
#define OUTBOX_SEND_TIMEOUT_S 60

gboolean outbox_flush(Db *db, const EmbargoConfig *config, sqlite3_int64 cause, guint timeout_s,
                      FlushResult *result, GError **error);
gboolean outbox_flush_all(Db *db, const EmbargoConfig *config, guint timeout_s,
                          FlushResult *result, GError **error);
int outbox_count_recent(Db *db, const char *kind, const char *recipient, const char *since,
                        GError **error);

#endif
