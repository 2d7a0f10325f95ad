/* stats_cmd.c - "embargoctl stats": how fast each list handles its cases -
 * hours from receipt to the acknowledgement, the first human answer, the
 * triage and the fix (median and 90th percentile, nearest rank) - the
 * share of deadlines met on time, and the mail held back (helditems.c):
 * held now, received, released (held by mistake) and dropped, all time.
 *
 * Nearest rank, for both the median and the 90th percentile: the value at
 * rank ceil(p/100 * n) of the sorted times, always one that was measured
 * (with an even count the median is the lower of the middle two). */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "casestats.h"
#include "deadline.h"
#include "commands.h"
#include "ctl.h"
#include "helditems.h"
#include "opencases.h"

/* The measured intervals, in the order they are printed. */
enum { M_ACK, M_ANSWER, M_TRIAGE, M_FIX, M_COUNT };

static const char *const measure_key[M_COUNT] = { "acknowledge", "first_answer", "triage", "fix" };
static const char *const measure_label[M_COUNT] = { "acknowledged", "first answer", "triaged",
	                                             "fixed" };

typedef struct {
	const EmbargoList *list;
	guint cases;
	GArray *hours[M_COUNT];   /* double */
	guint deadlines_counted;  /* met, or due and past */
	guint deadlines_met;      /* met_at <= due */
	HeldTally held;           /* all time */
} ListStats;

static void
list_stats_free(ListStats *s)
{
	for (int m = 0; m < M_COUNT; m++)
		g_array_unref(s->hours[m]);
	g_free(s);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(ListStats, list_stats_free)

/* The stage that counts as triage: "triaged", or the policy's second stage. */
static const char *
triage_stage(const Policy *p)
{
	if (policy_has_stage(p, "triaged"))
		return "triaged";
	return p->stages[0] != NULL ? p->stages[1] : NULL;
}

/* Hours from FROM to TO, both ISO; FALSE when either is missing. */
static gboolean
hours_between(const char *from, const char *to, double *out)
{
	g_autoptr(GDateTime) a = calendar_parse_iso(from);
	g_autoptr(GDateTime) b = calendar_parse_iso(to);

	if (a == NULL || b == NULL)
		return FALSE;
	*out = (double)g_date_time_difference(b, a) / (double)G_TIME_SPAN_HOUR;
	return TRUE;
}

static void
add_hours(ListStats *s, int m, const char *from, const char *to)
{
	double h;

	if (hours_between(from, to, &h))
		g_array_append_val(s->hours[m], h);
}

/* A case closed as rejected, a duplicate or invalid reaches the released
 * stage only because closing records every earlier stage: it was never fixed. */
static gboolean
case_was_fixed(const Case *c)
{
	return c->resolution == NULL || strcmp(c->resolution, "fixed") == 0;
}

static gboolean
stats_case(Ctl *ctl, ListStats *s, const Case *c, GError **error)
{
	const Policy *p = s->list->policy;
	const char *triage = triage_stage(p);
	g_autofree char *triaged = NULL, *released = NULL;
	g_autoptr(GError) err = NULL;

	if (triage != NULL && !case_stage_reached(ctl->db, c->id, triage, &triaged, &err))
		goto fail;
	if (p->released_stage != NULL &&
	    !case_stage_reached(ctl->db, c->id, p->released_stage, &released, &err))
		goto fail;
	s->cases++;
	add_hours(s, M_ACK, c->created_at, c->acked_at);
	add_hours(s, M_ANSWER, c->created_at, c->first_answer_at);
	add_hours(s, M_TRIAGE, c->created_at, triaged);
	if (case_was_fixed(c))
		add_hours(s, M_FIX, c->created_at, released);
	return TRUE;
fail:
	g_propagate_error(error, g_steal_pointer(&err));
	return FALSE;
}

/* Counts the deadlines that are met, or past due and not met: by now, and
 * for a closed case by the time it was closed (a case closed early, as
 * rejected, missed nothing that fell due after it). */
static gboolean
stats_deadlines(Ctl *ctl, ListStats *s, GDateTime *now, GError **error)
{
	g_autofree char *now_iso = calendar_iso(now);

	return casestats_deadlines(ctl->db, s->list->address, now_iso, s->list->policy->closed_stage,
	                           &s->deadlines_counted, &s->deadlines_met, error);
}

static gboolean
stats_cases(Ctl *ctl, ListStats *s, GError **error)
{
	g_autoptr(GPtrArray) cases = case_list(ctl->db, s->list->address, error);

	if (cases == NULL)
		return FALSE;
	for (guint i = 0; i < cases->len; i++) {
		const Case *c = cases->pdata[i];
		/* every recorded fact counts: NULL, not now */
		if (!deadline_refresh(ctl->db, ctl->config, s->list, c->id, NULL, error) ||
		    !stats_case(ctl, s, c, error))
			return FALSE;
	}
	return TRUE;
}

/* Refreshes every case's deadlines (closed ones too: their rows feed the
 * share met) and gathers the list's numbers, in one write transaction. */
static ListStats *
stats_list(Ctl *ctl, const EmbargoList *list, GDateTime *now, GError **error)
{
	g_autoptr(ListStats) s = g_new0(ListStats, 1);

	s->list = list;
	for (int m = 0; m < M_COUNT; m++)
		s->hours[m] = g_array_new(FALSE, FALSE, sizeof(double));
	if (!db_begin(ctl->db, error))
		return NULL;
	if (!stats_cases(ctl, s, error) || !stats_deadlines(ctl, s, now, error) ||
	    !held_item_tally(ctl->db, list->address, NULL, NULL, &s->held, error) ||
	    !db_commit(ctl->db, error)) {
		db_rollback(ctl->db);
		return NULL;
	}
	return g_steal_pointer(&s);
}

/* X rounded to 1/SCALE (without libm). */
static double
round_to(double x, double scale)
{
	gint64 n = (gint64)(x * scale + (x < 0 ? -0.5 : 0.5));

	return (double)n / scale;
}

static gint
cmp_double(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank P-th percentile of V (sorted, not empty): rank
 * ceil(P * n / 100), rounded to 1/100 hour. */
static double
percentile(GArray *v, guint p)
{
	guint rank = (p * v->len + 99) / 100;

	return round_to(g_array_index(v, double, MAX(rank, 1) - 1), 100);
}

static void
json_number_or_null(JsonBuilder *b, const char *name, gboolean have, double value)
{
	json_builder_set_member_name(b, name);
	if (have)
		json_builder_add_double_value(b, value);
	else
		json_builder_add_null_value(b);
}

static void
stats_json(JsonBuilder *b, ListStats *s)
{
	json_builder_begin_object(b);
	ctl_json_string(b, "list", s->list->address);
	ctl_json_string(b, "policy", s->list->policy->id);
	json_builder_set_member_name(b, "cases");
	json_builder_add_int_value(b, s->cases);
	for (int m = 0; m < M_COUNT; m++) {
		GArray *v = s->hours[m];
		json_builder_set_member_name(b, measure_key[m]);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "cases");
		json_builder_add_int_value(b, v->len);
		json_number_or_null(b, "median_hours", v->len > 0, v->len > 0 ? percentile(v, 50) : 0);
		json_number_or_null(b, "p90_hours", v->len > 0, v->len > 0 ? percentile(v, 90) : 0);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "deadlines");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "counted");
	json_builder_add_int_value(b, s->deadlines_counted);
	json_builder_set_member_name(b, "met");
	json_builder_add_int_value(b, s->deadlines_met);
	json_number_or_null(b, "share_met", s->deadlines_counted > 0,
	                    s->deadlines_counted > 0
	                            ? round_to((double)s->deadlines_met / s->deadlines_counted, 1e4)
	                            : 0);
	json_builder_end_object(b);
	json_builder_set_member_name(b, "held");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "now");
	json_builder_add_int_value(b, s->held.held);
	json_builder_set_member_name(b, "received");
	json_builder_add_int_value(b, s->held.received);
	json_builder_set_member_name(b, "released");
	json_builder_add_int_value(b, s->held.released);
	json_builder_set_member_name(b, "dropped");
	json_builder_add_int_value(b, s->held.dropped);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void
