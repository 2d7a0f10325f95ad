/* answer.c - a member's answer to the reporter: threaded on the reporter's
 * own mail, encrypted to their key when we hold one, and otherwise sent
 * without quotes, or withheld, when the case holds encrypted mail. A canned
 * answer (#reply NAME) goes the same way, with the list's text. */
#include "job.h"

#include "leakcheck.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
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

	(void)ctx;
	if (rcpt[0] == NULL)
		return TRUE;
	return job_notice(job, AUDIENCE_TEAM, OUT_NOTICE, "notice", c->id, rcpt, subject, text,
	                  error);
}

/* An answer that cannot go out in the clear without leaking the case's
 * encrypted mail: nothing goes to the reporter, the case records why and
 * the team (the member who wrote included) is told. */
static gboolean
job_answer_withheld(Job *job, const ComposeCtx *ctx, const Case *c, const char *why,
                    GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, NULL, error);
	g_autofree char *text = NULL;

	(void)ctx;
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
	return job_notice(job, AUDIENCE_TEAM, OUT_NOTICE, "notice", c->id, team,
	                  "Your answer was not sent to the reporter", text, error);
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

typedef struct {
	Job *job;
	const ComposeCtx *ctx;
	const Case *c;
	guint notices;   /* rows the writing queued besides the answer */
} Answer;

/* SealBuild for the answer. Sealed, it is the member's mail as it came.
 * In the clear, on a case that holds encrypted mail, it may not quote:
 * what stands above the first quote goes, or nothing (NULL, the answer
 * withheld and the team told). */
static GMimeMessage *
answer_build(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	Answer *a = data;
	Job *job = a->job;
	const ComposeCtx *ctx = a->ctx;
	const Case *c = a->c;
	GMimeObject *body = ctx->body != NULL  ? ctx->body
	                    : job->in->message != NULL ? g_mime_message_get_mime_part(job->in->message)
	                                               : NULL;
	g_autoptr(GMimeObject) clean = NULL;
	g_autofree char *why = NULL;
	ComposeCtx actx = *ctx;
	OutHead neutral = *h;
	guint removed = 0;
	gboolean kept = FALSE;
	int encrypted, leak;

	encrypted = sealed ? 0 : job_case_encrypted(job, c->id, error);
	if (encrypted < 0)
		return NULL;
	if (encrypted == 0)
		return compose_answer((gpointer)ctx, h, to, sealed, error);
	clean = body != NULL ? unquote_body(body, &removed, &kept) : NULL;
	/* Never send a NULL body: compose_answer would fall back to the original. */
	if (clean == NULL || !kept) {
		job_answer_withheld(job, ctx, c,
		                    "no plain text of it stands above the first quoted line "
		                    "(everything from there on is left out, and so are HTML "
		                    "and attachments)",
		                    error);
		return NULL;
	}
	leak = job_answer_leaks(job, c, clean, &why, error);
	if (leak != 0) {
		if (leak > 0)
			job_answer_withheld(job, ctx, c, why, error);
		return NULL;
	}
	actx.body = clean;
	/* The member's client shows, and answers with, the subject from
	 * inside the encryption (protected headers): not in the clear. */
	neutral.subject = "Your report";
	guint before = job->queued;
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
		return NULL;
	a->notices += job->queued - before;
	return compose_answer(&actx, &neutral, to, sealed, error);
}

/* SM, whose head is H, sent to the reporter as a person's mail passed on,
 * threaded on the reporter's own latest mail. */
static gboolean
job_send_to_reporter(Job *job, OutHead *h, const SealMail *sm, GError **error)
{
	GError *local = NULL;
	g_autofree char *reply_to = job_last_reporter_message(job, &local);
	gboolean ok;

	if (local != NULL) {
		g_propagate_error(error, local);
		return FALSE;
	}
	h->purpose = OUT_RELAYED;
	h->in_reply_to = reply_to;
	ok = job_send(job, sm, error);
	h->in_reply_to = NULL; /* freed here */
	return ok;
}

