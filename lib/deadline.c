/* deadline.c - owns the deadlines table: computes each deadline of a case
 * from its list's policy and the case's events, and reads them back.
 *
 * The rows are derived data. deadline_refresh recomputes them from the
 * facts (cases.created_at, cases.first_answer_at, case_stages, the first
 * "urgent" event) every time, so a changed policy, a case made urgent or a
 * stage reached later all show up at the next refresh, and nothing has to
 * remember to move a deadline by hand. */
#include "deadline.h"

#include <string.h>

#include "calendar.h"
#include "cases.h"

/* *OUT: EVENT's time for the case, or NULL when it has not happened (by
 * NOW): an event stamped after NOW does not count yet, so that a command
 * run with an earlier --now sees the case as it was then. FALSE on an error. */
static gboolean
deadline_event_at(Db *db, const Case *c, const char *event, const char *now_iso, char **out,
                  GError **error)
{
	g_autofree char *at = NULL;

	*out = NULL;
	if (strcmp(event, "received") == 0)
		at = g_strdup(c->created_at);
	else if (strcmp(event, "first_answer") == 0)
		at = g_strdup(c->first_answer_at);
	else if (!case_stage_reached(db, c->id, event, &at, error))
		return FALSE;
	if (at != NULL && (now_iso == NULL || strcmp(at, now_iso) <= 0))
		*out = g_steal_pointer(&at);
	return TRUE;
}

/* *OUT: when D was met, or NULL. Without met_from, the time of its met_by
 * event. With it, the met_by event counts only at or after the case reached
 * that stage: a first answer is then the first answer sent to the reporter
 * since then (the "answered" events; a mail that moves the case there and
 * answers carries one time for both), a stage the later of the two. */
static gboolean
deadline_met_at(Db *db, const Case *c, const PolicyDeadline *d, const char *now_iso, char **out,
                GError **error)
{
	g_autofree char *since = NULL, *at = NULL;

	*out = NULL;
	if (d->met_from == NULL)
		return deadline_event_at(db, c, d->met_by, now_iso, out, error);
	if (!deadline_event_at(db, c, d->met_from, now_iso, &since, error))
		return FALSE;
	if (since == NULL)
		return TRUE;
	if (strcmp(d->met_by, "first_answer") == 0)
		return db_one_text(db,
		                   db_query(db,
		                            "SELECT MIN(at) FROM events WHERE case_id = ?1 AND "
		                            "what = 'answered' AND at >= ?2 AND (?3 IS NULL OR at <= ?3)",
		                            DB_TEXTS(c->id, since, now_iso), error),
		                   out, error);
	if (!deadline_event_at(db, c, d->met_by, now_iso, &at, error))
		return FALSE;
	if (at != NULL)
		*out = g_strdup(strcmp(at, since) > 0 ? at : since);
	return TRUE;
}

/* *AT: when the case was first made urgent; NULL when no event says so.
 * FALSE on an error. */
static gboolean
deadline_urgent_since(Db *db, const char *case_id, char **at, GError **error)
{
	return db_one_text(db,
	                   db_query(db,
	                            "SELECT MIN(at) FROM events WHERE case_id = ?1 AND what = 'urgent'",
	                            DB_TEXTS(case_id), error),
	                   at, error);
}

/* START plus DAYS of the deadline's unit, in the project's zone. */
static GDateTime *
deadline_add(const EmbargoConfig *config, const PolicyDeadline *d, GDateTime *start, guint days)
{
	return calendar_add_days(start, days, d->business, config->tz, config->holidays);
}

/* The due time of D running from START_ISO; URGENT_ISO, when the case is
 * urgent, may bring it forward (never push it back). */
static char *
deadline_due(const EmbargoConfig *config, const PolicyDeadline *d, const char *start_iso,
             const char *urgent_iso)
{
	g_autoptr(GDateTime) start = calendar_parse_iso(start_iso);
	g_autoptr(GDateTime) due = NULL;

	if (start == NULL)
		return NULL;
	due = deadline_add(config, d, start, d->days);
	if (urgent_iso != NULL && d->urgent_days > 0) {
		g_autoptr(GDateTime) made = calendar_parse_iso(urgent_iso);
		/* urgent_days count from when the case became urgent, but never from
		 * before the deadline started to run */
		GDateTime *from = made != NULL && g_date_time_compare(made, start) > 0 ? made : start;
		g_autoptr(GDateTime) fast = deadline_add(config, d, from, d->urgent_days);
		if (g_date_time_compare(fast, due) < 0) {
			g_date_time_unref(due);
			due = g_steal_pointer(&fast);
		}
	}
	return calendar_iso(due);
}

static gboolean
deadline_store(Db *db, const char *case_id, const char *name, const char *due, const char *met_at,
               GError **error)
{
	return db_write(db, "INSERT INTO deadlines (case_id, name, due, met_at) VALUES (?1, ?2, ?3, ?4)",
	                DB_TEXTS(case_id, name, due, met_at), error);
}

static gboolean
deadline_clear(Db *db, const char *case_id, GError **error)
{
	return db_write(db, "DELETE FROM deadlines WHERE case_id = ?1", DB_TEXTS(case_id), error);
}

