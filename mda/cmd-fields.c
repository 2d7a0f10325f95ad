/* cmd-fields.c - the team's commands that set a case's fields (severity,
 * CVSS, CVE, handler, embargo date, texts for the advisory) and #key. Each
 * checks its argument, then sets the field or refuses with a reason. */
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

/* One line of text, bounded: it goes into advisories and mail headers. */
gboolean
cmd_text_arg(const char *arg, const char *what, char **why)
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

	if (!cmd_text_arg(arg, what, why))
		return TRUE;
	if (!cmd_set_field(ctx, column, arg, error))
		return FALSE;
	cmd_applied(res, "%s: %s%s%s%s", label, arg, old != NULL ? " (was: " : "", old != NULL ? old : "",
	        old != NULL ? ")" : "");
	return TRUE;
}

gboolean
cmd_affected(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	return cmd_text(ctx, "affected", "affected", c->affected, arg, res, why, error);
}

gboolean
cmd_fixed_in(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	return cmd_text(ctx, "fixed_in", "fixed-in", c->fixed_in, arg, res, why, error);
}

gboolean
cmd_credit(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	return cmd_text(ctx, "credit", "credit", c->credit, arg, res, why, error);
}

gboolean
cmd_summary(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
            GError **error)
{
	return cmd_text(ctx, "summary", "summary", c->summary, arg, res, why, error);
}

gboolean
cmd_severity(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
             GError **error)
{
	static const char *const levels[] = { "none", "low", "medium", "high", "critical", NULL };
	g_autofree char *level = g_ascii_strdown(arg, -1);

	if (!g_strv_contains(levels, level)) {
		*why = g_strdup_printf("'%s' is not a severity (none, low, medium, high, critical)", arg);
		return TRUE;
	}
	if (!cmd_set_field(ctx, "severity", level, error))
		return FALSE;
	cmd_applied(res, "severity: %s%s%s%s", level, c->severity != NULL ? " (was " : "",
	        c->severity != NULL ? c->severity : "", c->severity != NULL ? ")" : "");
	return TRUE;
}

gboolean
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
	/* the base score is the one stored; the others are shown so the team
	 * can check them against its calculator */
	if (score.temporal_score != score.score || score.environmental_score != score.score)
		cmd_applied(res, "cvss: %s = %.1f (%s); temporal %.1f, environmental %.1f", score.vector,
		            score.score, score.rating, score.temporal_score, score.environmental_score);
	else
		cmd_applied(res, "cvss: %s = %.1f (%s)", score.vector, score.score, score.rating);
	return TRUE;
}

/* "#cve none REASON": no CVE id applies, where the policy allows saying so.
 * It replaces the case's CVE ids, as a CVE id given later replaces it. */
static gboolean
cmd_cve_none(const CmdCtx *ctx, const Case *c, const char *reason, CmdResult *res, char **why,
             GError **error)
{
	const Policy *p = ctx->list->policy;
	g_auto(GStrv) old = NULL;
	g_autofree char *was = NULL;

	if (p->cve_required != NULL) {
		*why = g_strdup_printf("the %s policy demands a CVE id (%s)", p->name,
		                       p->cve_required);
		return TRUE;
	}
	if (!cmd_text_arg(reason, "a reason (#cve none REASON)", why))
		return TRUE;
	old = case_cves(ctx->db, c->id, error);
	if (old == NULL)
		return FALSE;
	was = g_strjoinv(", ", old);
	if (!case_clear_cves(ctx->db, c->id, error) ||
	    !cmd_set_field(ctx, "cve_none", reason, error))
		return FALSE;
	cmd_applied(res, "cve: none, %s%s%s%s", reason, *was != '\0' ? " (replaces " : "", was,
	            *was != '\0' ? ")" : "");
	return TRUE;
}

gboolean
cmd_cve(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
        GError **error)
{
	g_auto(GStrv) ids = NULL;
	g_autoptr(GPtrArray) good = g_ptr_array_new_with_free_func(g_free);

	if (g_ascii_strncasecmp(arg, "none", 4) == 0 &&
	    (arg[4] == '\0' || g_ascii_isspace(arg[4]))) {
		g_autofree char *reason = g_strstrip(g_strdup(arg + 4));
		return cmd_cve_none(ctx, c, reason, res, why, error);
	}
	ids = g_strsplit_set(arg, " \t,;", -1);
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
	if (c->cve_none != NULL && !cmd_set_field(ctx, "cve_none", NULL, error))
		return FALSE;
	for (guint i = 0; i < good->len; i++) {
		gboolean existed;
		if (!case_add_cve(ctx->db, ctx->case_id, good->pdata[i], ctx->now_iso, &existed, error))
			return FALSE;
		cmd_applied(res, "cve: %s%s%s", (char *)good->pdata[i],
		            existed ? " (already recorded)" : "",
		            i == 0 && c->cve_none != NULL ? " (replaces: none)" : "");
	}
	return TRUE;
}

gboolean
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
	if (!cmd_set_field(ctx, "assignee", addr, error))
		return FALSE;
	cmd_applied(res, "handler: %s", addr);
	return TRUE;
}

gboolean
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
	if (!cmd_set_field(ctx, "embargo_until", date, error))
		return FALSE;
	cmd_applied(res, "embargo until: %s", date);
	return TRUE;
}

gboolean
cmd_urgent(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
           GError **error)
{
	if (!cmd_text_arg(arg, "a reason (#urgent REASON)", why))
		return TRUE;
	/* apply_one logs it as an "urgent" event, which the deadlines run from. */
	if (!cmd_set_field(ctx, "urgent", arg, error))
		return FALSE;
	cmd_applied(res, "urgent: %s%s", arg,
	        c->urgent != NULL ? "" : " (the policy's urgent deadlines apply)");
	return TRUE;
}


/* #key accept|drop FINGERPRINT [ADDRESS]: a reporter's key held by pendingkey.c. */
gboolean
cmd_key(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
        GError **error)
{
	g_autofree char *done = NULL;

	(void)c;
	if (!pendingkey_command(ctx->db, ctx->config->state_dir, ctx->list->address, arg,
	                        ctx->now_iso, &done, why, error))
		return FALSE;
	if (done != NULL)
		cmd_applied(res, "%s", done);
	return TRUE;
}
