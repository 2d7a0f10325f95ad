/* crypto-in.c - opens what came in encrypted or signed: PGP/MIME (RFC 3156)
 * multipart/encrypted and multipart/signed, inline armored PGP messages and
 * clear-signed text in text parts.
 *
 * This file walks the MIME tree, finds what to open and puts what was
 * inside in place of the body; decrypting and verifying are gpg's, in
 * crypto-gpg.c (never GMime's: see there). Signatures are checked in the
 * home the caller names (members' keys for a member's mail, reporters'
 * otherwise), so a key a reporter sent can never make a mail look like a
 * member's.
 *
 * What the team sees of an encrypted message is only what was inside the
 * encryption; parts beside it are dropped and the summary says so. Shapes
 * that are not what they look like (PGP/MIME rewritten by Exchange, an
 * armored message for someone else quoted in a report) are crypto-shape.c's
 * to recognise. */
#include "crypto-in.h"

#include <string.h>

#include "canonical.h"
#include "crypto-gpg.h"
#include "crypto-shape.h"
#include "hdrbound.h"
#include "log.h"
#include "pgppackets.h"
#include "signedpart.h"
#include "textpart.h"

#define CRYPTO_MAX_WALK 1000
#define ARMOR_MSG_BEGIN "-----BEGIN PGP MESSAGE-----"
#define ARMOR_MSG_END "-----END PGP MESSAGE-----"
#define ARMOR_SIGNED_BEGIN "-----BEGIN PGP SIGNED MESSAGE-----"
#define ARMOR_SIG_BEGIN "-----BEGIN PGP SIGNATURE-----"
#define ARMOR_SIG_END "-----END PGP SIGNATURE-----"

const char *
crypto_sig_name(SigStatus s)
{
	static const char *const names[] = {
		"none",
		"good",
		"bad",
		"unknown-key",
		"expired-key",
		"revoked-key",
		"smime-unverified",
	};

	return names[s];
}

void
crypto_in_clear(CryptoIn *c)
{
	g_clear_pointer(&c->decrypt_error, g_free);
	g_clear_pointer(&c->signer, g_free);
	g_clear_object(&c->body);
	g_clear_pointer(&c->inner_subject, g_free);
	g_clear_pointer(&c->sender_key, g_bytes_unref);
}

/* ---- bytes of MIME objects ---- */

/* The decoded content of a leaf part. */
GBytes *
crypto_part_content(GMimePart *part)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	g_autoptr(GMimeStream) mem = NULL;
	GByteArray *ba;

	if (w == NULL)
		return g_bytes_new(NULL, 0);
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, mem);
	ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	return g_bytes_new(ba->data, ba->len);
}

/* ---- the MIME tree ---- */

typedef struct {
	const CryptoHomes *homes;
	GPtrArray *ours;          /* the list home's key ids, listed when first needed */
	GError *error;            /* listing them failed */
	gboolean foreign;         /* an armored message addressed to others was passed over */
	GMimeObject *encrypted;   /* first multipart/encrypted */
	GMimeObject *signed_;     /* first multipart/signed */
	GMimePart *inline_part;   /* first text part with an armored message or clear-signed text */
	gboolean inline_encrypted;
	guint leaves;
	guint visited;
} Walk;

static gboolean
crypto_text_has(GMimePart *part, const char *marker)
{
	g_autoptr(GBytes) b = crypto_part_content(part);
	gsize n;
	const char *p = g_bytes_get_data(b, &n);

	return p != NULL && g_strstr_len(p, n, marker) != NULL;
}

/* Whether the first armored message in PART is addressed to a key of the
 * list's: one that names only others (a quoted mail, someone else's
 * message pasted into a report) is text, shown as it is. */
