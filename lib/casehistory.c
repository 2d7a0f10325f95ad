/* casehistory.c - a case's messages and event log as they are listed for
 * people (casehistory.h). Storing them is messages.c's and cases.c's. */
#include "casehistory.h"

#include "dbrows.h"

void
case_message_free(CaseMessage *m)
{
	if (m == NULL)
		return;
	g_free(m->from_addr);
	g_free(m->envelope_from);
	g_free(m->kind);
	g_free(m->received_at);
	g_free(m->message_id);
	g_free(m->subject);
	g_free(m->problem);
	g_free(m->recipient);
	g_free(m->signature);
	g_free(m->signer);
	g_free(m);
}

void
case_event_free(CaseEvent *e)
{
	if (e == NULL)
		return;
	g_free(e->at);
	g_free(e->actor);
	g_free(e->what);
	g_free(e->detail);
	g_free(e);
}

static gpointer
message_read(sqlite3_stmt *st)
{
	CaseMessage *m = g_new0(CaseMessage, 1);

	m->id = sqlite3_column_int64(st, 0);
	m->from_addr = g_strdup(db_col_text(st, 1));
	m->envelope_from = g_strdup(db_col_text(st, 2));
	m->kind = g_strdup(db_col_text(st, 3));
	m->received_at = g_strdup(db_col_text(st, 4));
	m->message_id = g_strdup(db_col_text(st, 5));
	m->subject = g_strdup(db_col_text(st, 6));
	m->problem = g_strdup(db_col_text(st, 7));
	m->recipient = g_strdup(db_col_text(st, 8));
	m->encrypted = sqlite3_column_int(st, 9) != 0;
	m->signature = g_strdup(db_col_text(st, 10));
	m->signer = g_strdup(db_col_text(st, 11));
	m->sig_partial = sqlite3_column_int(st, 12) != 0;
	return m;
}

static gpointer
event_read(sqlite3_stmt *st)
{
	CaseEvent *e = g_new0(CaseEvent, 1);

	e->at = g_strdup(db_col_text(st, 0));
	e->actor = g_strdup(db_col_text(st, 1));
	e->what = g_strdup(db_col_text(st, 2));
	e->detail = g_strdup(db_col_text(st, 3));
	e->has_message = sqlite3_column_type(st, 4) != SQLITE_NULL;
	e->message = sqlite3_column_int64(st, 4);
	return e;
}

/* Every row SQL yields for CASE_ID, each made by READ and freed by FREE. */
static gboolean
casehistory_rows(Db *db, const char *sql, const char *case_id, DbRowRead read, GDestroyNotify free,
                 GPtrArray **out, GError **error)
{
	sqlite3_stmt *st;

	g_return_val_if_fail(case_id != NULL && out != NULL, FALSE);
	if ((st = db_stmt(db, sql, error)) == NULL)
		return FALSE;
	db_bind_text(st, 1, case_id);
	return db_rows(db, st, read, free, out, error);
}

gboolean
casehistory_messages(Db *db, const char *case_id, GPtrArray **out, GError **error)
{
	return casehistory_rows(db,
	                        "SELECT id, from_addr, envelope_from, kind, received_at, message_id, "
	                        "subject, problem, recipient, encrypted, signature, signer, sig_partial "
	                        "FROM messages WHERE case_id = ?1 ORDER BY id",
	                        case_id, message_read, (GDestroyNotify)case_message_free, out, error);
}

gboolean
casehistory_events(Db *db, const char *case_id, GPtrArray **out, GError **error)
{
	return casehistory_rows(db,
	                        "SELECT at, actor, what, detail, message FROM events WHERE case_id = ?1 "
	                        "ORDER BY id",
	                        case_id, event_read, (GDestroyNotify)case_event_free, out, error);
}
