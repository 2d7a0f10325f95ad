/* test-ctlstore.c - the store queries behind embargoctl's listings, on a
 * real migrated SQLite store: the deadlines "stats" counts (table-driven),
 * reminders recorded once, the outbox rows "outbox list" and "case show"
 * print, and a case's event log; each says "none" (TRUE, nothing) and
 * "error" (FALSE) apart. */
#include <glib/gstdio.h>
#include <string.h>

#include "testdir.h"
#include "casehistory.h"
#include "casestats.h"
#include "db.h"
#include "outbox.h"
#include "outboxrows.h"
#include "reminders.h"
#include "statedir.h"

#define LIST "security@example.org"
#define OTHER "security@tools.example.org"
#define NOW "2026-12-10T12:00:00Z"

typedef struct {
	char *tmp;
	Db *db;
} Fixture;

static void
fx_setup(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *dir = NULL;

	fx->tmp = g_dir_make_tmp("embargo-test-ctlstore.XXXXXX", &err);
	g_assert_no_error(err);
	dir = g_build_filename(fx->tmp, "state", NULL);
	fx->db = testdir_open_store(dir);
}

static void
fx_teardown(Fixture *fx, gconstpointer data)
{
	db_close(fx->db);
	testdir_rm_rf(fx->tmp);
	g_free(fx->tmp);
}

static void
exec(Fixture *fx, const char *sql)
{
	g_autoptr(GError) err = NULL;

	g_assert_true(db_exec(fx->db, sql, &err));
	g_assert_no_error(err);
}

static void
add_case(Fixture *fx, const char *id, const char *list)
{
	g_autofree char *sql = g_strdup_printf(
		"INSERT INTO cases (id, list, status, subject, reporter, created_at, updated_at) "
		"VALUES ('%s', '%s', 'received', 'x', 'jane@example.net', '2026-12-01T00:00:00Z', "
		"'2026-12-01T00:00:00Z')",
		id, list);

	exec(fx, sql);
}

/* One deadline on a case of its own, and what "stats" must make of it. */
static const struct {
	const char *list;
	const char *due;       /* NULL: not running yet */
	const char *met_at;    /* NULL: not met */
	const char *closed_at; /* NULL: the case is open */
	gboolean counted;
	gboolean met;
} deadline_rows[] = {
	/* met in time, at due, late */
	{ LIST, "2026-12-05T00:00:00Z", "2026-12-04T00:00:00Z", NULL, TRUE, TRUE },
	{ LIST, "2026-12-05T00:00:00Z", "2026-12-05T00:00:00Z", NULL, TRUE, TRUE },
	{ LIST, "2026-12-05T00:00:00Z", "2026-12-06T00:00:00Z", NULL, TRUE, FALSE },
	/* overdue; not due yet; met before it is due; not running */
	{ LIST, "2026-12-05T00:00:00Z", NULL, NULL, TRUE, FALSE },
	{ LIST, "2026-12-20T00:00:00Z", NULL, NULL, FALSE, FALSE },
	{ LIST, "2026-12-20T00:00:00Z", "2026-12-09T00:00:00Z", NULL, TRUE, TRUE },
	{ LIST, NULL, NULL, NULL, FALSE, FALSE },
	/* the case closed before it fell due, after, at the same time */
	{ LIST, "2026-12-05T00:00:00Z", NULL, "2026-12-03T00:00:00Z", FALSE, FALSE },
	{ LIST, "2026-12-05T00:00:00Z", NULL, "2026-12-07T00:00:00Z", TRUE, FALSE },
	{ LIST, "2026-12-05T00:00:00Z", NULL, "2026-12-05T00:00:00Z", TRUE, FALSE },
	/* another list's */
	{ OTHER, "2026-12-05T00:00:00Z", "2026-12-04T00:00:00Z", NULL, FALSE, FALSE },
	{ OTHER, "2026-12-05T00:00:00Z", NULL, NULL, FALSE, FALSE },
};

