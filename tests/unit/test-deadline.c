/* test-deadline.c - deadline_refresh, deadline_list and deadline_next on a
 * real SQLite store: due times in calendar and business days in a non-UTC
 * zone with a holiday, deadlines met by the first answer or by a later
 * stage (or by either only from a stage on, met_from), urgent cases,
 * events later than "now", and the rows kept. */
#include <glib/gstdio.h>
#include <string.h>

#include "testdir.h"
#include "calendar.h"
#include "cases.h"
#include "config.h"
#include "db.h"
#include "deadline.h"
#include "statedir.h"

#define CNCF "security@example.org"
#define CODEGATE "security@tools.example.org"
#define SPINNAKER "security@spin.example.org"
#define SIGNALEN "security@signalen.example.org"

/* Amsterdam: CET (UTC+1) in November and December. Monday 30 November 2026
 * is a holiday. The cncf list gains a deadline that runs from the first
 * answer, to test that kind of start too; the signalen list one met by a
 * stage only from a later stage on (met_from). */
static const char conf_text[] =
	"[embargo]\n"
	"state_dir = %s\n"
	"sendmail = /bin/true\n"
	"timezone = Europe/Amsterdam\n"
	"holidays = 2026-11-30;2026-12-25\n"
	"\n"
	"[list " CNCF "]\n"
	"prefix = SEC\n"
	"policy = cncf\n"
	"deadline.followup.from = first_answer\n"
	"deadline.followup.days = 2\n"
	"deadline.followup.unit = business\n"
	"deadline.followup.met_by = triaged\n"
	"deadline.followup.promise = a triage after the first answer\n"
	"\n"
	"[list " CODEGATE "]\n"
	"prefix = TOOLS\n"
	"policy = codegate\n"
	"\n"
	"[list " SPINNAKER "]\n"
	"prefix = SPIN\n"
	"policy = spinnaker\n"
	"\n"
	"[list " SIGNALEN "]\n"
	"prefix = SIG\n"
	"policy = signalen\n"
	"deadline.tracked.from = received\n"
	"deadline.tracked.days = 10\n"
	"deadline.tracked.met_by = triaged\n"
	"deadline.tracked.met_from = tracked\n";

typedef struct {
	char *tmp;
	char *dir;
	Db *db;
	EmbargoConfig *config;
} Fixture;

static void
fx_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *conf = NULL, *text = NULL;

	fx->tmp = g_dir_make_tmp("embargo-test-deadline.XXXXXX", &err);
	g_assert_no_error(err);
	fx->dir = g_build_filename(fx->tmp, "state", NULL);
	conf = g_build_filename(fx->tmp, "embargo.conf", NULL);
	text = g_strdup_printf(conf_text, fx->dir);
	g_assert_true(g_file_set_contents(conf, text, -1, &err));
	fx->config = config_load(conf, &err);
	g_assert_no_error(err);
	g_assert_nonnull(fx->config);
	g_assert_true(statedir_create(fx->dir, &err));
	fx->db = db_open(fx->dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_true(db_migrate(fx->db, &err));
	g_assert_no_error(err);
}

static void
fx_teardown(Fixture *fx, gconstpointer data)
{
	db_close(fx->db);
	config_free(fx->config);
	testdir_rm_rf(fx->tmp);
	g_free(fx->dir);
	g_free(fx->tmp);
}

static const EmbargoList *
list(Fixture *fx, const char *address)
{
	const EmbargoList *l = config_find_list(fx->config, address);

	g_assert_nonnull(l);
	return l;
}

/* A new case of LIST opened at AT (UTC ISO). */
static char *
new_case(Fixture *fx, const char *address, const char *at)
{
	const EmbargoList *l = list(fx, address);
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) t = calendar_parse_iso(at);
	char *id;

	g_assert_nonnull(t);
	g_assert_true(db_begin(fx->db, &err));
	id = case_create(fx->db, l->address, l->prefix, l->policy->stages[0], "Heap overflow",
	                 "jane@example.net", NULL, t, &err);
	g_assert_no_error(err);
	g_assert_true(db_commit(fx->db, &err));
	return id;
}

