/* keyring.c - owns the GnuPG homes of a list under STATE_DIR/gnupg: the
 * list's key pair (made here, without a prompt or passphrase, and never
 * leaving that home), its members' keys and its reporters' keys, each in a
 * home of its own so that a reporter's key can never vouch for a member.
 * A key offered to us is examined from the data (gpg's show-only listing)
 * before anything is imported. */
#include "keyring.h"

#include <errno.h>
#include <string.h>

#include "address.h"
#include "gpg.h"
#include "pgppackets.h"

char *
keyring_home(const char *state_dir, const char *list, KeyringKind kind)
{
	static const char *const suffix[] = { "", ".members", ".reporters", ".prerelease" };
	g_autofree char *name = NULL;

	g_return_val_if_fail(state_dir != NULL && list != NULL, NULL);
	g_return_val_if_fail((guint)kind < G_N_ELEMENTS(suffix), NULL);
	name = g_strconcat(list, suffix[kind], NULL);
	return g_build_filename(state_dir, "gnupg", name, NULL);
}

/* Creates HOME, and STATE_DIR/gnupg above it, 0700 when missing (gpg
 * warns about a home others can read). One that exists is left as it is:
 * the programs refuse an unsafe one before they get here
 * (statedir_check_tree), and only 'embargoctl init' repairs modes, so that
 * a mode someone loosened is reported rather than quietly undone. */
