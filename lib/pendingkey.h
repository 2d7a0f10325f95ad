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

KeyOfferVerdict pendingkey_verdict(const KeyOffer *offer, const char **why);
gboolean pendingkey_hold(Db *db, const char *list, const char *address, const char *fpr,
                         GBytes *keydata, const char *case_id, sqlite3_int64 message,
                         const char *reason, const char *now, gboolean *is_new, GError **error);
gboolean pendingkey_forget(Db *db, const char *list, const char *address, const char *fpr,
                           GError **error);
/* The held keys of LIST, oldest first; with FPR only those of that key. */
GPtrArray *pendingkey_list(Db *db, const char *list, const char *fpr, GError **error);
gboolean pendingkey_accept(Db *db, const char *state_dir, const char *list, const PendingKey *key,
                           const char *now, char **old_fpr, GError **error);
/* A member's "#key accept FINGERPRINT [ADDRESS]" or "#key drop ...": FALSE
 * only on an error; otherwise *DONE (what changed) or *WHY (the refusal). */
gboolean pendingkey_command(Db *db, const char *state_dir, const char *list, const char *arg,
                            const char *now, char **done, char **why, GError **error);
char *pendingkey_normalize_fpr(const char *text);
void pendingkey_free(PendingKey *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PendingKey, pendingkey_free)

#endif
