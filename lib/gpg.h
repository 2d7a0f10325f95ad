/* gpg.h - GPGME contexts bound to one GnuPG home each, and what embargo asks of keys. */
#ifndef EMBARGO_GPG_H
#define EMBARGO_GPG_H

#include <glib.h>
#include <gpgme.h>

#define EMBARGO_GPG_ERROR (embargo_gpg_error_quark())
GQuark embargo_gpg_error_quark(void);

typedef enum {
	GPG_ERROR_TRANSIENT, /* the engine or its agent failed: try again later */
	GPG_ERROR_FAILED,    /* the data or the key is wrong: trying again changes nothing */
} GpgErrorCode;

/* Bound to HOME until the next call for another home: take it again right
 * before each operation (gpg.c says why). Borrowed: the process keeps one
 * per home, never released by the caller. NULL with ERROR set on failure. */
gpgme_ctx_t gpg_ctx_new(const char *home, GError **error);
/* Sets ERROR from ERR (transient or failed) with WHAT; always FALSE. */
gboolean gpg_fail(GError **error, gpgme_error_t err, const char *what);
/* Releases DATA (taken) and returns its contents; caller g_bytes_unrefs. Never NULL. */
GBytes *gpg_data_bytes(gpgme_data_t data);
/* A copy of BYTES / of LEN bytes at DATA as GPGME data; caller releases
 * with gpgme_data_release. NULL with ERROR set on failure. */
gpgme_data_t gpg_data_from_bytes(GBytes *bytes, GError **error);
gpgme_data_t gpg_data_from_mem(const void *data, gsize len, GError **error);

/* When the key can encrypt, as far as its own flags say: the latest expiry
 * of a usable encryption subkey bounded by the primary key's; 0 for never.
 * FALSE (*EXPIRES untouched): it cannot encrypt now. */
gboolean gpg_key_can_encrypt_until(gpgme_key_t key, gint64 *expires);
/* TRUE when a valid user id of KEY has the email ADDRESS (any case). */
gboolean gpg_key_has_address(gpgme_key_t key, const char *address);
/* EXPIRES (Unix seconds) as a UTC ISO time; caller g_frees. NULL for 0 (never) or out of range. */
char *gpg_expiry_iso(gint64 expires);

G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gpgme_data_t, gpgme_data_release, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC(gpgme_key_t, gpgme_key_unref, NULL)

#endif
