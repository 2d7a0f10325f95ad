/* cases.c - cases and their event log. Case numbers count per list and
 * year; the counter row is bumped inside the caller's write transaction,
 * so two deliveries at once can never get the same id. */
#include "cases.h"

#include "calendar.h"
#include "caseid.h"

char *
case_create(Db *db, const char *list, const char *prefix, const char *status, const char *subject,
            const char *reporter, const char *reporter_name, GDateTime *now, GError **error)
{
	g_autofree char *at = calendar_iso(now);
	g_autofree char *id = NULL;
	int year = g_date_time_get_year(now);
	sqlite3_stmt *st;
	guint number;

	st = db_stmt(db,
	             "INSERT INTO case_counters (list, year, last) VALUES (?1, ?2, 1) "
	             "ON CONFLICT (list, year) DO UPDATE SET last = last + 1 RETURNING last",
	             error);
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	sqlite3_bind_int(st, 2, year);
	if (db_step(db, st, error) != SQLITE_ROW)
		return NULL;
	number = (guint)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);

	id = caseid_format(prefix, year, number);
	st = db_stmt(db,
	             "INSERT INTO cases (id, list, status, subject, reporter, reporter_name, created_at, "
	             "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
	             error);
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, list);
	db_bind_text(st, 3, status);
	db_bind_text(st, 4, subject);
	db_bind_text(st, 5, reporter);
	db_bind_text(st, 6, reporter_name);
	db_bind_text(st, 7, at);
	if (!db_step_done(db, st, error))
		return NULL;
	st = db_stmt(db, "INSERT INTO case_stages (case_id, stage, reached_at) VALUES (?1, ?2, ?3)",
	             error);
	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, status);
	db_bind_text(st, 3, at);
	if (!db_step_done(db, st, error))
		return NULL;
	return g_steal_pointer(&id);
}

#define CASE_COLUMNS \
	"id, list, status, subject, reporter, reporter_name, created_at, updated_at, bounce_noticed, " \
	"severity, cvss_vector, cvss_score, cvss_rating, assignee, embargo_until, affected, " \
	"fixed_in, credit, summary, duplicate_of, resolution, reject_reason, urgent, acked_at, " \
	"first_answer_at, reporter_told"

static Case *
case_from_row(sqlite3_stmt *st)
{
	Case *c = g_new0(Case, 1);

	c->id = g_strdup(db_col_text(st, 0));
	c->list = g_strdup(db_col_text(st, 1));
	c->status = g_strdup(db_col_text(st, 2));
	c->subject = g_strdup(db_col_text(st, 3));
	c->reporter = g_strdup(db_col_text(st, 4));
	c->reporter_name = g_strdup(db_col_text(st, 5));
	c->created_at = g_strdup(db_col_text(st, 6));
	c->updated_at = g_strdup(db_col_text(st, 7));
	c->bounce_noticed = sqlite3_column_int(st, 8) != 0;
	c->severity = g_strdup(db_col_text(st, 9));
	c->cvss_vector = g_strdup(db_col_text(st, 10));
	c->cvss_score = sqlite3_column_double(st, 11);
	c->cvss_rating = g_strdup(db_col_text(st, 12));
	c->assignee = g_strdup(db_col_text(st, 13));
	c->embargo_until = g_strdup(db_col_text(st, 14));
	c->affected = g_strdup(db_col_text(st, 15));
	c->fixed_in = g_strdup(db_col_text(st, 16));
	c->credit = g_strdup(db_col_text(st, 17));
	c->summary = g_strdup(db_col_text(st, 18));
	c->duplicate_of = g_strdup(db_col_text(st, 19));
	c->resolution = g_strdup(db_col_text(st, 20));
	c->reject_reason = g_strdup(db_col_text(st, 21));
	c->urgent = g_strdup(db_col_text(st, 22));
	c->acked_at = g_strdup(db_col_text(st, 23));
	c->first_answer_at = g_strdup(db_col_text(st, 24));
	c->reporter_told = g_strdup(db_col_text(st, 25));
	return c;
}

/* The case, or NULL with ERROR unset when there is none. */
Case *
case_get(Db *db, const char *id, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1", error);
	Case *c = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, id);
	rc = db_step(db, st, error);
	if (rc == SQLITE_ROW)
		c = case_from_row(st);
	sqlite3_reset(st);
	return c;
}

GPtrArray *
case_list(Db *db, const char *list, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)case_free);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT " CASE_COLUMNS " FROM cases WHERE ?1 IS NULL OR list = ?1 "
	                           "ORDER BY created_at, id",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		g_ptr_array_add(out, case_from_row(st));
	return rc == SQLITE_DONE ? g_steal_pointer(&out) : NULL;
}

