/* messages.h - the record of every incoming message. */
#ifndef EMBARGO_MESSAGES_H
#define EMBARGO_MESSAGES_H

#include "db.h"

typedef struct {
	const char *list;
	const char *case_id;        /* NULL when it belongs to no case */
	const char *message_id;     /* "" when the message had none */
	const char *digest;
	const char *envelope_from;
	const char *recipient;
	const char *from_addr;
	const char *subject;
	const char *kind;
	const char *problem;
	const char *spool_path;
	gint64 size;
	const char *received_at;
} MessageRecord;

/* A stored message as a check of the case's earlier mail needs it. */
typedef struct {
	sqlite3_int64 id;
	char *spool_path;
} StoredMessage;

/* Stores M; its row id, or 0 on an error (ERROR set). */
sqlite3_int64 message_insert(Db *db, const MessageRecord *m, GError **error);
/* The row of an already stored copy, 0 when there is none, -1 on an error. */
sqlite3_int64 message_find(Db *db, const char *list, const char *message_id, const char *digest,
                           GError **error);
/* TRUE with *CASE_ID the case a reference threads into (caller g_frees) or
 * NULL when none (messages.c says which ids count); FALSE on an error. */
gboolean message_case_by_reference(Db *db, const char *list, const char *message_id,
                                   const char *sender, char **case_id, GError **error);
/* The encrypted messages of CASE_ID but EXCEPT, newest first, at most MAX
 * (StoredMessage *, caller unrefs); empty when none, NULL only on an error. */
GPtrArray *message_encrypted_of_case(Db *db, const char *case_id, sqlite3_int64 except, guint max,
                                     GError **error);
/* NULL is a no-op. */
void stored_message_free(StoredMessage *m);

#endif