static gboolean
crypto_armor_ours(GMimePart *part, Walk *w)
{
	g_autoptr(GBytes) b = crypto_part_content(part);
	gsize n;
	const char *p = g_bytes_get_data(b, &n);
	const char *begin = p != NULL ? g_strstr_len(p, n, ARMOR_MSG_BEGIN) : NULL;

	if (begin == NULL)
		return FALSE;
	if (w->ours == NULL && w->error == NULL)
		w->ours = crypto_shape_our_keyids(w->homes->list_fpr != NULL ? w->homes->list_home : NULL,
		                                  &w->error);
	if (w->ours == NULL)
		return TRUE; /* gpg failed: crypto_in_open defers the delivery */
	if (crypto_shape_armor_ours(begin, n - (begin - p), w->ours))
		return TRUE;
	w->foreign = TRUE;
	return FALSE;
}

static void
crypto_walk(GMimeObject *obj, Walk *w)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (++w->visited > CRYPTO_MAX_WALK)
		return;
	if (GMIME_IS_MULTIPART_ENCRYPTED(obj)) {
		if (w->encrypted == NULL)
			w->encrypted = obj;
		w->leaves++;
		return;
	}
	if (GMIME_IS_MULTIPART_SIGNED(obj)) {
		if (w->signed_ == NULL)
			w->signed_ = obj;
		w->leaves++;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			crypto_walk(g_mime_multipart_get_part(mp, i), w);
		return;
	}
	w->leaves++;
	if (GMIME_IS_PART(obj) && ct != NULL && g_mime_content_type_is_type(ct, "text", "*") &&
	    w->inline_part == NULL) {
		if (crypto_text_has(GMIME_PART(obj), ARMOR_MSG_BEGIN) &&
		    crypto_armor_ours(GMIME_PART(obj), w)) {
			w->inline_part = GMIME_PART(obj);
			w->inline_encrypted = TRUE;
		} else if (crypto_text_has(GMIME_PART(obj), ARMOR_SIGNED_BEGIN)) {
			w->inline_part = GMIME_PART(obj);
		}
	}
}

/* The armored block from BEGIN to END in TEXT; whether anything but blank
 * space is outside it. */
static GBytes *
crypto_armor_block(GBytes *text, const char *begin, const char *end, gboolean *outside)
{
	gsize n;
	const char *p = g_bytes_get_data(text, &n);
	const char *b = p != NULL ? g_strstr_len(p, n, begin) : NULL;
	const char *e = b != NULL ? g_strstr_len(b, n - (b - p), end) : NULL;
	const char *stop;

	if (b == NULL)
		return NULL;
	stop = e != NULL ? e + strlen(end) : p + n;
	*outside = FALSE;
	for (const char *q = p; q < b; q++)
		if (!g_ascii_isspace(*q))
			*outside = TRUE;
	for (const char *q = stop; q < p + n; q++)
		if (!g_ascii_isspace(*q))
			*outside = TRUE;
	return g_bytes_new(b, stop - b);
}

/* Decrypted bytes as a MIME entity (PGP/MIME) or a text part (inline). */
static GMimeObject *
crypto_parse_entity(GBytes *plain)
{
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	g_autoptr(GMimeStream) filtered = g_mime_stream_filter_new(mem);
	GMimeFilter *f = g_mime_filter_dos2unix_new(FALSE);
	g_autoptr(GMimeParser) parser = NULL;
	gsize n;
	const guint8 *p = g_bytes_get_data(plain, &n);
	g_autofree char *unsafe = hdrbound_check((const char *)p, n);

	/* Parsed by GMime like the outer message, so bounded like it (inmsg.c). */
	if (unsafe != NULL) {
		g_object_unref(f);
		return NULL;
	}
	g_mime_stream_filter_add(GMIME_STREAM_FILTER(filtered), f);
	g_object_unref(f);
	g_mime_stream_write(filtered, (const char *)(p != NULL ? p : (const guint8 *)""), n);
	g_mime_stream_flush(filtered);
	g_mime_stream_reset(mem);
	parser = g_mime_parser_new_with_stream(mem);
	return g_mime_parser_construct_part(parser, NULL);
}

/* Decrypted inline text: its bytes are in the charset the armor's
 * "Charset:" header names, else the one the part that carried it declared
 * (CHARSET), as mail readers take them. */
