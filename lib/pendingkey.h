/* pendingkey.h - OpenPGP keys offered by mail for a reporter's address:
 * which one the mail's word is enough for, and the others, held until a
 * member accepts one. */
#ifndef EMBARGO_PENDINGKEY_H
#define EMBARGO_PENDINGKEY_H

#include "db.h"

typedef enum {
	KEYOFFER_TAKE,    /* it becomes the address's key on file */
	KEYOFFER_REFRESH, /* it is the key on file: merged, its expiry read again */
	KEYOFFER_HOLD,    /* kept aside; the team is told and may accept it */
} KeyOfferVerdict;

typedef struct {
	const char *on_file;        /* the address's fingerprint on file, expired or not; NULL: none */
	const char *offered;        /* the offered key's fingerprint */
	gboolean signed_by_on_file; /* a good signature by ON_FILE covers the part that carried the key */
	gboolean opens_case;        /* the mail is the report that opened a case */
	gboolean other_cases;       /* the address reported other cases on the list before */
} KeyOffer;

typedef struct {
	sqlite3_int64 id;
	char *address;
	char *fingerprint;
	char *case_id;    /* NULL: offered by a mail on no case */
	char *reason;
	char *offered_at;
	GBytes *keydata;
} PendingKey;

/* What to do with OFFER; *WHY (static) says why a key is held, NULL otherwise. */
KeyOfferVerdict pendingkey_verdict(const KeyOffer *offer, const char **why);
/* Holds FPR's KEYDATA for ADDRESS, inside an open transaction; *IS_NEW is
 * FALSE when it was held already (then nothing changes). FALSE with ERROR set. */
gboolean pendingkey_hold(Db *db, const char *list, const char *address, const char *fpr,
                         GBytes *keydata, const char *case_id, sqlite3_int64 message,
                         const char *reason, const char *now, gboolean *is_new, GError **error);
/* Forgets the held key FPR of ADDRESS (all of ADDRESS's with FPR NULL);
 * nothing held is no error. FALSE with ERROR set. */
gboolean pendingkey_forget(Db *db, const char *list, const char *address, const char *fpr,
                           GError **error);
/* The held keys of LIST, oldest first; with FPR only those of that key
 * (PendingKey *, caller unrefs); empty when none, NULL only on an error. */
GPtrArray *pendingkey_list(Db *db, const char *list, const char *fpr, GError **error);
/* Makes KEY its address's key on file; *OLD_FPR (caller g_frees) the key
 * it replaces, NULL: none. FALSE with ERROR set (EMBARGO_GPG_ERROR,
 * GPG_ERROR_FAILED: the key is refused). */
gboolean pendingkey_accept(Db *db, const char *state_dir, const char *list, const PendingKey *key,
                           const char *now, char **old_fpr, GError **error);
/* A member's "#key accept FINGERPRINT [ADDRESS]" or "#key drop ...": FALSE
 * only on an error; otherwise *DONE (what changed) or *WHY (the refusal). */
gboolean pendingkey_command(Db *db, const char *state_dir, const char *list, const char *arg,
                            const char *now, char **done, char **why, GError **error);
/* Upper-case hex of a fingerprint written by a person (caller g_frees);
 * NULL when TEXT is not a v4 or v5 fingerprint. */
char *pendingkey_normalize_fpr(const char *text);
/* NULL is a no-op. */
void pendingkey_free(PendingKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PendingKey, pendingkey_free)

#endif
