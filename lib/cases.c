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
	sqlite3_int64 last;
	guint number;

	st = db_query(db,
	              "INSERT INTO case_counters (list, year, last) VALUES (?1, ?2, 1) "
	              "ON CONFLICT (list, year) DO UPDATE SET last = last + 1 RETURNING last",
	              DB_TEXTS(list), error);
	if (st != NULL)
		sqlite3_bind_int(st, 2, year);
	if (!db_one_int64(db, st, NULL, &last, error))
		return NULL;
	number = (guint)last;

	id = caseid_format(prefix, year, number);
	if (!db_write(db,
	              "INSERT INTO cases (id, list, status, subject, reporter, reporter_name, "
	              "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
	              DB_TEXTS(id, list, status, subject, reporter, reporter_name, at), error) ||
	    !db_write(db, "INSERT INTO case_stages (case_id, stage, reached_at) VALUES (?1, ?2, ?3)",
	              DB_TEXTS(id, status, at), error))
		return NULL;
	return g_steal_pointer(&id);
}

#define CASE_COLUMNS \
	"id, list, status, subject, reporter, reporter_name, created_at, updated_at, bounce_noticed, " \
	"severity, cvss_vector, cvss_score, cvss_rating, assignee, embargo_until, affected, " \
	"fixed_in, credit, summary, duplicate_of, resolution, reject_reason, urgent, acked_at, " \
	"first_answer_at, reporter_told, cve_none"

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
	c->cve_none = g_strdup(db_col_text(st, 26));
	return c;
}

static gpointer
case_row(sqlite3_stmt *st)
{
	return case_from_row(st);
}

gboolean
case_get(Db *db, const char *id, Case **out, GError **error)
{
	sqlite3_stmt *st = db_query(db, "SELECT " CASE_COLUMNS " FROM cases WHERE id = ?1",
	                            DB_TEXTS(id), error);
	int rc;

	g_return_val_if_fail(out != NULL, FALSE);
	*out = NULL;
	if (st == NULL || (rc = db_step(db, st, error)) < 0)
		return FALSE;
	if (rc == SQLITE_ROW)
		*out = case_from_row(st);
	sqlite3_reset(st);
	return TRUE;
}

gboolean
case_get_known(Db *db, const char *id, Case **out, GError **error)
{
	if (!case_get(db, id, out, error))
		return FALSE;
	if (*out == NULL) {
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_FAILED, "database: case %s is gone", id);
		return FALSE;
	}
	return TRUE;
}

gboolean
case_on_list(Db *db, const char *list, const char *id, char **out, GError **error)
{
	return db_one_text(db,
	                   db_query(db, "SELECT id FROM cases WHERE id = ?1 AND list = ?2",
	                            DB_TEXTS(id, list), error),
	                   out, error);
}

GPtrArray *
case_list(Db *db, const char *list, GError **error)
{
	return db_all_rows(db,
	                   db_query(db,
	                            "SELECT " CASE_COLUMNS " FROM cases WHERE ?1 IS NULL OR list = ?1 "
	                            "ORDER BY created_at, id",
	                            DB_TEXTS(list), error),
	                   case_row, (GDestroyNotify)case_free, error);
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
	g_free(c->cve_none);
	g_free(c);
}

gboolean
case_touch(Db *db, const char *id, const char *now, GError **error)
{
	return db_write(db, "UPDATE cases SET updated_at = ?2 WHERE id = ?1", DB_TEXTS(id, now), error);
}

gboolean
case_set_bounce_noticed(Db *db, const char *id, GError **error)
{
	return db_write(db, "UPDATE cases SET bounce_noticed = 1 WHERE id = ?1", DB_TEXTS(id), error);
}

gboolean
event_add(Db *db, const char *case_id, const char *at, const char *actor, const char *what,
          const char *detail, sqlite3_int64 message, GError **error)
{
	sqlite3_stmt *st = db_query(db,
	                            "INSERT INTO events (case_id, at, actor, what, detail, message) "
	                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                            DB_TEXTS(case_id, at, actor, what, detail), error);

	if (st == NULL)
		return FALSE;
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
	"reporter_told", "cve_none", NULL,
};

