/* messages.c - incoming messages: stored once per list, Message-ID and
 * digest together (a Message-ID alone is the sender's word, not a key). */
#include "messages.h"

sqlite3_int64
message_insert(Db *db, const MessageRecord *m, GError **error)
{
	sqlite3_stmt *st = db_query(db,
	                            "INSERT INTO messages (list, case_id, message_id, digest, "
	                            "envelope_from, recipient, from_addr, subject, kind, problem, "
	                            "spool_path, received_at, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	                            "?7, ?8, ?9, ?10, ?11, ?12, ?13)",
	                            DB_TEXTS(m->list, m->case_id, m->message_id, m->digest,
	                                     m->envelope_from, m->recipient, m->from_addr, m->subject,
	                                     m->kind, m->problem, m->spool_path, m->received_at),
	                            error);

	if (st == NULL)
		return 0;
	sqlite3_bind_int64(st, 13, m->size);
	if (!db_step_done(db, st, error))
		return 0;
	return db_last_rowid(db);
}

sqlite3_int64
message_find(Db *db, const char *list, const char *message_id, const char *digest, GError **error)
{
	sqlite3_int64 id;

	if (!db_one_int64(db,
	                  db_query(db,
	                           "SELECT id FROM messages WHERE list = ?1 AND message_id = ?2 AND "
	                           "digest = ?3",
	                           DB_TEXTS(list, message_id, digest), error),
	                  NULL, &id, error))
		return -1;
	return id;
}

static gpointer
stored_message_from_row(sqlite3_stmt *st)
{
	StoredMessage *m = g_new0(StoredMessage, 1);

	m->id = sqlite3_column_int64(st, 0);
	m->spool_path = g_strdup(db_col_text(st, 1));
	return m;
}

void
stored_message_free(StoredMessage *m)
{
	if (m == NULL)
		return;
	g_free(m->spool_path);
	g_free(m);
}

GPtrArray *
message_encrypted_of_case(Db *db, const char *case_id, sqlite3_int64 except, guint max,
                          GError **error)
{
	sqlite3_stmt *st = db_query(db,
	                            "SELECT id, spool_path FROM messages WHERE case_id = ?1 AND "
	                            "encrypted = 1 AND id != ?2 ORDER BY id DESC LIMIT ?3",
	                            DB_TEXTS(case_id), error);

	if (st != NULL) {
		sqlite3_bind_int64(st, 2, except);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)max);
	}
	return db_all_rows(db, st, stored_message_from_row, (GDestroyNotify)stored_message_free,
	                   error);
}

/* The case that the id MESSAGE_ID (from In-Reply-To or References) threads
 * a new message into: *CASE_ID, NULL when none; FALSE on an error.
 *
 * A Message-ID is whatever its sender chose, so an id only anchors a thread
 * when it is one of the mails we sent for a case, or a message received on
 * the case from its reporter (the report itself, or a follow-up From the
 * reporter's address) or from a member (discussion, answer). A stranger who
 * wrote on a case, or mail stored without one, anchors nothing.
 *
 * SENDER, the normalised address the new message comes from, must be the
 * case's reporter: an id we sent the reporter, or one they used, is no
 * secret from whoever they sent it to, and whoever first used an id (a
 * public announcement's, a notification's) is a case's reporter too; so a
 * reference never files one person's mail on another person's case. The
 * one exception is a mail we sent SENDER themselves about the case (a
 * pre-release notice, a notice of refused commands): their answer to it is
 * theirs, shown on the case, and changes nothing of it. NULL SENDER is for
 * the team's members and for bounces: any case of LIST. */
gboolean
message_case_by_reference(Db *db, const char *list, const char *message_id, const char *sender,
                          char **case_id, GError **error)
{
	g_return_val_if_fail(case_id != NULL, FALSE);
	*case_id = NULL;
	if (message_id == NULL || *message_id == '\0')
		return TRUE;
	return db_one_text(db,
	                   db_query(db,
	                            "SELECT o.case_id FROM outbox o JOIN cases c ON c.id = o.case_id "
	                            "WHERE o.list = ?1 AND o.message_id = ?2 "
	                            "AND (?3 IS NULL OR c.reporter = ?3 OR instr(char(10) || "
	                            "lower(o.recipients) || char(10), char(10) || ?3 || char(10)) > 0) "
	                            "UNION ALL "
	                            "SELECT m.case_id FROM messages m JOIN cases c ON c.id = m.case_id "
	                            "WHERE m.list = ?1 AND m.message_id = ?2 "
	                            "AND (?3 IS NULL OR c.reporter = ?3) "
	                            "AND (m.kind IN ('report', 'discussion', 'answer') OR "
	                            "(m.kind = 'followup' AND m.from_addr = c.reporter)) LIMIT 1",
	                            DB_TEXTS(list, message_id, sender), error),
	                   case_id, error);
}