/* Sets a column of the case. Statements of their own, each a static string
 * as db_stmt's cache needs (the cache keys on the SQL text it is given). */
static void
set_field(Fixture *fx, const char *id, const char *column, const char *value)
{
	g_autoptr(GError) err = NULL;
	sqlite3_stmt *st;

	if (strcmp(column, "urgent") == 0)
		st = db_stmt(fx->db, "UPDATE cases SET urgent = ?2 WHERE id = ?1", &err);
	else if (strcmp(column, "first_answer_at") == 0)
		st = db_stmt(fx->db, "UPDATE cases SET first_answer_at = ?2 WHERE id = ?1", &err);
	else
		g_assert_not_reached();
	g_assert_no_error(err);
	db_bind_text(st, 1, id);
	db_bind_text(st, 2, value);
	g_assert_true(db_step_done(fx->db, st, &err));
	g_assert_no_error(err);
}

static void
set_stage(Fixture *fx, const char *address, const char *id, const char *stage, const char *at)
{
	g_autoptr(GError) err = NULL;

	/* as a team command moving a case on: the stages before it are reached too */
	g_assert_true(case_set_stage(fx->db, id, list(fx, address)->policy->stages, stage, TRUE, at,
	                             &err));
	g_assert_no_error(err);
}

static void
make_urgent(Fixture *fx, const char *id, const char *at)
{
	g_autoptr(GError) err = NULL;

	set_field(fx, id, "urgent", "the reporter publishes on Friday");
	g_assert_true(event_add(fx->db, id, at, "alice@example.org", "urgent", NULL, 0, &err));
	g_assert_no_error(err);
}

/* Refreshes as of NOW (ISO, or NULL for no limit) in a transaction of its own. */
static void
refresh(Fixture *fx, const char *address, const char *id, const char *now)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) t = now != NULL ? calendar_parse_iso(now) : NULL;

	g_assert_true(db_begin(fx->db, &err));
	g_assert_true(deadline_refresh(fx->db, fx->config, list(fx, address), id, t, &err));
	g_assert_no_error(err);
	g_assert_true(db_commit(fx->db, &err));
}

/* The deadline NAME of the case, after a refresh as of NOW; never NULL. */
static CaseDeadline *
get(Fixture *fx, const char *address, const char *id, const char *name, const char *now)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) all = NULL;

	refresh(fx, address, id, now);
	all = deadline_list(fx->db, list(fx, address), id, &err);
	g_assert_no_error(err);
	g_assert_nonnull(all);
	for (guint i = 0; i < all->len; i++) {
		CaseDeadline *d = all->pdata[i];
		if (strcmp(d->name, name) == 0)
			return g_ptr_array_steal_index(all, i);
	}
	g_test_message("no deadline %s on %s", name, id);
	g_test_fail();
	return g_new0(CaseDeadline, 1);
}

#define assert_deadline(fx, address, id, name, now, want_due, want_met)                   \
	do {                                                                              \
		g_autoptr(CaseDeadline) d_ = get(fx, address, id, name, now);             \
		g_assert_cmpstr(d_->due, ==, want_due);                                   \
		g_assert_cmpstr(d_->met_at, ==, want_met);                                \
	} while (0)

