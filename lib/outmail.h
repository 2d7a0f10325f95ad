/* outmail.h - the one writer of embargo's outgoing mail: the headers every
 * mail carries, decided by who it is for (its audience), and the single
 * rendering of a finished mail into an outbox row. seal.h decides, by the
 * same audience, whether and to which keys it is encrypted. */
#ifndef EMBARGO_OUTMAIL_H
#define EMBARGO_OUTMAIL_H

#include "config.h"
#include "db.h"
#include "gmime-autoptr.h"

/* How a mail marked with a spam verdict (OutHead.spam) shows it. */
#define OUTMAIL_SPAM_TAG "[spam?]"
#define OUTMAIL_SPAM_HEADER "X-Embargo-Spam"

typedef enum {
	AUDIENCE_TEAM,     /* the list's members */
	AUDIENCE_READERS,  /* a pre-release list's readers: outside the team, never in the clear */
	AUDIENCE_REPORTER, /* the reporter of a case, about that case */
	AUDIENCE_STRANGER, /* whoever sent the mail being answered automatically (RFC 3834) */
} Audience;

typedef enum {
	OUT_WRITTEN,  /* written by embargo about the team's work: a confirmation, a
	               * reminder, a draft, a reporter's update */
	OUT_NOTICE,   /* an automatic notice or reply that nothing may answer, not
	               * even a bounce: the null return path */
	OUT_RELAYED,  /* a person's mail passed on: the team's copy, an answer */
} OutPurpose;

typedef struct {
	const EmbargoList *list;
	Audience audience;
	const char *kind;         /* the outbox kind: ack, team-copy, notice, confirm, ... */
	const char *case_id;      /* NULL: about no single case */
	sqlite3_int64 cause;      /* the incoming message behind it, 0 for none */
	OutPurpose purpose;
	const char *from_name;    /* the From display name; NULL: the list's name */
	const char *subject;      /* tagged with [CASE] here when case_id is set */
	const char *in_reply_to;  /* a Message-ID without brackets, or NULL */
	GDateTime *now;
	const char *spam;         /* a spam verdict to mark the mail with ("rspamd: reject,
	                           * score 15.00"): "[spam?]" in the subject and the
	                           * X-Embargo-Spam field; NULL: unmarked */
} OutHead;

/* The subject H's mail carries: H->subject with the [CASE] tag in front
 * unless it already has it, and "[spam?]" after it when H->spam is set.
 * Caller frees with g_free. */
char *outmail_subject(const OutHead *h);
/* SUBJECT with the "[CASE_ID]" tag in front unless it already carries it.
 * Caller frees with g_free. */
char *outmail_tagged_subject(const char *case_id, const char *prefix, const char *subject);
/* The envelope sender of H's mail: "" (the null return path) for notices
 * and for every automatic reply to a stranger; the case's bounce address for
 * other mail to a reporter; the list for other mail to the team or readers.
 * Caller frees with g_free. */
char *outmail_envelope(const OutHead *h);
/* A new message to TO from the list with every header H's audience gets
 * (loop header, Auto-Submitted, List-Id, Reply-To, ...), SUBJECT and
 * MESSAGE_ID (without brackets); its body is the caller's to set. Caller
 * unrefs. */
GMimeMessage *outmail_message(const OutHead *h, char **to, const char *subject,
                              const char *message_id);
/* A text/plain part holding TEXT (UTF-8). Caller unrefs. */
GMimeObject *outmail_text(const char *text);
/* M's bytes, written once; SIZE_HINT: about how large they are (0: small).
 * Caller unrefs. */
GBytes *outmail_render(GMimeMessage *m, gsize size_hint);

#endif
