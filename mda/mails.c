/* mails.c - the mails one delivery writes to people: the acknowledgement,
 * the team's copy, and the notices about bounces, refused mail and answers
 * that could not be decrypted. Each is written for its audience (outmail.h)
 * and queued in the outbox inside the delivery's transaction by the one
 * sealing rule (seal.h). */
#include "job.h"

#include "address.h"
#include "autoreply.h"
#include "gpg.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "seal.h"

OutHead
job_head(const Job *job, Audience audience, const char *kind, const char *case_id,
         const char *subject)
{
	return (OutHead){
		.list = job->d->list,
		.audience = audience,
		.kind = kind,
		.case_id = case_id,
		.cause = job->msg_row,
		.subject = subject,
		.now = job->now,
	};
}

/* A sealing that failed for good is logged and recorded, never sent in the
 * clear instead; a transient failure, or any other error, defers the whole
 * delivery. */
gboolean
job_seal_failed(Job *job, const char *what, GError **error)
{
	if ((*error)->domain != EMBARGO_GPG_ERROR || (*error)->code == GPG_ERROR_TRANSIENT)
		return FALSE;
	log_error("%s: %s not sent: %s", job->route.case_id != NULL ? job->route.case_id : "no case",
	          what, (*error)->message);
	if (job->route.case_id != NULL &&
	    !event_add(job->db, job->route.case_id, job->now_iso, "embargo", "encryption-failed",
	               (*error)->message, job->msg_row, NULL))
		return FALSE;
	g_clear_error(error);
	return TRUE;
}

gboolean
job_send(Job *job, const SealMail *sm, GError **error)
{
	if (seal_queue(job->db, job->d->config->state_dir, sm, &job->queued, error))
		return TRUE;
	return job_seal_failed(job, sm->head->kind, error);
}

gboolean
job_notice(Job *job, Audience audience, OutPurpose purpose, const char *kind,
           const char *case_id, char **to, const char *subject, const char *text,
           GError **error)
{
	OutHead h = job_head(job, audience, kind, case_id, subject);
	SealMail sm = { .head = &h, .to = to, .text = text };

	h.purpose = purpose;
	return job_send(job, &sm, error);
}

gboolean
job_team_copy(Job *job, const ComposeCtx *ctx, const char *except, GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, except, error);
	OutHead h = job_head(job, AUDIENCE_TEAM, "team-copy", ctx->case_id, job->in->subject);
	SealMail sm = {
		.head = &h,
		.to = team,
		.build = compose_team_copy,
		.data = (gpointer)ctx,
		.size_hint = compose_size_hint(ctx),
	};

	if (team == NULL)
		return FALSE;
	if (team[0] == NULL) {
		log_warn("%s: %s has no other members to copy to", job->route.case_id,
		         job->d->list->address);
		return TRUE;
	}
	h.purpose = OUT_RELAYED;
	h.spam = job->spam_mark;
	/* The team's copy is how a report reaches anyone at all: one that
	 * cannot be sealed, for whatever reason, defers the whole delivery
	 * (nothing committed, no acknowledgement) rather than being skipped. */
	return seal_queue(job->db, job->d->config->state_dir, &sm, &job->queued, error);
}

gboolean
job_ack(Job *job, const ComposeCtx *ctx, GError **error)
{
	g_autofree char *why = NULL;
	g_autofree char *to = NULL;
	g_autofree char *subject = NULL;
	guint before = job->queued;
	int allowed = autoreply_allowed(job->db, job->d->config, job->d->list, job->in,
	                                job->d->envelope_from, job->now, &why, error);
	char *rcpt[2] = { NULL, NULL };

	if (allowed < 0)
		return FALSE;
	if (allowed == 0) {
		log_info("%s: no acknowledgement: %s", job->route.case_id, why);
		return event_add(job->db, job->route.case_id, job->now_iso, "embargo", "ack-suppressed",
		                 why, job->msg_row, error);
	}
	to = address_normalize(job->d->envelope_from);
	rcpt[0] = to;
	subject = g_strdup_printf("Auto: [%s] Your report to %s", ctx->case_id, job->d->list->name);
	OutHead h = job_head(job, AUDIENCE_STRANGER, "ack", ctx->case_id, subject);
	SealMail sm = { .head = &h, .to = rcpt, .build = compose_ack, .data = (gpointer)ctx };
	h.purpose = OUT_NOTICE;
	h.in_reply_to = job->in->message_id;
	if (!job_send(job, &sm, error))
		return FALSE;
	/* not sent (it could not be sealed): not acknowledged */
	if (job->queued == before)
		return TRUE;
	return case_set_field(job->db, job->route.case_id, "acked_at", job->now_iso, error);
}