static void
test_business_days(Fixture *fx, gconstpointer data)
{
	/* Thursday 26 Nov 17:00 CET + 3 business days: Fri 27; Sat, Sun; Mon 30
	 * is a holiday; Tue 1 Dec; Wed 2 Dec 17:00 CET. */
	g_autofree char *thu = new_case(fx, CNCF, "2026-11-26T16:00:00Z");
	/* Friday 23:30 UTC is already Saturday 00:30 in Amsterdam: the count
	 * starts on Saturday there, Tue 1, Wed 2, Thu 3 Dec 00:30 CET (in UTC
	 * it would have started on Friday and ended on Wednesday). */
	g_autofree char *fri = new_case(fx, CNCF, "2026-11-27T23:30:00Z");
	/* Tuesday 24 Nov 09:00 CET + 3: Wed, Thu, Fri 27 - no weekend met. */
	g_autofree char *tue = new_case(fx, CNCF, "2026-11-24T08:00:00Z");

	assert_deadline(fx, CNCF, thu, "acknowledge", NULL, "2026-12-02T16:00:00Z", NULL);
	assert_deadline(fx, CNCF, fri, "acknowledge", NULL, "2026-12-02T23:30:00Z", NULL);
	assert_deadline(fx, CNCF, tue, "acknowledge", NULL, "2026-11-27T08:00:00Z", NULL);
	/* the followup deadline runs from the first answer: not yet */
	assert_deadline(fx, CNCF, thu, "followup", NULL, NULL, NULL);
}

static void
test_calendar_days(Fixture *fx, gconstpointer data)
{
	/* codegate counts calendar days: the weekend and the holiday count. */
	g_autofree char *id = new_case(fx, CODEGATE, "2026-11-27T10:00:00Z");

	assert_deadline(fx, CODEGATE, id, "acknowledge", NULL, "2026-11-28T10:00:00Z", NULL);
	assert_deadline(fx, CODEGATE, id, "advisory", NULL, "2026-12-04T10:00:00Z", NULL);
	assert_deadline(fx, CODEGATE, id, "release", NULL, "2026-12-18T10:00:00Z", NULL);
	/* runs from "released", which has not happened */
	assert_deadline(fx, CODEGATE, id, "retrospective", NULL, NULL, NULL);
}

static void
test_first_answer(Fixture *fx, gconstpointer data)
{
	g_autofree char *id = new_case(fx, CNCF, "2026-11-26T16:00:00Z");

	/* Answered on Friday 27 Nov 10:00 UTC: the acknowledgement is met then,
	 * and the followup (2 business days from it) starts: Tue 1, Wed 2 Dec. */
	set_field(fx, id, "first_answer_at", "2026-11-27T10:00:00Z");
	assert_deadline(fx, CNCF, id, "acknowledge", NULL, "2026-12-02T16:00:00Z",
	                "2026-11-27T10:00:00Z");
	assert_deadline(fx, CNCF, id, "followup", NULL, "2026-12-02T10:00:00Z", NULL);
	/* As of a time before the answer, neither has happened yet. */
	assert_deadline(fx, CNCF, id, "acknowledge", "2026-11-27T09:59:59Z", "2026-12-02T16:00:00Z",
	                NULL);
	assert_deadline(fx, CNCF, id, "followup", "2026-11-27T09:59:59Z", NULL, NULL);
	/* and at the time itself it has */
	assert_deadline(fx, CNCF, id, "acknowledge", "2026-11-27T10:00:00Z", "2026-12-02T16:00:00Z",
	                "2026-11-27T10:00:00Z");
}

