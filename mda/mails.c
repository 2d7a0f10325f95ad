/* mails.c - the mails one delivery writes to people: the acknowledgement,
 * the team's copy, and the notices about bounces, refused mail and answers
 * that could not be decrypted; queued in the outbox inside the delivery's
 * transaction, sealed where the list has a key. */
#include "job.h"

#include "address.h"
#include "autoreply.h"
#include "crypto-out.h"
#include "gpg.h"
#include "keystore.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"


gboolean
job_queue(Job *job, const char *kind, const char *envelope_from, char **recipients,
          Composed *mail, GError **error)
{
	OutMail out = {
		.list = job->d->list->address,
		.case_id = job->route.case_id,
		.cause = job->msg_row,
		.kind = kind,
		.envelope_from = envelope_from,
		.recipients = recipients,
		.message_id = mail->message_id,
		.subject = mail->subject,
		.body = mail->body,
	};

	if (!outbox_add(job->db, &out, job->now_iso, error))
		return FALSE;
	job->queued++;
	return TRUE;
}

/* A sealing that failed for good is logged and recorded, never sent in the
 * clear instead; a transient failure defers the whole delivery. */
gboolean
job_seal_failed(Job *job, const char *what, GError **error)
{
	if ((*error)->domain == EMBARGO_GPG_ERROR && (*error)->code == GPG_ERROR_TRANSIENT)
		return FALSE;
	log_error("%s: %s not sent: %s", job->route.case_id, what, (*error)->message);
	if (!event_add(job->db, job->route.case_id, job->now_iso, "embargo", "encryption-failed",
	               (*error)->message, job->msg_row, NULL))
		return FALSE;
	g_clear_error(error);
	return TRUE;
}

/* The encrypted team copy to the members of TEAM with a key, queued; the
 * rest in *KEYLESS. With CHECK, gpg is asked first which keys can encrypt;
 * without, the database's word is taken and, when gpg refuses one of its
 * keys, *REFUSED is set and nothing queued: the caller asks again with
 * CHECK, so that one bad key never keeps the copy from the others. */
static gboolean
job_team_copy_encrypted(Job *job, const ComposeCtx *ctx, char **team, gboolean check,
                        char ***keyless, gboolean *refused, GError **error)
{
	const EmbargoList *list = job->d->list;
	g_auto(GStrv) keyed = NULL, fprs = NULL, unusable = NULL;
	g_autoptr(Composed) mail = NULL;

	if (!protect_split_team(job->db, list, &job->protect, team, job->now_iso, check, &keyed, &fprs,
	                        keyless, error))
		return FALSE;
	if (keyed[0] == NULL)
		return TRUE;
	mail = compose_team_copy(ctx, keyed);
	if (!protect_seal(&job->protect, job->protect.members_home, fprs, job->route.case_id, mail,
	                  check ? NULL : &unusable, error)) {
		if (unusable != NULL) {
			g_autofree char *names = g_strjoinv(", ", unusable);
			log_info("%s: gpg refused the key(s) %s; checking each member's key",
			         job->route.case_id, names);
			g_clear_error(error);
			*refused = TRUE;
			return TRUE;
		}
		return job_seal_failed(job, "the encrypted team copy", error);
	}
	return job_queue(job, "team-copy", list->address, keyed, mail, error);
}

/* The team copy of a list with a key: one mail encrypted to every member
 * with a usable key; members without one skipped, or sent their own plain
 * copy when the list says keyless_members = plain. */
static gboolean
job_team_copy_sealed(Job *job, const ComposeCtx *ctx, char **team, GError **error)
{
	const EmbargoList *list = job->d->list;
	g_auto(GStrv) keyless = NULL;
	gboolean refused = FALSE;

	if (!job_team_copy_encrypted(job, ctx, team, FALSE, &keyless, &refused, error))
		return FALSE;
	if (refused) {
		g_clear_pointer(&keyless, g_strfreev);
		if (!job_team_copy_encrypted(job, ctx, team, TRUE, &keyless, NULL, error))
			return FALSE;
	}
	if (keyless[0] == NULL)
		return TRUE;
	{
		g_autofree char *names = g_strjoinv(", ", keyless);
		if (!list->keyless_plain) {
			log_warn("%s: team copy not sent to %s: no usable key (keyless_members = skip)",
			         job->route.case_id, names);
			return TRUE;
		}
		log_warn("%s: team copy sent unencrypted to %s: no usable key (keyless_members = plain)",
		         job->route.case_id, names);
	}
	g_autoptr(Composed) plain = compose_team_copy(ctx, keyless);
	return job_queue(job, "team-copy", list->address, keyless, plain, error);
}

/* The reporter TO's key that mail to them is encrypted to: *FPR, or NULL
 * when the list has no key or we hold no usable one of theirs. The
 * database's word is taken (the key could encrypt when it was kept, and
 * has not expired by its recorded date); CHECK asks gpg too, after gpg
 * refused the key when encrypting. FALSE only to defer. */