stats_text(ListStats *s)
{
	printf("%s (%s policy): %u case%s\n", ctl_safe(s->list->address),
	       ctl_safe(s->list->policy->name), s->cases,
	       s->cases == 1 ? "" : "s");
	printf("  %-14s %6s %10s %10s\n", "hours to", "cases", "median", "90th pct");
	for (int m = 0; m < M_COUNT; m++) {
		GArray *v = s->hours[m];
		if (v->len == 0) {
			printf("  %-14s %6u %10s %10s\n", measure_label[m], 0u, "-", "-");
			continue;
		}
		printf("  %-14s %6u %10.2f %10.2f\n", measure_label[m], v->len, percentile(v, 50),
		       percentile(v, 90));
	}
	if (s->deadlines_counted > 0)
		printf("  deadlines met on time: %u of %u (%.0f%%)\n", s->deadlines_met,
		       s->deadlines_counted, 100.0 * s->deadlines_met / s->deadlines_counted);
	else
		printf("  deadlines met on time: none met or past due yet\n");
	printf("  held mail: %" G_GINT64_FORMAT " held now; %" G_GINT64_FORMAT
	       " held in all, %" G_GINT64_FORMAT " released, %" G_GINT64_FORMAT " dropped\n",
	       s->held.held, s->held.received, s->held.released, s->held.dropped);
}

static int
stats_run(Ctl *ctl, const EmbargoList *only, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	json_builder_begin_array(b);
	for (guint l = 0; l < ctl->config->lists->len; l++) {
		const EmbargoList *list = ctl->config->lists->pdata[l];
		g_autoptr(ListStats) s = NULL;
		if (only != NULL && only != list)
			continue;
		if ((s = stats_list(ctl, list, now, &err)) == NULL)
			return ctl_error(err);
		for (int m = 0; m < M_COUNT; m++)
			g_array_sort(s->hours[m], cmp_double);
		if (json)
			stats_json(b, s);
		else
			stats_text(s);
	}
	json_builder_end_array(b);
	if (json) {
		root = json_builder_get_root(b);
		ctl_print_json(root);
	}
	return EX_OK;
}

int
cmd_stats(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *list_name = NULL;
	gboolean json = FALSE;
	const EmbargoList *only = NULL;
	int status;

	if ((status = ctl_list_json_options("stats", &argc, &argv, &list_name, &json)) != EX_OK)
		return status;
	if (argc != 1)
		return ctl_usage("stats takes no arguments but --list and --json");
	if (list_name != NULL && (only = ctl_list(ctl, list_name)) == NULL)
		return EX_DATAERR;
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return stats_run(ctl, only, json);
}
