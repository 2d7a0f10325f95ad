/* deliver.c - the delivery agent's path for one message: spool, duplicate
 * check, parse, route, one transaction with everything, then the outbox.
 *
 * The exit status is decided here and only here: 0 once the message is on
 * disk and the transaction committed, EX_TEMPFAIL (75) for anything that
 * went wrong before that, so that Postfix keeps the message and retries.
 * Sending happens after the commit; a failure there leaves rows pending,
 * which is not a reason to defer: the mail is already safe. */
#include "deliver.h"

#include "crypto-out.h"
#include "gpg.h"
#include "keystore.h"

#include <string.h>
#include <sysexits.h>

#include "address.h"
#include "autoreply.h"
#include "calendar.h"
#include "cases.h"
#include "compose.h"
#include "deadline.h"
#include "db.h"
#include "held.h"
#include "inmsg.h"
#include "keynotice.h"
#include "leakcheck.h"
#include "lifecycle.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
#include "protect.h"
#include "route.h"
#include "spool.h"
#include "unquote.h"

volatile sig_atomic_t deliver_committed;

typedef struct {
	const Delivery *d;
	Db *db;
	SpoolEntry *spool;
	InMessage *in;
	Route route;
	GDateTime *now;
	char *now_iso;
	sqlite3_int64 msg_row;
	guint queued;
	Protect protect;
	MailCommands *cmds;      /* command lines found in a member's mail, or NULL */
	gboolean commit_attempted;
	gboolean answer_withheld; /* nothing of a member's answer could go to the reporter */
} Job;

static gboolean
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
static gboolean
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
static gboolean
job_reporter_key(Job *job, const char *to, gboolean check, char **fpr, GError **error)
{
	g_autofree char *have = NULL;
	g_auto(GStrv) usable = NULL;
	char *fprs[2] = { NULL, NULL };

	*fpr = NULL;
	if (job->protect.list_fpr == NULL)
		return TRUE;
	if (!keystore_reporter_key(job->db, job->d->list->address, to, job->now_iso, &have, error))
		return FALSE;
	if (have == NULL)
		return TRUE;
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
static gboolean
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
static gboolean
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

static gboolean
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

static gboolean
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

/* The Message-ID of the reporter's own latest mail on the case, for threading an
 * answer; never someone else's, which would leak it to the reporter. */
static char *
job_last_reporter_message(Job *job, GError **error)
{
	sqlite3_stmt *st = db_stmt(job->db,
	                           "SELECT m.message_id FROM messages m JOIN cases c ON c.id = m.case_id "
	                           "WHERE m.case_id = ?1 AND m.kind IN ('report', 'followup') AND "
	                           "m.from_addr = c.reporter ORDER BY m.id DESC LIMIT 1",
	                           error);
	char *id = NULL;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, job->route.case_id);
	if (db_step(job->db, st, error) == SQLITE_ROW)
		id = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return id;
}

/* Whether anything on the case arrived encrypted: an answer that goes out
 * in the clear must then not quote it. */
