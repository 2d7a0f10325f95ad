/* cmd-stage.c - the team's commands that move a case through its policy's
 * stages (#status, #close, #reject, #duplicate) and the pre-release
 * notification (#notify), with what each stage requires first. */
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
#include "prerelease.h"

/* "a@x (why); b@y (why)": every reader of READERS who gets nothing, with
 * the reason; "" when each has a key. Caller g_frees. */
static char *
notify_left_out(const GPtrArray *readers)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < readers->len; i++) {
		const PrereleaseReader *r = readers->pdata[i];
		if (r->fingerprint == NULL)
			g_string_append_printf(s, "%s%s (%s)", s->len ? "; " : "", r->reader,
			                       r->reason);
	}
	return g_string_free(s, FALSE);
}

gboolean
cmd_notify(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	char **readers = ctx->list->prerelease != NULL
	                         ? g_hash_table_lookup(ctx->list->prerelease, arg)
	                         : NULL;
	g_autoptr(GPtrArray) reach = NULL;
	g_autofree char *left_out = NULL;
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
	reach = prerelease_reach(ctx->db, ctx->config->state_dir, ctx->list, readers, error);
	if (reach == NULL)
		return FALSE;
	left_out = notify_left_out(reach);
	/* Readers are only ever sent the draft sealed to their own key: a
	 * notification that can reach nobody is no notification. */
	if (prerelease_reachable(reach) == 0) {
		*why = g_strdup_printf(
			"the advisory draft would reach nobody on the pre-release list "
			"%s: %s",
			arg, left_out);
		return TRUE;
	}
	if (!prerelease_record(ctx->db, ctx->case_id, arg, reach, ctx->now_iso, ctx->message,
	                       error) ||
	    !case_add_notification(ctx->db, ctx->case_id, arg, ctx->now_iso, error))
		return FALSE;
	names = g_ptr_array_new();
	for (char **n = res->notify; n != NULL && *n != NULL; n++)
		g_ptr_array_add(names, *n);
	g_ptr_array_add(names, g_strdup(arg));
	g_ptr_array_add(names, NULL);
	g_free(res->notify);
	res->notify = (char **)g_ptr_array_free(names, FALSE);
	cmd_applied(
		res,
		"notify: the advisory draft goes to %u of %u readers of the pre-release list %s",
		prerelease_reachable(reach), reach->len, arg);
	if (*left_out != '\0')
		cmd_applied(res, "notify: NOT sent to %s", left_out);
	return TRUE;
}

/* *HAVE: whether the case's pre-release notification is done. With the
 * policy naming its pre-release lists, at least one reader of each of them
 * was queued the draft: the policies say a list must be told, not how many
 * of its readers, and one reader told is the least that can mean. With
 * none named, any list told. */
static gboolean
stage_notified(const CmdCtx *ctx, gboolean *have, GError **error)
{
	char **lists = ctx->list->policy->prerelease_lists;

	if (lists == NULL || lists[0] == NULL)
		return case_notified(ctx->db, ctx->case_id, have, error);
	*have = TRUE;
	for (char **l = lists; *have && *l != NULL; l++)
		if (!prerelease_told(ctx->db, ctx->case_id, *l, have, error))
			return FALSE;
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
			/* "#cve none REASON" stands in for a CVE id where the
			 * policy allows it (a list may have changed it since) */
			have = cves[0] != NULL ||
			       (c->cve_none != NULL && ctx->list->policy->cve_required == NULL);
		} else if (!stage_notified(ctx, &have, error)) {
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
	cmd_applied(res, "stage: %s -> %s", c->status, stage);
	if (g_strcmp0(stage, p->released_stage) == 0 || g_strcmp0(stage, p->closed_stage) == 0) {
		g_free(res->reached);
		res->reached = g_strdup(stage);
	}
	return TRUE;
}

gboolean
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
	if (!cmd_set_field(ctx, "resolution", resolution, error))
		return FALSE;
	cmd_applied(res, "resolution: %s", resolution);
	return TRUE;
}

gboolean
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

gboolean
cmd_reject(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	if (!cmd_text_arg(arg, "a written reason for the reporter (#reject REASON)", why))
		return TRUE;
	if (!cmd_set_field(ctx, "reject_reason", arg, error))
		return FALSE;
	if (!close_as(ctx, c, "rejected", res, why, error))
		return FALSE;
	if (*why == NULL)
		cmd_applied(res, "rejected: %s", arg);
	return TRUE;
}

gboolean
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
	if (!cmd_set_field(ctx, "duplicate_of", id, error))
		return FALSE;
	cmd_applied(res, "duplicate of: %s", id);
	return close_as(ctx, c, "duplicate", res, why, error);
}