static void
test_stats_deadlines(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	guint counted = 99, met = 99, want_counted = 0, want_met = 0;

	/* none: TRUE, and zero */
	g_assert_true(casestats_deadlines(fx->db, LIST, NOW, "closed", &counted, &met, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(counted, ==, 0);
	g_assert_cmpuint(met, ==, 0);

	for (guint i = 0; i < G_N_ELEMENTS(deadline_rows); i++) {
		g_autofree char *id = g_strdup_printf("SEC-2026-%04u", i + 1);
		g_autoptr(GString) sql = g_string_new(NULL);

		add_case(fx, id, deadline_rows[i].list);
		g_string_printf(sql, "INSERT INTO deadlines (case_id, name, due, met_at) "
		                     "VALUES ('%s', 'fix', ", id);
		g_string_append_printf(sql, deadline_rows[i].due != NULL ? "'%s', " : "%sNULL, ",
		                       deadline_rows[i].due != NULL ? deadline_rows[i].due : "");
		g_string_append_printf(sql, deadline_rows[i].met_at != NULL ? "'%s')" : "%sNULL)",
		                       deadline_rows[i].met_at != NULL ? deadline_rows[i].met_at : "");
		exec(fx, sql->str);
		if (deadline_rows[i].closed_at != NULL) {
			g_string_printf(sql, "INSERT INTO case_stages (case_id, stage, reached_at) "
			                     "VALUES ('%s', 'closed', '%s')", id, deadline_rows[i].closed_at);
			exec(fx, sql->str);
		}
		want_counted += deadline_rows[i].counted;
		want_met += deadline_rows[i].met;

		/* after each row, so that a wrong row is named by the count */
		g_assert_true(casestats_deadlines(fx->db, LIST, NOW, "closed", &counted, &met, &err));
		g_assert_no_error(err);
		g_test_message("row %u", i);
		g_assert_cmpuint(counted, ==, want_counted);
		g_assert_cmpuint(met, ==, want_met);
	}

	/* error: FALSE with the error, the outputs untouched */
	exec(fx, "DROP TABLE reminders; DROP TABLE deadlines");
	counted = met = 77;
	g_assert_false(casestats_deadlines(fx->db, LIST, NOW, "closed", &counted, &met, &err));
	g_assert_error(err, EMBARGO_DB_ERROR, DB_ERROR_FAILED);
	g_assert_cmpuint(counted, ==, 77);
	g_assert_cmpuint(met, ==, 77);
}

static void
test_reminder_once(Fixture *fx, gconstpointer data)
{
	static const struct {
		const char *threshold;
		const char *due;
		gboolean fresh;
	} rows[] = {
		{ "soon", "2026-12-11T00:00:00Z", TRUE },
		{ "soon", "2026-12-11T00:00:00Z", FALSE },  /* the same: sent already */
		{ "passed", "2026-12-11T00:00:00Z", TRUE }, /* another threshold */
		{ "soon", "2026-12-10T18:00:00Z", TRUE },   /* the due time moved */
		{ "passed", "2026-12-11T00:00:00Z", FALSE },
	};
	g_autoptr(GError) err = NULL;

	add_case(fx, "SEC-2026-0001", LIST);
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		gboolean fresh = !rows[i].fresh;

		g_assert_true(reminder_record(fx->db, "SEC-2026-0001", "fix", rows[i].threshold,
		                              rows[i].due, NOW, &fresh, &err));
		g_assert_no_error(err);
		g_assert_cmpint(fresh, ==, rows[i].fresh);
	}
	/* a store that cannot record it is an error, not "sent before" */
	exec(fx, "ALTER TABLE reminders RENAME TO reminders_gone");
	gboolean fresh = TRUE;
	g_assert_false(reminder_record(fx->db, "SEC-2026-0001", "fix", "soon", "2026-12-12T00:00:00Z",
	                               NOW, &fresh, &err));
	g_assert_nonnull(err);
	g_assert_true(fresh);
}

static void
add_out(Fixture *fx, const char *case_id, const char *kind, char **rcpt)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GBytes) body = g_bytes_new_static("Subject: x\n\nhello\n", 18);
	g_autofree char *message_id = g_strdup_printf("%s@example.org", kind); /* UNIQUE */
	OutMail m = {
		.list = LIST,
		.case_id = case_id,
		.kind = kind,
		.envelope_from = "",
		.recipients = rcpt,
		.message_id = message_id,
		.subject = "x",
		.body = body,
	};

	g_assert_true(outbox_add(fx->db, &m, NOW, &err));
	g_assert_no_error(err);
}

