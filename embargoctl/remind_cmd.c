/* remind_cmd.c - "embargoctl remind": tells the team, once, when a deadline
 * of an open case is a day away and when it has passed.
 *
 * "Once" is the reminders table: a (case, deadline, threshold, due) row is
 * inserted with INSERT OR IGNORE (reminders.c), and only a row that went in is mailed, so
 * a timer may run this as often as it likes. A deadline whose due time
 * moved (the case was made urgent) is a new row and is reminded of again.
 * The mail names the deadline, the policy's promise, the stage and the
 * handler, never the report's subject or text: it is a nudge, not a copy. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "caseid.h"
#include "deadline.h"
#include "commands.h"
#include "ctl.h"
#include "opencases.h"
#include "reminders.h"
#include "teammail.h"

#define REMIND_SOON_S (24 * 60 * 60)

typedef struct {
	char *name;
	char *promise;
	char *due;
	const char *threshold;  /* soon, passed */
} Reminder;

static void
reminder_free(Reminder *r)
{
	g_free(r->name);
	g_free(r->promise);
	g_free(r->due);
	g_free(r);
}

/* "passed" when NOW is at or after DUE, "soon" within a day of it, else NULL. */
static const char *
remind_threshold(const char *due, GDateTime *now)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(due);
	GTimeSpan left;

	if (t == NULL)
		return NULL;
	left = g_date_time_difference(t, now);
	if (left <= 0)
		return "passed";
	return left <= REMIND_SOON_S * G_TIME_SPAN_SECOND ? "soon" : NULL;
}

/* The case's reminders not sent before (Reminder *), overdue ones first. */
static GPtrArray *
remind_new(Ctl *ctl, const EmbargoList *list, const Case *c, GDateTime *now, GError **error)
{
	g_autoptr(GPtrArray) deadlines = deadline_list(ctl->db, list, c->id, error);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)reminder_free);
	g_autofree char *now_iso = calendar_iso(now);

	if (deadlines == NULL)
		return NULL;
	for (guint i = 0; i < deadlines->len; i++) {
		CaseDeadline *d = deadlines->pdata[i];
		const char *threshold = d->met_at == NULL ? remind_threshold(d->due, now) : NULL;
		Reminder r = { d->name, d->promise, d->due, threshold };
		gboolean fresh;

		if (threshold == NULL)
			continue;
		if (!reminder_record(ctl->db, c->id, r.name, r.threshold, r.due, now_iso, &fresh, error))
			return NULL;
		if (!fresh)
			continue;
		Reminder *keep = g_new0(Reminder, 1);
		keep->name = g_steal_pointer(&d->name);
		keep->promise = g_steal_pointer(&d->promise);
		keep->due = g_steal_pointer(&d->due);
		keep->threshold = threshold;
		g_ptr_array_add(out, keep);
	}
	return g_steal_pointer(&out);
}

static gint
remind_cmp(gconstpointer a, gconstpointer b)
{
	const Reminder *x = *(Reminder *const *)a, *y = *(Reminder *const *)b;
	int px = strcmp(x->threshold, "passed") == 0, py = strcmp(y->threshold, "passed") == 0;

	return px != py ? py - px : strcmp(x->due, y->due);
}

static char *
remind_subject(const EmbargoConfig *config, GPtrArray *rs)
{
	const Reminder *lead = rs->pdata[0];
	g_autofree char *when = deadline_format_local(config, lead->due);
	g_autofree char *more = rs->len > 1 ? g_strdup_printf(" (and %u more)", rs->len - 1)
	                                    : g_strdup("");

	return g_strdup_printf("%s: %s due %s%s",
	                       strcmp(lead->threshold, "passed") == 0 ? "Overdue" : "Reminder",
	                       lead->name, when, more);
}