static GMimeObject *
crypto_text_entity(GBytes *plain, GBytes *block, const char *charset)
{
	gsize n, bn;
	const char *p = g_bytes_get_data(plain, &n);
	const char *b = g_bytes_get_data(block, &bn);
	g_autofree char *armor_charset = b != NULL ? textpart_armor_charset(b, bn) : NULL;
	g_autofree char *text =
		textpart_utf8(p != NULL ? p : "", n, armor_charset != NULL ? armor_charset : charset);
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");

	g_mime_text_part_set_text(part, text);
	return GMIME_OBJECT(part);
}

static void
crypto_protected_subject(GMimeObject *entity, CryptoIn *out)
{
	const char *subject = g_mime_object_get_header(entity, "Subject");

	if (subject == NULL && GMIME_IS_MULTIPART_SIGNED(entity))
		subject = g_mime_object_get_header(
			g_mime_multipart_get_part(GMIME_MULTIPART(entity), GMIME_MULTIPART_SIGNED_CONTENT),
			"Subject");
	if (subject != NULL)
		out->inner_subject = inmsg_one_line(subject, 200);
}

/* A signature is signature packets only: gpg would read through a
 * compressed packet in it, of any size, writing nothing that could be
 * bounded. FALSE (the signature bad) otherwise. */
static gboolean
crypto_signature_plain(GBytes *sig, CryptoIn *out)
{
	g_autofree char *why = NULL;
	gsize len;
	const guint8 *p = g_bytes_get_data(sig, &len);

	if (pgp_packets_check(p != NULL ? p : (const guint8 *)"", len, PGP_PACKETS_SIGNATURE, &why))
		return TRUE;
	log_warn("the signature holds %s: not checked", why);
	out->sig = SIG_BAD;
	return FALSE;
}

/* An S/MIME signature (RFC 8551), as many corporate clients sign: embargo
 * checks OpenPGP signatures only, and one it did not check is neither bad
 * nor good. Told by the part itself; a mislabelled OpenPGP signature says
 * no more than one removed. */
static gboolean
crypto_is_smime(GMimeObject *sigpart)
{
	GMimeContentType *ct = g_mime_object_get_content_type(sigpart);

	return ct != NULL && (g_mime_content_type_is_type(ct, "application", "pkcs7-signature") ||
	                      g_mime_content_type_is_type(ct, "application", "x-pkcs7-signature"));
}

static gboolean
crypto_verify_mps(const CryptoHomes *homes, GMimeObject *obj, CryptoIn *out, GError **error)
{
	GMimeMultipart *mp = GMIME_MULTIPART(obj);
	GMimeObject *content, *sigpart;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(GBytes) sig = NULL;

	if (g_mime_multipart_get_count(mp) != 2) {
		out->sig = SIG_BAD;
		return TRUE;
	}
	content = g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_CONTENT);
	sigpart = g_mime_multipart_get_part(mp, GMIME_MULTIPART_SIGNED_SIGNATURE);
	if (!GMIME_IS_PART(sigpart)) {
		out->sig = SIG_BAD;
		return TRUE;
	}
	if (crypto_is_smime(sigpart)) {
		out->sig = SIG_SMIME_UNVERIFIED;
		return TRUE;
	}
	sig = crypto_part_content(GMIME_PART(sigpart));
	if (!crypto_signature_plain(sig, out))
		return TRUE;
	/* Over the bytes that arrived (signedpart.c); written out only where
	 * those cannot be had. */
	data = signedpart_bytes(mp);
	if (data == NULL)
		data = canonical_bytes(content);
	return crypto_verify(homes, sig, data, NULL, out, error);
}

