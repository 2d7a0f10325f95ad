/* agenda_cmd.c - "embargoctl agenda": the open cases of a list for the
 * team's review meeting, most pressing first, printed and, with --mail,
 * sent to the team (sealed where the list has keys, as teammail does).
 *
 * Most pressing: urgent cases, then by severity (critical to none, unset
 * last: a case nobody has rated yet needs the meeting too, but after the
 * rated ones), then by the next deadline, then oldest first.
 *
 * Under the cases, the mail held back (helditems.c): how much waits, and
 * what came, was released or was dropped in the week before NOW. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "deadline.h"
#include "commands.h"
#include "fixteam.h"
#include "ctl.h"
#include "helditems.h"
#include "opencases.h"
#include "teammail.h"
#include "termsafe.h"

typedef struct {
	Case *c;
	CaseDeadline *next;   /* NULL: none running */
	GPtrArray *overdue;   /* CaseDeadline * */
	char **fix_team;      /* the case's fix team, empty when none */
} Item;

static void
item_free(Item *it)
{
	case_free(it->c);
	case_deadline_free(it->next);
	g_ptr_array_unref(it->overdue);
	g_strfreev(it->fix_team);
	g_free(it);
}

static int
severity_rank(const char *severity)
{
	static const char *const order[] = { "critical", "high", "medium", "low", "none" };

	for (guint i = 0; severity != NULL && i < G_N_ELEMENTS(order); i++)
		if (g_ascii_strcasecmp(severity, order[i]) == 0)
			return (int)i;
	return G_N_ELEMENTS(order);
}

static gint
item_cmp(gconstpointer a, gconstpointer b)
{
	const Item *x = *(Item *const *)a, *y = *(Item *const *)b;
	int r;

	if ((x->c->urgent != NULL) != (y->c->urgent != NULL))
		return x->c->urgent != NULL ? -1 : 1;
	if ((r = severity_rank(x->c->severity) - severity_rank(y->c->severity)) != 0)
		return r;
	if ((x->next != NULL) != (y->next != NULL))
		return x->next != NULL ? -1 : 1;
	if (x->next != NULL && (r = strcmp(x->next->due, y->next->due)) != 0)
		return r;
	if ((r = strcmp(x->c->created_at, y->c->created_at)) != 0)
		return r;
	return strcmp(x->c->id, y->c->id);
}

/* An item for C: its next deadline and what of it is overdue at NOW. */
static Item *
agenda_item(Ctl *ctl, const EmbargoList *list, Case *c, GDateTime *now, GError **error)
{
	g_autoptr(GPtrArray) all = deadline_list(ctl->db, list, c->id, error);
	g_autofree char *now_iso = calendar_iso(now);
	Item *it;

	if (all == NULL)
		return NULL;
	it = g_new0(Item, 1);
	it->overdue = g_ptr_array_new_with_free_func((GDestroyNotify)case_deadline_free);
	if (!deadline_next(ctl->db, list, c->id, &it->next, error) ||
	    (it->fix_team = fixteam_list(ctl->db, c->id, error)) == NULL) {
		item_free(it);
		return NULL;
	}
	for (guint i = 0; i < all->len; i++) {
		CaseDeadline *d = all->pdata[i];
		if (d->due != NULL && d->met_at == NULL && strcmp(d->due, now_iso) <= 0)
			g_ptr_array_add(it->overdue, g_ptr_array_steal_index(all, i--));
	}
	it->c = c;
	return it;
}

/* The open cases of LIST as sorted items, deadlines refreshed as of NOW. */
static GPtrArray *
agenda_items(Ctl *ctl, const EmbargoList *list, GDateTime *now, GError **error)
{
	g_autoptr(GPtrArray) cases = opencases_list(ctl, list, now, error);
	g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func((GDestroyNotify)item_free);

	if (cases == NULL)
		return NULL;
	for (guint i = 0; i < cases->len; i++) {
		Item *it = agenda_item(ctl, list, cases->pdata[i], now, error);
		if (it == NULL)
			return NULL;
		cases->pdata[i] = NULL;  /* the item owns the case now */
		g_ptr_array_add(items, it);
	}
	g_ptr_array_sort(items, item_cmp);
	return g_steal_pointer(&items);
}

/* "3 open cases: 1 urgent, 2 overdue; received 2, triaged 1" */
static void
agenda_header(GString *s, const EmbargoConfig *config, const EmbargoList *list, GPtrArray *items,
              GDateTime *now)
{
	g_autofree char *now_iso = calendar_iso(now);
	g_autofree char *when = deadline_format_local(config, now_iso);
	guint urgent = 0, overdue = 0;

	for (guint i = 0; i < items->len; i++) {
		const Item *it = items->pdata[i];
		urgent += it->c->urgent != NULL;
		overdue += it->overdue->len > 0;
	}
	g_string_append_printf(s, "Agenda of %s <%s>, %s (%s policy)\n", list->name, list->address,
	                       when, list->policy->name);
	g_string_append_printf(s, "%u open case%s: %u urgent, %u with a deadline passed", items->len,
	                       items->len == 1 ? "" : "s", urgent, overdue);
	for (char **st = list->policy->stages; *st != NULL; st++) {
		guint n = 0;
		for (guint i = 0; i < items->len; i++)
			n += strcmp(((const Item *)items->pdata[i])->c->status, *st) == 0;
		if (n > 0)
			g_string_append_printf(s, "%s %s %u", st == list->policy->stages ? ";" : ",", *st, n);
	}
	g_string_append(s, "\n");
}