gboolean
job_reporter_key(Job *job, const char *to, gboolean check, char **fpr, GError **error)
{
	g_autofree char *have = NULL;
	g_auto(GStrv) usable = NULL;
	char *fprs[2] = { NULL, NULL };

	*fpr = NULL;
	if (job->protect.list_fpr == NULL)
		return TRUE;
	have = keystore_reporter_key(job->db, job->d->list->address, to, job->now_iso, error);
	if (have == NULL)
		return error == NULL || *error == NULL;
	if (check) {
		fprs[0] = have;
		usable = crypto_out_usable(job->protect.reporters_home, fprs, error);
		if (usable == NULL)
			return FALSE;
		if (usable[0] == NULL) {
			log_warn("%s: the key %s of %s is no longer usable: mail to them is not encrypted",
			         job->route.case_id, have, to);
			return TRUE;
		}
	}
	*fpr = g_steal_pointer(&have);
	return TRUE;
}

/* Seals MAIL to the reporter's key FPR. When gpg refuses the key and
 * CHECK is not set, FALSE with *REFUSED set and ERROR clear: the caller
 * asks again with job_reporter_key(CHECK). */
gboolean
job_seal_reporter_mail(Job *job, const char *fpr, gboolean check, const char *case_id,
                       Composed *mail, gboolean *refused, GError **error)
{
	g_auto(GStrv) unusable = NULL;
	char *fprs[2] = { (char *)fpr, NULL };

	*refused = FALSE;
	if (protect_seal(&job->protect, job->protect.reporters_home, fprs, case_id, mail,
	                 check ? NULL : &unusable, error))
		return TRUE;
	if (unusable != NULL) {
		log_info("%s: gpg refused the key %s; checking it", case_id, fpr);
		g_clear_error(error);
		*refused = TRUE;
	}
	return FALSE;
}

/* Encrypts MAIL to the reporter TO when the list has a key and we hold one
 * of theirs; leaves it as it is otherwise. FALSE only to defer; *DROPPED
 * when it could not be encrypted and must not be sent. */
gboolean
job_seal_for_reporter(Job *job, const char *to, Composed *mail, gboolean *dropped, GError **error)
{
	*dropped = FALSE;
	for (gboolean check = FALSE;; check = TRUE) {
		g_autofree char *fpr = NULL;
		gboolean refused;

		if (!job_reporter_key(job, to, check, &fpr, error))
			return FALSE;
		if (fpr == NULL)
			return TRUE;
		if (job_seal_reporter_mail(job, fpr, check, job->route.case_id, mail, &refused, error))
			return TRUE;
		if (!refused) {
			*dropped = TRUE;
			return job_seal_failed(job, "the mail to the reporter", error);
		}
	}
}

gboolean
job_team_copy(Job *job, const ComposeCtx *ctx, const char *except, GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, except, error);
	g_autoptr(Composed) mail = NULL;

	if (team == NULL)
		return FALSE;
	if (team[0] == NULL) {
		log_warn("%s: %s has no other members to copy to", job->route.case_id,
		         job->d->list->address);
		return TRUE;
	}
	if (job->protect.list_fpr != NULL)
		return job_team_copy_sealed(job, ctx, team, error);
	mail = compose_team_copy(ctx, team);
	return job_queue(job, "team-copy", job->d->list->address, team, mail, error);
}

gboolean
job_ack(Job *job, const ComposeCtx *ctx, GError **error)
{
	g_autofree char *why = NULL;
	g_autofree char *to = NULL;
	g_autoptr(Composed) mail = NULL;
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
	mail = compose_ack(ctx, to);
	gboolean dropped;
	if (!job_seal_for_reporter(job, to, mail, &dropped, error))
		return FALSE;
	if (dropped)
		return TRUE;
	return job_queue(job, "ack", "", rcpt, mail, error) &&
	       case_set_field(job->db, job->route.case_id, "acked_at", job->now_iso, error);
}

/* A member's answer that could not be decrypted is never passed on, not
 * even as ciphertext: it stays stored on the case, and the team (the member
 * who wrote included) is told that nothing went to the reporter. */
gboolean
job_answer_undecryptable(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, NULL, error);
	g_autoptr(Composed) mail = NULL;
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
	mail = compose_notice(ctx, team, "Could not decrypt your answer; nothing was sent to the reporter",
	                      text);
	return job_queue(job, "notice", "", team, mail, error);
}

gboolean
job_bounce_notice(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	g_auto(GStrv) team = NULL;
	g_autoptr(Composed) mail = NULL;
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
	mail = compose_notice(ctx, team, "Mail to the reporter bounced", text);
	return job_queue(job, "notice", "", team, mail, error);
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
	g_autoptr(Composed) mail = NULL;
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
	mail = compose_notice(ctx, rcpt, "Not delivered: unknown case", text);

	return job_queue(job, "notice", "", rcpt, mail, error);
}
