/* casehistory.h - what a case's record holds, as it is listed for people
 * ("embargoctl case show"): its messages and its event log. */
#ifndef EMBARGO_CASEHISTORY_H
#define EMBARGO_CASEHISTORY_H

#include "db.h"

/* One stored message of a case. Strings are owned, NULL when unset. */
typedef struct {
	gint64 id;
	char *from_addr;
	char *envelope_from;
	char *kind;
	char *received_at;
	char *message_id;
	char *subject;
	char *problem;
	char *recipient;
	gboolean encrypted;
	char *signature;      /* crypto_sig_name()'s words */
	char *signer;
	gboolean sig_partial;
} CaseMessage;

/* One entry of a case's event log. Strings are owned, NULL when unset. */
typedef struct {
	char *at;
	char *actor;
	char *what;
	char *detail;
	gboolean has_message; /* FALSE: the event names no message */
	gint64 message;
} CaseEvent;

void case_message_free(CaseMessage *m);
void case_event_free(CaseEvent *e);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CaseMessage, case_message_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(CaseEvent, case_event_free)

/* The messages of case CASE_ID in the order they came. TRUE with *OUT a
 * new array of CaseMessage (caller unrefs; empty: none); FALSE with ERROR
 * on a store error, *OUT then untouched. */
gboolean casehistory_messages(Db *db, const char *case_id, GPtrArray **out, GError **error);

/* The event log of case CASE_ID, oldest first; as casehistory_messages,
 * with CaseEvent. */
gboolean casehistory_events(Db *db, const char *case_id, GPtrArray **out, GError **error);

#endif
