/* effects.c - what a team member's commands cause in one delivery: applied
 * or refused (with signed_commands, under the member's own signature only),
 * the confirmation and pre-release mails, the reporter told of a release or
 * close; and commands from outside the team refused with a notice. */
#include "job.h"

#include "address.h"
#include "autoreply.h"
#include "casecmd.h"
#include "deadline.h"
#include "log.h"
#include "members.h"
#include "messages.h"


/* The reporter hears when their case is released or closed, encrypted
 * where we hold their key, from the case's bounce address. */
static gboolean
job_tell_reporter(Job *job, const ComposeCtx *ctx, const char *stage, GError **error)
{
	const EmbargoList *list = job->d->list;
	g_autoptr(Case) c = NULL;
	g_autofree char *text = NULL, *subject = NULL;
	char *rcpt[] = { NULL, NULL };

	(void)ctx;
	if (!case_get_known(job->db, job->route.case_id, &c, error))
		return FALSE;
	text = lifecycle_reporter_text(job->db, list, c->id, error);
	if (text == NULL)
		return FALSE;
	rcpt[0] = c->reporter;
	subject = g_strdup_printf("Your report: %s", stage);
	if (!job_notice(job, AUDIENCE_REPORTER, OUT_WRITTEN, "reporter-update", c->id, rcpt, subject,
	                text, error))
		return FALSE;
	return case_set_field(job->db, c->id, "reporter_told", stage, error) &&
	       event_add(job->db, c->id, job->now_iso, "embargo", "reporter-told", stage, job->msg_row,
	                 error);
}

/* With signed_commands, a member's commands count only under a good
 * signature by that member's own key; NULL when they may act. */
char *
job_command_refusal(Job *job, GError **error)
{
	g_autoptr(GPtrArray) members = NULL;
	const char *signer = job->protect.in.signer;

	if (!job->d->list->signed_commands)
		return NULL;
	if (job->protect.in.sig != SIG_GOOD || signer == NULL || job->protect.in.sig_partial)
		return g_strdup_printf("%s accepts commands only in mail signed with the member's "
		                       "OpenPGP key (signature: %s)",
		                       job->d->list->address, crypto_sig_name(job->protect.in.sig));
	members = member_list(job->db, job->d->list->address, error);
	if (members == NULL)
		return NULL;
	for (guint i = 0; i < members->len; i++) {
		const Member *m = members->pdata[i];
		if (g_strcmp0(m->address, job->in->from_addr) == 0 &&
		    g_strcmp0(m->fingerprint, signer) == 0)
			return NULL;
	}
	return g_strdup_printf("the signature is by %s, not by the key of %s on the team", signer,
	                       job->in->from_addr);
}

/* A mail the list could not seal, for a reason that will not pass, is
 * logged and not sent; a transient one defers the delivery. */
static gboolean
job_mail_ok(Job *job, gboolean ok, const char *what, GError **error)
{
	return ok || job_seal_failed(job, what, error);
}

/* The canned answer #reply chose, sent; when it went and the case was
 * closed as it says, it is the reporter's word of the close, and the update
 * job_tell_reporter would send is not sent as well. */
static gboolean
job_commands_reply(Job *job, const Case *c, CmdResult *res, GError **error)
{
	gboolean sent;

	res->sent = g_string_new(NULL);
	if (!job_canned_answer(job, c, res->reply, res->sent, &sent, error))
		return FALSE;
	if (!sent || !res->reply_closed) {
		res->reply_closed = FALSE;
		return TRUE;
	}
	return case_set_field(job->db, c->id, "reporter_told", res->reached, error) &&
	       event_add(job->db, c->id, job->now_iso, "embargo", "reporter-told", res->reached,
	                 job->msg_row, error);
}

/* A member's commands: applied (or refused, all of them, with the reason),
 * confirmed to the team, and followed by the mails they cause. CTX->body
 * becomes the body without the command lines. */