static char *
remind_text(const EmbargoConfig *config, const EmbargoList *list, const Case *c, GPtrArray *rs,
            GDateTime *now)
{
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree char *team = caseid_address(list->local, list->domain, c->id, NULL);

	g_string_append_printf(s, "Case %s of %s (%s policy)\n", c->id, list->name,
	                       list->policy->name);
	g_string_append_printf(s, "Stage:    %s\n", c->status);
	g_string_append_printf(s, "Handler:  %s\n", c->assignee != NULL ? c->assignee : "nobody yet");
	if (c->urgent != NULL)
		g_string_append_printf(s, "Urgent:   %s\n", c->urgent);
	g_string_append(s, "\n");
	for (guint i = 0; i < rs->len; i++) {
		const Reminder *r = rs->pdata[i];
		gboolean passed = strcmp(r->threshold, "passed") == 0;
		g_autofree char *when = deadline_format_local(config, r->due);
		g_autofree char *span = deadline_format_span(now, r->due);
		g_string_append_printf(s, "%s  %s: %s\n", passed ? "OVERDUE " : "DUE SOON", r->name,
		                       r->promise);
		g_string_append_printf(s, "          %s %s, %s\n", passed ? "was due" : "due", when, span);
	}
	g_string_append_printf(s,
	                       "\nTeam thread: %s\n\n"
	                       "This is an automatic reminder. Each deadline is reminded of once\n"
	                       "a day before it and once when it has passed.\n",
	                       team);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* Queues one mail about the case's new reminders and notes them in LINES. */
static gboolean
remind_case(Ctl *ctl, const EmbargoList *list, const Case *c, GDateTime *now, GPtrArray *lines,
            GError **error)
{
	g_autoptr(GPtrArray) rs = remind_new(ctl, list, c, now, error);
	g_autofree char *subject = NULL, *text = NULL;
	TeamMail tm = { 0 };

	if (rs == NULL)
		return FALSE;
	if (rs->len == 0)
		return TRUE;
	g_ptr_array_sort(rs, remind_cmp);
	subject = remind_subject(ctl->config, rs);
	text = remind_text(ctl->config, list, c, rs, now);
	tm.case_id = c->id;
	tm.kind = "reminder";
	tm.subject = subject;
	tm.text = text;
	tm.now = now;
	if (!teammail_queue(ctl->db, ctl->config, list, &tm, NULL, error))
		return FALSE;
	for (guint i = 0; i < rs->len; i++) {
		const Reminder *r = rs->pdata[i];
		g_ptr_array_add(lines, g_strdup_printf("%s %s %s %s", c->id, r->name, r->threshold,
		                                       r->due));
	}
	return TRUE;
}

static gboolean
remind_lists(Ctl *ctl, GDateTime *now, GPtrArray *lines, GError **error)
{
	for (guint l = 0; l < ctl->config->lists->len; l++) {
		const EmbargoList *list = ctl->config->lists->pdata[l];
		g_autoptr(GPtrArray) cases = opencases_list(ctl, list, now, error);
		if (cases == NULL)
			return FALSE;
		for (guint i = 0; i < cases->len; i++)
			if (!remind_case(ctl, list, cases->pdata[i], now, lines, error))
				return FALSE;
	}
	return TRUE;
}

/* Every list, every open case, in one write transaction: the reminders
 * recorded and the mails about them are committed together or not at all. */
static gboolean
remind_all(Ctl *ctl, GDateTime *now, GPtrArray *lines, GError **error)
{
	if (!db_begin(ctl->db, error))
		return FALSE;
	if (!remind_lists(ctl, now, lines, error) || !db_commit(ctl->db, error)) {
		db_rollback(ctl->db);
		g_ptr_array_set_size(lines, 0);
		return FALSE;
	}
	return TRUE;
}

int
cmd_remind(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *now_text = NULL;
	GOptionEntry entries[] = {
		{ "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "stand on this time", "TIME" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	int status;

	if ((status = ctl_options("remind", entries, &argc, &argv)) != EX_OK)
		return status;
	if (argc != 1)
		return ctl_usage("remind takes no arguments but --now");
	now = opencases_now(now_text);
	if (now == NULL)
		return ctl_usage("remind: --now '%s' is not an ISO 8601 time", now_text);
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	if (!remind_all(ctl, now, lines, &err))
		return ctl_error(err);
	for (guint i = 0; i < lines->len; i++)
		puts(ctl_safe(lines->pdata[i]));
	return opencases_flush(ctl);
}
