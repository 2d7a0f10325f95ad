/* messages.c - incoming messages: stored once per list, Message-ID and
 * digest together (a Message-ID alone is the sender's word, not a key). */
#include "messages.h"

sqlite3_int64
message_insert(Db *db, const MessageRecord *m, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO messages (list, case_id, message_id, digest, envelope_from, "
	                           "recipient, from_addr, subject, kind, problem, spool_path, size, "
	                           "received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	                           "?12, ?13)",
	                           error);

	if (st == NULL)
		return 0;
	db_bind_text(st, 1, m->list);
	db_bind_text(st, 2, m->case_id);
	db_bind_text(st, 3, m->message_id);
	db_bind_text(st, 4, m->digest);
	db_bind_text(st, 5, m->envelope_from);
	db_bind_text(st, 6, m->recipient);
	db_bind_text(st, 7, m->from_addr);
	db_bind_text(st, 8, m->subject);
	db_bind_text(st, 9, m->kind);
	db_bind_text(st, 10, m->problem);
	db_bind_text(st, 11, m->spool_path);
	sqlite3_bind_int64(st, 12, m->size);
	db_bind_text(st, 13, m->received_at);
	if (!db_step_done(db, st, error))
		return 0;
	return db_last_rowid(db);
}

/* The row of an already stored copy, 0 when there is none, -1 on error. */
sqlite3_int64
message_find(Db *db, const char *list, const char *message_id, const char *digest, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT id FROM messages WHERE list = ?1 AND message_id = ?2 AND "
	                           "digest = ?3",
	                           error);
	sqlite3_int64 id = 0;
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, message_id);
	db_bind_text(st, 3, digest);
	rc = db_step(db, st, error);
	if (rc < 0)
		return -1;
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return id;
}

/* The case that the id MESSAGE_ID (from In-Reply-To or References) threads
 * a new message into; NULL when none (or on error, with ERROR set).
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
char *
message_case_by_reference(Db *db, const char *list, const char *message_id, const char *sender,
                          GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
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
	                           error);
	char *case_id = NULL;

	if (st == NULL || message_id == NULL || *message_id == '\0')
		return NULL;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, message_id);
	db_bind_text(st, 3, sender);
	if (db_step(db, st, error) == SQLITE_ROW)
		case_id = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return case_id;
}