gboolean
keyring_ensure_home(const char *home, GError **error)
{
	if (g_mkdir_with_parents(home, 0700) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s", home,
		            g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

/* The list's home is the one whose agent holds a secret key. Its key is
 * never on a smartcard, and without this the agent starts scdaemon to
 * look for one on every signature and decryption. A gpg-agent.conf the
 * postmaster wrote is left alone. */
gboolean
keyring_quiet_agent(const char *home, GError **error)
{
	g_autofree char *conf = g_build_filename(home, "gpg-agent.conf", NULL);

	if (g_file_test(conf, G_FILE_TEST_EXISTS))
		return TRUE;
	return g_file_set_contents_full(conf, "disable-scdaemon\n", -1,
	                                G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* A new ed25519 signing key with a cv25519 encryption subkey, no
 * passphrase, no expiry; its fingerprint. */
char *
keyring_generate(const char *home, const char *name, const char *address, GError **error)
{
	gpgme_ctx_t ctx = NULL;
	g_auto(gpgme_key_t) key = NULL;
	g_autofree char *uid = NULL;
	gpgme_genkey_result_t res;
	gpgme_error_t err;
	unsigned flags = GPGME_CREATE_NOPASSWD | GPGME_CREATE_NOEXPIRE | GPGME_CREATE_FORCE;

	if (!keyring_ensure_home(home, error) || !keyring_quiet_agent(home, error))
		return NULL;
	ctx = gpg_ctx_new(home, error);
	if (ctx == NULL)
		return NULL;
	uid = name != NULL && *name != '\0' && strcmp(name, address) != 0
	          ? g_strdup_printf("%s <%s>", name, address)
	          : g_strdup_printf("<%s>", address);
	err = gpgme_op_createkey(ctx, uid, "ed25519", 0, 0, NULL,
	                         flags | GPGME_CREATE_SIGN | GPGME_CREATE_CERT);
	if (err) {
		gpg_fail(error, err, "creating the list key");
		return NULL;
	}
	res = gpgme_op_genkey_result(ctx);
	if (res == NULL || res->fpr == NULL) {
		gpg_fail(error, gpg_error(GPG_ERR_GENERAL), "creating the list key");
		return NULL;
	}
	char *fpr = g_strdup(res->fpr);
	err = gpgme_get_key(ctx, fpr, &key, 1);
	if (!err)
		err = gpgme_op_createsubkey(ctx, key, "cv25519", 0, 0, flags | GPGME_CREATE_ENCR);
	if (err) {
		g_free(fpr);
		gpg_fail(error, err, "creating the list's encryption subkey");
		return NULL;
	}
	return fpr;
}

GBytes *
keyring_export(const char *home, const char *fpr, GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(home, error);
	gpgme_data_t out = NULL;
	gpgme_error_t err;
	GBytes *bytes;

	if (ctx == NULL)
		return NULL;
	err = gpgme_data_new(&out);
	if (!err)
		err = gpgme_op_export(ctx, fpr, GPGME_EXPORT_MODE_MINIMAL, out);
	if (err) {
		gpgme_data_release(out);
		gpg_fail(error, err, "exporting the list key");
		return NULL;
	}
	bytes = gpg_data_bytes(out);
	if (g_bytes_get_size(bytes) == 0) {
		g_bytes_unref(bytes);
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "gpg: no key %s in %s", fpr, home);
		return NULL;
	}
	return bytes;
}

void
keycheck_clear(KeyCheck *check)
{
	g_return_if_fail(check != NULL);
	g_clear_pointer(&check->fingerprint, g_free);
}

/* "expired, revoked", or NULL when nothing is wrong with the key. */
char *
keycheck_problems(const KeyCheck *check)
{
	g_autoptr(GPtrArray) p = g_ptr_array_new();

	if (check->revoked)
		g_ptr_array_add(p, "the key is revoked");
	if (check->expired)
		g_ptr_array_add(p, "the key has expired");
	if (check->cannot_encrypt && !check->revoked && !check->expired)
		g_ptr_array_add(p, "the key has no usable encryption subkey");
	if (check->no_address)
		g_ptr_array_add(p, "no user id of the key is the address");
	if (p->len == 0)
		return NULL;
	g_ptr_array_add(p, NULL);
	return g_strjoinv("; ", (char **)p->pdata);
}

/* Looks at the one key in KEYDATA without importing it. FALSE (with ERROR)
 * when the data holds no key, several, or gpg fails. */
gboolean
keyring_check(const char *home, GBytes *keydata, const char *address, KeyCheck *check,
              GError **error)
{
	gpgme_ctx_t ctx = NULL;
	g_auto(gpgme_data_t) data = NULL;
	gpgme_key_t key = NULL;
	gpgme_error_t err;

	g_return_val_if_fail(check != NULL && keydata != NULL, FALSE);
	memset(check, 0, sizeof *check);
	if (g_bytes_get_size(keydata) > KEYRING_MAX_KEY_BYTES) {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "the key data is larger than %d bytes",
		            KEYRING_MAX_KEY_BYTES);
		return FALSE;
	}
	/* gpg would decompress a compressed packet in it without a bound. */
	{
		g_autofree char *why = NULL;
		gsize len;
		const guint8 *p = g_bytes_get_data(keydata, &len);
		if (!pgp_packets_check(p, len, PGP_PACKETS_KEY, &why)) {
			g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED,
			            "the key data holds %s: not a plain OpenPGP key", why);
			return FALSE;
		}
	}
	if (!keyring_ensure_home(home, error) || (ctx = gpg_ctx_new(home, error)) == NULL ||
	    (data = gpg_data_from_bytes(keydata, error)) == NULL)
		return FALSE;
	err = gpgme_op_keylist_from_data_start(ctx, data, 0);
	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		gint64 until = 0;
		check->nkeys++;
		if (check->nkeys == 1) {
			check->fingerprint = g_strdup(key->fpr);
			check->revoked = key->revoked || (key->subkeys != NULL && key->subkeys->revoked);
			check->expired = key->expired ||
			                 (key->subkeys != NULL && key->subkeys->expires != 0 &&
			                  key->subkeys->expires <= g_get_real_time() / G_USEC_PER_SEC);
			check->cannot_encrypt = !gpg_key_can_encrypt_until(key, &until);
			/* A key taken with --force keeps the date it expired on. */
			if (check->cannot_encrypt)
				for (gpgme_subkey_t sk = key->subkeys; sk != NULL; sk = sk->next)
					if (sk->expires != 0 && (until == 0 || (gint64)sk->expires < until))
						until = sk->expires;
			check->expires = until;
			check->no_address = address != NULL && !gpg_key_has_address(key, address);
			/* An encryption subkey that expired is an expired key to the postmaster. */
			if (check->cannot_encrypt && !check->revoked && !check->expired)
				for (gpgme_subkey_t sk = key->subkeys; sk != NULL; sk = sk->next)
					if (sk->can_encrypt && !sk->revoked &&
					    (sk->expired || (sk->expires != 0 &&
					                     sk->expires <= g_get_real_time() / G_USEC_PER_SEC)))
						check->expired = TRUE;
		}
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF)
		return gpg_fail(error, err, "reading the key");
	if (check->nkeys != 1) {
		if (check->nkeys == 0)
			g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "no OpenPGP key found in the data");
		else
			g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED,
			            "the data holds %u keys; give exactly one", check->nkeys);
		keycheck_clear(check);
		return FALSE;
	}
	return TRUE;
}