/* Decrypts PAYLOAD, the encrypted part of PGP/MIME, into OUT->body. */
static gboolean
crypto_open_payload(const CryptoHomes *homes, GMimePart *payload, guint leaves, CryptoIn *out,
                    GError **error)
{
	g_autoptr(GBytes) cipher = NULL;
	g_autoptr(GBytes) plain = NULL;
	GMimeObject *entity;

	cipher = crypto_part_content(payload);
	if (!crypto_decrypt(homes, cipher, &plain, out, error))
		return FALSE;
	if (plain == NULL)
		return TRUE;
	entity = crypto_parse_entity(plain);
	if (entity == NULL) {
		out->encrypted = FALSE;
		out->decrypt_error = g_strdup("the decrypted data is not a MIME entity");
		return TRUE;
	}
	out->body = entity;
	out->unprotected_removed = leaves > 1;
	crypto_protected_subject(entity, out);
	if (out->sig == SIG_NONE && GMIME_IS_MULTIPART_SIGNED(entity))
		return crypto_verify_mps(homes, entity, out, error);
	return TRUE;
}

static gboolean
crypto_open_encrypted(const CryptoHomes *homes, GMimeObject *enc, guint leaves,
                      CryptoIn *out, GError **error)
{
	GMimeMultipart *mp = GMIME_MULTIPART(enc);
	GMimeObject *payload;

	if (g_mime_multipart_get_count(mp) != 2 ||
	    !GMIME_IS_PART(payload = g_mime_multipart_get_part(mp, GMIME_MULTIPART_ENCRYPTED_CONTENT))) {
		out->decrypt_error = g_strdup("malformed multipart/encrypted");
		return TRUE;
	}
	return crypto_open_payload(homes, GMIME_PART(payload), leaves, out, error);
}

static gboolean
crypto_open_inline(const CryptoHomes *homes, const Walk *w, CryptoIn *out, GError **error)
{
	g_autoptr(GBytes) text = crypto_part_content(w->inline_part);
	g_autoptr(GBytes) block = NULL;
	g_autoptr(GBytes) plain = NULL;
	gboolean outside = FALSE;

	if (w->inline_encrypted) {
		block = crypto_armor_block(text, ARMOR_MSG_BEGIN, ARMOR_MSG_END, &outside);
		if (!crypto_decrypt(homes, block, &plain, out, error))
			return FALSE;
		if (plain == NULL)
			return TRUE;
		out->body = crypto_text_entity(
			plain, block,
			g_mime_object_get_content_type_parameter(GMIME_OBJECT(w->inline_part), "charset"));
		out->unprotected_removed = outside || w->leaves > 1;
		return TRUE;
	}
	block = crypto_armor_block(text, ARMOR_SIGNED_BEGIN, ARMOR_SIG_END, &outside);
	{
		/* The signature after the signed text: signature packets only. */
		gsize n;
		const char *b = g_bytes_get_data(block, &n);
		const char *s = g_strstr_len(b, n, ARMOR_SIG_BEGIN);
		g_autoptr(GBytes) sig = g_bytes_new(s != NULL ? s : "", s != NULL ? n - (s - b) : 0);
		if (!crypto_signature_plain(sig, out)) {
			out->sig_partial = outside || w->leaves > 1;
			return TRUE;
		}
	}
	if (!crypto_verify(homes, block, NULL, NULL, out, error))
		return FALSE;
	out->sig_partial = out->sig != SIG_NONE && (outside || w->leaves > 1);
	return TRUE;
}

/* ---- the sender's key ---- */

static GBytes *
crypto_autocrypt_key(const InMessage *in)
{
	const char *value = g_mime_object_get_header(GMIME_OBJECT(in->message), "Autocrypt");
	g_auto(GStrv) attrs = NULL;
	g_autofree char *addr = NULL;
	const char *keydata = NULL;

	if (value == NULL || in->from_addr == NULL)
		return NULL;
	attrs = g_strsplit(value, ";", -1);
	for (char **a = attrs; *a != NULL; a++) {
		char *kv = g_strstrip(*a);
		if (g_str_has_prefix(kv, "addr="))
			addr = g_strstrip(g_strdup(kv + 5));
		else if (g_str_has_prefix(kv, "keydata="))
			keydata = kv + 8;
	}
	/* The header speaks for its addr= only, and only when that is the sender. */
	if (addr == NULL || keydata == NULL || g_ascii_strcasecmp(addr, in->from_addr) != 0)
		return NULL;
	{
		g_autoptr(GString) clean = g_string_new(NULL);
		gsize len;
		guchar *bin;
		for (const char *p = keydata; *p; p++)
			if (!g_ascii_isspace(*p))
				g_string_append_c(clean, *p);
		bin = g_base64_decode(clean->str, &len);
		return len > 0 ? g_bytes_new_take(bin, len) : (g_free(bin), NULL);
	}
}

