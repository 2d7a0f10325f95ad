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

sqlite3_int64 message_insert(Db *db, const MessageRecord *m, GError **error);
sqlite3_int64 message_find(Db *db, const char *list, const char *message_id, const char *digest,
                           GError **error);
char *message_case_by_reference(Db *db, const char *list, const char *message_id,
                                const char *sender, GError **error);

#endif