static int
job_case_encrypted(Job *job, const char *case_id, GError **error)
{
	sqlite3_stmt *st = db_stmt(job->db,
	                           "SELECT 1 FROM messages WHERE case_id = ?1 AND encrypted = 1 LIMIT 1",
	                           error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, case_id);
	rc = db_step(job->db, st, error);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The member who wrote an answer is told what became of it; the notice
 * never quotes the answer or the case. */
static gboolean
job_tell_writer(Job *job, const ComposeCtx *ctx, const Case *c, const char *subject,
                const char *what, GError **error)
{
	char *rcpt[] = { job->in->from_addr, NULL };
	g_autofree char *text = g_strdup_printf("Your answer to the reporter of %s %s\n"
	                                        "It is stored on the case (embargoctl case show %s).\n",
	                                        c->id, what, c->id);
	g_autoptr(Composed) mail = NULL;

	if (rcpt[0] == NULL)
		return TRUE;
	mail = compose_notice(ctx, rcpt, subject, text);
	return job_queue(job, "notice", "", rcpt, mail, error);
}

/* An answer that cannot go out in the clear without leaking the case's
 * encrypted mail: nothing goes to the reporter, the case records why and
 * the team (the member who wrote included) is told. */
static gboolean
job_answer_withheld(Job *job, const ComposeCtx *ctx, const Case *c, const char *why,
                    GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, NULL, error);
	g_autoptr(Composed) mail = NULL;
	g_autofree char *text = NULL;

	if (team == NULL)
		return FALSE;
	log_warn("%s: answer from %s not sent to the reporter: %s", c->id, job->in->from_addr, why);
	job->answer_withheld = TRUE;
	if (!event_add(job->db, c->id, job->now_iso, "embargo", "answer-not-sent", why, job->msg_row,
	               error))
		return FALSE;
	if (team[0] == NULL)
		return TRUE;
	text = g_strdup_printf("The answer of %s to the reporter of %s was not sent:\n"
	                       "the reporter gave us no key, so it would go unencrypted, and this\n"
	                       "case holds encrypted mail: %s.\n\n"
	                       "It is stored on the case (embargoctl case show %s).\n"
	                       "Write the answer again above any quoted text, without quoting.\n",
	                       job->in->from_addr, c->id, why, c->id);
	mail = compose_notice(ctx, team, "Your answer was not sent to the reporter", text);
	return job_queue(job, "notice", "", team, mail, error);
}

/* leakcheck_answer() with this delivery's keys: 1 when CLEAN may not go (WHY). */
static int
job_answer_leaks(Job *job, const Case *c, GMimeObject *clean, char **why, GError **error)
{
	CryptoHomes homes = {
		.list_home = job->protect.list_home,
		.verify_home = job->protect.members_home,
		.list_fpr = job->protect.list_fpr,
		.max_seconds = job->d->config->decrypt_time_limit,
	};

	return leakcheck_answer(job->db, &homes, c->id, job->msg_row, clean, why, error);
}

/* CHECK: see job_reporter_key. */
static gboolean
job_answer(Job *job, const ComposeCtx *ctx, const Case *c, gboolean check, GError **error)
{
	const EmbargoList *list = job->d->list;
	g_autofree char *bounces = caseid_address(list->local, list->domain, c->id, "bounces");
	g_autofree char *reply_to = job_last_reporter_message(job, error);
	g_autofree char *fpr = NULL;
	char *rcpt[] = { c->reporter, NULL };
	g_autoptr(Composed) mail = NULL;
	g_autoptr(GMimeObject) clean = NULL;
	ComposeCtx actx = *ctx;
	InMessage neutral;
	gboolean refused;
	int encrypted;

	if (error != NULL && *error != NULL)
		return FALSE;
	if (!job_reporter_key(job, c->reporter, check, &fpr, error))
		return FALSE;
	encrypted = fpr == NULL ? job_case_encrypted(job, c->id, error) : 0;
	if (encrypted < 0)
		return FALSE;
	if (encrypted > 0) {
		GMimeObject *body = ctx->body != NULL ? ctx->body
		                    : job->in->message != NULL
		                            ? g_mime_message_get_mime_part(job->in->message)
		                            : NULL;
		guint removed = 0;
		gboolean kept = FALSE;
		g_autofree char *why = NULL;
		int leak;
		clean = body != NULL ? unquote_body(body, &removed, &kept) : NULL;
		/* Never send a NULL body: compose_answer would fall back to the original. */
		if (clean == NULL || !kept)
			return job_answer_withheld(job, ctx, c,
			                           "no plain text of it stands above the first quoted line "
			                           "(everything from there on is left out, and so are HTML "
			                           "and attachments)",
			                           error);
		leak = job_answer_leaks(job, c, clean, &why, error);
		if (leak != 0)
			return leak > 0 && job_answer_withheld(job, ctx, c, why, error);
		actx.body = clean;
		/* The member's client shows, and answers with, the subject from
		 * inside the encryption (protected headers): not in the clear. */
		neutral = *job->in;
		neutral.subject = (char *)"Your report";
		actx.in = &neutral;
		if (removed > 0 &&
		    (!event_add(job->db, c->id, job->now_iso, "embargo", "answer-unquoted",
		                "quoted text and everything below it left out of an unencrypted answer",
		                job->msg_row, error) ||
		     !job_tell_writer(job, ctx, c, "Your answer went out without the quoted text",
		                      "went to the reporter unencrypted, as the reporter gave us no key.\n"
		                      "Everything from the first quoted line on (\"> \", \"On ... wrote:\",\n"
		                      "\"-----Original Message-----\", a forwarded message...) was left out,\n"
		                      "answers written below or between quotes included: this case holds\n"
		                      "encrypted mail, which a quote would send in the clear.\n"
		                      "Write your whole answer above any quote.\n",
		                      error)))
			return FALSE;
	}
	mail = compose_answer(&actx, c->reporter, reply_to);
	if (fpr != NULL && !job_seal_reporter_mail(job, fpr, check, c->id, mail, &refused, error)) {
		if (refused)
			/* What the answer may hold depends on whether it is encrypted:
			 * written again once gpg said whether the key is usable. */
			return job_answer(job, ctx, c, TRUE, error);
		return job_seal_failed(job, "the mail to the reporter", error);
	}
	if (!job_queue(job, "answer", bounces, rcpt, mail, error))
		return FALSE;
	return event_add(job->db, c->id, job->now_iso, job->in->from_addr, "answered",
	                 "answer sent to the reporter", job->msg_row, error);
}