gboolean
keyring_import(const char *home, GBytes *keydata, GError **error)
{
	gpgme_ctx_t ctx = NULL;
	g_auto(gpgme_data_t) data = NULL;
	gpgme_import_result_t res;
	gpgme_error_t err;

	if (!keyring_ensure_home(home, error) || (ctx = gpg_ctx_new(home, error)) == NULL ||
	    (data = gpg_data_from_bytes(keydata, error)) == NULL)
		return FALSE;
	err = gpgme_op_import(ctx, data);
	if (err)
		return gpg_fail(error, err, "importing the key");
	res = gpgme_op_import_result(ctx);
	if (res == NULL || res->considered == 0 || res->not_imported > 0)
		return gpg_fail(error, gpg_error(GPG_ERR_NO_PUBKEY), "importing the key");
	return TRUE;
}

/* The fingerprint of a key in HOME that can encrypt now and has a user id
 * for ADDRESS; NULL (ERROR unset) when there is none. */
char *
keyring_find_address(const char *home, const char *address, GError **error)
{
	gpgme_ctx_t ctx;
	gpgme_key_t key;
	gpgme_error_t err;
	g_autofree char *pattern = g_strdup_printf("<%s>", address);
	char *found = NULL;

	if (!g_file_test(home, G_FILE_TEST_IS_DIR))
		return NULL;
	if ((ctx = gpg_ctx_new(home, error)) == NULL)
		return NULL;
	err = gpgme_op_keylist_start(ctx, pattern, 0);
	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		gint64 until;
		if (found == NULL && key->fpr != NULL && gpg_key_can_encrypt_until(key, &until))
			found = g_strdup(key->fpr);
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF) {
		g_free(found);
		gpg_fail(error, err, "listing pre-release readers' keys");
		return NULL;
	}
	return found;
}

/* How the key FPR in HOME can encrypt now, after an import merged what was
 * offered with what HOME held: gpg goes by the newest self-signatures, so a
 * stale copy of a key (with an earlier expiry) changes nothing here, where
 * the offered data alone would have. FALSE (ERROR set) when HOME has no
 * such key; *EXPIRES 0 for never, *USABLE FALSE when it cannot encrypt. */
gboolean
keyring_key_expiry(const char *home, const char *fpr, gint64 *expires, gboolean *usable,
                   GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(home, error);
	gpgme_key_t key = NULL;
	gboolean found = FALSE;
	gpgme_error_t err;

	g_return_val_if_fail(fpr != NULL && expires != NULL && usable != NULL, FALSE);
	*expires = 0;
	*usable = FALSE;
	if (ctx == NULL)
		return FALSE;
	err = gpgme_op_keylist_start(ctx, fpr, 0);
	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		if (!found && key->fpr != NULL && g_ascii_strcasecmp(key->fpr, fpr) == 0) {
			found = TRUE;
			*usable = gpg_key_can_encrypt_until(key, expires);
		}
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF)
		return gpg_fail(error, err, "listing a reporter's key");
	if (!found) {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "gpg: no key %s in %s", fpr, home);
		return FALSE;
	}
	return TRUE;
}
