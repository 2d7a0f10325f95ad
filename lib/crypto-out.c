/* crypto-out.c - turns an outgoing message into RFC 3156 PGP/MIME: its body,
 * with the real headers repeated inside as protected headers ("v1"), is
 * signed by the list key (multipart/signed, in the list's home) and then
 * encrypted in ONE operation to every recipient's key (in the home of their
 * keys), so a copy to ten members costs one gpg run, not ten. The outside
 * keeps only what transport needs and a subject that names the case alone.
 *
 * Keys are chosen by the fingerprints the database pins, never by address;
 * they are trusted because the postmaster imported them (always-trust).
 * Sealing asks gpg for nothing but the signature and the encryption: two
 * gpg runs. The signing key and the recipients' keys live in different
 * homes, so the combined signed-and-encrypted form of RFC 3156 section 6.2
 * (one run) would need one of them copied into the other's keyring. */
#include "crypto-out.h"

#include "agentsock.h"
#include "canonical.h"

#include <string.h>

#include "gmime-autoptr.h"
#include "gpg.h"

/* The fingerprints of FPRS whose keys in HOME can encrypt now: one gpg run. */
char **
crypto_out_usable(const char *home, char **fprs, GError **error)
{
	gpgme_ctx_t ctx = NULL;
	g_autoptr(GPtrArray) ok = g_ptr_array_new_with_free_func(g_free);
	gpgme_key_t key;
	gpgme_error_t err;

	if (fprs == NULL || fprs[0] == NULL) {
		g_ptr_array_add(ok, NULL);
		return (char **)g_ptr_array_free(g_steal_pointer(&ok), FALSE);
	}
	if ((ctx = gpg_ctx_new(home, error)) == NULL)
		return NULL;
	err = gpgme_op_keylist_ext_start(ctx, (const char **)fprs, 0, 0);
	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		gint64 until;
		if (key->fpr != NULL && g_strv_contains((const char *const *)fprs, key->fpr) &&
		    gpg_key_can_encrypt_until(key, &until) &&
		    !g_ptr_array_find_with_equal_func(ok, key->fpr, g_str_equal, NULL))
			g_ptr_array_add(ok, g_strdup(key->fpr));
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF) {
		gpg_fail(error, err, "listing recipients' keys");
		return NULL;
	}
	g_ptr_array_add(ok, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&ok), FALSE);
}

/* Splits READERS into those whose key (WANT[i], "" for none) in HOME can
 * encrypt now, KEYED with their FPRS, and the rest, KEYLESS. HOME NULL
 * takes WANT as the caller read it from the database (a key that could
 * encrypt when it was imported, not expired by its recorded date) without
 * asking gpg: a key that became unusable since then makes the encryption
 * fail (crypto_out_seal_to names it), and the caller splits again with the
 * home. */
gboolean
crypto_out_split(const char *home, char **readers, char **want, char ***keyed, char ***fprs,
                 char ***keyless, GError **error)
{
	g_autoptr(GPtrArray) cand = g_ptr_array_new();
	g_auto(GStrv) usable = NULL;
	GPtrArray *k, *f, *l;

	for (guint i = 0; readers[i] != NULL; i++)
		if (want[i] != NULL && *want[i] != '\0')
			g_ptr_array_add(cand, want[i]);
	g_ptr_array_add(cand, NULL);
	if (home != NULL && (usable = crypto_out_usable(home, (char **)cand->pdata, error)) == NULL)
		return FALSE;
	k = g_ptr_array_new();
	f = g_ptr_array_new();
	l = g_ptr_array_new();
	for (guint i = 0; readers[i] != NULL; i++) {
		if (want[i] != NULL && *want[i] != '\0' &&
		    (usable == NULL || g_strv_contains((const char *const *)usable, want[i]))) {
			g_ptr_array_add(k, g_strdup(readers[i]));
			g_ptr_array_add(f, g_strdup(want[i]));
		} else {
			g_ptr_array_add(l, g_strdup(readers[i]));
		}
	}
	g_ptr_array_add(k, NULL);
	g_ptr_array_add(f, NULL);
	g_ptr_array_add(l, NULL);
	*keyed = (char **)g_ptr_array_free(k, FALSE);
	*fprs = (char **)g_ptr_array_free(f, FALSE);
	*keyless = (char **)g_ptr_array_free(l, FALSE);
	return TRUE;
}