/* What the answer may hold depends on whether it is encrypted, which the
 * sealing rule decides (seal.h): it asks answer_build for it once it
 * knows, again if gpg refused the reporter's key. */
gboolean
job_answer(Job *job, const ComposeCtx *ctx, const Case *c, GError **error)
{
	char *rcpt[] = { c->reporter, NULL };
	Answer a = { .job = job, .ctx = ctx, .c = c };
	OutHead h = job_head(job, AUDIENCE_REPORTER, "answer", c->id, job->in->subject);
	SealMail sm = {
		.head = &h,
		.to = rcpt,
		.build = answer_build,
		.data = &a,
		.size_hint = compose_size_hint(ctx),
	};
	guint before = job->queued;

	if (!job_send_to_reporter(job, &h, &sm, error))
		return FALSE;
	/* withheld, or not sealed for good: not answered */
	if (job->answer_withheld || job->queued - before == a.notices)
		return TRUE;
	return event_add(job->db, c->id, job->now_iso, job->in->from_addr, "answered",
	                 "answer sent to the reporter", job->msg_row, error);
}

typedef struct {
	Job *job;
	const Case *c;
	const char *text;
	gboolean sealed; /* how the last build was asked for: the mail as queued */
} Canned;

/* SealBuild for a canned answer: the list's text, which quotes nothing of
 * the case. The subject is the report's, unless the mail goes in the clear
 * on a case that holds encrypted mail (the subject may have come inside it). */
static GMimeMessage *
canned_build(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	Canned *k = data;
	OutHead head = *h;
	g_autofree char *message_id = outbox_new_message_id(k->job->d->list->domain);
	g_autofree char *subject = NULL;
	g_autoptr(GMimeObject) part = outmail_text(k->text);
	int encrypted = sealed ? 0 : job_case_encrypted(k->job, k->c->id, error);
	GMimeMessage *m;

	if (encrypted < 0)
		return NULL;
	if (encrypted > 0)
		head.subject = "Your report";
	subject = outmail_subject(&head);
	m = outmail_message(&head, to, subject, message_id);
	g_mime_message_set_mime_part(m, part);
	k->sealed = sealed;
	return m;
}

gboolean
job_canned_answer(Job *job, const Case *c, const CannedAnswer *a, GString *told, gboolean *sent,
                  GError **error)
{
	g_autofree char *text = canned_render(a, c->id, job->d->list->name);
	g_autofree char *tagged = outmail_tagged_subject(c->id, job->d->list->prefix, c->subject);
	g_autofree char *subject = g_strdup_printf("Re: %s", tagged);
	g_autofree char *detail = NULL;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	char *rcpt[] = { c->reporter, NULL };
	Canned k = { .job = job, .c = c, .text = text };
	OutHead h = job_head(job, AUDIENCE_REPORTER, "answer", c->id, subject);
	SealMail sm = { .head = &h, .to = rcpt, .build = canned_build, .data = &k };
	guint before = job->queued;

	*sent = FALSE;
	if (!job_send_to_reporter(job, &h, &sm, error))
		return FALSE;
	if (job->queued == before) {
		g_string_append_printf(told,
		                       "NOT sent: the canned answer %s could not be encrypted "
		                       "to the reporter's key (see the case's events)\n",
		                       a->name);
		return TRUE;
	}
	*sent = TRUE;
	g_string_append_printf(told, "Sent to the reporter %s (%s), the canned answer %s:\n\n",
	                       c->reporter, k.sealed ? "encrypted to their key" : "unencrypted",
	                       a->name);
	for (char **line = lines; *line != NULL; line++)
		if (**line != '\0' || line[1] != NULL)
			g_string_append_printf(told, "  | %s\n", *line);
	detail = g_strdup_printf("canned answer %s sent to the reporter", a->name);
	return event_add(job->db, c->id, job->now_iso, job->in->from_addr, "answered", detail,
	                 job->msg_row, error) &&
	       job_first_answer(job, c, error);
}
