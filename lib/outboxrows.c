/* outboxrows.c - the outbox's rows as they are listed for people
 * (outboxrows.h): one reader for every listing, so that "outbox list" and
 * "case show" read a row the same way. Sending and retrying are outbox.c's. */
#include "outboxrows.h"

#include "dbrows.h"

#define OUTBOX_ROW_COLUMNS                                                                   \
	"SELECT id, list, case_id, kind, recipients, state, message_id, subject, created_at, " \
	"sent_at, attempts, last_error, envelope_from, next_attempt, first_failure, "          \
	"given_up_at FROM outbox "

void
outbox_row_free(OutboxRow *row)
{
	if (row == NULL)
		return;
	g_free(row->list);
	g_free(row->case_id);
	g_free(row->kind);
	g_strfreev(row->recipients);
	g_free(row->state);
	g_free(row->message_id);
	g_free(row->subject);
	g_free(row->created_at);
	g_free(row->sent_at);
	g_free(row->last_error);
	g_free(row->envelope_from);
	g_free(row->next_attempt);
	g_free(row->first_failure);
	g_free(row->given_up_at);
	g_free(row);
}

static gpointer
outbox_row_read(sqlite3_stmt *st)
{
	OutboxRow *row = g_new0(OutboxRow, 1);
	const char *rcpts = db_col_text(st, 4);

	row->id = sqlite3_column_int64(st, 0);
	row->list = g_strdup(db_col_text(st, 1));
	row->case_id = g_strdup(db_col_text(st, 2));
	row->kind = g_strdup(db_col_text(st, 3));
	row->recipients = g_strsplit(rcpts != NULL ? rcpts : "", "\n", -1);
	row->state = g_strdup(db_col_text(st, 5));
	row->message_id = g_strdup(db_col_text(st, 6));
	row->subject = g_strdup(db_col_text(st, 7));
	row->created_at = g_strdup(db_col_text(st, 8));
	row->sent_at = g_strdup(db_col_text(st, 9));
	row->attempts = sqlite3_column_int64(st, 10);
	row->last_error = g_strdup(db_col_text(st, 11));
	row->envelope_from = g_strdup(db_col_text(st, 12));
	row->next_attempt = g_strdup(db_col_text(st, 13));
	row->first_failure = g_strdup(db_col_text(st, 14));
	row->given_up_at = g_strdup(db_col_text(st, 15));
	return row;
}

gboolean
outbox_rows_pending(Db *db, GPtrArray **out, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(out != NULL, FALSE);
	st = db_stmt(db, OUTBOX_ROW_COLUMNS "WHERE state = 'pending' ORDER BY id", error);
	if (st == NULL)
		return FALSE;
	return db_rows(db, st, outbox_row_read, (GDestroyNotify)outbox_row_free, out, error);
}

gboolean
outbox_rows_of_case(Db *db, const char *case_id, GPtrArray **out, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(case_id != NULL && out != NULL, FALSE);
	st = db_stmt(db, OUTBOX_ROW_COLUMNS "WHERE case_id = ?1 ORDER BY id", error);
	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, case_id);
	return db_rows(db, st, outbox_row_read, (GDestroyNotify)outbox_row_free, out, error);
}