static GBytes *
crypto_find_key_part(GMimeObject *obj, guint *visited)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	if (++*visited > CRYPTO_MAX_WALK)
		return NULL;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
			GBytes *b = crypto_find_key_part(g_mime_multipart_get_part(mp, i), visited);
			if (b != NULL)
				return b;
		}
		return NULL;
	}
	if (GMIME_IS_PART(obj) && ct != NULL && g_mime_content_type_is_type(ct, "application", "pgp-keys"))
		return crypto_part_content(GMIME_PART(obj));
	return NULL;
}

/* What the walk found, opened; the sender's key looked for. */
static gboolean
crypto_in_decide(const CryptoHomes *homes, const InMessage *in, GMimeObject *root, Walk *wp,
                 CryptoIn *out, GError **error)
{
	const Walk w = *wp;
	guint visited = 0;
	GMimePart *exchange = NULL;

	if (wp->error != NULL) {
		g_propagate_error(error, g_steal_pointer(&wp->error));
		return FALSE;
	}
	if (w.encrypted == NULL && crypto_shape_exchange(root, &exchange)) {
		if (homes->list_fpr == NULL) {
			out->decrypt_error = g_strdup("the list has no key yet");
			return TRUE;
		}
		out->exchange_repaired = TRUE;
		if (!crypto_open_payload(homes, exchange, 1, out, error))
			return FALSE;
	} else if (w.encrypted != NULL) {
		if (homes->list_fpr == NULL) {
			out->decrypt_error = g_strdup("the list has no key yet");
			return TRUE;
		}
		if (!crypto_open_encrypted(homes, w.encrypted, w.leaves, out, error))
			return FALSE;
	} else if (w.signed_ != NULL) {
		if (!crypto_verify_mps(homes, w.signed_, out, error))
			return FALSE;
		out->sig_partial = w.signed_ != root;
	} else if (w.inline_part != NULL) {
		if (w.inline_encrypted && homes->list_fpr == NULL) {
			out->decrypt_error = g_strdup("the list has no key yet");
			return TRUE;
		}
		if (!crypto_open_inline(homes, &w, out, error))
			return FALSE;
	}
	/* Said only of a message nothing else was found in, to not confuse. */
	out->foreign_armor = w.foreign && out->body == NULL && out->sig == SIG_NONE &&
	                     out->decrypt_error == NULL;
	out->sender_key = crypto_find_key_part(out->body != NULL ? out->body : root, &visited);
	/* Where a key part was found, the signature covers it, unless it
	 * covers only part of the message: the key was looked for only inside
	 * the decrypted entity, or in the whole message when that is the
	 * signed one. An Autocrypt header is outside every signature. */
	out->sender_key_signed = out->sender_key != NULL && out->sig == SIG_GOOD && !out->sig_partial;
	if (out->sender_key == NULL)
		out->sender_key = crypto_autocrypt_key(in);
	return TRUE;
}

gboolean
crypto_in_open(const CryptoHomes *homes, const InMessage *in, CryptoIn *out, GError **error)
{
	GMimeObject *root;
	Walk w = { .homes = homes };
	gboolean ok;

	memset(out, 0, sizeof *out);
	if (in->message == NULL || in->problem != NULL ||
	    (root = g_mime_message_get_mime_part(in->message)) == NULL)
		return TRUE;
	crypto_walk(root, &w);
	ok = crypto_in_decide(homes, in, root, &w, out, error);
	g_clear_pointer(&w.ours, g_ptr_array_unref);
	return ok;
}
