/* protect.h - the OpenPGP steps of one delivery: opening what came in, sealing what goes out. */
#ifndef EMBARGO_PROTECT_H
#define EMBARGO_PROTECT_H

#include "compose.h"
#include "config.h"
#include "crypto-in.h"
#include "db.h"
#include "inmsg.h"

typedef struct {
	char *list_fpr;         /* NULL: the list has no key, and mail stays plain as before */
	char *list_home;
	char *members_home;
	char *reporters_home;
	gboolean from_member;
	CryptoIn in;
	char *encryption_text;  /* the summary's lines */
	char *signature_text;
	char *ack_note;
	char *on_file;          /* the sender's key on file as the mail came, expired or not */
	char *offered_fpr;      /* a key the mail offered for its sender, fit for use (pendingkey.c) */
	gboolean offered_imported; /* ... imported into the reporters' home before the transaction */
	char *outer_subject;    /* the subject outside the encryption, when the inner one replaced it */
} Protect;

gboolean protect_open(Db *db, const EmbargoConfig *config, const EmbargoList *list, InMessage *in,
                      const char *envelope_from, Protect *p, GError **error);
gboolean protect_store(Db *db, const EmbargoList *list, const InMessage *in, Protect *p,
                       sqlite3_int64 message, const char *now_iso, GError **error);
gboolean protect_keep_key(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                          const InMessage *in, Protect *p, gboolean opens_case,
                          const char *case_id, sqlite3_int64 message, GDateTime *now,
                          guint *queued, GError **error);
void protect_ctx(const Protect *p, ComposeCtx *ctx);
void protect_clear(Protect *p);

#endif