static void
test_met_by_later_stage(Fixture *fx, gconstpointer data)
{
	g_autofree char *spin = new_case(fx, SPINNAKER, "2026-11-02T09:00:00Z");
	g_autofree char *cg = new_case(fx, CODEGATE, "2026-11-02T09:00:00Z");

	/* spinnaker: review is met by "triaged", meeting by "fixing". Moving
	 * straight to "fixing" reaches "triaged" too: both are met then. */
	set_stage(fx, SPINNAKER, spin, "fixing", "2026-11-05T12:00:00Z");
	assert_deadline(fx, SPINNAKER, spin, "review", NULL, "2026-11-09T09:00:00Z",
	                "2026-11-05T12:00:00Z");
	assert_deadline(fx, SPINNAKER, spin, "meeting", NULL, "2026-11-16T09:00:00Z",
	                "2026-11-05T12:00:00Z");
	/* the acknowledgement is met by a first answer, not by a stage */
	assert_deadline(fx, SPINNAKER, spin, "acknowledge", NULL, "2026-11-09T09:00:00Z", NULL);

	/* codegate: triaged first, then predisclosure (which records fixing). */
	set_stage(fx, CODEGATE, cg, "triaged", "2026-11-02T20:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "acknowledge", NULL, "2026-11-03T09:00:00Z",
	                "2026-11-02T20:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "advisory", NULL, "2026-11-09T09:00:00Z", NULL);
	set_stage(fx, CODEGATE, cg, "predisclosure", "2026-11-10T08:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "advisory", NULL, "2026-11-09T09:00:00Z",
	                "2026-11-10T08:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "acknowledge", NULL, "2026-11-03T09:00:00Z",
	                "2026-11-02T20:00:00Z");
	/* Released: the release deadline is met and the retrospective starts. */
	set_stage(fx, CODEGATE, cg, "released", "2026-11-12T15:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "release", NULL, "2026-11-23T09:00:00Z",
	                "2026-11-12T15:00:00Z");
	assert_deadline(fx, CODEGATE, cg, "retrospective", NULL, "2026-11-15T15:00:00Z", NULL);
	/* As of before the release, the retrospective does not run yet. */
	assert_deadline(fx, CODEGATE, cg, "retrospective", "2026-11-11T00:00:00Z", NULL, NULL);
	assert_deadline(fx, CODEGATE, cg, "release", "2026-11-11T00:00:00Z", "2026-11-23T09:00:00Z",
	                NULL);
}

static void
answered(Fixture *fx, const char *id, const char *at)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(event_add(fx->db, id, at, "alice@example.org", "answered", NULL, 0, &err));
	g_assert_no_error(err);
}

static void
test_met_from(Fixture *fx, gconstpointer data)
{
	g_autofree char *id = new_case(fx, SIGNALEN, "2026-11-02T09:00:00Z");
	g_autofree char *same = new_case(fx, SIGNALEN, "2026-11-02T09:00:00Z");
	const char *due = "2026-11-05T09:00:00Z";

	/* signalen's confirmation counts only from "triaged" on: an answer
	 * before it, a first answer included, does not meet it */
	set_field(fx, id, "first_answer_at", "2026-11-02T12:00:00Z");
	answered(fx, id, "2026-11-02T12:00:00Z");
	assert_deadline(fx, SIGNALEN, id, "acknowledge", NULL, due, NULL);
	set_stage(fx, SIGNALEN, id, "triaged", "2026-11-03T10:00:00Z");
	assert_deadline(fx, SIGNALEN, id, "acknowledge", NULL, due, NULL);
	answered(fx, id, "2026-11-04T10:00:00Z");
	answered(fx, id, "2026-11-04T11:00:00Z");
	assert_deadline(fx, SIGNALEN, id, "acknowledge", NULL, due, "2026-11-04T10:00:00Z");
	/* as of before that answer, not met yet */
	assert_deadline(fx, SIGNALEN, id, "acknowledge", "2026-11-04T09:00:00Z", due, NULL);
	/* an answer in the mail that validates: the same time counts */
	set_stage(fx, SIGNALEN, same, "triaged", "2026-11-03T10:00:00Z");
	answered(fx, same, "2026-11-03T10:00:00Z");
	assert_deadline(fx, SIGNALEN, same, "acknowledge", NULL, due, "2026-11-03T10:00:00Z");

	/* a stage met_by counts once both stages are reached, at the later */
	assert_deadline(fx, SIGNALEN, id, "tracked", NULL, "2026-11-12T09:00:00Z", NULL);
	set_stage(fx, SIGNALEN, id, "tracked", "2026-11-06T10:00:00Z");
	assert_deadline(fx, SIGNALEN, id, "tracked", NULL, "2026-11-12T09:00:00Z",
	                "2026-11-06T10:00:00Z");
}

