/* gpg.c - owns how embargo talks to GnuPG: one GPGME context per operation,
 * bound to one GnuPG home (the list's own, its members', its reporters'),
 * never to an inherited $GNUPGHOME, so that a key can only ever be found in
 * the keyring meant for it. GPGME finds gpg through PATH and starts it (and
 * gpg starts gpg-agent) with our environment, which the programs reduce to
 * privilege.c's allowlist at startup: no inherited PATH, GNUPGHOME or
 * GPG_AGENT_INFO reaches them. The home is then given to gpg as GNUPGHOME,
 * set here for each operation, not as GPGME's per-context home, whose
 * every setting costs a "gpg --version". Errors are sorted into transient (the engine or its agent
 * is unwell: Postfix must retry) and permanent (the data or key is bad). */
#include "gpg.h"

#include <errno.h>
#include <string.h>

G_DEFINE_QUARK(embargo-gpg-error-quark, embargo_gpg_error)

static gboolean
gpg_transient(gpgme_error_t err)
{
	switch (gpgme_err_code(err)) {
	case GPG_ERR_NO_AGENT:
	case GPG_ERR_AGENT:
	case GPG_ERR_EOF:
	case GPG_ERR_EPIPE:
	case GPG_ERR_EIO:
	case GPG_ERR_ENOSPC:
	case GPG_ERR_ENOMEM:
	case GPG_ERR_ENOENT:
	case GPG_ERR_EAGAIN:
	case GPG_ERR_EINTR:
	case GPG_ERR_TIMEOUT:
	case GPG_ERR_INV_ENGINE:
	case GPG_ERR_ENGINE_TOO_OLD:
	case GPG_ERR_LOCKED:
	case GPG_ERR_SYSTEM_ERROR:
	case GPG_ERR_ASS_GENERAL:
	case GPG_ERR_ASS_CONNECT_FAILED:
	case GPG_ERR_ASS_ACCEPT_FAILED:
	case GPG_ERR_ASS_WRITE_ERROR:
	case GPG_ERR_ASS_READ_ERROR:
	case GPG_ERR_ASS_SERVER_START:
	case GPG_ERR_FULLY_CANCELED:
	case GPG_ERR_CANCELED:
		return TRUE;
	default:
		return FALSE;
	}
}

gboolean
gpg_fail(GError **error, gpgme_error_t err, const char *what)
{
	g_set_error(error, EMBARGO_GPG_ERROR, gpg_transient(err) ? GPG_ERROR_TRANSIENT : GPG_ERROR_FAILED,
	            "gpg: %s: %s", what, gpgme_strerror(err));
	return FALSE;
}

/* The context for HOME: OpenPGP, armored output, no pinentry (keys have no
 * passphrase; a prompt would hang a delivery), nothing fetched from the
 * network. Borrowed, never released by the caller; one is kept per home
 * for the life of the process. A result read from it (a decrypt or verify
 * result) is valid only until the next operation on the same home.
 *
 * The context is bound to HOME until the next call for another home: gpg
 * finds its home in GNUPGHOME, set here, so take the context again right
 * before each operation. (GPGME's own per-context home would run
 * "gpg --version" once for every home used, three more gpg processes per
 * encrypted delivery; the process-wide engine is probed once. The programs
 * that use this are single-threaded, and sendmail gets privilege.c's
 * environment, without GNUPGHOME.) */
