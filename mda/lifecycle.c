/* lifecycle.c - finds the command lines in a member's mail, takes them out
 * of what is passed on, and writes the mails the commands cause: the
 * confirmation to the team, the advisory draft to a pre-release list, the
 * word to the reporter that their case was released or closed.
 *
 * Commands sit at the top of the first text part, which is where a mail
 * client puts what the member typed. A signature over that part no longer
 * holds once lines are taken out, so the part is passed on unsigned (the
 * team's summary block still says who signed); an HTML alternative would
 * still show the commands, so only the plain text is kept. */
#include "lifecycle.h"

#include <string.h>

#include "advisory.h"
#include "calendar.h"
#include "command.h"
#include "deadline.h"
#include "keyring.h"
#include "log.h"
#include "prerelease.h"
#include "teammail.h"

void
mail_commands_free(MailCommands *mc)
{
	if (mc == NULL)
		return;
	if (mc->commands != NULL)
		g_ptr_array_unref(mc->commands);
	g_clear_object(&mc->body);
	g_free(mc);
}

static gboolean
is_plain_text(GMimeObject *o)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return GMIME_IS_TEXT_PART(o) && ct != NULL && g_mime_content_type_is_type(ct, "text", "plain");
}

/* The first text/plain part of the top of BODY, following the first part of
 * each multipart (the plain alternative of an alternative); *ALT is set to
 * the multipart/alternative on the way, if any. */
static GMimeObject *
first_text(GMimeObject *body, GMimeObject **alt)
{
	while (GMIME_IS_MULTIPART(body) && !GMIME_IS_MULTIPART_ENCRYPTED(body)) {
		GMimeMultipart *mp = GMIME_MULTIPART(body);
		GMimeContentType *ct = g_mime_object_get_content_type(body);
		GMimeObject *next = NULL;

		if (g_mime_multipart_get_count(mp) == 0)
			return NULL;
		if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "alternative")) {
			for (int i = 0; i < g_mime_multipart_get_count(mp) && next == NULL; i++)
				if (is_plain_text(g_mime_multipart_get_part(mp, i)))
					next = g_mime_multipart_get_part(mp, i);
			if (next == NULL)
				return NULL;
			if (*alt == NULL)
				*alt = body;
		} else {
			next = g_mime_multipart_get_part(mp, 0);
		}
		body = next;
	}
	return is_plain_text(body) ? body : NULL;
}

/* Replaces OLD by NEW wherever it sits below TOP; TRUE when it did. */
static gboolean
replace_part(GMimeObject *top, GMimeObject *old, GMimeObject *new)
{
	GMimeMultipart *mp;

	if (!GMIME_IS_MULTIPART(top))
		return FALSE;
	mp = GMIME_MULTIPART(top);
	for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
		GMimeObject *part = g_mime_multipart_get_part(mp, i);
		if (part == old) {
			GMimeObject *gone = g_mime_multipart_replace(mp, i, new);
			if (gone != NULL)
				g_object_unref(gone);
			return TRUE;
		}
		if (replace_part(part, old, new))
			return TRUE;
	}
	return FALSE;
}

static gboolean
blank(const char *text)
{
	for (; *text; text++)
		if (!g_ascii_isspace(*text))
			return FALSE;
	return TRUE;
}

/* The commands at the top of BODY, or NULL when there are none; with
 * STRIP, BODY is changed to leave them out and mc->body is what to pass on. */
