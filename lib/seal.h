/* seal.h - the one sealing rule for every mail embargo sends, by audience
 * (outmail.h): which readers get it encrypted, which in the clear, which
 * not at all; and the queueing of what comes out. */
#ifndef EMBARGO_SEAL_H
#define EMBARGO_SEAL_H

#include "config.h"
#include "db.h"
#include "outmail.h"

/* Writes the mail of H to TO. SEALED: it will be encrypted (a mail that
 * goes out in the clear may have to say less). NULL without ERROR: nothing
 * is to be sent; NULL with ERROR: the queueing fails with it. Caller
 * unrefs what it returns. */
typedef GMimeMessage *(*SealBuild)(gpointer data, const OutHead *h, char **to, gboolean sealed,
                                   GError **error);

typedef struct {
	const OutHead *head;
	char **to;              /* NULL (TEAM only): every member but EXCEPT */
	const char *except;
	char **to_fprs;         /* READERS: each reader's key, "" for none ... */
	const char *enc_home;   /* ... in this GnuPG home */
	const char *text;       /* the body, a text/plain part, when BUILD is NULL */
	SealBuild build;
	gpointer data;
	gsize size_hint;        /* about how large one copy is, 0: small */
} SealMail;

/* Queues SM in the outbox inside the caller's transaction, sealed by the
 * rule of its audience on a list with a key:
 *   TEAM      one mail encrypted to every member with a usable key; members
 *             without one skipped, or sent a plain copy where the list says
 *             keyless_members = plain;
 *   READERS   encrypted to each reader with a usable key; never in the clear;
 *   REPORTER, STRANGER
 *             encrypted when we hold a usable key of the address, in the
 *             clear otherwise.
 * Keys are first taken at the database's word; when gpg refuses one, each
 * is checked and the mail sealed again for those that can encrypt. On a
 * list without a key everything is plain, but READERS get nothing.
 * Keyrings are those under STATE_DIR. *QUEUED (if not NULL) counts the rows
 * written. FALSE with ERROR: a
 * database or gpg error (GPG_ERROR_TRANSIENT: try again later; any other:
 * this mail cannot be sealed, nothing of it was queued but rows already
 * written for other readers). */
gboolean seal_queue(Db *db, const char *state_dir, const SealMail *sm, guint *queued,
                    GError **error);

/* Splits TEAM into members with a usable key (KEYED, with their FPRS) and
 * the rest (KEYLESS), by the members' table; MEMBERS_HOME NULL takes the
 * table's word, otherwise each key is checked there. Caller frees the three
 * with g_strfreev. FALSE with ERROR on a database or gpg error. */
gboolean seal_split_team(Db *db, const EmbargoList *list, const char *members_home, char **team,
                         const char *now_iso, char ***keyed, char ***fprs, char ***keyless,
                         GError **error);

#endif