void
case_free(Case *c)
{
	if (c == NULL)
		return;
	g_free(c->id);
	g_free(c->list);
	g_free(c->status);
	g_free(c->subject);
	g_free(c->reporter);
	g_free(c->reporter_name);
	g_free(c->created_at);
	g_free(c->updated_at);
	g_free(c->severity);
	g_free(c->cvss_vector);
	g_free(c->cvss_rating);
	g_free(c->assignee);
	g_free(c->embargo_until);
	g_free(c->affected);
	g_free(c->fixed_in);
	g_free(c->credit);
	g_free(c->summary);
	g_free(c->duplicate_of);
	g_free(c->resolution);
	g_free(c->reject_reason);
	g_free(c->urgent);
	g_free(c->acked_at);
	g_free(c->first_answer_at);
	g_free(c->reporter_told);
	g_free(c);
}

gboolean
case_touch(Db *db, const char *id, const char *now, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE cases SET updated_at = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, now);
	return db_step_done(db, st, error);
}

gboolean
case_set_bounce_noticed(Db *db, const char *id, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE cases SET bounce_noticed = 1 WHERE id = ?1", error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	return db_step_done(db, st, error);
}

gboolean
event_add(Db *db, const char *case_id, const char *at, const char *actor, const char *what,
          const char *detail, sqlite3_int64 message, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO events (case_id, at, actor, what, detail, message) "
	                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, case_id);
	db_bind_text(st, 2, at);
	db_bind_text(st, 3, actor);
	db_bind_text(st, 4, what);
	db_bind_text(st, 5, detail);
	if (message > 0)
		sqlite3_bind_int64(st, 6, message);
	else
		sqlite3_bind_null(st, 6);
	return db_step_done(db, st, error);
}

/* Only these columns are set by commands; the name is spliced into SQL. */
static const char *const settable_columns[] = {
	"severity", "assignee", "embargo_until", "affected", "fixed_in", "credit", "summary",
	"duplicate_of", "resolution", "reject_reason", "urgent", "acked_at", "first_answer_at",
	"reporter_told", NULL,
};

gboolean
case_set_field(Db *db, const char *id, const char *column, const char *value, GError **error)
{
	g_autofree char *sql = NULL;
	sqlite3_stmt *st;

	g_return_val_if_fail(g_strv_contains(settable_columns, column), FALSE);
	sql = g_strdup_printf("UPDATE cases SET %s = ?2 WHERE id = ?1", column);
	st = db_stmt(db, sql, error);
	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, value);
	return db_step_done(db, st, error);
}

gboolean
case_set_cvss(Db *db, const char *id, const char *vector, double score, const char *rating,
              GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "UPDATE cases SET cvss_vector = ?2, cvss_score = ?3, "
	                           "cvss_rating = ?4 WHERE id = ?1",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, vector);
	sqlite3_bind_double(st, 3, score);
	db_bind_text(st, 4, rating);
	return db_step_done(db, st, error);
}

/* Sets the stage and records it as reached now, and with EARLIER every
 * earlier stage of the policy not yet reached too (a case moved on past a
 * stage went through it; a case closed early did not). */
gboolean
case_set_stage(Db *db, const char *id, char **policy_stages, const char *stage, gboolean earlier,
               const char *now, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE cases SET status = ?2 WHERE id = ?1", error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, stage);
	if (!db_step_done(db, st, error))
		return FALSE;
	for (char **s = policy_stages; s != NULL && *s != NULL; s++) {
		if (!earlier && g_strcmp0(*s, stage) != 0)
			continue;
		st = db_stmt(db,
		             "INSERT OR IGNORE INTO case_stages (case_id, stage, reached_at) "
		             "VALUES (?1, ?2, ?3)",
		             error);
		if (st == NULL)
			return FALSE;
		db_bind_text(st, 1, id);
		db_bind_text(st, 2, *s);
		db_bind_text(st, 3, now);
		if (!db_step_done(db, st, error))
			return FALSE;
		if (g_strcmp0(*s, stage) == 0)
			break;
	}
	return TRUE;
}

/* When the case first reached STAGE, or NULL (ERROR unset) when it has not. */
char *
case_stage_reached(Db *db, const char *id, const char *stage, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT reached_at FROM case_stages WHERE case_id = ?1 AND stage = ?2",
	                           error);
	char *at = NULL;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, stage);
	if (db_step(db, st, error) == SQLITE_ROW)
		at = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return at;
}

/* The case's CVE ids in the order they were added; NULL only on error. */
char **
case_cves(Db *db, const char *id, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT cve FROM case_cves WHERE case_id = ?1 ORDER BY added_at, rowid",
	                           error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func(g_free);
	db_bind_text(st, 1, id);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		g_ptr_array_add(out, g_strdup(db_col_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return NULL;
	g_ptr_array_set_free_func(out, NULL);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

gboolean
case_add_cve(Db *db, const char *id, const char *cve, const char *now, gboolean *existed,
             GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT OR IGNORE INTO case_cves (case_id, cve, added_at) "
	                           "VALUES (?1, ?2, ?3)",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, cve);
	db_bind_text(st, 3, now);
	if (!db_step_done(db, st, error))
		return FALSE;
	if (existed != NULL)
		*existed = db_changes(db) == 0;
	return TRUE;
}