/* The public key FPR from CTX's own home, listed in CTX itself:
 * gpgme_get_key would make a context of its own and cost a "gpg --version"
 * on top of the listing. */
static gpgme_error_t
seal_find_key(gpgme_ctx_t ctx, const char *fpr, gpgme_key_t *key)
{
	gpgme_key_t k = NULL;
	gpgme_error_t err = gpgme_op_keylist_start(ctx, fpr, 0);

	*key = NULL;
	while (!err && !(err = gpgme_op_keylist_next(ctx, &k))) {
		if (*key == NULL && k->fpr != NULL && g_ascii_strcasecmp(k->fpr, fpr) == 0)
			*key = k;
		else
			gpgme_key_unref(k);
	}
	gpgme_op_keylist_end(ctx);
	if (gpgme_err_code(err) != GPG_ERR_EOF) {
		g_clear_pointer(key, gpgme_key_unref);
		return err;
	}
	return *key != NULL ? 0 : gpg_error(GPG_ERR_NO_PUBKEY);
}

/* Signing with the list key failed with ERR. The key is ours, in a home of
 * its own, and could sign when it was made: whatever keeps it from signing
 * now ("No secret key", "Unusable secret key", no agent) is the state of
 * that home, never the mail's, so the failure is always transient - the
 * mail is retried once the postmaster has mended the home, never dropped.
 * An agent that cannot start for the depth of the home is said so; its
 * socket directory is made under /run/user/UID when that can be done. */
static void
seal_sign_failed(const char *home, gpgme_error_t err, GError **error)
{
	g_autoptr(GError) why = NULL;
	const char *hint = NULL;

	if (!agentsock_fits(home, FALSE, &why) &&
	    g_error_matches(why, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG))
		hint = agentsock_fits(home, TRUE, NULL)
		               ? "the home was too deep for gpg-agent's socket; its socket "
		                 "directory is now made under /run/user: the next try may work"
		               : why->message;
	g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_TRANSIENT,
	            "gpg: signing with the list key: %s%s%s%s", gpgme_strerror(err),
	            hint != NULL ? " (" : "", hint != NULL ? hint : "", hint != NULL ? ")" : "");
}

/* A detached signature by the list key over DATA, and its micalg.
 *
 * The list's home holds one secret key, the list's, and gpg signs with it
 * when it is given none; naming it would cost a key listing on every mail.
 * Which key signed is read back from gpg's own answer: a signature by any
 * other (a default-key in gpg.conf, a second secret key) is thrown away and
 * made again with the list key named. */
static GBytes *
seal_sign(const SealKeys *keys, GBytes *data, char **micalg, GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(keys->list_home, error);
	gpgme_sign_result_t res = NULL;
	gpgme_data_t dsig = NULL;
	gpgme_error_t err = 0;

	if (ctx == NULL)
		return NULL;
	for (int named = 0; named < 2; named++) {
		g_auto(gpgme_data_t) din = gpg_data_from_bytes(data, error);
		g_auto(gpgme_key_t) key = NULL;

		if (din == NULL)
			return NULL;
		if (named) {
			err = seal_find_key(ctx, keys->list_fpr, &key);
			if (!err)
				err = gpgme_signers_add(ctx, key);
		}
		if (!err)
			err = gpgme_data_new(&dsig);
		if (!err)
			err = gpgme_op_sign(ctx, din, dsig, GPGME_SIG_MODE_DETACH);
		gpgme_signers_clear(ctx);
		if (named)
			break;
		res = err ? NULL : gpgme_op_sign_result(ctx);
		if (res != NULL && res->signatures != NULL && res->signatures->next == NULL &&
		    res->signatures->fpr != NULL &&
		    g_ascii_strcasecmp(res->signatures->fpr, keys->list_fpr) == 0)
			break;
		/* Another key, or none: what gpg says with the list key named is the answer. */
		g_clear_pointer(&dsig, gpgme_data_release);
		err = 0;
	}
	if (!err)
		res = gpgme_op_sign_result(ctx);
	if (err) {
		if (dsig != NULL)
			gpgme_data_release(dsig);
		seal_sign_failed(keys->list_home, err, error);
		return NULL;
	}
	if (res != NULL && res->signatures != NULL && gpgme_hash_algo_name(res->signatures->hash_algo))
		*micalg = g_ascii_strdown(gpgme_hash_algo_name(res->signatures->hash_algo), -1);
	else
		*micalg = g_strdup("sha256");
	return gpg_data_bytes(dsig);
}

