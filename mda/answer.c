/* answer.c - a member's answer to the reporter: threaded on the reporter's
 * own mail, encrypted to their key when we hold one, and otherwise sent
 * without quotes, or withheld, when the case holds encrypted mail. */
#include "job.h"

#include "leakcheck.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "unquote.h"


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
gboolean
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