/* met_from must name a stage of the policy; the error says which key. */
static void
test_met_from_bad(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *conf = g_build_filename(fx->tmp, "bad.conf", NULL);
	g_autofree char *text = g_strdup_printf("[embargo]\nstate_dir = %s\n\n[list " SIGNALEN "]\n"
	                                        "prefix = SIG\npolicy = signalen\n"
	                                        "deadline.acknowledge.met_from = validated\n",
	                                        fx->dir);
	EmbargoConfig *bad;

	g_assert_true(g_file_set_contents(conf, text, -1, &err));
	bad = config_load(conf, &err);
	g_assert_null(bad);
	g_assert_nonnull(err);
	g_assert_nonnull(strstr(err->message, "'met_from' must be a stage"));
	config_free(bad);
}

static void
test_urgent(Fixture *fx, gconstpointer data)
{
	g_autofree char *id = new_case(fx, CODEGATE, "2026-11-02T10:00:00Z");
	g_autofree char *hand = new_case(fx, CODEGATE, "2026-11-02T10:00:00Z");
	g_autofree char *late = new_case(fx, CODEGATE, "2026-11-02T10:00:00Z");

	/* Made urgent on 4 Nov 12:00: advisory and release (urgent_days 1) are
	 * due a day after that; the acknowledgement has no urgent_days. */
	make_urgent(fx, id, "2026-11-04T12:00:00Z");
	assert_deadline(fx, CODEGATE, id, "acknowledge", NULL, "2026-11-03T10:00:00Z", NULL);
	assert_deadline(fx, CODEGATE, id, "advisory", NULL, "2026-11-05T12:00:00Z", NULL);
	assert_deadline(fx, CODEGATE, id, "release", NULL, "2026-11-05T12:00:00Z", NULL);
	/* Before it was made urgent it was not. */
	assert_deadline(fx, CODEGATE, id, "advisory", "2026-11-04T11:00:00Z", "2026-11-09T10:00:00Z",
	                NULL);
	/* The retrospective starts at the release, after the case became urgent:
	 * one day from the release, not from the urgent mark. */
	set_stage(fx, CODEGATE, id, "released", "2026-11-05T08:00:00Z");
	assert_deadline(fx, CODEGATE, id, "retrospective", NULL, "2026-11-06T08:00:00Z", NULL);

	/* urgent never pushes a deadline back: made urgent after its normal due time */
	make_urgent(fx, late, "2026-11-20T00:00:00Z");
	assert_deadline(fx, CODEGATE, late, "advisory", NULL, "2026-11-09T10:00:00Z", NULL);
	assert_deadline(fx, CODEGATE, late, "release", NULL, "2026-11-21T00:00:00Z", NULL);

	/* urgent set without an event: urgent from the start */
	set_field(fx, hand, "urgent", "public");
	assert_deadline(fx, CODEGATE, hand, "advisory", NULL, "2026-11-03T10:00:00Z", NULL);
	/* and no longer urgent: back to the normal due times */
	set_field(fx, hand, "urgent", NULL);
	assert_deadline(fx, CODEGATE, hand, "advisory", NULL, "2026-11-09T10:00:00Z", NULL);
}

static void
test_urgent_business(Fixture *fx, gconstpointer data)
{
	/* A cncf list with urgent_days: business days for the urgent count too. */
	g_autofree char *id = NULL;
	const EmbargoList *l = list(fx, CNCF);
	PolicyDeadline *ack = l->policy->deadlines->pdata[0];

	g_assert_cmpstr(ack->name, ==, "acknowledge");
	ack->urgent_days = 1;
	/* Friday 27 Nov 10:00 CET, urgent at once: next business day is Tue 1
	 * Dec (Mon 30 is a holiday), instead of Thu 3 Dec. */
	id = new_case(fx, CNCF, "2026-11-27T09:00:00Z");
	make_urgent(fx, id, "2026-11-27T09:30:00Z");
	assert_deadline(fx, CNCF, id, "acknowledge", NULL, "2026-12-01T09:30:00Z", NULL);
	ack->urgent_days = 0;
}