static void
test_outbox_rows(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	char *two[] = { "alice@example.org", "bob@example.org", NULL };
	char *one[] = { "jane@example.net", NULL };

	/* none */
	g_assert_true(outbox_rows_pending(fx->db, &rows, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 0);
	g_clear_pointer(&rows, g_ptr_array_unref);

	add_case(fx, "SEC-2026-0001", LIST);
	add_case(fx, "SEC-2026-0002", LIST);
	add_out(fx, "SEC-2026-0001", "team", two);
	add_out(fx, "SEC-2026-0002", "ack", one);
	add_out(fx, NULL, "notice", one);
	exec(fx, "UPDATE outbox SET state = 'sent', sent_at = '" NOW "' WHERE kind = 'ack'");
	exec(fx, "UPDATE outbox SET attempts = 3, given_up_at = '" NOW "', last_error = 'no' "
	         "WHERE kind = 'notice'");

	g_assert_true(outbox_rows_pending(fx->db, &rows, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 2);
	{
		const OutboxRow *r = rows->pdata[0];
		g_assert_cmpstr(r->kind, ==, "team");
		g_assert_cmpstr(r->case_id, ==, "SEC-2026-0001");
		g_assert_cmpuint(g_strv_length(r->recipients), ==, 2);
		g_assert_cmpstr(r->recipients[1], ==, "bob@example.org");
		g_assert_null(r->given_up_at);
		g_assert_cmpint(r->attempts, ==, 0);
		r = rows->pdata[1];
		g_assert_cmpstr(r->kind, ==, "notice");
		g_assert_null(r->case_id);
		g_assert_cmpstr(r->given_up_at, ==, NOW);
		g_assert_cmpint(r->attempts, ==, 3);
		g_assert_cmpstr(r->last_error, ==, "no");
	}
	g_clear_pointer(&rows, g_ptr_array_unref);

	g_assert_true(outbox_rows_of_case(fx->db, "SEC-2026-0002", &rows, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 1);
	g_assert_cmpstr(((const OutboxRow *)rows->pdata[0])->state, ==, "sent");
	g_assert_cmpstr(((const OutboxRow *)rows->pdata[0])->sent_at, ==, NOW);
	g_clear_pointer(&rows, g_ptr_array_unref);

	g_assert_true(outbox_rows_of_case(fx->db, "SEC-2026-0009", &rows, &err));
	g_assert_cmpuint(rows->len, ==, 0);
	g_clear_pointer(&rows, g_ptr_array_unref);

	exec(fx, "ALTER TABLE outbox RENAME TO outbox_gone");
	g_assert_false(outbox_rows_pending(fx->db, &rows, &err));
	g_assert_nonnull(err);
	g_assert_null(rows);
}

static void
test_case_events(Fixture *fx, gconstpointer data)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) rows = NULL;

	add_case(fx, "SEC-2026-0001", LIST);
	g_assert_true(casehistory_events(fx->db, "SEC-2026-0001", &rows, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 0);
	g_clear_pointer(&rows, g_ptr_array_unref);
	g_assert_true(casehistory_messages(fx->db, "SEC-2026-0001", &rows, &err));
	g_assert_cmpuint(rows->len, ==, 0);
	g_clear_pointer(&rows, g_ptr_array_unref);

	exec(fx, "INSERT INTO events (case_id, at, actor, what, detail) VALUES "
	         "('SEC-2026-0001', '2026-12-01T00:00:00Z', 'embargo', 'opened', NULL), "
	         "('SEC-2026-0001', '2026-12-02T00:00:00Z', 'alice@example.org', 'stage', 'triaged')");
	g_assert_true(casehistory_events(fx->db, "SEC-2026-0001", &rows, &err));
	g_assert_no_error(err);
	g_assert_cmpuint(rows->len, ==, 2);
	g_assert_cmpstr(((const CaseEvent *)rows->pdata[0])->what, ==, "opened");
	g_assert_null(((const CaseEvent *)rows->pdata[0])->detail);
	g_assert_false(((const CaseEvent *)rows->pdata[0])->has_message);
	g_assert_cmpstr(((const CaseEvent *)rows->pdata[1])->detail, ==, "triaged");
	g_clear_pointer(&rows, g_ptr_array_unref);

	exec(fx, "ALTER TABLE events RENAME TO events_gone");
	g_assert_false(casehistory_events(fx->db, "SEC-2026-0001", &rows, &err));
	g_assert_nonnull(err);
	g_assert_null(rows);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, fn) g_test_add(path, Fixture, NULL, fx_setup, fn, fx_teardown)
	ADD("/ctlstore/stats-deadlines", test_stats_deadlines);
	ADD("/ctlstore/reminder-once", test_reminder_once);
	ADD("/ctlstore/outbox-rows", test_outbox_rows);
	ADD("/ctlstore/case-events", test_case_events);
	return g_test_run();
}