/* DATA encrypted in one gpg run to every key of FPRS (each once: two
 * members may share a key), named to gpg by fingerprint, so that nothing is
 * listed first. When gpg refuses keys (revoked, expired, gone from the
 * keyring), *UNUSABLE (if not NULL) gets the fingerprints it named. */
static GBytes *
seal_encrypt(const SealKeys *keys, char **fprs, GBytes *data, char ***unusable, GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(keys->enc_home, error);
	g_auto(gpgme_data_t) din = NULL;
	g_autoptr(GPtrArray) unique = g_ptr_array_new();
	/* "--" first: no line after it is taken as one of GPGME's options. */
	g_autoptr(GString) recipients = g_string_new("--\n");
	gpgme_data_t dout = NULL;
	gpgme_error_t err;

	if (ctx == NULL || (din = gpg_data_from_bytes(data, error)) == NULL)
		return NULL;
	for (char **f = fprs; *f != NULL; f++) {
		/* A fingerprint is one word; anything else would be one gpg misreads. */
		if (**f == '\0' || strspn(*f, "0123456789ABCDEFabcdef") != strlen(*f)) {
			gpg_fail(error, gpg_error(GPG_ERR_INV_USER_ID), "a recipient's fingerprint");
			return NULL;
		}
		if (!g_ptr_array_find_with_equal_func(unique, *f, g_str_equal, NULL)) {
			g_ptr_array_add(unique, *f);
			g_string_append_printf(recipients, "%s\n", *f);
		}
	}
	if (unique->len == 0) {
		gpg_fail(error, gpg_error(GPG_ERR_NO_PUBKEY), "no recipient");
		return NULL;
	}
	if ((err = gpgme_data_new(&dout)) == 0)
		err = gpgme_op_encrypt_ext(ctx, NULL, recipients->str, GPGME_ENCRYPT_ALWAYS_TRUST, din,
		                           dout);
	if (err) {
		gpgme_encrypt_result_t res = gpgme_op_encrypt_result(ctx);
		if (dout != NULL)
			gpgme_data_release(dout);
		if (unusable != NULL && res != NULL && res->invalid_recipients != NULL) {
			GPtrArray *names = g_ptr_array_new();
			for (gpgme_invalid_key_t k = res->invalid_recipients; k != NULL; k = k->next)
				g_ptr_array_add(names, g_strdup(k->fpr != NULL ? k->fpr : "?"));
			g_ptr_array_add(names, NULL);
			*unusable = (char **)g_ptr_array_free(names, FALSE);
		}
		gpg_fail(error, err, "encrypting");
		return NULL;
	}
	return gpg_data_bytes(dout);
}

/* The headers a reader needs to see the mail as it was meant, inside. */
static const char *const protected_names[] = {
	"Subject", "From", "To", "Cc", "Reply-To", "Date", "Message-ID", "In-Reply-To", "References", NULL,
};

/* What sealing changes on the entity it signs, to be put back: the entity
 * may be borrowed (a member's answer is also the body of the team's copy),
 * and must leave the sealing as it came. */