/* A member's answer that could not be decrypted is never passed on, not
 * even as ciphertext: it stays stored on the case, and the team (the member
 * who wrote included) is told that nothing went to the reporter. */
static gboolean
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

static gboolean
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

static gboolean
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

/* The reporter hears when their case is released or closed, encrypted
 * where we hold their key, from the case's bounce address. */
static gboolean
job_tell_reporter(Job *job, const ComposeCtx *ctx, const char *stage, GError **error)
{
	const EmbargoList *list = job->d->list;
	g_autoptr(Case) c = NULL;
	g_autofree char *text = NULL, *bounces = NULL, *subject = NULL;
	g_autoptr(Composed) mail = NULL;
	char *rcpt[] = { NULL, NULL };
	gboolean dropped;

	if (!case_get_known(job->db, job->route.case_id, &c, error))
		return FALSE;
	text = lifecycle_reporter_text(job->db, list, c->id, error);
	if (text == NULL)
		return FALSE;
	rcpt[0] = c->reporter;
	bounces = caseid_address(list->local, list->domain, c->id, "bounces");
	subject = g_strdup_printf("Your report: %s", stage);
	mail = compose_notice(ctx, rcpt, subject, text);
	if (!job_seal_for_reporter(job, c->reporter, mail, &dropped, error))
		return FALSE;
	if (!dropped && !job_queue(job, "reporter-update", bounces, rcpt, mail, error))
		return FALSE;
	return case_set_field(job->db, c->id, "reporter_told", stage, error) &&
	       event_add(job->db, c->id, job->now_iso, "embargo", "reporter-told", stage, job->msg_row,
	                 error);
}

/* With signed_commands, a member's commands count only under a good
 * signature by that member's own key; NULL when they may act. */
static char *
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

/* A member's commands: applied (or refused, all of them, with the reason),
 * confirmed to the team, and followed by the mails they cause. CTX->body
 * becomes the body without the command lines. */
static gboolean
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
	ok = ok &&
	     job_mail_ok(job, lifecycle_confirm(&cc, &res, &job->queued, error), "the confirmation",
	                 error) &&
	     job_mail_ok(job, lifecycle_prerelease(&cc, &res, &job->queued, error),
	                 "the pre-release notification", error) &&
	     (res.reached == NULL || job_tell_reporter(job, ctx, res.reached, error));
	cmdresult_clear(&res);
	return ok;
}

/* Command lines from outside the team change nothing; the sender is told
 * why, unless telling them would be backscatter. */
static gboolean
job_outsider_commands(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	GMimeObject *body = ctx->body != NULL ? ctx->body
	                    : job->in->message != NULL ? g_mime_message_get_mime_part(job->in->message)
	                                               : NULL;
	g_autoptr(MailCommands) mc = NULL;
	g_autofree char *why = NULL, *to = NULL, *text = NULL;
	g_autoptr(Composed) mail = NULL;
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
	mail = compose_notice(ctx, rcpt, "Commands not applied", text);
	return job_queue(job, "notice", "", rcpt, mail, error);
}

