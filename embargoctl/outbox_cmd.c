/* outbox_cmd.c - "embargoctl outbox": flushing the outbox, and listing
 * every mail not sent yet with why (attempts, next attempt, last error,
 * given up), as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "ctl.h"
#include "outbox.h"
#include "spool.h"

static int
outbox_flush_cmd(Ctl *ctl, gboolean all)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;
	gboolean ok = all ? outbox_flush_all(ctl->db, ctl->config, OUTBOX_SEND_TIMEOUT_S, &r, &err)
	                  : outbox_flush(ctl->db, ctl->config, 0, OUTBOX_SEND_TIMEOUT_S, &r, &err);

	if (!ok)
		return ctl_error(err);
	spool_sweep(ctl->db, ctl->config->state_dir, SPOOL_SWEEP_AGE_S, NULL, NULL);
	printf("%u sent, %u failed, %u pending", r.sent, r.failed, r.pending);
	if (r.given_up > 0)
		printf(", %u given up (the team is told)", r.given_up);
	putchar('\n');
	return r.pending == 0 ? EX_OK : EX_TEMPFAIL;
}

/* The fields of an unsent row, shared with "case show" (the row's columns
 * from COL on: attempts, next_attempt, first_failure, given_up_at). */
void
ctl_outbox_retry_fields(JsonBuilder *b, sqlite3_stmt *st, int col)
{
	ctl_json_string(b, "next_attempt", db_col_text(st, col + 1));
	ctl_json_string(b, "first_failure", db_col_text(st, col + 2));
	ctl_json_string(b, "given_up_at", db_col_text(st, col + 3));
	json_builder_set_member_name(b, "given_up");
	json_builder_add_boolean_value(b, sqlite3_column_type(st, col + 3) != SQLITE_NULL);
}

static JsonNode *
outbox_list_json(Ctl *ctl, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	sqlite3_stmt *st = db_stmt(ctl->db,
	                           "SELECT id, list, case_id, kind, recipients, message_id, created_at, "
	                           "last_error, attempts, next_attempt, first_failure, given_up_at "
	                           "FROM outbox WHERE state = 'pending' ORDER BY id",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	json_builder_begin_array(b);
	while ((rc = db_step(ctl->db, st, error)) == SQLITE_ROW) {
		g_auto(GStrv) rcpts = g_strsplit(db_col_text(st, 4), "\n", -1);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, sqlite3_column_int64(st, 0));
		ctl_json_string(b, "list", db_col_text(st, 1));
		ctl_json_string(b, "case", db_col_text(st, 2));
		ctl_json_string(b, "kind", db_col_text(st, 3));
		json_builder_set_member_name(b, "recipients");
		json_builder_begin_array(b);
		for (char **r = rcpts; *r != NULL; r++)
			json_builder_add_string_value(b, *r);
		json_builder_end_array(b);
		ctl_json_string(b, "message_id", db_col_text(st, 5));
		ctl_json_string(b, "created_at", db_col_text(st, 6));
		ctl_json_string(b, "last_error", db_col_text(st, 7));
		json_builder_set_member_name(b, "attempts");
		json_builder_add_int_value(b, sqlite3_column_int(st, 8));
		ctl_outbox_retry_fields(b, st, 8);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return rc == SQLITE_DONE ? json_builder_get_root(b) : NULL;
}

/* One unsent row's state in words: "waiting", "3 attempts, next ...", "GIVEN UP ...". */
char *
ctl_outbox_retry_text(JsonObject *e)
{
	gint64 attempts = json_object_get_int_member(e, "attempts");
	const char *next = json_object_get_string_member(e, "next_attempt");
	const char *since = json_object_get_string_member(e, "first_failure");
	const char *given_up = json_object_get_string_member(e, "given_up_at");

	if (given_up != NULL)
		return g_strdup_printf("GIVEN UP %s after %" G_GINT64_FORMAT " attempts since %s",
		                       ctl_safe(given_up), attempts, ctl_safe(since));
	if (attempts == 0)
		return g_strdup("not tried yet");
	return g_strdup_printf("%" G_GINT64_FORMAT " attempt%s, failing since %s, next %s", attempts,
	                       attempts == 1 ? "" : "s", ctl_safe(since),
	                       next != NULL ? ctl_safe(next) : "at the next flush");
}

static int
outbox_list_cmd(Ctl *ctl, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(JsonNode) node = outbox_list_json(ctl, &err);
	JsonArray *rows;

	if (node == NULL)
		return ctl_error(err);
	if (json) {
		ctl_print_json(node);
		return EX_OK;
	}
	rows = json_node_get_array(node);
	for (guint i = 0; i < json_array_get_length(rows); i++) {
		JsonObject *e = json_array_get_object_element(rows, i);
		JsonArray *rcpts = json_object_get_array_member(e, "recipients");
		g_autofree char *state = ctl_outbox_retry_text(e);
		const char *error = json_object_get_string_member(e, "last_error");
		const char *case_id = json_object_get_string_member(e, "case");
		g_autoptr(GString) to = g_string_new(NULL);

		for (guint r = 0; r < json_array_get_length(rcpts); r++)
			g_string_append_printf(to, "%s%s", r > 0 ? ", " : "",
			                       ctl_safe(json_array_get_string_element(rcpts, r)));
		printf("%" G_GINT64_FORMAT "  %s  %s  %s  to %s\n", json_object_get_int_member(e, "id"),
		       ctl_safe(json_object_get_string_member(e, "list")),
		       case_id != NULL ? ctl_safe(case_id) : "-",
		       ctl_safe(json_object_get_string_member(e, "kind")), to->str);
		printf("    written %s; %s\n", ctl_safe(json_object_get_string_member(e, "created_at")),
		       state);
		if (error != NULL)
			printf("    last error: %s\n", ctl_safe(error));
	}
	return EX_OK;
}

int
cmd_outbox(Ctl *ctl, int argc, char **argv)
{
	gboolean json = FALSE, all = FALSE;
	GOptionEntry entries[] = {
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		{ "all", 0, 0, G_OPTION_ARG_NONE, &all, "try every row now, due or not", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("flush|list");
	g_autoptr(GError) err = NULL;
	int status;

	g_option_context_add_main_entries(opts, entries, NULL);
	g_option_context_set_help_enabled(opts, FALSE);
	if (!g_option_context_parse(opts, &argc, &argv, &err))
		return ctl_usage("outbox: %s", err->message);
	if (argc != 2 || (strcmp(argv[1], "flush") != 0 && strcmp(argv[1], "list") != 0) ||
	    (json && strcmp(argv[1], "flush") == 0) || (all && strcmp(argv[1], "list") == 0))
		return ctl_usage("outbox: expected 'outbox flush [--all]' or 'outbox list [--json]'");
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return strcmp(argv[1], "flush") == 0 ? outbox_flush_cmd(ctl, all) : outbox_list_cmd(ctl, json);
}
