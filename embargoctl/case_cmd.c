/* case_cmd.c - "embargoctl case": listing cases and showing one with its
 * lifecycle (stage, severity, CVEs, deadlines...), messages, outgoing mails
 * and event log, as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "casehistory.h"
#include "cases.h"
#include "commands.h"
#include "ctl.h"
#include "deadline.h"
#include "fixteam.h"
#include "held.h"
#include "prerelease.h"

static void
case_fields(JsonBuilder *b, const Case *c)
{
	ctl_json_string(b, "id", c->id);
	ctl_json_string(b, "list", c->list);
	ctl_json_string(b, "status", c->status);
	ctl_json_string(b, "subject", c->subject);
	ctl_json_string(b, "reporter", c->reporter);
	ctl_json_string(b, "reporter_name", c->reporter_name);
	ctl_json_string(b, "created_at", c->created_at);
	ctl_json_string(b, "updated_at", c->updated_at);
}

/* "held": why the case was opened without an acknowledgement (automatic
 * mail), or null. */
static gboolean
case_held_field(Ctl *ctl, JsonBuilder *b, const char *id, GError **error)
{
	g_autofree char *why = NULL;

	if (!held_reason(ctl->db, id, &why, error))
		return FALSE;
	ctl_json_string(b, "held", why);
	return TRUE;
}

/* What the team's commands set on the case, and its deadlines (LIST NULL:
 * a list no longer configured, whose policy is unknown: no deadlines). */
