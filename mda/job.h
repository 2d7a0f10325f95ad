/* job.h - one delivery in progress, shared by the files that make it up:
 * deliver.c (the run: spool, store, commit, flush), mails.c (the mails it
 * writes to people), answer.c (a member's answer to the reporter) and
 * effects.c (what a member's commands cause). Private to embargo-mda. */
#ifndef EMBARGO_JOB_H
#define EMBARGO_JOB_H

#include "cases.h"
#include "compose.h"
#include "db.h"
#include "deliver.h"
#include "inmsg.h"
#include "lifecycle.h"
#include "protect.h"
#include "route.h"
#include "spool.h"

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

/* mails.c. Each returns FALSE only with ERROR set: the delivery defers. */
gboolean job_queue(Job *job, const char *kind, const char *envelope_from, char **recipients,
                   Composed *mail, GError **error);
gboolean job_seal_failed(Job *job, const char *what, GError **error);
gboolean job_reporter_key(Job *job, const char *to, gboolean check, char **fpr, GError **error);
gboolean job_seal_reporter_mail(Job *job, const char *fpr, gboolean check, const char *case_id,
                                Composed *mail, gboolean *refused, GError **error);
gboolean job_seal_for_reporter(Job *job, const char *to, Composed *mail, gboolean *dropped,
                               GError **error);
gboolean job_team_copy(Job *job, const ComposeCtx *ctx, const char *except, GError **error);
gboolean job_ack(Job *job, const ComposeCtx *ctx, GError **error);
gboolean job_answer_undecryptable(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
gboolean job_bounce_notice(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
gboolean job_refusal(Job *job, const ComposeCtx *ctx, GError **error);

/* answer.c */
gboolean job_answer(Job *job, const ComposeCtx *ctx, const Case *c, gboolean check, GError **error);

/* effects.c */
gboolean job_commands(Job *job, ComposeCtx *ctx, const Case *c, GError **error);
gboolean job_outsider_commands(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
gboolean job_first_answer(Job *job, const Case *c, GError **error);

#endif