gpgme_ctx_t
gpg_ctx_new(const char *home, GError **error)
{
	static gsize init;
	static GHashTable *cache;
	gpgme_ctx_t ctx;
	gpgme_error_t err;

	if (g_once_init_enter(&init)) {
		/* Before anything else GPGME probes every engine it knows:
		 * gpgconf twice for its directories, then gpg, gpgsm and gpgconf
		 * for their versions, five processes on every delivery. embargo
		 * only ever runs gpg, which GPGME then finds on PATH as it would
		 * have found gpgconf, so that the probe is one "gpg --version".
		 * (GPGME calls this GnuPG-1 mode; for the gpg engine all it adds
		 * is "--use-agent", a no-op in gpg 2, when GPG_AGENT_INFO is set,
		 * which it never is here.) */
		gpgme_set_global_flag("disable-gpgconf", "1");
		gpgme_check_version(NULL);
		cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)gpgme_release);
		g_once_init_leave(&init, 1);
	}
	if (home == NULL || *home == '\0') {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "gpg: no GnuPG home given");
		return NULL;
	}
	g_setenv("GNUPGHOME", home, TRUE);
	ctx = g_hash_table_lookup(cache, home);
	if (ctx != NULL) {
		gpgme_signers_clear(ctx);
		gpgme_set_armor(ctx, 1);
		return ctx;
	}
	err = gpgme_new(&ctx);
	if (!err)
		err = gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
	if (!err)
		err = gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
	if (err) {
		gpgme_release(ctx);
		gpg_fail(error, err, "creating a context");
		return NULL;
	}
	gpgme_set_armor(ctx, 1);
	gpgme_set_offline(ctx, 1);
	gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL);
	g_hash_table_insert(cache, g_strdup(home), ctx);
	return ctx;
}

GBytes *
gpg_data_bytes(gpgme_data_t data)
{
	size_t len = 0;
	char *buf;
	GBytes *out;

	g_return_val_if_fail(data != NULL, NULL);
	buf = gpgme_data_release_and_get_mem(data, &len);
	out = g_bytes_new(buf, len);
	gpgme_free(buf);
	return out;
}

gpgme_data_t
gpg_data_from_mem(const void *data, gsize len, GError **error)
{
	gpgme_data_t d = NULL;
	gpgme_error_t err = gpgme_data_new_from_mem(&d, data, len, 1);

	if (err) {
		gpg_fail(error, err, "buffer");
		return NULL;
	}
	return d;
}

gpgme_data_t
gpg_data_from_bytes(GBytes *bytes, GError **error)
{
	gsize len;
	const void *p;

	g_return_val_if_fail(bytes != NULL, NULL);
	p = g_bytes_get_data(bytes, &len);
	return gpg_data_from_mem(p != NULL ? p : "", len, error);
}

gboolean
gpg_key_can_encrypt_until(gpgme_key_t key, gint64 *expires)
{
	gint64 best = -1, now = g_get_real_time() / G_USEC_PER_SEC;
	gpgme_subkey_t primary;

	g_return_val_if_fail(key != NULL && expires != NULL, FALSE);
	primary = key->subkeys;
	/* The flags are gpg's; the dates are checked too, since a key shown
	 * from data rather than from a keyring may not have them computed. */
	if (key->revoked || key->disabled || key->invalid || primary == NULL || primary->expired ||
	    primary->revoked || (primary->expires != 0 && primary->expires <= now))
		return FALSE;
	for (gpgme_subkey_t sk = key->subkeys; sk != NULL; sk = sk->next) {
		if (!sk->can_encrypt || sk->revoked || sk->expired || sk->disabled || sk->invalid ||
		    (sk->expires != 0 && sk->expires <= now))
			continue;
		if (sk->expires == 0) {
			best = 0;
			break;
		}
		best = MAX(best, (gint64)sk->expires);
	}
	if (best < 0)
		return FALSE;
	if (primary->expires != 0 && (best == 0 || (gint64)primary->expires < best))
		best = primary->expires;
	*expires = best;
	return TRUE;
}

gboolean
gpg_key_has_address(gpgme_key_t key, const char *address)
{
	g_return_val_if_fail(key != NULL && address != NULL, FALSE);
	for (gpgme_user_id_t uid = key->uids; uid != NULL; uid = uid->next)
		if (!uid->revoked && !uid->invalid && uid->email != NULL &&
		    g_ascii_strcasecmp(uid->email, address) == 0)
			return TRUE;
	return FALSE;
}

char *
gpg_expiry_iso(gint64 expires)
{
	g_autoptr(GDateTime) t = NULL;

	if (expires <= 0)
		return NULL;
	t = g_date_time_new_from_unix_utc(expires);
	return t != NULL ? g_date_time_format(t, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}