/* A member's answer that could not be decrypted is never passed on, not
 * even as ciphertext: it stays stored on the case, and the team (the member
 * who wrote included) is told that nothing went to the reporter. */
gboolean
job_answer_undecryptable(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, NULL, error);
	g_autofree char *text = NULL;
	const char *why = job->protect.in.decrypt_error;

	if (team == NULL)
		return FALSE;
	log_warn("%s: answer from %s not sent to the reporter: could not decrypt it (%s)", c->id,
	         job->in->from_addr, why);
	if (!event_add(job->db, c->id, job->now_iso, job->in->from_addr, "answer-not-sent",
	               "could not decrypt the answer; nothing was sent to the reporter", job->msg_row,
	               error))
		return FALSE;
	if (team[0] == NULL)
		return TRUE;
	text = g_strdup_printf("We could not decrypt the answer of %s to the reporter of %s\n"
	                       "(%s); nothing was sent to the reporter.\n\n"
	                       "The answer is stored on the case (embargoctl case show %s).\n"
	                       "Encrypt answers to the list's own key (embargoctl key export %s),\n"
	                       "or send them unencrypted, and send it again.\n",
	                       job->in->from_addr, c->id, why, c->id, job->d->list->address);
	return job_notice(job, AUDIENCE_TEAM, OUT_NOTICE, "notice", c->id, team,
	                  "Could not decrypt your answer; nothing was sent to the reporter", text,
	                  error);
}

gboolean
job_bounce_notice(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	g_auto(GStrv) team = NULL;
	g_autofree char *text = NULL;

	if (job->route.addr_kind != CASE_ADDR_BOUNCES || c->bounce_noticed)
		return TRUE;
	team = member_addresses(job->db, job->d->list->address, NULL, error);
	if (team == NULL)
		return FALSE;
	if (!case_set_bounce_noticed(job->db, c->id, error))
		return FALSE;
	if (team[0] == NULL)
		return TRUE;
	text = g_strdup_printf("A mail from the team to the reporter of %s (%s) bounced.\n\n"
	                       "The bounce is stored on the case (embargoctl case show %s).\n"
	                       "You will not be told again about further bounces on this case.\n",
	                       c->id, c->reporter, c->id);
	return job_notice(job, AUDIENCE_TEAM, OUT_NOTICE, "notice", c->id, team,
	                  "Mail to the reporter bounced", text, error);
}

/* The subject that can be quoted back to the sender: never one that came
 * from inside the encryption (protected headers), which the notice would
 * carry in the clear; the outer one instead, or none. */
static const char *
job_outer_subject(const Job *job)
{
	if (job->protect.outer_subject != NULL)
		return job->protect.outer_subject;
	if (job->protect.in.inner_subject != NULL && *job->protect.in.inner_subject != '\0')
		return NULL;
	return job->in->subject;
}

gboolean
job_refusal(Job *job, const ComposeCtx *ctx, GError **error)
{
	g_autofree char *to = address_normalize(job->d->envelope_from);
	char *rcpt[] = { to, NULL };
	const char *subject = job_outer_subject(job);
	g_autofree char *quoted = NULL, *text = NULL, *why = NULL;
	int allowed = autoreply_allowed(job->db, job->d->config, job->d->list, job->in,
	                                job->d->envelope_from, job->now, &why, error);

	if (allowed <= 0) {
		if (allowed == 0)
			log_info("no notice to the sender of refused mail: %s", why);
		return allowed == 0;
	}
	quoted = subject != NULL && *subject != '\0' ? g_strdup_printf(" (subject: %s)", subject)
	                                             : g_strdup("");
	text = g_strdup_printf(
		"Your mail to %s%s was stored but not delivered to anyone:\n%s.\n\n"
		"Case addresses look like %s+%s-YYYY-NNNN@%s.\n",
		job->d->recipient, quoted, job->route.why, job->d->list->local, job->d->list->prefix,
		job->d->list->domain);
	/* Only a member's mail is refused (route.c), and the envelope sender is
	 * that member's address: team mail, sealed to the member's key. */
	return job_notice(job, AUDIENCE_TEAM, OUT_NOTICE, "notice", ctx->case_id, rcpt,
	                  "Not delivered: unknown case", text, error);
}
