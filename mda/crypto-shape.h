/* crypto-shape.h - private to mda/crypto-in.c: the shapes of OpenPGP mail
 * that are not what they first look like. */
#ifndef EMBARGO_CRYPTO_SHAPE_H
#define EMBARGO_CRYPTO_SHAPE_H

#include "gmime-autoptr.h"

/* TRUE when ROOT is PGP/MIME as Exchange rewrites it (multipart/mixed of
 * an empty text/plain part, an application/pgp-encrypted "Version: 1"
 * part and an application/octet-stream part with the armored message);
 * *PAYLOAD (borrowed from ROOT) is that last part. Only that exact shape. */
gboolean crypto_shape_exchange(GMimeObject *root, GMimePart **payload);

/* The key ids (16 upper-case hex digits) of every secret key and subkey in
 * HOME, in a new array the caller unrefs; HOME NULL: none. NULL with ERROR
 * set when gpg fails (a transient fault). */
GPtrArray *crypto_shape_our_keyids(const char *home, GError **error);

/* TRUE when the armored message starting at ARMOR (LEN bytes) is ours to
 * open: encrypted to one of OURS (crypto_shape_our_keyids), hiding its
 * recipient, or not encrypted at all (signed, compressed). FALSE when it
 * names only others, is encrypted to a passphrase, or is no OpenPGP data. */
gboolean crypto_shape_armor_ours(const char *armor, gsize len, const GPtrArray *ours);

#endif