static void
test_list_next_rows(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *id = new_case(fx, CODEGATE, "2026-11-02T10:00:00Z");
	g_autofree char *other = new_case(fx, CODEGATE, "2026-11-02T10:00:00Z");
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(CaseDeadline) next = NULL;
	sqlite3_stmt *st;
	const char *order[] = { "acknowledge", "advisory", "release", "retrospective" };

	refresh(fx, CODEGATE, id, NULL);
	refresh(fx, CODEGATE, id, NULL);  /* again: the same rows, not twice as many */
	refresh(fx, CODEGATE, other, NULL);
	st = db_stmt(fx->db, "SELECT COUNT(*) FROM deadlines WHERE case_id = ?1", &err);
	db_bind_text(st, 1, id);
	g_assert_cmpint(db_step(fx->db, st, &err), ==, SQLITE_ROW);
	g_assert_cmpint(sqlite3_column_int(st, 0), ==, 4);
	sqlite3_reset(st);

	all = deadline_list(fx->db, list(fx, CODEGATE), id, &err);
	g_assert_no_error(err);
	g_assert_cmpuint(all->len, ==, 4);
	for (guint i = 0; i < all->len && i < 4; i++) {
		const CaseDeadline *d = all->pdata[i];
		g_assert_cmpstr(d->name, ==, order[i]);  /* the policy's order */
	}
	g_assert_cmpstr(((CaseDeadline *)all->pdata[3])->promise, ==,
	                "a retrospective on how the report was handled");

	g_assert_true(deadline_next(fx->db, list(fx, CODEGATE), id, &next, &err));
	g_assert_no_error(err);
	g_assert_nonnull(next);
	g_assert_cmpstr(next->name, ==, "acknowledge");
	g_clear_pointer(&next, case_deadline_free);

	/* met: the next one is the advisory */
	set_stage(fx, CODEGATE, id, "triaged", "2026-11-02T12:00:00Z");
	refresh(fx, CODEGATE, id, NULL);
	g_assert_true(deadline_next(fx->db, list(fx, CODEGATE), id, &next, &err));
	g_assert_nonnull(next);
	g_assert_cmpstr(next->name, ==, "advisory");
	g_assert_cmpstr(next->due, ==, "2026-11-09T10:00:00Z");
	g_clear_pointer(&next, case_deadline_free);

	/* all met: none */
	set_stage(fx, CODEGATE, id, "closed", "2026-11-30T12:00:00Z");
	refresh(fx, CODEGATE, id, NULL);
	g_assert_true(deadline_next(fx->db, list(fx, CODEGATE), id, &next, &err));
	g_assert_no_error(err);
	g_assert_null(next);

	/* a case that does not exist is an error */
	g_assert_true(db_begin(fx->db, &err));
	g_assert_false(deadline_refresh(fx->db, fx->config, list(fx, CODEGATE), "TOOLS-2026-9999",
	                                NULL, &err));
	g_assert_nonnull(err);
	db_rollback(fx->db);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
#define ADD(path, fn) g_test_add("/deadline/" path, Fixture, NULL, fx_setup, fn, fx_teardown)
	ADD("business-days", test_business_days);
	ADD("calendar-days", test_calendar_days);
	ADD("first-answer", test_first_answer);
	ADD("met-by-later-stage", test_met_by_later_stage);
	ADD("met-from", test_met_from);
	ADD("met-from-bad", test_met_from_bad);
	ADD("urgent", test_urgent);
	ADD("urgent-business", test_urgent_business);
	ADD("list-next-rows", test_list_next_rows);
	return g_test_run();
}