typedef struct {
	GMimeObject *inner;
	char *content_type;
	char *headers[G_N_ELEMENTS(protected_names)];
	GPtrArray *parts;      /* the leaf parts, and ... */
	GArray *encodings;     /* ... their content encodings */
} Borrowed;

static void
borrow_parts(Borrowed *b, GMimeObject *obj)
{
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			borrow_parts(b, g_mime_multipart_get_part(mp, i));
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (msg != NULL && g_mime_message_get_mime_part(msg) != NULL)
			borrow_parts(b, g_mime_message_get_mime_part(msg));
	} else if (GMIME_IS_PART(obj)) {
		GMimeContentEncoding enc = g_mime_part_get_content_encoding(GMIME_PART(obj));
		g_ptr_array_add(b->parts, obj);
		g_array_append_val(b->encodings, enc);
	}
}

static void
borrow(Borrowed *b, GMimeObject *inner)
{
	b->inner = inner;
	b->content_type = g_strdup(g_mime_object_get_header(inner, "Content-Type"));
	for (int i = 0; protected_names[i] != NULL; i++)
		b->headers[i] = g_strdup(g_mime_object_get_header(inner, protected_names[i]));
	b->parts = g_ptr_array_new();
	b->encodings = g_array_new(FALSE, FALSE, sizeof(GMimeContentEncoding));
	borrow_parts(b, inner);
}

static void
give_back(Borrowed *b)
{
	for (int i = 0; protected_names[i] != NULL; i++) {
		if (b->headers[i] != NULL)
			g_mime_object_set_header(b->inner, protected_names[i], b->headers[i], NULL);
		else
			g_mime_object_remove_header(b->inner, protected_names[i]);
		g_free(b->headers[i]);
	}
	if (b->content_type != NULL)
		g_mime_object_set_header(b->inner, "Content-Type", b->content_type, NULL);
	else
		g_mime_param_list_remove(g_mime_content_type_get_parameters(
						 g_mime_object_get_content_type(b->inner)),
		                         "protected-headers");
	g_free(b->content_type);
	for (guint i = 0; i < b->parts->len; i++)
		g_mime_part_set_content_encoding(b->parts->pdata[i],
		                                 g_array_index(b->encodings, GMimeContentEncoding, i));
	g_ptr_array_free(b->parts, TRUE);
	g_array_free(b->encodings, TRUE);
}

/* The canonical bytes of M's body with M's headers repeated inside it as
 * protected headers (draft-autocrypt-lamps-protected-headers, "v1"), in
 * 7 bit (a signed body must survive any transport unchanged, RFC 3156 §3).
 * The body is left as it was. */
static GBytes *
seal_entity(GMimeMessage *m, GMimeObject *inner)
{
	Borrowed b = { 0 };
	GBytes *bytes;

	borrow(&b, inner);
	for (int i = 0; protected_names[i] != NULL; i++) {
		const char *v = g_mime_object_get_header(GMIME_OBJECT(m), protected_names[i]);
		if (v != NULL)
			g_mime_object_set_header(inner, protected_names[i], v, "utf-8");
	}
	g_mime_content_type_set_parameter(g_mime_object_get_content_type(inner), "protected-headers", "v1");
	g_mime_object_encode(inner, GMIME_ENCODING_CONSTRAINT_7BIT);
	bytes = canonical_bytes(inner);
	give_back(&b);
	return bytes;
}

/* Seals M for the keys FPRS: its body becomes the PGP/MIME encryption of
 * itself, signed, and its subject OUTER_SUBJECT. FALSE with ERROR when it
 * cannot; when gpg refused some of the keys, also *UNUSABLE (if not NULL):
 * the fingerprints it named, for a caller that took the database's word for
 * them. M is changed only on success; its old body, which may be borrowed,
 * never. */
