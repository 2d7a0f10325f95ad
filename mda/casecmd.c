/* casecmd.c - what a member's command lines do to a case.
 *
 * Each command is checked against the case and the list's policy and then
 * either applied or refused with a reason; nothing here sends mail. All of
 * it runs inside the delivery's transaction, so a command is stored exactly
 * when the message that carried it is. The field commands run before the
 * pre-release notification, and both before the commands that move the
 * stage, so "#severity high" and "#status triaged" work in either order. */
#include "casecmd.h"

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

typedef gboolean (*CmdFunc)(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res,
                            char **why, GError **error);

typedef struct {
	const char *name;
	CmdFunc func;
	int pass;          /* 0: fields, 1: pre-release notification, 2: stage */
} CmdDef;

static void
applied(CmdResult *res, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

static void
applied(CmdResult *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_string_append_vprintf(res->applied, fmt, ap);
	va_end(ap);
	g_string_append_c(res->applied, '\n');
	res->napplied++;
}

static gboolean
set_field(const CmdCtx *ctx, const char *column, const char *value, GError **error)
{
	return case_set_field(ctx->db, ctx->case_id, column, value, error);
}

/* One line of text, bounded: it goes into advisories and mail headers. */
static gboolean
text_arg(const char *arg, const char *what, char **why)
{
	if (*arg == '\0') {
		*why = g_strdup_printf("needs %s", what);
		return FALSE;
	}
	if (!g_utf8_validate(arg, -1, NULL)) {
		*why = g_strdup("is not valid UTF-8");
		return FALSE;
	}
	for (const char *p = arg; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t') {
			*why = g_strdup("contains control characters");
			return FALSE;
		}
	return TRUE;
}

static gboolean
cmd_text(const CmdCtx *ctx, const char *column, const char *label, const char *old,
         const char *arg, CmdResult *res, char **why, GError **error)
{
	g_autofree char *what = g_strdup_printf("a text (#%s TEXT)", label);

	if (!text_arg(arg, what, why))
		return TRUE;
	if (!set_field(ctx, column, arg, error))
		return FALSE;
	applied(res, "%s: %s%s%s%s", label, arg, old != NULL ? " (was: " : "", old != NULL ? old : "",
	        old != NULL ? ")" : "");
	return TRUE;
}

static gboolean
cmd_affected(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	return cmd_text(ctx, "affected", "affected", c->affected, arg, res, why, error);
}

static gboolean
cmd_fixed_in(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	return cmd_text(ctx, "fixed_in", "fixed-in", c->fixed_in, arg, res, why, error);
}

static gboolean
cmd_credit(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	return cmd_text(ctx, "credit", "credit", c->credit, arg, res, why, error);
}

static gboolean
cmd_summary(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
            GError **error)
{
	return cmd_text(ctx, "summary", "summary", c->summary, arg, res, why, error);
}

static gboolean
cmd_severity(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	static const char *const levels[] = { "none", "low", "medium", "high", "critical", NULL };
	g_autofree char *level = g_ascii_strdown(arg, -1);

	if (!g_strv_contains(levels, level)) {
		*why = g_strdup_printf("'%s' is not a severity (none, low, medium, high, critical)", arg);
		return TRUE;
	}
	if (!set_field(ctx, "severity", level, error))
		return FALSE;
	applied(res, "severity: %s%s%s%s", level, c->severity != NULL ? " (was " : "",
	        c->severity != NULL ? c->severity : "", c->severity != NULL ? ")" : "");
	return TRUE;
}

static gboolean
cmd_cvss(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
         GError **error)
{
	g_auto(CvssScore) score = { 0 };
	g_autoptr(GError) err = NULL;

	(void)c;
	if (!cvss_parse(arg, &score, &err)) {
		*why = g_strdup_printf("not a valid CVSS vector: %s", err->message);
		return TRUE;
	}
	if (!case_set_cvss(ctx->db, ctx->case_id, score.vector, score.score, score.rating, error))
		return FALSE;
	applied(res, "cvss: %s = %.1f (%s)", score.vector, score.score, score.rating);
	return TRUE;
}

static gboolean
cmd_cve(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
        GError **error)
{
	g_auto(GStrv) ids = g_strsplit_set(arg, " \t,;", -1);
	g_autoptr(GPtrArray) good = g_ptr_array_new_with_free_func(g_free);

	(void)c;
	for (char **id = ids; *id != NULL; id++) {
		g_autofree char *up = g_ascii_strup(*id, -1);
		if (**id == '\0')
			continue;
		if (!command_cve_valid(up, g_date_time_get_year(ctx->now) + 1, why))
			return TRUE;
		g_ptr_array_add(good, g_steal_pointer(&up));
	}
	if (good->len == 0) {
		*why = g_strdup("needs a CVE id (#cve CVE-YYYY-NNNN)");
		return TRUE;
	}
	for (guint i = 0; i < good->len; i++) {
		gboolean existed;
		if (!case_add_cve(ctx->db, ctx->case_id, good->pdata[i], ctx->now_iso, &existed, error))
			return FALSE;
		applied(res, "cve: %s%s", (char *)good->pdata[i], existed ? " (already recorded)" : "");
	}
	return TRUE;
}

static gboolean
cmd_assign(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	g_autofree char *addr = address_normalize(arg);
	int member;

	(void)c;
	if (addr == NULL) {
		*why = g_strdup_printf("'%s' is not a mail address", arg);
		return TRUE;
	}
	member = member_is(ctx->db, ctx->list->address, addr, error);
	if (member < 0)
		return FALSE;
	if (member == 0) {
		*why = g_strdup_printf("%s is not a member of %s", addr, ctx->list->address);
		return TRUE;
	}
	if (!set_field(ctx, "assignee", addr, error))
		return FALSE;
	applied(res, "handler: %s", addr);
	return TRUE;
}

static gboolean
cmd_embargo(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
            GError **error)
{
	int y, m, d;
	char tail;
	g_autoptr(GDateTime) local = g_date_time_to_timezone(ctx->now, ctx->config->tz);
	g_autofree char *today = g_date_time_format(local, "%Y-%m-%d");
	g_autofree char *date = NULL;

	(void)c;
	if (strlen(arg) != 10 || sscanf(arg, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
	    !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
		*why = g_strdup_printf("'%s' is not a date (YYYY-MM-DD)", arg);
		return TRUE;
	}
	date = g_strdup_printf("%04d-%02d-%02d", y, m, d);
	if (strcmp(date, today) < 0) {
		*why = g_strdup_printf("%s is in the past", date);
		return TRUE;
	}
	if (!set_field(ctx, "embargo_until", date, error))
		return FALSE;
	applied(res, "embargo until: %s", date);
	return TRUE;
}

static gboolean
cmd_urgent(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	if (!text_arg(arg, "a reason (#urgent REASON)", why))
		return TRUE;
	/* apply_one logs it as an "urgent" event, which the deadlines run from. */
	if (!set_field(ctx, "urgent", arg, error))
		return FALSE;
	applied(res, "urgent: %s%s", arg,
	        c->urgent != NULL ? "" : " (the policy's urgent deadlines apply)");
	return TRUE;
}

static gboolean
cmd_notify(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	char **readers = ctx->list->prerelease != NULL
	                         ? g_hash_table_lookup(ctx->list->prerelease, arg)
	                         : NULL;
	GPtrArray *names;

	(void)c;
	if (readers == NULL || readers[0] == NULL) {
		g_autofree char *known = NULL;
		GList *keys = ctx->list->prerelease != NULL ? g_hash_table_get_keys(ctx->list->prerelease)
		                                            : NULL;
		GString *k = g_string_new(NULL);
		for (GList *l = keys; l != NULL; l = l->next)
			g_string_append_printf(k, "%s%s", k->len ? ", " : "", (char *)l->data);
		g_list_free(keys);
		known = g_string_free(k, FALSE);
		*why = g_strdup_printf("%s has no pre-release list '%s' (configured: %s)",
		                       ctx->list->address, arg, *known ? known : "none");
		return TRUE;
	}
	if (!case_add_notification(ctx->db, ctx->case_id, arg, ctx->now_iso, error))
		return FALSE;
	names = g_ptr_array_new();
	for (char **n = res->notify; n != NULL && *n != NULL; n++)
		g_ptr_array_add(names, *n);
	g_ptr_array_add(names, g_strdup(arg));
	g_ptr_array_add(names, NULL);
	g_free(res->notify);
	res->notify = (char **)g_ptr_array_free(names, FALSE);
	applied(res, "notify: the advisory draft goes to the pre-release list %s", arg);
	return TRUE;
}

/* *MISSING: what the policy wants set before STAGE and is not, NULL when
 * all is there. FALSE on an error. */
static gboolean
stage_missing(const CmdCtx *ctx, const Case *c, const char *stage, char **missing_out,
              GError **error)
{
	char **req = policy_stage_requires(ctx->list->policy, stage);
	g_autoptr(GString) missing = g_string_new(NULL);
	g_auto(GStrv) cves = NULL;

	for (char **r = req; r != NULL && *r != NULL; r++) {
		gboolean have;
		if (strcmp(*r, "severity") == 0)
			have = c->severity != NULL;
		else if (strcmp(*r, "cvss") == 0)
			have = c->cvss_vector != NULL;
		else if (strcmp(*r, "assignee") == 0)
			have = c->assignee != NULL;
		else if (strcmp(*r, "affected") == 0)
			have = c->affected != NULL;
		else if (strcmp(*r, "fixed_in") == 0)
			have = c->fixed_in != NULL;
		else if (strcmp(*r, "credit") == 0)
			have = c->credit != NULL;
		else if (strcmp(*r, "summary") == 0)
			have = c->summary != NULL;
		else if (strcmp(*r, "embargo") == 0)
			have = c->embargo_until != NULL;
		else if (strcmp(*r, "cve") == 0) {
			cves = cves != NULL ? cves : case_cves(ctx->db, ctx->case_id, error);
			if (cves == NULL)
				return FALSE;
			have = cves[0] != NULL;
		} else if (!case_notified(ctx->db, ctx->case_id, &have, error)) {
			return FALSE;
		}
		if (!have)
			g_string_append_printf(missing, "%s%s", missing->len ? ", " : "", *r);
	}
	*missing_out = missing->len > 0 ? g_strdup(missing->str) : NULL;
	return TRUE;
}

/* Moves the case to STAGE when every stage from the current one up to it
 * has what the policy requires; a move back needs nothing. Closing skips
 * the stages in between: a report rejected on arrival was never triaged. */
static gboolean
move_to(const CmdCtx *ctx, const Case *c, const char *stage, gboolean closing, CmdResult *res,
        char **why, GError **error)
{
	const Policy *p = ctx->list->policy;
	int from = policy_stage_index(p, c->status), to = policy_stage_index(p, stage);

	for (int i = closing ? to : from + 1; i <= to; i++) {
		g_autofree char *missing = NULL;
		if (!stage_missing(ctx, c, p->stages[i], &missing, error))
			return FALSE;
		if (missing != NULL) {
			*why = g_strdup_printf("the %s policy wants %s set before stage %s", p->name,
			                       missing, p->stages[i]);
			return TRUE;
		}
	}
	if (!case_set_stage(ctx->db, ctx->case_id, p->stages, stage, !closing, ctx->now_iso, error))
		return FALSE;
	applied(res, "stage: %s -> %s", c->status, stage);
	if (g_strcmp0(stage, p->released_stage) == 0 || g_strcmp0(stage, p->closed_stage) == 0) {
		g_free(res->reached);
		res->reached = g_strdup(stage);
	}
	return TRUE;
}

static gboolean
cmd_status(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	const Policy *p = ctx->list->policy;

	if (!policy_has_stage(p, arg)) {
		g_autofree char *stages = g_strjoinv(", ", p->stages);
		*why = g_strdup_printf("'%s' is not a stage of the %s policy (%s)", arg, p->name,
		                       stages);
		return TRUE;
	}
	if (g_strcmp0(arg, p->closed_stage) == 0) {
		*why = g_strdup("a case is closed with #close fixed|rejected|duplicate|invalid");
		return TRUE;
	}
	if (strcmp(arg, c->status) == 0) {
		*why = g_strdup_printf("the case is already in stage %s", arg);
		return TRUE;
	}
	return move_to(ctx, c, arg, FALSE, res, why, error);
}

static gboolean
close_as(const CmdCtx *ctx, const Case *c, const char *resolution, CmdResult *res, char **why,
         GError **error)
{
	const char *closed = ctx->list->policy->closed_stage;

	if (closed == NULL) {
		*why = g_strdup("the policy has no closed stage");
		return TRUE;
	}
	if (!move_to(ctx, c, closed, TRUE, res, why, error))
		return FALSE;
	if (*why != NULL)
		return TRUE;
	if (!set_field(ctx, "resolution", resolution, error))
		return FALSE;
	applied(res, "resolution: %s", resolution);
	return TRUE;
}

static gboolean
cmd_close(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
          GError **error)
{
	static const char *const kinds[] = { "fixed", "rejected", "duplicate", "invalid", NULL };
	g_autofree char *kind = g_ascii_strdown(arg, -1);

	if (!g_strv_contains(kinds, kind)) {
		*why = g_strdup_printf("'%s' is not a way to close a case (fixed, rejected, duplicate, "
		                       "invalid)",
		                       arg);
		return TRUE;
	}
	if (strcmp(kind, "rejected") == 0 && c->reject_reason == NULL) {
		*why = g_strdup("a rejection needs a written reason for the reporter: #reject REASON");
		return TRUE;
	}
	if (strcmp(kind, "duplicate") == 0 && c->duplicate_of == NULL) {
		*why = g_strdup("name the case it duplicates: #duplicate CASE-ID");
		return TRUE;
	}
	return close_as(ctx, c, kind, res, why, error);
}

static gboolean
cmd_reject(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	if (!text_arg(arg, "a written reason for the reporter (#reject REASON)", why))
		return TRUE;
	if (!set_field(ctx, "reject_reason", arg, error))
		return FALSE;
	if (!close_as(ctx, c, "rejected", res, why, error))
		return FALSE;
	if (*why == NULL)
		applied(res, "rejected: %s", arg);
	return TRUE;
}

static gboolean
cmd_duplicate(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
              GError **error)
{
	g_autofree char *id = g_ascii_strup(arg, -1);
	g_autoptr(Case) other = NULL;
	int year;
	guint number;

	if (!caseid_parse(id, ctx->list->prefix, &year, &number)) {
		*why = g_strdup_printf("'%s' is not a case id of this list (%s-YYYY-NNNN)", arg,
		                       ctx->list->prefix);
		return TRUE;
	}
	if (strcmp(id, c->id) == 0) {
		*why = g_strdup("a case cannot duplicate itself");
		return TRUE;
	}
	if (!case_get(ctx->db, id, &other, error))
		return FALSE;
	if (other == NULL || strcmp(other->list, ctx->list->address) != 0) {
		*why = g_strdup_printf("there is no case %s on %s", id, ctx->list->address);
		return TRUE;
	}
	if (!set_field(ctx, "duplicate_of", id, error))
		return FALSE;
	applied(res, "duplicate of: %s", id);
	return close_as(ctx, c, "duplicate", res, why, error);
}

/* #key accept|drop FINGERPRINT [ADDRESS]: a reporter's key held by pendingkey.c. */
static gboolean
cmd_key(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
        GError **error)
{
	g_autofree char *done = NULL;

	(void)c;
	if (!pendingkey_command(ctx->db, ctx->config->state_dir, ctx->list->address, arg,
	                        ctx->now_iso, &done, why, error))
		return FALSE;
	if (done != NULL)
		applied(res, "%s", done);
	return TRUE;
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
	g_free(res->reached);
	g_strfreev(res->notify);
	memset(res, 0, sizeof *res);
}