gboolean
job_commands(Job *job, ComposeCtx *ctx, const Case *c, GError **error)
{
	GMimeObject *body = ctx->body != NULL ? ctx->body
	                    : job->in->message != NULL ? g_mime_message_get_mime_part(job->in->message)
	                                               : NULL;
	g_autofree char *refusal = NULL;
	CmdResult res = { 0 };
	gboolean ok;

	if (job->in->problem != NULL || job->protect.in.decrypt_error != NULL)
		return TRUE;
	job->cmds = lifecycle_extract(body, TRUE);
	if (job->cmds == NULL || !job->cmds->any_known)
		return TRUE;
	ctx->body = job->cmds->body;
	CmdCtx cc = {
		.db = job->db,
		.config = job->d->config,
		.list = job->d->list,
		.case_id = c->id,
		.actor = job->in->from_addr,
		.message = job->msg_row,
		.now = job->now,
		.now_iso = job->now_iso,
	};
	refusal = job_command_refusal(job, error);
	if (refusal == NULL && error != NULL && *error != NULL)
		return FALSE;
	ok = refusal != NULL ? casecmd_refuse_all(&cc, job->cmds->commands, refusal, &res, error)
	                     : casecmd_apply(&cc, job->cmds->commands, &res, error);
	ok = ok && (res.reply == NULL || job_commands_reply(job, c, &res, error));
	ok = ok &&
	     job_mail_ok(job, lifecycle_confirm(&cc, &res, &job->queued, error), "the confirmation",
	                 error) &&
	     job_mail_ok(job, lifecycle_prerelease(&cc, &res, &job->queued, error),
	                 "the pre-release notification", error) &&
	     (res.reached == NULL || res.reply_closed ||
	      job_tell_reporter(job, ctx, res.reached, error));
	cmdresult_clear(&res);
	return ok;
}

/* Command lines from outside the team change nothing; the sender is told
 * why, unless telling them would be backscatter. */
gboolean
job_outsider_commands(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	GMimeObject *body = ctx->body != NULL ? ctx->body
	                    : job->in->message != NULL ? g_mime_message_get_mime_part(job->in->message)
	                                               : NULL;
	g_autoptr(MailCommands) mc = NULL;
	g_autofree char *why = NULL, *to = NULL, *text = NULL;
		CmdResult res = { 0 };
	char *rcpt[] = { NULL, NULL };
	int allowed;
	gboolean ok;

	if (job->in->problem != NULL || job->protect.in.decrypt_error != NULL)
		return TRUE;
	mc = lifecycle_extract(body, FALSE);
	if (mc == NULL || !mc->any_known)
		return TRUE;
	CmdCtx cc = {
		.db = job->db,
		.config = job->d->config,
		.list = job->d->list,
		.case_id = c->id,
		.actor = job->in->from_addr != NULL ? job->in->from_addr : "unknown",
		.message = job->msg_row,
		.now = job->now,
		.now_iso = job->now_iso,
	};
	ok = casecmd_refuse_all(&cc, mc->commands,
	                        "not from an authenticated member of the team", &res, error);
	cmdresult_clear(&res);
	if (!ok)
		return FALSE;
	allowed = autoreply_allowed(job->db, job->d->config, job->d->list, job->in,
	                            job->d->envelope_from, job->now, &why, error);
	if (allowed <= 0) {
		if (allowed == 0)
			log_info("%s: no \"Commands not applied\" notice: %s", c->id, why);
		return allowed == 0;
	}
	to = address_normalize(job->d->envelope_from);
	rcpt[0] = to;
	text = g_strdup_printf(
		"The command lines at the top of your mail to %s were not applied:\n"
		"commands are accepted only from members of the team, in mail that shows it\n"
		"comes from them (the envelope sender is the member's address and passes\n"
		"SPF%s).\n\n"
		"Your mail itself reached the team as usual.\n",
		job->d->recipient,
		job->d->list->signed_commands ? ", and the mail is signed with the member's key" : "");
	return job_notice(job, AUDIENCE_STRANGER, OUT_NOTICE, "notice", ctx->case_id, rcpt,
	                  "Commands not applied", text, error);
}

/* The first mail a member sends the reporter through the list is the
 * human answer the policies' first deadline asks for. A later answer may
 * still meet a deadline that counts answers only from a stage on
 * ("met_from"), so every answer refreshes the deadlines. */
gboolean
job_first_answer(Job *job, const Case *c, GError **error)
{
	return (c->first_answer_at != NULL ||
	        case_set_field(job->db, c->id, "first_answer_at", job->now_iso, error)) &&
	       deadline_refresh(job->db, job->d->config, job->d->list, c->id, job->now, error);
}
