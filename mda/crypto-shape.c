/* crypto-shape.c - owns recognising OpenPGP mail by its shape before
 * anything is decrypted: PGP/MIME that Microsoft Exchange rewrote into
 * multipart/mixed (repaired as Thunderbird does, for that exact shape
 * only), and armored messages in text that are not ours to decrypt at all
 * - a report quoting someone else's encrypted mail is a plain report, not
 * a failed decryption. Which key a message is for is read from its
 * session key packets (pgppackets.c); nothing here decrypts. */
#include "crypto-shape.h"

#include <string.h>

#include "crypto-gpg.h"
#include "gpg.h"
#include "pgppackets.h"

static gboolean
shape_is(GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return GMIME_IS_PART(obj) && ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

static GBytes *
shape_text(GMimeObject *obj)
{
	return crypto_part_content(GMIME_PART(obj));
}

gboolean
crypto_shape_exchange(GMimeObject *root, GMimePart **payload)
{
	GMimeMultipart *mp;
	GMimeObject *first, *version, *data;
	g_autoptr(GBytes) b0 = NULL;
	g_autoptr(GBytes) b1 = NULL;
	g_autoptr(GBytes) b2 = NULL;
	const char *p;
	gsize n;

	*payload = NULL;
	if (!GMIME_IS_MULTIPART(root) || GMIME_IS_MULTIPART_ENCRYPTED(root) ||
	    GMIME_IS_MULTIPART_SIGNED(root) ||
	    !g_mime_content_type_is_type(g_mime_object_get_content_type(root), "multipart", "mixed"))
		return FALSE;
	mp = GMIME_MULTIPART(root);
	if (g_mime_multipart_get_count(mp) != 3)
		return FALSE;
	first = g_mime_multipart_get_part(mp, 0);
	version = g_mime_multipart_get_part(mp, 1);
	data = g_mime_multipart_get_part(mp, 2);
	if (!shape_is(first, "text", "plain") || !shape_is(version, "application", "pgp-encrypted") ||
	    !shape_is(data, "application", "octet-stream"))
		return FALSE;
	/* The first part is the empty body Exchange adds: any text in it would
	 * be outside the encryption, and this is then not the mangled shape. */
	b0 = shape_text(first);
	p = g_bytes_get_data(b0, &n);
	for (gsize i = 0; i < n; i++)
		if (!g_ascii_isspace(p[i]))
			return FALSE;
	b1 = shape_text(version);
	p = g_bytes_get_data(b1, &n);
	if (p == NULL || g_strstr_len(p, n, "Version: 1") == NULL)
		return FALSE;
	b2 = shape_text(data);
	p = g_bytes_get_data(b2, &n);
	if (p == NULL || g_strstr_len(p, n, "-----BEGIN PGP MESSAGE-----") == NULL)
		return FALSE;
	*payload = GMIME_PART(data);
	return TRUE;
}

GPtrArray *
crypto_shape_our_keyids(const char *home, GError **error)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	gpgme_ctx_t ctx;
	gpgme_key_t key;
	gpgme_error_t err;

	if (home == NULL)
		return g_steal_pointer(&ids);
	if ((ctx = gpg_ctx_new(home, error)) == NULL)
		return NULL;
	err = gpgme_op_keylist_start(ctx, NULL, 1);
	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		for (gpgme_subkey_t sk = key->subkeys; sk != NULL; sk = sk->next)
			if (sk->keyid != NULL)
				g_ptr_array_add(ids, g_ascii_strup(sk->keyid, -1));
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF) {
		gpg_fail(error, err, "listing the list's keys");
		return NULL;
	}
	return g_steal_pointer(&ids);
}

gboolean
crypto_shape_armor_ours(const char *armor, gsize len, const GPtrArray *ours)
{
	g_autofree char *why = NULL;
	gboolean encrypted = FALSE, anonymous = FALSE;
	g_autoptr(GPtrArray) to =
		pgp_packets_recipients((const guint8 *)armor, len, &encrypted, &anonymous, &why);

	if (to == NULL)
		return FALSE;
	/* Signed or compressed, not encrypted: for gpg to open and verify, as
	 * before; only encryption is addressed to someone. */
	if (!encrypted || anonymous)
		return TRUE;
	for (guint i = 0; i < to->len; i++)
		for (guint j = 0; j < ours->len; j++)
			if (strcmp(to->pdata[i], ours->pdata[j]) == 0)
				return TRUE;
	return FALSE;
}