/* The first mail a member sends the reporter through the list is the
 * human answer the policies' first deadline asks for. */
static gboolean
job_first_answer(Job *job, const Case *c, GError **error)
{
	if (c->first_answer_at != NULL)
		return TRUE;
	return case_set_field(job->db, c->id, "first_answer_at", job->now_iso, error) &&
	       deadline_refresh(job->db, job->d->config, job->d->list, c->id, job->now, error);
}

static const char *
job_event_name(RouteKind kind)
{
	static const char *const names[] = {
		"report-received", "followup-received", "discussion", "answer-received",
		"autoreply-received", "bounce-received", "loop-dropped", "refused",
	};

	return names[kind];
}

/* Everything that is written for one message, inside the open transaction. */
static gboolean
job_store(Job *job, GError **error)
{
	const Delivery *d = job->d;
	const InMessage *in = job->in;
	const char *kind = route_kind_name(job->route.kind);
	g_autofree char *env = address_normalize(d->envelope_from);
	const char *reporter = in->from_addr != NULL ? in->from_addr : env != NULL ? env : "unknown";
	g_autoptr(Case) c = NULL;
	g_autoptr(GDateTime) created = NULL;
	g_autofree char *reporter_text = NULL;
	MessageRecord rec;

	if (job->route.kind == ROUTE_REPORT) {
		job->route.case_id =
			case_create(job->db, d->list->address, d->list->prefix, d->list->policy->stages[0],
			            in->subject, reporter, in->from_name, job->now, error);
		if (job->route.case_id == NULL)
			return FALSE;
		if (job->route.held && !held_set(job->db, job->route.case_id, job->route.why, error))
			return FALSE;
	}
	rec = (MessageRecord){
		.list = d->list->address,
		.case_id = job->route.case_id,
		.message_id = in->message_id,
		.digest = job->spool->digest,
		.envelope_from = d->envelope_from,
		.recipient = d->recipient,
		.from_addr = in->from_addr,
		.subject = in->subject,
		.kind = kind,
		.problem = in->problem,
		.spool_path = job->spool->path,
		.size = job->spool->size,
		.received_at = job->now_iso,
	};
	job->msg_row = message_insert(job->db, &rec, error);
	if (job->msg_row == 0)
		return FALSE;
	if (!protect_store(job->db, d->list, in, &job->protect, job->msg_row, job->now_iso, error) ||
	    !protect_keep_key(job->db, d->config, d->list, in, &job->protect,
	                      job->route.kind == ROUTE_REPORT, job->route.case_id, job->msg_row,
	                      job->now, &job->queued, error))
		return FALSE;
	if (job->route.case_id == NULL)
		return TRUE;

	if (!event_add(job->db, job->route.case_id, job->now_iso, reporter,
	               job_event_name(job->route.kind),
	               in->problem != NULL ? in->problem : job->route.why, job->msg_row, error) ||
	    !case_touch(job->db, job->route.case_id, job->now_iso, error))
		return FALSE;
	if (!case_get_known(job->db, job->route.case_id, &c, error))
		return FALSE;
	created = calendar_parse_iso(c->created_at);
	reporter_text = c->reporter_name != NULL && *c->reporter_name != '\0'
	                    ? g_strdup_printf("%s <%s>", c->reporter_name, c->reporter)
	                    : g_strdup(c->reporter);
	ComposeCtx ctx = {
		.config = d->config,
		.list = d->list,
		.in = in,
		.route = &job->route,
		.case_id = c->id,
		.stage = c->status,
		.reporter = reporter_text,
		.case_created = created != NULL ? created : job->now,
		.now = job->now,
		.envelope_from = d->envelope_from,
		.spool_path = job->spool->path,
	};
	protect_ctx(&job->protect, &ctx);

	switch (job->route.kind) {
	case ROUTE_REPORT:
		return job_ack(job, &ctx, error) && job_team_copy(job, &ctx, NULL, error);
	case ROUTE_FOLLOWUP:
		return job_outsider_commands(job, &ctx, c, error) &&
		       job_team_copy(job, &ctx, NULL, error);
	case ROUTE_DISCUSSION:
		if (!job_commands(job, &ctx, c, error))
			return FALSE;
		return (job->cmds != NULL && job->cmds->empty) ||
		       job_team_copy(job, &ctx, in->from_addr, error);
	case ROUTE_ANSWER:
		if (job->protect.in.decrypt_error != NULL)
			return job_answer_undecryptable(job, &ctx, c, error) &&
			       job_team_copy(job, &ctx, in->from_addr, error);
		if (!job_commands(job, &ctx, c, error))
			return FALSE;
		if (job->cmds != NULL && job->cmds->empty)
			return TRUE;
		return job_answer(job, &ctx, c, FALSE, error) &&
		       (job->answer_withheld || job_first_answer(job, c, error)) &&
		       job_team_copy(job, &ctx, in->from_addr, error);
	case ROUTE_BOUNCE:
		return job_bounce_notice(job, &ctx, c, error);
	case ROUTE_REFUSED:
		return job_refusal(job, &ctx, error);
	case ROUTE_AUTOREPLY:
	case ROUTE_LOOP:
		return TRUE;
	}
	return TRUE;
}

