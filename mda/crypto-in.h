/* crypto-in.h - what OpenPGP protection an incoming message had, and what it says once opened. */
#ifndef EMBARGO_CRYPTO_IN_H
#define EMBARGO_CRYPTO_IN_H

#include "gmime-autoptr.h"
#include "inmsg.h"

typedef enum {
	SIG_NONE,
	SIG_GOOD,          /* not RED, the key known: gpg's VALID needs certified keys, we pin instead */
	SIG_BAD,
	SIG_UNKNOWN_KEY,
	SIG_EXPIRED_KEY,
	SIG_REVOKED_KEY,
	SIG_SMIME_UNVERIFIED, /* an S/MIME signature: not checked, so neither good nor bad */
} SigStatus;

typedef struct {
	const char *list_home;    /* the list's own GnuPG home: decrypts */
	const char *verify_home;  /* members' or reporters' home: verifies */
	const char *list_fpr;     /* the list key; NULL when the list has none */
	guint64 max_plain;        /* most bytes gpg may write for one operation; 0: the default */
	guint max_seconds;        /* most processor seconds gpg may use for one operation; 0: the default */
} CryptoHomes;

/* max_decrypted_size when neither it nor the list's max_message_size is set. */
#define CRYPTO_DEFAULT_MAX_PLAIN (G_GUINT64_CONSTANT(4) * 10240000)
/* decrypt_time_limit's default (when time_limit allows it). */
#define CRYPTO_DEFAULT_MAX_SECONDS 60

typedef struct {
	gboolean encrypted;        /* encrypted to us and decrypted */
	char *decrypt_error;       /* encrypted, and could not be decrypted: why */
	gboolean too_large;        /* ... because it decrypts to more than max_plain */
	gboolean too_slow;         /* ... because gpg needed more than max_seconds of processor time */
	SigStatus sig;
	char *signer;              /* primary fingerprint, or what gpg named when the key is unknown */
	gboolean sig_partial;      /* the signature covers only part of the message */
	gboolean unprotected_removed; /* parts outside the encryption were dropped */
	gboolean exchange_repaired; /* PGP/MIME that Exchange rewrote as multipart/mixed */
	gboolean foreign_armor;    /* the text's armored messages are not for the list's keys */
	GMimeObject *body;         /* what the team sees instead of the body; NULL: the body itself */
	char *inner_subject;       /* the protected Subject, when there is one */
	GBytes *sender_key;        /* an attached key or Autocrypt keydata from the sender */
	gboolean sender_key_signed; /* it was an attached key inside what a good signature covers */
} CryptoIn;

gboolean crypto_in_open(const CryptoHomes *homes, const InMessage *in, CryptoIn *out,
                        GError **error);
void crypto_in_clear(CryptoIn *c);
const char *crypto_sig_name(SigStatus s);

#endif