gboolean
crypto_out_seal_message(const SealKeys *keys, char **fprs, const char *outer_subject,
                        GMimeMessage *m, char ***unusable, GError **error)
{
	GMimeObject *inner = g_mime_message_get_mime_part(m);
	g_autoptr(GBytes) signed_bytes = NULL, sig = NULL, cipher = NULL, payload = NULL;
	g_autofree char *micalg = NULL, *boundary = NULL;
	g_autoptr(GString) entity = g_string_new(NULL);
	g_autoptr(GMimeMultipart) encrypted = NULL;
	g_autoptr(GMimePart) version = NULL, octets = NULL;
	GMimeDataWrapper *w;
	GMimeStream *s;

	g_return_val_if_fail(inner != NULL, FALSE);
	signed_bytes = seal_entity(m, inner);
	if ((sig = seal_sign(keys, signed_bytes, &micalg, error)) == NULL)
		return FALSE;
	/* Random, and "=_" cannot occur in base64 or quoted-printable lines. */
	boundary = g_strdup_printf("=_embargo_%08x%08x%08x", g_random_int(), g_random_int(),
	                           g_random_int());
	g_string_append_printf(entity,
	                       "Content-Type: multipart/signed; micalg=\"pgp-%s\";\r\n"
	                       " protocol=\"application/pgp-signature\"; boundary=\"%s\"\r\n\r\n"
	                       "This is an OpenPGP/MIME signed message (RFC 3156).\r\n--%s\r\n",
	                       micalg, boundary, boundary);
	g_string_append_len(entity, g_bytes_get_data(signed_bytes, NULL), g_bytes_get_size(signed_bytes));
	g_string_append_printf(entity,
	                       "\r\n--%s\r\nContent-Type: application/pgp-signature; name=\"signature.asc\"\r\n"
	                       "Content-Description: OpenPGP signature of %s\r\n\r\n",
	                       boundary, "the list");
	g_string_append_len(entity, g_bytes_get_data(sig, NULL), g_bytes_get_size(sig));
	g_string_append_printf(entity, "\r\n--%s--\r\n", boundary);
	payload = g_string_free_to_bytes(g_steal_pointer(&entity));
	if ((cipher = seal_encrypt(keys, fprs, payload, unusable, error)) == NULL)
		return FALSE;

	encrypted = g_mime_multipart_new_with_subtype("encrypted");
	g_mime_content_type_set_parameter(g_mime_object_get_content_type(GMIME_OBJECT(encrypted)),
	                                  "protocol", "application/pgp-encrypted");
	version = g_mime_part_new_with_type("application", "pgp-encrypted");
	g_mime_object_set_header(GMIME_OBJECT(version), "Content-Description",
	                         "PGP/MIME version identification", NULL);
	s = g_mime_stream_mem_new_with_buffer("Version: 1\n", strlen("Version: 1\n"));
	w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_7BIT);
	g_mime_part_set_content(version, w);
	g_object_unref(w);
	g_object_unref(s);
	octets = g_mime_part_new_with_type("application", "octet-stream");
	g_mime_part_set_filename(octets, "encrypted.asc");
	g_mime_object_set_disposition(GMIME_OBJECT(octets), "inline");
	s = g_mime_stream_mem_new_with_buffer(g_bytes_get_data(cipher, NULL), g_bytes_get_size(cipher));
	w = g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_7BIT);
	g_mime_part_set_content(octets, w);
	g_mime_part_set_content_encoding(octets, GMIME_CONTENT_ENCODING_7BIT);
	g_object_unref(w);
	g_object_unref(s);
	g_mime_multipart_add(encrypted, GMIME_OBJECT(version));
	g_mime_multipart_add(encrypted, GMIME_OBJECT(octets));
	g_mime_message_set_mime_part(m, GMIME_OBJECT(encrypted));
	g_mime_message_set_subject(m, outer_subject, "utf-8");
	/* The display name of a team copy's From names the sender: keep it inside. */
	{
		InternetAddressList *from = g_mime_message_get_from(m);
		if (from != NULL && internet_address_list_length(from) == 1)
			internet_address_set_name(internet_address_list_get_address(from, 0), NULL);
	}

	return TRUE;
}