static void
agenda_entry(GString *s, const EmbargoConfig *config, guint n, const Item *it, GDateTime *now)
{
	const Case *c = it->c;

	g_string_append_printf(s, "\n%u. %s  [%s]%s%s\n", n, c->id, c->status,
	                       c->urgent != NULL ? "  URGENT: " : "", c->urgent != NULL ? c->urgent : "");
	g_string_append_printf(s, "   %s\n", c->subject);
	g_string_append_printf(s, "   severity %s", c->severity != NULL ? c->severity : "not set");
	if (c->cvss_vector != NULL)
		g_string_append_printf(s, ", CVSS %.1f %s", c->cvss_score,
		                       c->cvss_rating != NULL ? c->cvss_rating : "");
	g_string_append_printf(s, "; handler %s\n", c->assignee != NULL ? c->assignee : "nobody yet");
	if (it->fix_team[0] != NULL) {
		g_autofree char *team = g_strjoinv(", ", it->fix_team);
		g_string_append_printf(s, "   fix team: %s\n", team);
	}
	if (it->next != NULL) {
		g_autofree char *when = deadline_format_local(config, it->next->due);
		g_autofree char *span = deadline_format_span(now, it->next->due);
		g_string_append_printf(s, "   next: %s due %s (%s)\n", it->next->name, when, span);
	} else {
		g_string_append(s, "   next: no deadline open\n");
	}
	for (guint i = 0; i < it->overdue->len; i++) {
		const CaseDeadline *d = it->overdue->pdata[i];
		g_autofree char *when = deadline_format_local(config, d->due);
		g_autofree char *span = deadline_format_span(now, d->due);
		g_string_append_printf(s, "   OVERDUE: %s (%s) was due %s, %s\n", d->name, d->promise,
		                       when, span);
	}
}

static void
agenda_held(GString *s, const HeldTally *t)
{
	g_string_append_printf(s,
	                       "\nHeld mail: %" G_GINT64_FORMAT " waiting (embargoctl held list); "
	                       "in the last 7 days %" G_GINT64_FORMAT " held, %" G_GINT64_FORMAT
	                       " released, %" G_GINT64_FORMAT " dropped.\n",
	                       t->held, t->received, t->released, t->dropped);
}

static char *
agenda_text(const EmbargoConfig *config, const EmbargoList *list, GPtrArray *items,
            const HeldTally *held, GDateTime *now)
{
	g_autoptr(GString) s = g_string_new(NULL);

	agenda_header(s, config, list, items, now);
	for (guint i = 0; i < items->len; i++)
		agenda_entry(s, config, i + 1, items->pdata[i], now);
	if (items->len == 0)
		g_string_append(s, "\nNo open cases.\n");
	agenda_held(s, held);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
agenda_mail(Ctl *ctl, const EmbargoList *list, GPtrArray *items, const char *text, GDateTime *now,
            GError **error)
{
	g_autoptr(GDateTime) local = g_date_time_to_timezone(now, ctl->config->tz);
	g_autofree char *day = g_date_time_format(local, "%Y-%m-%d");
	g_autofree char *subject = g_strdup_printf("Agenda %s: %u open case%s", day, items->len,
	                                           items->len == 1 ? "" : "s");
	TeamMail tm = { .kind = "agenda", .subject = subject, .text = text, .now = now };

	return teammail_queue(ctl->db, ctl->config, list, &tm, NULL, error);
}

/* Refreshes, reads and (with MAIL) queues in one write transaction. */
static char *
agenda_build(Ctl *ctl, const EmbargoList *list, GDateTime *now, gboolean mail, GError **error)
{
	g_autoptr(GPtrArray) items = NULL;
	g_autoptr(GDateTime) week_ago = g_date_time_add_days(now, -7);
	g_autofree char *text = NULL, *since = calendar_iso(week_ago);
	HeldTally held;

	if (!db_begin(ctl->db, error))
		return NULL;
	items = agenda_items(ctl, list, now, error);
	if (items != NULL && !held_item_tally(ctl->db, list->address, since, NULL, &held, error))
		g_clear_pointer(&items, g_ptr_array_unref);
	if (items != NULL)
		text = agenda_text(ctl->config, list, items, &held, now);
	if (items == NULL || (mail && !agenda_mail(ctl, list, items, text, now, error)) ||
	    !db_commit(ctl->db, error)) {
		db_rollback(ctl->db);
		return NULL;
	}
	return g_steal_pointer(&text);
}

int
cmd_agenda(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *now_text = NULL;
	gboolean mail = FALSE;
	GOptionEntry entries[] = {
		{ "mail", 0, 0, G_OPTION_ARG_NONE, &mail, "send it to the team", NULL },
		{ "now", 0, 0, G_OPTION_ARG_STRING, &now_text, "stand on this time", "TIME" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = NULL;
	g_autofree char *text = NULL, *safe = NULL;
	const EmbargoList *list;
	int status;

	if ((status = ctl_options("agenda", entries, &argc, &argv)) != EX_OK)
		return status;
	if (argc != 2)
		return ctl_usage("agenda: expected a list");
	now = opencases_now(now_text);
	if (now == NULL)
		return ctl_usage("agenda: --now '%s' is not an ISO 8601 time", now_text);
	if ((list = ctl_list(ctl, argv[1])) == NULL)
		return EX_DATAERR;
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	text = agenda_build(ctl, list, now, mail, &err);
	if (text == NULL)
		return ctl_error(err);
	/* the mail keeps the text as it is; the terminal gets it made safe */
	safe = termsafe_text(text);
	fputs(safe, stdout);
	return mail ? opencases_flush(ctl) : EX_OK;
}