static gboolean
case_lifecycle(Ctl *ctl, JsonBuilder *b, const Case *c, const EmbargoList *list, GError **error)
{
	g_auto(GStrv) cves = case_cves(ctl->db, c->id, error);
	g_auto(GStrv) fix_team = NULL;
	g_autoptr(GPtrArray) deadlines = NULL, told = NULL;

	if (cves == NULL || (fix_team = fixteam_list(ctl->db, c->id, error)) == NULL ||
	    (told = prerelease_history(ctl->db, c->id, error)) == NULL)
		return FALSE;
	if (list != NULL && (deadlines = deadline_list(ctl->db, list, c->id, error)) == NULL)
		return FALSE;
	ctl_json_string(b, "stage", c->status);
	ctl_json_string(b, "severity", c->severity);
	json_builder_set_member_name(b, "cvss");
	if (c->cvss_vector != NULL) {
		json_builder_begin_object(b);
		ctl_json_string(b, "vector", c->cvss_vector);
		json_builder_set_member_name(b, "score");
		json_builder_add_double_value(b, c->cvss_score);
		ctl_json_string(b, "rating", c->cvss_rating);
		json_builder_end_object(b);
	} else {
		json_builder_add_null_value(b);
	}
	json_builder_set_member_name(b, "cves");
	json_builder_begin_array(b);
	for (char **v = cves; *v != NULL; v++)
		json_builder_add_string_value(b, *v);
	json_builder_end_array(b);
	ctl_json_string(b, "cve_none", c->cve_none);
	ctl_json_string(b, "assignee", c->assignee);
	json_builder_set_member_name(b, "fix_team");
	json_builder_begin_array(b);
	for (char **v = fix_team; *v != NULL; v++)
		json_builder_add_string_value(b, *v);
	json_builder_end_array(b);
	ctl_json_string(b, "embargo_until", c->embargo_until);
	ctl_json_string(b, "affected", c->affected);
	ctl_json_string(b, "fixed_in", c->fixed_in);
	ctl_json_string(b, "credit", c->credit);
	ctl_json_string(b, "summary", c->summary);
	ctl_json_string(b, "urgent", c->urgent);
	ctl_json_string(b, "resolution", c->resolution);
	ctl_json_string(b, "reject_reason", c->reject_reason);
	ctl_json_string(b, "duplicate_of", c->duplicate_of);
	ctl_json_string(b, "acked_at", c->acked_at);
	ctl_json_string(b, "first_answer_at", c->first_answer_at);
	json_builder_set_member_name(b, "notify_readers");
	json_builder_begin_array(b);
	for (guint i = 0; i < told->len; i++) {
		const PrereleaseReader *r = told->pdata[i];
		json_builder_begin_object(b);
		ctl_json_string(b, "list", r->name);
		ctl_json_string(b, "at", r->at);
		ctl_json_string(b, "reader", r->reader);
		ctl_json_string(b, "fingerprint", r->fingerprint);
		ctl_json_string(b, "reason", r->reason);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	json_builder_set_member_name(b, "deadlines");
	json_builder_begin_array(b);
	for (guint i = 0; deadlines != NULL && i < deadlines->len; i++) {
		const CaseDeadline *d = deadlines->pdata[i];
		json_builder_begin_object(b);
		ctl_json_string(b, "name", d->name);
		ctl_json_string(b, "promise", d->promise);
		ctl_json_string(b, "due", d->due);
		ctl_json_string(b, "met_at", d->met_at);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return TRUE;
}

static gboolean
case_messages(Ctl *ctl, JsonBuilder *b, const char *id, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;

	if (!casehistory_messages(ctl->db, id, &rows, error))
		return FALSE;
	json_builder_set_member_name(b, "messages");
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const CaseMessage *m = rows->pdata[i];
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, m->id);
		ctl_json_string(b, "from", m->from_addr != NULL ? m->from_addr : m->envelope_from);
		ctl_json_string(b, "envelope_from", m->envelope_from);
		ctl_json_string(b, "recipient", m->recipient);
		ctl_json_string(b, "kind", m->kind);
		ctl_json_string(b, "date", m->received_at);
		ctl_json_string(b, "message_id", m->message_id);
		ctl_json_string(b, "subject", m->subject);
		ctl_json_string(b, "problem", m->problem);
		json_builder_set_member_name(b, "encrypted");
		json_builder_add_boolean_value(b, m->encrypted);
		json_builder_set_member_name(b, "signature");
		json_builder_begin_object(b);
		ctl_json_string(b, "status", m->signature);
		ctl_json_string(b, "fingerprint", m->signer);
		json_builder_set_member_name(b, "partial");
		json_builder_add_boolean_value(b, m->sig_partial);
		json_builder_end_object(b);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return TRUE;
}

static gboolean
case_outbox(Ctl *ctl, JsonBuilder *b, const char *id, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;

	if (!outbox_rows_of_case(ctl->db, id, &rows, error))
		return FALSE;
	json_builder_set_member_name(b, "outbox");
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const OutboxRow *row = rows->pdata[i];
		g_autofree char *to = g_strjoinv(", ", row->recipients);
		json_builder_begin_object(b);
		json_builder_set_member_name(b, "id");
		json_builder_add_int_value(b, row->id);
		ctl_json_string(b, "kind", row->kind);
		ctl_json_string(b, "to", to);
		ctl_outbox_recipients(b, row);
		ctl_json_string(b, "envelope_from", row->envelope_from);
		ctl_json_string(b, "state", row->state);
		ctl_json_string(b, "message_id", row->message_id);
		ctl_json_string(b, "subject", row->subject);
		ctl_json_string(b, "created_at", row->created_at);
		ctl_json_string(b, "sent_at", row->sent_at);
		json_builder_set_member_name(b, "attempts");
		json_builder_add_int_value(b, row->attempts);
		ctl_json_string(b, "last_error", row->last_error);
		ctl_outbox_retry_fields(b, row);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return TRUE;
}

static gboolean
case_events(Ctl *ctl, JsonBuilder *b, const char *id, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;

	if (!casehistory_events(ctl->db, id, &rows, error))
		return FALSE;
	json_builder_set_member_name(b, "events");
	json_builder_begin_array(b);
	for (guint i = 0; i < rows->len; i++) {
		const CaseEvent *e = rows->pdata[i];
		json_builder_begin_object(b);
		ctl_json_string(b, "at", e->at);
		ctl_json_string(b, "actor", e->actor);
		ctl_json_string(b, "what", e->what);
		ctl_json_string(b, "detail", e->detail);
		json_builder_set_member_name(b, "message");
		if (!e->has_message)
			json_builder_add_null_value(b);
		else
			json_builder_add_int_value(b, e->message);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	return TRUE;
}

static JsonNode *
case_json(Ctl *ctl, const Case *c, const EmbargoList *list, GError **error)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_object(b);
	case_fields(b, c);
	if (!case_held_field(ctl, b, c->id, error) ||
	    !case_lifecycle(ctl, b, c, list, error) || !case_messages(ctl, b, c->id, error) ||
	    !case_outbox(ctl, b, c->id, error) || !case_events(ctl, b, c->id, error))
		return NULL;
	json_builder_end_object(b);
	return json_builder_get_root(b);
}

/* The lifecycle facts of the case, one "  label  value" line each that is set. */
static void
print_lifecycle(JsonObject *o, const EmbargoConfig *config)
{
	static const char *const fields[][2] = {
		{ "severity", "severity" }, { "assignee", "handler" },
		{ "embargo_until", "embargo" }, { "affected", "affected" },
		{ "fixed_in", "fixed in" }, { "credit", "credit" },
		{ "summary", "summary" }, { "urgent", "URGENT" },
		{ "resolution", "resolution" }, { "reject_reason", "reason" },
		{ "duplicate_of", "duplicate" }, { "acked_at", "acked" },
		{ "first_answer_at", "answered" },
	};
	JsonObject *cvss = json_object_get_object_member(o, "cvss");
	JsonArray *cves = json_object_get_array_member(o, "cves");
	JsonArray *fix_team = json_object_get_array_member(o, "fix_team");
	JsonArray *told = json_object_get_array_member(o, "notify_readers");
	JsonArray *deadlines = json_object_get_array_member(o, "deadlines");
	g_autoptr(GDateTime) now = calendar_now();

	printf("  stage     %s\n", ctl_safe(json_object_get_string_member(o, "stage")));
	for (guint i = 0; i < G_N_ELEMENTS(fields); i++) {
		const char *v = json_object_get_string_member(o, fields[i][0]);
		if (v != NULL)
			printf("  %-9s %s\n", fields[i][1], ctl_safe(v));
	}
	if (cvss != NULL)
		printf("  cvss      %.1f %s  %s\n", json_object_get_double_member(cvss, "score"),
		       ctl_safe(json_object_get_string_member(cvss, "rating")),
		       ctl_safe(json_object_get_string_member(cvss, "vector")));
	for (guint i = 0; i < json_array_get_length(cves); i++)
		printf("  cve       %s\n", ctl_safe(json_array_get_string_element(cves, i)));
	if (json_object_get_string_member(o, "cve_none") != NULL)
		printf("  cve       none: %s\n",
		       ctl_safe(json_object_get_string_member(o, "cve_none")));
	for (guint i = 0; fix_team != NULL && i < json_array_get_length(fix_team); i++)
		printf("  fix team  %s\n", ctl_safe(json_array_get_string_element(fix_team, i)));
	for (guint i = 0; told != NULL && i < json_array_get_length(told); i++) {
		JsonObject *r = json_array_get_object_element(told, i);
		const char *fpr = json_object_get_string_member(r, "fingerprint");
		printf("  notified  %s %s: %s", ctl_safe(json_object_get_string_member(r, "list")),
		       ctl_safe(json_object_get_string_member(r, "reader")),
		       fpr != NULL ? "sent, sealed to " : "NOTHING SENT, ");
		printf("%s\n",
		       ctl_safe(fpr != NULL ? fpr : json_object_get_string_member(r, "reason")));
	}
	printf("  deadlines:\n");
	for (guint i = 0; i < json_array_get_length(deadlines); i++) {
		JsonObject *d = json_array_get_object_element(deadlines, i);
		const char *due = json_object_get_string_member(d, "due");
		const char *met = json_object_get_string_member(d, "met_at");
		g_autofree char *due_local = due != NULL ? deadline_format_local(config, due) : NULL;
		g_autofree char *met_local = met != NULL ? deadline_format_local(config, met) : NULL;
		g_autofree char *span = due != NULL && met == NULL ? deadline_format_span(now, due) : NULL;

		printf("    %-14s ", ctl_safe(json_object_get_string_member(d, "name")));
		if (due == NULL)
			printf("not running yet");
		else
			printf("due %s", due_local);
		if (met != NULL)
			printf(", met %s%s", met_local,
			       due != NULL && strcmp(met, due) > 0 ? " (late)" : "");
		else if (span != NULL)
			printf(" (%s)%s", span, g_str_has_suffix(span, " ago") ? " OVERDUE" : "");
		printf("  - %s\n", ctl_safe(json_object_get_string_member(d, "promise")));
	}
}

/* An outgoing mail; one not sent after an attempt says why and what next. */
static void
print_outbox_row(JsonObject *e)
{
	const char *state = json_object_get_string_member(e, "state");
	gboolean given_up = json_object_get_boolean_member(e, "given_up");
	const char *error = json_object_get_string_member(e, "last_error");

	printf("    %-9s %-8s %s\n", ctl_safe(json_object_get_string_member(e, "kind")),
	       given_up ? "given-up" : ctl_safe(state), ctl_safe(json_object_get_string_member(e, "to")));
	if (strcmp(state, "pending") == 0 && json_object_get_int_member(e, "attempts") > 0) {
		g_autofree char *retry = ctl_outbox_retry_text(e);
		printf("      %s\n", retry);
		if (error != NULL)
			printf("      last error: %s\n", ctl_safe(error));
	}
}

static void
print_text(JsonNode *node, const EmbargoConfig *config)
{
	JsonObject *o = json_node_get_object(node);
	const char *arrays[] = { "messages", "outbox", "events" };

	printf("%s  [%s]  %s\n", ctl_safe(json_object_get_string_member(o, "id")),
	       ctl_safe(json_object_get_string_member(o, "status")),
	       ctl_safe(json_object_get_string_member(o, "subject")));
	printf("  list      %s\n  reporter  %s\n  opened    %s\n",
	       ctl_safe(json_object_get_string_member(o, "list")),
	       ctl_safe(json_object_get_string_member(o, "reporter")),
	       ctl_safe(json_object_get_string_member(o, "created_at")));
	if (json_object_get_string_member(o, "held") != NULL)
		printf("  HELD      %s: nobody was acknowledged\n",
		       ctl_safe(json_object_get_string_member(o, "held")));
	print_lifecycle(o, config);
	for (int a = 0; a < 3; a++) {
		JsonArray *arr = json_object_get_array_member(o, arrays[a]);
		printf("  %s:\n", arrays[a]);
		for (guint i = 0; i < json_array_get_length(arr); i++) {
			JsonObject *e = json_array_get_object_element(arr, i);
			if (a == 0)
				printf("    %s  %-10s %s  %s\n", ctl_safe(json_object_get_string_member(e, "date")),
				       ctl_safe(json_object_get_string_member(e, "kind")),
				       ctl_safe(json_object_get_string_member(e, "from")),
				       ctl_safe(json_object_get_string_member_with_default(e, "problem", "")));
			else if (a == 1)
				print_outbox_row(e);
			else
				printf("    %s  %-18s %s\n", ctl_safe(json_object_get_string_member(e, "at")),
				       ctl_safe(json_object_get_string_member(e, "what")),
				       ctl_safe(json_object_get_string_member(e, "actor")));
		}
	}
}

static int
case_show_cmd(Ctl *ctl, const char *id, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *upper = g_ascii_strup(id, -1);
	g_autoptr(Case) c = NULL;
	g_autoptr(JsonNode) node = NULL;
	const EmbargoList *list;

	if (!case_get(ctl->db, upper, &c, &err))
		return ctl_error(err);
	if (c == NULL) {
		fprintf(stderr, "embargoctl: no case %s\n", id);
		return EX_DATAERR;
	}
	list = config_find_list(ctl->config, c->list);
	/* Deadlines are derived rows: bring them up to date before showing them. */
	if (list != NULL && (!db_begin(ctl->db, &err) ||
	                     !deadline_refresh(ctl->db, ctl->config, list, c->id, NULL, &err) ||
	                     !db_commit(ctl->db, &err))) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	node = case_json(ctl, c, list, &err);
	if (node == NULL)
		return ctl_error(err);
	if (json)
		ctl_print_json(node);
	else
		print_text(node, ctl->config);
	return EX_OK;
}

static int
case_list_cmd(Ctl *ctl, const char *list, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) cases = case_list(ctl->db, list, &err);
	g_autoptr(JsonBuilder) b = json_builder_new();

	if (cases == NULL)
		return ctl_error(err);
	if (!json) {
		for (guint i = 0; i < cases->len; i++) {
			const Case *c = cases->pdata[i];
			printf("%-16s %-10s %s  %s  %s\n", ctl_safe(c->id), ctl_safe(c->status),
			       ctl_safe(c->created_at), ctl_safe(c->reporter), ctl_safe(c->subject));
			g_autofree char *held = NULL;
			if (!held_reason(ctl->db, c->id, &held, &err))
				return ctl_error(err);
			if (held != NULL)
				printf("%-16s HELD: %s, nobody was acknowledged\n", "", ctl_safe(held));
		}
		return EX_OK;
	}
	json_builder_begin_array(b);
	for (guint i = 0; i < cases->len; i++) {
		json_builder_begin_object(b);
		case_fields(b, cases->pdata[i]);
		if (!case_held_field(ctl, b, ((const Case *)cases->pdata[i])->id, &err))
			return ctl_error(err);
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	ctl_print_json(root);
	return EX_OK;
}

int
cmd_case(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *list = NULL;
	gboolean json = FALSE;
	int status;

	if ((status = ctl_list_json_options("case", &argc, &argv, &list, &json)) != EX_OK)
		return status;
	if (argc < 2)
		return ctl_usage("case: expected list or show");
	if (list != NULL && ctl_list(ctl, list) == NULL)
		return EX_DATAERR;
	if (strcmp(argv[1], "list") == 0 && argc == 2) {
		if ((status = ctl_open_db(ctl)) != EX_OK)
			return status;
		return case_list_cmd(ctl, list != NULL ? config_find_list(ctl->config, list)->address : NULL,
		                     json);
	}
	if (strcmp(argv[1], "show") == 0 && argc == 3) {
		if ((status = ctl_open_db(ctl)) != EX_OK)
			return status;
		return case_show_cmd(ctl, argv[2], json);
	}
	return ctl_usage("case: wrong arguments");
}
