/* teammail.h - short mails from a list to its own team (or to a few named
 * readers): command confirmations, reminders, agendas, notices, pre-release
 * drafts. Queued in the outbox inside the caller's transaction, written by
 * outmail.c and sealed by seal.c's rule for their audience. */
#ifndef EMBARGO_TEAMMAIL_H
#define EMBARGO_TEAMMAIL_H

#include "config.h"
#include "db.h"

typedef struct {
	const char *case_id;      /* NULL: about no single case */
	sqlite3_int64 cause;      /* the incoming message behind it, 0 for none */
	const char *kind;         /* outbox kind: confirm, reminder, agenda, prerelease, ... */
	const char *subject;      /* tagged with [CASE] here when case_id is set */
	const char *text;         /* the whole body, UTF-8 */
	GDateTime *now;
	const char *except;       /* a member left out (the one who wrote), or NULL */
	char **recipients;        /* NULL: every member of the list */
	char **recipient_fprs;    /* with recipients: each one's key fingerprint, "" for none */
	const char *enc_home;     /* with recipients: the GnuPG home holding those keys */
	gboolean notice;          /* an automatic notice: the null return path (outmail.h) */
	gboolean never_plain;     /* readers without a usable key get nothing, whatever
	                           * keyless_members says (mail for outside the team:
	                           * needs recipients, recipient_fprs and enc_home) */
} TeamMail;

/* Queues the mail; *QUEUED (if not NULL) counts the outbox rows written.
 * FALSE with ERROR on a database error or a sealing error, returned as it
 * is (seal_queue): the caller decides whether it defers. */
gboolean teammail_queue(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                        const TeamMail *mail, guint *queued, GError **error);

#endif
