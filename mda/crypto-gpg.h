/* crypto-gpg.h - private to mda/crypto-*.c: decrypting and verifying
 * with gpg (crypto-gpg.c) for the MIME side that finds what to open
 * (crypto-in.c). */
#ifndef EMBARGO_CRYPTO_GPG_H
#define EMBARGO_CRYPTO_GPG_H

#include "crypto-in.h"

/* Verifies a detached signature SIG over SIGNED_DATA, or (SIGNED_DATA NULL)
 * an opaque or clear-signed message SIG, whose signed text goes to *PLAIN
 * (caller unrefs; PLAIN may be NULL). The verdict goes to OUT->sig and
 * OUT->signer. FALSE only with ERROR set: a transient fault of gpg. */
gboolean crypto_verify(const CryptoHomes *homes, GBytes *sig, GBytes *signed_data, GBytes **plain,
                       CryptoIn *out, GError **error);

/* Decrypts CIPHER in the list's home. TRUE with *PLAIN set (caller unrefs)
 * on success; TRUE with *PLAIN NULL and OUT->decrypt_error set when it
 * cannot be decrypted for good; FALSE with ERROR (transient) when trying
 * again later may work. A signature inside is verified into OUT. */
gboolean crypto_decrypt(const CryptoHomes *homes, GBytes *cipher, GBytes **plain, CryptoIn *out,
                        GError **error);

/* The decoded content of a leaf part (crypto-in.c; also read by
 * textpart.c); never NULL, the caller unrefs it. */
GBytes *crypto_part_content(GMimePart *part);

#endif
