/* outbox_cmd.c - "embargoctl outbox": flushing the outbox, and listing
 * every mail not sent yet with why (attempts, next attempt, last error,
 * given up), as text or JSON. A flush also does the store's housekeeping
 * (the embargo-outbox timer runs it): held items past held_days expire,
 * then the spool is swept. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "commands.h"
#include "ctl.h"
#include "helditems.h"
#include "outbox.h"
#include "spool.h"

/* Held items nobody decided on within held_days go with their raw copies
 * (0: kept until someone does). A failure is logged and left to the next
 * run: it must not keep the outbox from being sent. */
static void
outbox_expire_held(Ctl *ctl)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autoptr(GDateTime) before = NULL;
	g_autofree char *now_iso = calendar_iso(now), *before_iso = NULL;

	if (ctl->config->held_days == 0)
		return;
	before = g_date_time_add_days(now, -(gint)ctl->config->held_days);
	before_iso = calendar_iso(before);
	/* each one is logged by held_item_expire */
	if (!held_item_expire(ctl->db, before_iso, now_iso, NULL, &err))
		fprintf(stderr, "embargoctl: held items not expired now: %s\n", err->message);
}

static int
outbox_flush_cmd(Ctl *ctl, gboolean all)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;
	gboolean ok = all ? outbox_flush_all(ctl->db, ctl->config, OUTBOX_SEND_TIMEOUT_S, &r, &err)
	                  : outbox_flush(ctl->db, ctl->config, 0, OUTBOX_SEND_TIMEOUT_S, &r, &err);

	if (!ok)
		return ctl_error(err);
	outbox_expire_held(ctl);
	spool_sweep(ctl->db, ctl->config->state_dir, SPOOL_SWEEP_AGE_S, NULL, NULL);
	printf("%u sent, %u failed, %u pending", r.sent, r.failed, r.pending);
	if (r.given_up > 0)
		printf(", %u given up (the team is told)", r.given_up);
	putchar('\n');
	return r.pending == 0 ? EX_OK : EX_TEMPFAIL;
}

static JsonNode *
outbox_list_json(Ctl *ctl, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GPtrArray) rows = NULL;

	if (!outbox_rows_pending(ctl->db, &rows, error))
		return NULL;
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const OutboxRow *row = rows->pdata[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, row->id);
		ctl_json_string(b, "list", row->list);
		ctl_json_string(b, "case", row->case_id);
		ctl_json_string(b, "kind", row->kind);
		ctl_outbox_recipients(b, row);
		ctl_json_string(b, "message_id", row->message_id);
		ctl_json_string(b, "created_at", row->created_at);
		ctl_json_string(b, "last_error", row->last_error);
		json_builder_set_member_name(b, "attempts");
		json_builder_add_int_value(b, row->attempts);
		ctl_outbox_retry_fields(b, row);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return json_builder_get_root(b);
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
	int status;

	if ((status = ctl_options("outbox", entries, &argc, &argv)) != EX_OK)
		return status;
	if (argc != 2 || (strcmp(argv[1], "flush") != 0 && strcmp(argv[1], "list") != 0) ||
	    (json && strcmp(argv[1], "flush") == 0) || (all && strcmp(argv[1], "list") == 0))
		return ctl_usage("outbox: expected 'outbox flush [--all]' or 'outbox list [--json]'");
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return strcmp(argv[1], "flush") == 0 ? outbox_flush_cmd(ctl, all) : outbox_list_cmd(ctl, json);
}