gboolean
case_set_field(Db *db, const char *id, const char *column, const char *value, GError **error)
{
	g_autofree char *sql = NULL;

	g_return_val_if_fail(g_strv_contains(settable_columns, column), FALSE);
	sql = g_strdup_printf("UPDATE cases SET %s = ?2 WHERE id = ?1", column);
	return db_write(db, sql, DB_TEXTS(id, value), error);
}

gboolean
case_set_cvss(Db *db, const char *id, const char *vector, double score, const char *rating,
              GError **error)
{
	sqlite3_stmt *st = db_query(db,
	                            "UPDATE cases SET cvss_vector = ?2, cvss_rating = ?3, "
	                            "cvss_score = ?4 WHERE id = ?1",
	                            DB_TEXTS(id, vector, rating), error);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_double(st, 4, score);
	return db_step_done(db, st, error);
}

/* Sets the stage and records it as reached now, and with EARLIER every
 * earlier stage of the policy not yet reached too (a case moved on past a
 * stage went through it; a case closed early did not). */
gboolean
case_set_stage(Db *db, const char *id, char **policy_stages, const char *stage, gboolean earlier,
               const char *now, GError **error)
{
	if (!db_write(db, "UPDATE cases SET status = ?2 WHERE id = ?1", DB_TEXTS(id, stage), error))
		return FALSE;
	for (char **s = policy_stages; s != NULL && *s != NULL; s++) {
		if (!earlier && g_strcmp0(*s, stage) != 0)
			continue;
		if (!db_write(db,
		              "INSERT OR IGNORE INTO case_stages (case_id, stage, reached_at) "
		              "VALUES (?1, ?2, ?3)",
		              DB_TEXTS(id, *s, now), error))
			return FALSE;
		if (g_strcmp0(*s, stage) == 0)
			break;
	}
	return TRUE;
}

gboolean
case_stage_reached(Db *db, const char *id, const char *stage, char **at, GError **error)
{
	return db_one_text(db,
	                   db_query(db,
	                            "SELECT reached_at FROM case_stages WHERE case_id = ?1 AND "
	                            "stage = ?2",
	                            DB_TEXTS(id, stage), error),
	                   at, error);
}

char **
case_cves(Db *db, const char *id, GError **error)
{
	return db_all_text(db,
	                   db_query(db,
	                            "SELECT cve FROM case_cves WHERE case_id = ?1 "
	                            "ORDER BY added_at, rowid",
	                            DB_TEXTS(id), error),
	                   error);
}

gboolean
case_add_cve(Db *db, const char *id, const char *cve, const char *now, gboolean *existed,
             GError **error)
{
	if (!db_write(db,
	              "INSERT OR IGNORE INTO case_cves (case_id, cve, added_at) VALUES (?1, ?2, ?3)",
	              DB_TEXTS(id, cve, now), error))
		return FALSE;
	if (existed != NULL)
		*existed = db_changes(db) == 0;
	return TRUE;
}

gboolean
case_clear_cves(Db *db, const char *id, GError **error)
{
	return db_write(db, "DELETE FROM case_cves WHERE case_id = ?1", DB_TEXTS(id), error);
}

gboolean
case_add_notification(Db *db, const char *id, const char *name, const char *now, GError **error)
{
	return db_write(db,
	                "INSERT INTO notifications (case_id, name, sent_at) VALUES (?1, ?2, ?3) "
	                "ON CONFLICT (case_id, name) DO UPDATE SET sent_at = ?3",
	                DB_TEXTS(id, name, now), error);
}

gboolean
case_notified(Db *db, const char *id, gboolean *notified, GError **error)
{
	return db_row_exists(db,
	                     db_query(db, "SELECT 1 FROM notifications WHERE case_id = ?1",
	                              DB_TEXTS(id), error),
	                     notified, error);
}
