/* outboxrows.h - the outbox's rows as they are listed for people: every
 * unsent mail, or every mail of one case, with its retry state. */
#ifndef EMBARGO_OUTBOXROWS_H
#define EMBARGO_OUTBOXROWS_H

#include "db.h"

/* One outbox row. Strings are owned, NULL when the column is NULL. */
typedef struct {
	gint64 id;
	char *list;
	char *case_id;
	char *kind;
	char **recipients;     /* never NULL: the recipients, one per element */
	char *state;           /* "pending", "sent", ... */
	char *message_id;
	char *subject;
	char *created_at;
	char *sent_at;
	gint64 attempts;
	char *last_error;
	char *envelope_from;
	char *next_attempt;
	char *first_failure;
	char *given_up_at;     /* NULL: not given up */
} OutboxRow;

void outbox_row_free(OutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(OutboxRow, outbox_row_free)

/* The rows not sent yet, oldest first. TRUE with *OUT a new array of
 * OutboxRow (caller unrefs; empty: none); FALSE with ERROR on a store error,
 * *OUT then untouched. */
gboolean outbox_rows_pending(Db *db, GPtrArray **out, GError **error);

/* Every row of case CASE_ID, oldest first; as outbox_rows_pending. */
gboolean outbox_rows_of_case(Db *db, const char *case_id, GPtrArray **out, GError **error);

#endif
