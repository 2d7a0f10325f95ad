/* spam.c - owns the spam filter's part in one delivery: which mail is put
 * to rspamd, and what its verdict does to the delivery (spam_action).
 *
 * Only mail from outside that could open a case or reach the team is asked
 * about: not a member's mail, not a bounce, not our own looped mail, not a
 * duplicate (it changes nothing). The question is asked before the store's
 * write transaction, since rspamd may take up to spam_timeout seconds and
 * other deliveries must not wait on the lock meanwhile.
 *
 * A verdict is only advice. Without one (rspamd down, slow, answering
 * something else) the message is delivered as it would be without a
 * filter. With a spam verdict:
 *   - hold: a new report is held (route.held, the reason in route.why):
 *     nothing is sent, not to the team, not to the (likely forged) sender;
 *   - tag: it is delivered, the team's copy marked "[spam?]" with an
 *     X-Embargo-Spam field, and nobody is acknowledged;
 * A follow-up on an existing case is never held, whatever spam_action
 * says: the case's reporter wrote it, or someone who knows the case's
 * address, and holding it would hide a reporter's own words from the
 * team. With hold or tag it reaches the team marked. */
#include "spam.h"

#include <string.h>

#include "address.h"
#include "cases.h"
#include "helditems.h"
#include "log.h"
#include "messages.h"
#include "spamcheck.h"

/* Why MESSAGE is not put to the filter; NULL when it is. Static. */
static const char *
job_spam_skip(Job *job)
{
	const Delivery *d = job->d;
	const InMessage *in = job->in;
	g_autoptr(GError) err = NULL;
	g_autofree char *held = NULL;

	if (!d->config->spam.rspamd)
		return "no filter configured";
	if (d->release != NULL)
		return "released from hold by a person";
	if (d->list->spam_action == SPAM_ACTION_OFF)
		return "spam_action = off";
	if (address_is_null(d->envelope_from) || in->is_report)
		return "a bounce";
	if (in->loop != NULL && config_is_own_address(d->config, in->loop))
		return "our own mail";
	if (job->protect.from_member)
		return "a member's mail";
	/* An error here is the transaction's to find and defer on. A copy of
	 * mail already held has no message row, only its held item. */
	if (message_find(job->db, d->list->address, in->message_id, job->spool->digest, &err) > 0)
		return "a duplicate";
	g_clear_error(&err);
	if (held_item_find(job->db, d->list->address, in->message_id, job->spool->digest, &held,
	                   &err) &&
	    held != NULL)
		return "a duplicate";
	return NULL;
}

void
job_spam_check(Job *job)
{
	const Delivery *d = job->d;
	const char *skip = job_spam_skip(job);
	g_autofree char *why = NULL;
	SpamQuery q = {
		.url = d->config->spam.rspamd_url,
		.timeout = d->config->spam.timeout,
		.envelope_from = d->envelope_from,
		.recipient = d->recipient,
		.ip = d->client_address,
	};

	if (skip != NULL) {
		if (d->config->spam.rspamd)
			log_info("spam check: not asked (%s)", skip);
		return;
	}
	if (!spamcheck_rspamd(&q, job->spool->path, &job->spam, &why)) {
		log_warn("spam check: no verdict from rspamd (%s); taken as not spam", why);
		return;
	}
	log_info("spam check: rspamd: %s, score %.2f%s%s%s", job->spam.action, job->spam.score,
	         job->spam.symbols != NULL ? " [" : "",
	         job->spam.symbols != NULL ? job->spam.symbols : "",
	         job->spam.symbols != NULL ? "]" : "");
}

char *
job_spam_text(const SpamVerdict *v)
{
	return g_strdup_printf("rspamd: %s, score %.2f", v->action, v->score);
}

void
job_spam_apply(Job *job)
{
	SpamAction action = job->d->list->spam_action;
	RouteKind kind = job->route.kind;

	if (!job->spam.checked || !job->spam.spam || action == SPAM_ACTION_OFF)
		return;
	if (kind != ROUTE_REPORT && kind != ROUTE_FOLLOWUP)
		return;
	if (kind == ROUTE_REPORT && action == SPAM_ACTION_HOLD) {
		g_autofree char *text = job_spam_text(&job->spam);

		job->route.held = TRUE;
		g_free(job->route.why);
		job->route.why = g_strdup_printf("spam (%s)", text);
		return;
	}
	job->spam_mark = job_spam_text(&job->spam);
}

gboolean
job_spam_no_ack(Job *job, GError **error)
{
	g_autofree char *why = g_strdup_printf("likely spam (%s)", job->spam_mark);

	log_info("%s: no acknowledgement: %s", job->route.case_id, why);
	return event_add(job->db, job->route.case_id, job->now_iso, "embargo", "ack-suppressed", why,
	                 job->msg_row, error);
}
