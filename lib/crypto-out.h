/* crypto-out.h - sealing one outgoing message: PGP/MIME, signed by the list, encrypted to its
 * readers. Whom to seal for is seal.h's rule. */
#ifndef EMBARGO_CRYPTO_OUT_H
#define EMBARGO_CRYPTO_OUT_H

#include <glib.h>

#include "gmime-autoptr.h"

typedef struct {
	const char *list_home;   /* signs, with list_fpr */
	const char *list_fpr;
	const char *enc_home;    /* holds the recipients' public keys */
} SealKeys;

/* The fingerprints of FPRS whose keys in HOME can encrypt now; caller frees
 * with g_strfreev (empty: none). NULL with ERROR when gpg fails. */
char **crypto_out_usable(const char *home, char **fprs, GError **error);
/* READERS split by their keys WANT[i] ("" none) into KEYED with FPRS and
 * KEYLESS (caller frees the three with g_strfreev); HOME NULL takes WANT at
 * its word. FALSE with ERROR when gpg fails. */
gboolean crypto_out_split(const char *home, char **readers, char **want, char ***keyed,
                          char ***fprs, char ***keyless, GError **error);
/* Seals M in place (see crypto-out.c); FALSE with ERROR, and M unchanged,
 * when it cannot; *UNUSABLE (caller frees with g_strfreev) names the keys
 * gpg refused, if any. */
gboolean crypto_out_seal_message(const SealKeys *keys, char **fprs, const char *outer_subject,
                                 GMimeMessage *m, char ***unusable, GError **error);

#endif
