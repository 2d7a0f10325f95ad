/* casecmd.c - what a member's command lines do to a case.
 *
 * Each command is checked against the case and the list's policy and then
 * either applied or refused with a reason; nothing here sends mail. All of
 * it runs inside the delivery's transaction, so a command is stored exactly
 * when the message that carried it is. The field commands run before the
 * pre-release notification, and both before the commands that move the
 * stage, so "#severity high" and "#status triaged" work in either order. */
#include "cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "caseid.h"
#include "command.h"
#include "cvss.h"
#include "deadline.h"
#include "members.h"
#include "pendingkey.h"

typedef struct {
	const char *name;
	CmdFunc func;
	int pass;          /* 0: fields, 1: pre-release notification, 2: stage */
} CmdDef;

void
cmd_applied(CmdResult *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_string_append_vprintf(res->applied, fmt, ap);
	va_end(ap);
	g_string_append_c(res->applied, '\n');
	res->napplied++;
}

gboolean
cmd_set_field(const CmdCtx *ctx, const char *column, const char *value, GError **error)
{
	return case_set_field(ctx->db, ctx->case_id, column, value, error);
}


static const CmdDef commands[] = {
	{ "severity", cmd_severity, 0 }, { "cvss", cmd_cvss, 0 },
	{ "cve", cmd_cve, 0 },           { "assign", cmd_assign, 0 },
	{ "embargo", cmd_embargo, 0 },   { "affected", cmd_affected, 0 },
	{ "fixed-in", cmd_fixed_in, 0 }, { "credit", cmd_credit, 0 },
	{ "summary", cmd_summary, 0 },   { "urgent", cmd_urgent, 0 },
	{ "notify", cmd_notify, 1 },     { "status", cmd_status, 2 },
	{ "duplicate", cmd_duplicate, 2 }, { "reject", cmd_reject, 2 },
	{ "close", cmd_close, 2 },       { "key", cmd_key, 0 },
	{ "reply", cmd_reply, 2 },
	{ "fixteam", cmd_fixteam, 0 },
};

static const CmdDef *
command_def(const char *name)
{
	for (gsize i = 0; i < G_N_ELEMENTS(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static gboolean
refuse(const CmdCtx *ctx, const Command *cmd, const char *why, CmdResult *res, GError **error)
{
	g_autofree char *line = g_strdup_printf("#%s%s%s", cmd->name, *cmd->arg ? " " : "", cmd->arg);
	g_autofree char *detail = g_strdup_printf("%s: %s", line, why);

	g_string_append_printf(res->refused, "%s\n", detail);
	res->nrefused++;
	return event_add(ctx->db, ctx->case_id, ctx->now_iso, ctx->actor, "command-refused", detail,
	                 ctx->message, error);
}

static gboolean
apply_one(const CmdCtx *ctx, const Command *cmd, const CmdDef *def, CmdResult *res, GError **error)
{
	g_autoptr(Case) c = NULL;
	g_autofree char *why = NULL;
	g_autofree char *line = NULL;
	guint before = res->napplied;
	gsize text_before = res->applied->len;

	if (!case_get_known(ctx->db, ctx->case_id, &c, error))
		return FALSE;
	/* A refused command changes nothing, even what it wrote before it found
	 * out (#reject sets the reason, then the policy refuses to close). */
	if (!db_exec(ctx->db, "SAVEPOINT command", error))
		return FALSE;
	if (!def->func(ctx, c, cmd->arg, res, &why, error))
		return FALSE;
	if (why != NULL) {
		g_string_truncate(res->applied, text_before);
		res->napplied = before;
		return db_exec(ctx->db, "ROLLBACK TO command", error) &&
		       db_exec(ctx->db, "RELEASE command", error) && refuse(ctx, cmd, why, res, error);
	}
	line = g_strdup_printf("#%s%s%s", cmd->name, *cmd->arg ? " " : "", cmd->arg);
	return db_exec(ctx->db, "RELEASE command", error) &&
	       (res->napplied == before ||
	        event_add(ctx->db, ctx->case_id, ctx->now_iso, ctx->actor, cmd->name, line,
	                  ctx->message, error));
}

/* The close a canned answer asks for, as "#close RESOLUTION" with its
 * checks, after every command of the mail: one that closed the case
 * already (#duplicate, #reject) says more than the template can. A refusal
 * is reported like any other; the answer goes all the same. */
static gboolean
reply_close(const CmdCtx *ctx, CmdResult *res, GError **error)
{
	g_autoptr(Case) c = NULL;
	const char *closed = ctx->list->policy->closed_stage;
	Command close = { .name = (char *)"close", .arg = res->reply->close, .known = TRUE };
	guint before = res->napplied;

	if (!case_get_known(ctx->db, ctx->case_id, &c, error))
		return FALSE;
	if (closed != NULL && strcmp(c->status, closed) == 0)
		return TRUE;
	if (!apply_one(ctx, &close, command_def("close"), res, error))
		return FALSE;
	res->reply_closed = res->napplied > before;
	return TRUE;
}

gboolean
casecmd_apply(const CmdCtx *ctx, GPtrArray *cmds, CmdResult *res, GError **error)
{
	g_autoptr(Case) c = NULL;
	const char *closed;

	if (!case_get_known(ctx->db, ctx->case_id, &c, error))
		return FALSE;
	closed = ctx->list->policy->closed_stage;
	res->applied = g_string_new(NULL);
	res->refused = g_string_new(NULL);
	if (closed != NULL && strcmp(c->status, closed) == 0) {
		g_autofree char *why = g_strdup_printf(
			"%s is closed (%s): commands change nothing on a closed case", c->id,
			c->resolution != NULL ? c->resolution : "closed");
		return casecmd_refuse_all(ctx, cmds, why, res, error);
	}
	for (int pass = 0; pass < 3; pass++)
		for (guint i = 0; i < cmds->len; i++) {
			const Command *cmd = cmds->pdata[i];
			const CmdDef *def = command_def(cmd->name);
			if (def == NULL) {
				if (pass == 0 && !refuse(ctx, cmd, "unknown command", res, error))
					return FALSE;
				continue;
			}
			if (def->pass == pass && !apply_one(ctx, cmd, def, res, error))
				return FALSE;
		}
	if (res->reply != NULL && res->reply->close != NULL && !reply_close(ctx, res, error))
		return FALSE;
	if (res->napplied > 0 &&
	    !deadline_refresh(ctx->db, ctx->config, ctx->list, ctx->case_id, ctx->now, error))
		return FALSE;
	return TRUE;
}

gboolean
casecmd_refuse_all(const CmdCtx *ctx, GPtrArray *cmds, const char *why, CmdResult *res,
                   GError **error)
{
	if (res->applied == NULL)
		res->applied = g_string_new(NULL);
	if (res->refused == NULL)
		res->refused = g_string_new(NULL);
	for (guint i = 0; i < cmds->len; i++)
		if (!refuse(ctx, cmds->pdata[i], why, res, error))
			return FALSE;
	return TRUE;
}

void
cmdresult_clear(CmdResult *res)
{
	if (res->applied != NULL)
		g_string_free(res->applied, TRUE);
	if (res->refused != NULL)
		g_string_free(res->refused, TRUE);
	if (res->sent != NULL)
		g_string_free(res->sent, TRUE);
	g_free(res->reached);
	g_strfreev(res->notify);
	memset(res, 0, sizeof *res);
}