gboolean
deadline_refresh(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                 const char *case_id, GDateTime *now, GError **error)
{
	g_autoptr(Case) c = NULL;
	g_autofree char *now_iso = now != NULL ? calendar_iso(now) : NULL;
	g_autofree char *urgent = NULL;
	GPtrArray *deadlines = list->policy->deadlines;

	if (!case_get(db, case_id, &c, error))
		return FALSE;
	if (c == NULL) {
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_FAILED, "no case %s", case_id);
		return FALSE;
	}
	if (c->urgent != NULL) {
		if (!deadline_urgent_since(db, case_id, &urgent, error))
			return FALSE;
		/* Urgent without an event (set by hand): urgent from the start. Made
		 * urgent only after NOW: not urgent yet. */
		if (urgent == NULL)
			urgent = g_strdup(c->created_at);
		else if (now_iso != NULL && strcmp(urgent, now_iso) > 0)
			g_clear_pointer(&urgent, g_free);
	}
	/* Rebuilt whole: a deadline the policy no longer has goes away with it. */
	if (!deadline_clear(db, case_id, error))
		return FALSE;
	for (guint i = 0; i < deadlines->len; i++) {
		const PolicyDeadline *d = deadlines->pdata[i];
		g_autofree char *start = NULL, *met = NULL, *due = NULL;

		if (!deadline_event_at(db, c, d->from, now_iso, &start, error) ||
		    !deadline_met_at(db, c, d, now_iso, &met, error))
			return FALSE;
		due = start != NULL ? deadline_due(config, d, start, urgent) : NULL;
		if (!deadline_store(db, case_id, d->name, due, met, error))
			return FALSE;
	}
	return TRUE;
}

/* The position of the deadline NAME in the policy, or -1. */
static int
deadline_policy_index(const EmbargoList *list, const char *name)
{
	for (guint i = 0; i < list->policy->deadlines->len; i++) {
		const PolicyDeadline *d = list->policy->deadlines->pdata[i];
		if (strcmp(d->name, name) == 0)
			return (int)i;
	}
	return -1;
}

GPtrArray *
deadline_list(Db *db, const EmbargoList *list, const char *case_id, GError **error)
{
	guint n = list->policy->deadlines->len;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)case_deadline_free);
	g_autofree CaseDeadline **slot = g_new0(CaseDeadline *, n + 1);
	sqlite3_stmt *st = db_query(db, "SELECT name, due, met_at FROM deadlines WHERE case_id = ?1",
	                            DB_TEXTS(case_id), error);
	int rc;

	if (st == NULL)
		return NULL;
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		int i = deadline_policy_index(list, db_col_text(st, 0));
		const PolicyDeadline *pd;
		/* a row of a policy since changed lives until the next refresh */
		if (i < 0 || slot[i] != NULL)
			continue;
		pd = list->policy->deadlines->pdata[i];
		slot[i] = g_new0(CaseDeadline, 1);
		slot[i]->name = g_strdup(pd->name);
		slot[i]->promise = g_strdup(pd->promise);
		slot[i]->due = g_strdup(db_col_text(st, 1));
		slot[i]->met_at = g_strdup(db_col_text(st, 2));
	}
	sqlite3_reset(st);
	for (guint i = 0; i < n; i++)
		if (slot[i] != NULL)
			g_ptr_array_add(out, slot[i]);
	return rc == SQLITE_DONE ? g_steal_pointer(&out) : NULL;
}

gboolean
deadline_next(Db *db, const EmbargoList *list, const char *case_id, CaseDeadline **next,
              GError **error)
{
	g_autoptr(GPtrArray) all = deadline_list(db, list, case_id, error);
	int best = -1;

	*next = NULL;
	if (all == NULL)
		return FALSE;
	for (guint i = 0; i < all->len; i++) {
		const CaseDeadline *d = all->pdata[i];
		if (d->due != NULL && d->met_at == NULL &&
		    (best < 0 || strcmp(d->due, ((CaseDeadline *)all->pdata[best])->due) < 0))
			best = (int)i;
	}
	if (best >= 0)
		*next = g_ptr_array_steal_index(all, (guint)best);
	return TRUE;
}

char *
deadline_format_local(const EmbargoConfig *config, const char *iso)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(iso);
	g_autoptr(GDateTime) local = NULL;

	if (t == NULL)
		return g_strdup(iso != NULL ? iso : "-");
	local = g_date_time_to_timezone(t, config->tz);
	return g_date_time_format(local, "%Y-%m-%d %H:%M %Z");
}

/* "N unit(s)" appended to OUT, with a blank before when OUT is not empty. */
static void
deadline_append_unit(GString *out, gint64 n, const char *unit)
{
	g_string_append_printf(out, "%s%" G_GINT64_FORMAT " %s%s", out->len > 0 ? " " : "", n, unit,
	                       n == 1 ? "" : "s");
}

char *
deadline_format_span(GDateTime *now, const char *iso)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(iso);
	g_autoptr(GString) out = g_string_new(NULL);
	gint64 minutes, days, hours;
	gboolean past;

	if (t == NULL)
		return g_strdup("-");
	minutes = g_date_time_difference(t, now) / G_TIME_SPAN_MINUTE;
	past = minutes < 0;
	minutes = ABS(minutes);
	if (minutes == 0)
		return g_strdup("now");
	days = minutes / (24 * 60);
	hours = minutes / 60 % 24;
	/* two units at most: "2 days 3 hours", "3 hours 10 minutes" */
	if (days > 0) {
		deadline_append_unit(out, days, "day");
		if (hours > 0)
			deadline_append_unit(out, hours, "hour");
	} else if (hours > 0) {
		deadline_append_unit(out, hours, "hour");
		if (minutes % 60 > 0)
			deadline_append_unit(out, minutes % 60, "minute");
	} else {
		deadline_append_unit(out, minutes, "minute");
	}
	return past ? g_strdup_printf("%s ago", out->str) : g_strdup_printf("in %s", out->str);
}

void
case_deadline_free(CaseDeadline *d)
{
	if (d == NULL)
		return;
	g_free(d->name);
	g_free(d->promise);
	g_free(d->due);
	g_free(d->met_at);
	g_free(d);
}
