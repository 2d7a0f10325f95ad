/* spam.h - the spam filter's part in one delivery (spam.c). Private to
 * embargo-mda. */
#ifndef EMBARGO_SPAM_H
#define EMBARGO_SPAM_H

#include "job.h"

/* Before the transaction, after the spool and protect_open: asks rspamd
 * about JOB's message when it is mail from outside that could reach the
 * team, filling job->spam, and logs the verdict or why there is none.
 * Never fails: no verdict is "not spam". */
void job_spam_check(Job *job);
/* After routing: what job->spam does under the list's spam_action. A new
 * report is held (route.held, route.why: a held item), or a report or
 * follow-up is marked (job->spam_mark); anything else is left alone. */
void job_spam_apply(Job *job);
/* "rspamd: ACTION, score N.NN" for V (checked); caller g_frees. */
char *job_spam_text(const SpamVerdict *v);
/* The acknowledgement a marked report does not get, logged and recorded on
 * the case; FALSE with ERROR set (a store error). */
gboolean job_spam_no_ack(Job *job, GError **error);

#endif