static int
job_refused_without_case(Job *job, GError **error)
{
	ComposeCtx ctx = {
		.config = job->d->config,
		.list = job->d->list,
		.in = job->in,
		.route = &job->route,
		.now = job->now,
		.envelope_from = job->d->envelope_from,
		.spool_path = job->spool->path,
	};

	return job_refusal(job, &ctx, error);
}

/* The cheap check, on every delivery: members' keys that expire soon are
 * told to the team once (keynotice.c). */
static gboolean
job_key_notices(Job *job, GError **error)
{
	int queued = keynotice_queue(job->db, job->d->list, job->now, job->msg_row, error);

	if (queued < 0)
		return FALSE;
	job->queued += (guint)queued;
	return TRUE;
}

static void
job_flush(Job *job, sqlite3_int64 cause)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;

	if (!outbox_flush(job->db, job->d->config, cause, job->d->send_timeout, &r, &err))
		log_warn("outbox not sent now (%s); 'embargoctl outbox flush' will retry", err->message);
	else if (r.failed > 0)
		log_warn("outbox: %u sent, %u failed; 'embargoctl outbox flush' will retry", r.sent,
		         r.failed);
}

static int
job_defer(Job *job, const char *what, GError *err)
{
	log_error("deferred (%s): %s", what, err != NULL ? err->message : "unknown error");
	if (job->db != NULL)
		db_rollback(job->db);
	/* After a failed COMMIT the transaction may still have reached the disk
	 * (its WAL frames were written, only their sync failed), and its row
	 * names this spool file: keep it. */
	if (!job->commit_attempted)
		spool_discard(job->spool);
	return EX_TEMPFAIL;
}

/* A duplicate's raw copy is dropped, unless the stored one is missing. */
static void
job_keep_or_drop_spool(Job *job, sqlite3_int64 dup)
{
	g_autoptr(GError) err = NULL;
	sqlite3_stmt *st = db_stmt(job->db, "SELECT spool_path FROM messages WHERE id = ?1", &err);
	g_autofree char *stored = NULL;

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, dup);
		if (db_step(job->db, st, &err) == SQLITE_ROW)
			stored = g_strdup(db_col_text(st, 0));
		sqlite3_reset(st);
	}
	if (stored == NULL || g_file_test(stored, G_FILE_TEST_EXISTS)) {
		spool_discard(job->spool);
		return;
	}
	st = db_stmt(job->db, "UPDATE messages SET spool_path = ?2 WHERE id = ?1", &err);
	if (st == NULL || !db_begin(job->db, &err)) {
		log_warn("message %" G_GINT64_FORMAT ": raw copy %s is missing and could not be replaced: %s",
		         (gint64)dup, stored, err != NULL ? err->message : "?");
		spool_discard(job->spool);
		return;
	}
	sqlite3_bind_int64(st, 1, dup);
	db_bind_text(st, 2, job->spool->path);
	if (!db_step_done(job->db, st, &err))
		spool_discard(job->spool);
	else
		spool_keep(job->spool);   /* the COMMIT may reach the disk even if it fails */
	if (err != NULL || !db_commit(job->db, &err)) {
		db_rollback(job->db);
		log_warn("message %" G_GINT64_FORMAT ": could not record its new raw copy: %s", (gint64)dup,
		         err->message);
		return;
	}
	log_warn("message %" G_GINT64_FORMAT ": raw copy %s was missing; kept %s", (gint64)dup, stored,
	         job->spool->path);
}