MailCommands *
lifecycle_extract(GMimeObject *body, gboolean strip)
{
	g_autoptr(MailCommands) mc = g_new0(MailCommands, 1);
	GMimeObject *top = body, *alt = NULL, *text_part;
	g_autofree char *text = NULL;
	gsize rest;

	if (body == NULL)
		return NULL;
	/* The signed content is what the member wrote. */
	if (GMIME_IS_MULTIPART_SIGNED(top) && g_mime_multipart_get_count(GMIME_MULTIPART(top)) == 2)
		top = g_mime_multipart_get_part(GMIME_MULTIPART(top), GMIME_MULTIPART_SIGNED_CONTENT);
	text_part = first_text(top, &alt);
	if (text_part == NULL)
		return NULL;
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(text_part));
	if (text == NULL)
		return NULL;
	mc->commands = command_parse(text, strlen(text), &rest);
	if (mc->commands->len == 0)
		return NULL;
	for (guint i = 0; i < mc->commands->len; i++)
		if (((Command *)mc->commands->pdata[i])->known)
			mc->any_known = TRUE;
	if (rest == 0 || !strip) {
		mc->body = g_object_ref(body);
		return g_steal_pointer(&mc);
	}
	g_mime_text_part_set_text(GMIME_TEXT_PART(text_part), text + rest);
	mc->empty = text_part == top && blank(text + rest);
	if (alt != NULL) {
		if (alt == top)
			top = text_part;
		else
			replace_part(top, alt, text_part);
	}
	mc->body = g_object_ref(top);
	return g_steal_pointer(&mc);
}

gboolean
lifecycle_confirm(const CmdCtx *ctx, const CmdResult *res, guint *queued, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree char *subject = NULL;
	TeamMail tm = { 0 };

	if (res->napplied == 0 && res->nrefused == 0)
		return TRUE;
	g_string_append_printf(text, "Commands from %s on %s:\n\n", ctx->actor, ctx->case_id);
	if (res->napplied > 0)
		g_string_append_printf(text, "Changed:\n%s\n", res->applied->str);
	if (res->nrefused > 0)
		g_string_append_printf(text, "Refused (nothing of these was changed):\n%s\n",
		                       res->refused->str);
	if (res->sent != NULL && res->sent->len > 0)
		g_string_append_printf(text, "%s\n", res->sent->str);
	g_string_append_printf(text, "Every command is in the case's event log: embargoctl case show %s\n",
	                       ctx->case_id);
	subject = g_strdup_printf("Commands: %u applied, %u refused", res->napplied, res->nrefused);
	tm = (TeamMail){
		.case_id = ctx->case_id,
		.cause = ctx->message,
		.kind = "confirm",
		.subject = subject,
		.text = text->str,
		.now = ctx->now,
	};
	return teammail_queue(ctx->db, ctx->config, ctx->list, &tm, queued, error);
}

/* The advisory draft to each pre-release list named by #notify: encrypted
 * to the key of each reader cmd_notify recorded with one, and never sent
 * to a reader without one. */
gboolean
lifecycle_prerelease(const CmdCtx *ctx, const CmdResult *res, guint *queued, GError **error)
{
	g_autoptr(Case) c = NULL;
	g_autofree char *draft = NULL;
	g_autofree char *home = NULL;

	if (res->notify == NULL)
		return TRUE;
	if (!case_get_known(ctx->db, ctx->case_id, &c, error))
		return FALSE;
	draft = advisory_render(ctx->db, ctx->config, ctx->list, c, ADVISORY_MARKDOWN, ctx->now, error);
	if (draft == NULL)
		return FALSE;
	home = keyring_home(ctx->config->state_dir, ctx->list->address, KEYRING_PRERELEASE);
	for (char **name = res->notify; *name != NULL; name++) {
		g_auto(GStrv) readers = NULL, fprs = NULL;
		g_autofree char *subject = NULL, *text = NULL;
		guint before = queued != NULL ? *queued : 0, n = 0;
		TeamMail tm;

		if (!prerelease_queued(ctx->db, ctx->case_id, *name, ctx->now_iso, &readers, &fprs,
		                       error))
			return FALSE;
		subject = g_strdup_printf("Embargoed security advisory draft (%s)", *name);
		text = g_strdup_printf(
			"This is an embargoed draft of a security advisory from %s, sent to you as a\n"
			"member of its pre-release list \"%s\". Please keep it private until it is\n"
			"published%s%s.\n\n%s",
			ctx->list->name, *name, c->embargo_until != NULL ? " on " : "",
			c->embargo_until != NULL ? c->embargo_until : "", draft);
		tm = (TeamMail){
			.case_id = ctx->case_id,
			.cause = ctx->message,
			.kind = "prerelease",
			.subject = subject,
			.text = text,
			.now = ctx->now,
			.recipients = readers,
			.recipient_fprs = fprs,
			.enc_home = home,
			.never_plain = TRUE,
		};
		if (!teammail_queue(ctx->db, ctx->config, ctx->list, &tm, &n, error))
			return FALSE;
		if (queued != NULL)
			*queued = before + n;
		/* cmd_notify found keys, yet sealing skipped them all: this #notify
		 * told nobody and must not let the case be released */
		if (n == 0) {
			log_warn("%s: the advisory draft for the pre-release list %s went to nobody: no "
			         "reader has a usable key",
			         ctx->case_id, *name);
			if (!prerelease_unqueue(ctx->db, ctx->case_id, *name, ctx->now_iso,
			                        "the draft could not be sealed to their key",
			                        error))
				return FALSE;
		}
		if (!event_add(ctx->db, ctx->case_id, ctx->now_iso, ctx->actor, "prerelease-sent",
		               n > 0 ? *name : "nobody had a usable key", ctx->message, error))
			return FALSE;
	}
	return TRUE;
}

