/* crypto-out.h - sealing outgoing mail: PGP/MIME, signed by the list, encrypted to its readers. */
#ifndef EMBARGO_CRYPTO_OUT_H
#define EMBARGO_CRYPTO_OUT_H

#include <glib.h>

#include "gmime-autoptr.h"

typedef struct {
	const char *list_home;   /* signs, with list_fpr */
	const char *list_fpr;
	const char *enc_home;    /* holds the recipients' public keys */
} SealKeys;

char **crypto_out_usable(const char *home, char **fprs, GError **error);
gboolean crypto_out_split(const char *home, char **readers, char **want, char ***keyed,
                          char ***fprs, char ***keyless, GError **error);
/* Seals M in place (see crypto-out.c); FALSE with ERROR, and M unchanged,
 * when it cannot; *UNUSABLE (caller frees with g_strfreev) names the keys
 * gpg refused, if any. */
gboolean crypto_out_seal_message(const SealKeys *keys, char **fprs, const char *outer_subject,
                                 GMimeMessage *m, char ***unusable, GError **error);

#endif