static int
job_run(Job *job, int in_fd)
{
	const Delivery *d = job->d;
	g_autoptr(GError) err = NULL;
	sqlite3_int64 dup;

	job->db = db_open(d->config->state_dir, FALSE, &err);
	if (job->db == NULL)
		return job_defer(job, "database", err);
	job->spool = spool_write(d->config->state_dir, in_fd, &err);
	if (job->spool == NULL)
		return job_defer(job, "spool", err);
	job->in = inmsg_parse(job->spool->path, job->spool->has_nul, &err);
	if (job->in == NULL)
		return job_defer(job, "parse", err);
	inmsg_read_authres(job->in, d->config->milter.authserv_id);
	/* Before the transaction: gpg may take a while, and must not hold the write lock. */
	if (!protect_open(job->db, d->config, d->list, job->in, d->envelope_from, &job->protect, &err))
		return job_defer(job, "OpenPGP", err);
	if (!db_begin(job->db, &err))
		return job_defer(job, "database", err);

	dup = message_find(job->db, d->list->address, job->in->message_id, job->spool->digest, &err);
	if (dup < 0)
		return job_defer(job, "database", err);
	if (dup > 0) {
		db_rollback(job->db);
		job_keep_or_drop_spool(job, dup);
		deliver_committed = 1;
		log_info("duplicate of message %" G_GINT64_FORMAT " (Message-ID <%s>): nothing new",
		         (gint64)dup, job->in->message_id);
		job_flush(job, dup);
		return EX_OK;
	}
	if (!route_decide(job->db, d->config, d->list, job->in, d->envelope_from, d->ext, &job->route,
	                  &err))
		return job_defer(job, "routing", err);
	if (!job_store(job, &err))
		return job_defer(job, "storing", err);
	if (job->route.kind == ROUTE_REFUSED && job->route.case_id == NULL &&
	    !job_refused_without_case(job, &err))
		return job_defer(job, "storing", err);
	if (!job_key_notices(job, &err))
		return job_defer(job, "storing", err);
	job->commit_attempted = TRUE;
	spool_keep(job->spool);
	if (!db_commit(job->db, &err))
		return job_defer(job, "commit", err);
	deliver_committed = 1;

	log_info("%s: %s from %s to %s stored as message %" G_GINT64_FORMAT "%s%s%s; %u mail(s) queued",
	         job->route.case_id != NULL ? job->route.case_id : "no case",
	         route_kind_name(job->route.kind),
	         job->in->from_addr != NULL ? job->in->from_addr : "(no From)", d->recipient,
	         (gint64)job->msg_row, job->route.why != NULL ? " (" : "",
	         job->route.why != NULL ? job->route.why : "", job->route.why != NULL ? ")" : "",
	         job->queued);
	if (job->in->problem != NULL)
		log_warn("message %" G_GINT64_FORMAT ": %s", (gint64)job->msg_row, job->in->problem);
	if (job->queued > 0)
		job_flush(job, job->msg_row);
	return EX_OK;
}

int
deliver(const Delivery *d, int in_fd)
{
	Job job = { .d = d };
	int status;

	job.now = calendar_now();
	job.now_iso = calendar_iso(job.now);
	status = job_run(&job, in_fd);
	route_clear(&job.route);
	mail_commands_free(job.cmds);
	protect_clear(&job.protect);
	inmsg_free(job.in);
	spool_entry_free(job.spool);
	db_close(job.db);
	g_date_time_unref(job.now);
	g_free(job.now_iso);
	return status;
}