/* What the reporter is told when their case is released or closed: the
 * outcome, the CVE ids (or why none applies), the credit and the advisory text when set. */
char *
lifecycle_reporter_text(Db *db, const EmbargoList *list, const char *case_id, GError **error)
{
	g_autoptr(Case) c = NULL;
	g_auto(GStrv) cves = NULL;
	g_autoptr(GString) t = g_string_new(NULL);
	const Policy *p = list->policy;
	gboolean closed;

	if (!case_get_known(db, case_id, &c, error))
		return NULL;
	cves = case_cves(db, case_id, error);
	if (cves == NULL)
		return NULL;
	closed = g_strcmp0(c->status, p->closed_stage) == 0;
	if (!closed)
		g_string_append_printf(t, "The fix for your report %s has been released.\n", c->id);
	else if (g_strcmp0(c->resolution, "rejected") == 0)
		g_string_append_printf(t, "We have closed your report %s without a fix: we do not\n"
		                          "consider it a vulnerability we will fix. Our reason:\n\n  %s\n",
		                       c->id, c->reject_reason != NULL ? c->reject_reason : "");
	else if (g_strcmp0(c->resolution, "duplicate") == 0)
		g_string_append_printf(t, "We have closed your report %s: it duplicates %s, an earlier\n"
		                          "report of the same problem, which we handle there.\n",
		                       c->id, c->duplicate_of != NULL ? c->duplicate_of : "another case");
	else if (g_strcmp0(c->resolution, "invalid") == 0)
		g_string_append_printf(t, "We have closed your report %s: we found no vulnerability in it.\n",
		                       c->id);
	else
		g_string_append_printf(t, "We have closed your report %s as fixed.\n", c->id);
	if (cves[0] != NULL) {
		g_autofree char *ids = g_strjoinv(", ", cves);
		g_string_append_printf(t, "\nCVE: %s\n", ids);
	} else if (c->cve_none != NULL) {
		/* the advisory says it too: no CVE id is coming */
		g_string_append_printf(t, "\nCVE: none (%s)\n", c->cve_none);
	}
	if (c->fixed_in != NULL)
		g_string_append_printf(t, "Fixed in: %s\n", c->fixed_in);
	if (c->credit != NULL)
		g_string_append_printf(t, "Credit: %s\n", c->credit);
	if (c->summary != NULL)
		g_string_append_printf(t, "\nAdvisory:\n%s\n", c->summary);
	g_string_append_printf(t, "\nThank you for reporting it to %s.\n", list->name);
	return g_string_free(g_steal_pointer(&t), FALSE);
}
