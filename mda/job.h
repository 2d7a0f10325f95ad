/* job.h - one delivery in progress, shared by the files that make it up:
 * deliver.c (the run: spool, store, commit, flush), mails.c (the mails it
 * writes to people), answer.c (a member's answer to the reporter) and
 * effects.c (what a member's commands cause). Private to embargo-mda. */
#ifndef EMBARGO_JOB_H
#define EMBARGO_JOB_H

#include "canned.h"
#include "cases.h"
#include "compose.h"
#include "db.h"
#include "deliver.h"
#include "inmsg.h"
#include "lifecycle.h"
#include "protect.h"
#include "route.h"
#include "seal.h"
#include "spamverdict.h"
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
	SpamVerdict spam;        /* the spam filter's verdict (spam.checked FALSE: none) */
	char *held_id;           /* the held item this mail became, or NULL */
	char *release_path;      /* d->release's raw copy, removed after the commit */
	GPtrArray *releases;     /* held item ids a member's #release asked for, or NULL */
	char *spam_mark;         /* the verdict the team's copy is marked with; NULL: unmarked */
} Job;

/* mails.c. Each gboolean one returns FALSE only with ERROR set: the
 * delivery defers. */
/* An OutHead of this delivery (its list, message and time) for the rest. */
OutHead job_head(const Job *job, Audience audience, const char *kind, const char *case_id,
                 const char *subject);
/* A sealing that failed for good (not transient): logged, recorded on the
 * case, ERROR cleared and TRUE; anything else FALSE. */
gboolean job_seal_failed(Job *job, const char *what, GError **error);
/* SM queued by the one sealing rule, counted in job->queued; one that cannot
 * be sealed for good is not sent (job_seal_failed). */
gboolean job_send(Job *job, const SealMail *sm, GError **error);
/* A short text mail of KIND to TO, sent as job_send does. */
gboolean job_notice(Job *job, Audience audience, OutPurpose purpose, const char *kind,
                    const char *case_id, char **to, const char *subject, const char *text,
                    GError **error);
/* The team's copy of the incoming mail, to every member but EXCEPT; any
 * failure to seal it is FALSE with ERROR (the delivery defers), never skipped. */
gboolean job_team_copy(Job *job, const ComposeCtx *ctx, const char *except, GError **error);
/* The acknowledgement to the envelope sender, where an automatic reply may go. */
gboolean job_ack(Job *job, const ComposeCtx *ctx, GError **error);
/* The team told that a member's answer could not be decrypted. */
gboolean job_answer_undecryptable(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
/* The team told, once per case, that mail to the reporter bounced. */
gboolean job_bounce_notice(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
/* The sender of refused mail told why, where an automatic reply may go. */
gboolean job_refusal(Job *job, const ComposeCtx *ctx, GError **error);

/* answer.c: a member's answer to the reporter of C, or the team told why not. */
gboolean job_answer(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
/* The canned answer A to the reporter of C, as job_answer sends an answer,
 * counted as the team's answer; what went (its text) or did not is added
 * to TOLD for the team's confirmation, *SENT says whether it was queued. */
gboolean job_canned_answer(Job *job, const Case *c, const CannedAnswer *a, GString *told,
                           gboolean *sent, GError **error);

/* effects.c: a member's commands applied or refused, and the mails they cause;
 * CTX->body becomes the body without the command lines. */
gboolean job_commands(Job *job, ComposeCtx *ctx, const Case *c, GError **error);
/* Commands from outside the team refused, the sender told where that is safe. */
gboolean job_outsider_commands(Job *job, const ComposeCtx *ctx, const Case *c, GError **error);
/* The first answer to the reporter recorded, and the deadlines moved on. */
gboolean job_first_answer(Job *job, const Case *c, GError **error);
/* With signed_commands, why a member's commands may not act (caller
 * g_frees); NULL when they may, or on an error (ERROR set then). */
char *job_command_refusal(Job *job, GError **error);

/* listcmd.c: commands a member sends to the list itself, about no case. */
/* TRUE when the member's mail starts with a command that is about the list
 * (#release), not a case: it is a command mail, it opens no case. The
 * commands are kept in job->cmds. */
gboolean job_is_list_command(Job *job);
/* The command mail's commands checked (the list's rule for signed
 * commands, each item held on this list): what may be released is kept in
 * job->releases for after the commit, what is refused is told to the team. */
gboolean job_list_commands(Job *job, GError **error);
/* After the commit: each release job->releases asked for, through the
 * delivery path (release.c); a failure is logged, the item stays held. */
void job_release_requested(Job *job);

#endif
