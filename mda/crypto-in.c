/* crypto-in.c - opens what came in encrypted or signed: PGP/MIME (RFC 3156)
 * multipart/encrypted and multipart/signed, inline armored PGP messages and
 * clear-signed text in text parts.
 *
 * Decryption is GPGME's, in the list's own home, never GMime's: GMime drops
 * the missing-MDC flag and writes plaintext out before gpg has said whether
 * the data was intact. Here every byte of output is thrown away unless gpg
 * reported success, integrity protection and a modern cipher (EFAIL).
 * Signatures are checked in the home the caller names (members' keys for a
 * member's mail, reporters' otherwise), so a key a reporter sent can never
 * make a mail look like a member's. For a signed-then-encrypted OpenPGP
 * message that means decrypting twice: the list's home, which holds the
 * secret key, hands out the message's session key, and the message is
 * decrypted and verified again in one operation in the right home with that
 * session key, which needs no secret key; its verdict is the one used.
 *
 * What the team sees of an encrypted message is only what was inside the
 * encryption; parts beside it are dropped and the summary says so. */
#include "crypto-in.h"

#include <string.h>

#include "canonical.h"

#include "gpg.h"
#include "hdrbound.h"
#include "gpgcpu.h"
#include "gpgsink.h"
#include "log.h"
#include "pgppackets.h"

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
		"none", "good", "bad", "unknown-key", "expired-key", "revoked-key",
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

static gboolean
crypto_transient(GError **error, const char *why)
{
	g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_TRANSIENT, "gpg: %s", why);
	return FALSE;
}

/* An output for gpg that stops it past the bound on decrypted or verified
 * text (a compressed packet may stand for any size: gpgsink.c). */
static GpgSink *
crypto_sink(const CryptoHomes *homes, gpgme_data_t *data, GError **error)
{
	gpgme_error_t err;
	GpgSink *sink = gpg_sink_new(homes->max_plain > 0 ? homes->max_plain : CRYPTO_DEFAULT_MAX_PLAIN,
	                             data, &err);

	if (sink == NULL)
		gpg_fail(error, err, "buffer");
	return sink;
}

static void
crypto_too_large(const GpgSink *sink, CryptoIn *out)
{
	out->too_large = TRUE;
	g_free(out->decrypt_error);
	out->decrypt_error = g_strdup_printf("too large: more than %" G_GUINT64_FORMAT
	                                     " bytes once decompressed (max_decrypted_size)",
	                                     gpg_sink_limit(sink));
}

/* Bounds the processor time of the gpg the next operation starts (gpgcpu.c):
 * compressed data may keep it busy for hours without writing a byte. */
static void
crypto_arm(const CryptoHomes *homes, GpgCpu *cpu)
{
	gpg_cpu_arm(cpu, homes->max_seconds > 0 ? homes->max_seconds : CRYPTO_DEFAULT_MAX_SECONDS);
}

static void
crypto_too_slow(const GpgCpu *cpu, CryptoIn *out)
{
	out->too_slow = TRUE;
	g_free(out->decrypt_error);
	out->decrypt_error = g_strdup_printf("took longer than %u s of processor time (decrypt_time_limit)",
	                                     cpu->seconds);
}

/* ---- bytes of MIME objects ---- */

/* The decoded content of a leaf part. */
static GBytes *
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

/* ---- signatures ---- */

static SigStatus
crypto_sig_status(gpgme_signature_t sig)
{
	gpgme_err_code_t code = gpgme_err_code(sig->status);

	if ((sig->summary & GPGME_SIGSUM_KEY_MISSING) || code == GPG_ERR_NO_PUBKEY)
		return SIG_UNKNOWN_KEY;
	if ((sig->summary & GPGME_SIGSUM_RED) || code == GPG_ERR_BAD_SIGNATURE)
		return SIG_BAD;
	if ((sig->summary & GPGME_SIGSUM_KEY_REVOKED) || code == GPG_ERR_CERT_REVOKED)
		return SIG_REVOKED_KEY;
	if ((sig->summary & GPGME_SIGSUM_KEY_EXPIRED) || code == GPG_ERR_KEY_EXPIRED)
		return SIG_EXPIRED_KEY;
	if (code == GPG_ERR_NO_ERROR)
		return SIG_GOOD;
	return SIG_BAD;
}

/* gpg's VALIDSIG line for a good signature names the signing key and its
 * primary key: PRIMARY maps one to the other for the operation watched, so
 * that the signer is named by the key the database pins without a key
 * listing (a gpg run). */
static gpgme_error_t
crypto_status(void *opaque, const char *keyword, const char *args)
{
	GHashTable *primary = opaque;
	g_auto(GStrv) f = NULL;

	if (g_strcmp0(keyword, "VALIDSIG") != 0 || args == NULL)
		return 0;
	/* fpr date timestamp expires version reserved pkalgo hashalgo class primary-fpr */
	f = g_strsplit(args, " ", 0);
	if (g_strv_length(f) >= 10 && *f[0] != '\0' && *f[9] != '\0')
		g_hash_table_replace(primary, g_strdup(f[0]), g_strdup(f[9]));
	return 0;
}

/* Watches the next operation on CTX (a context kept for its home): until
 * crypto_unwatch, which must follow it. */
static void
crypto_watch(gpgme_ctx_t ctx, GHashTable *primary)
{
	gpgme_set_ctx_flag(ctx, "full-status", "1");
	gpgme_set_status_cb(ctx, crypto_status, primary);
}

static void
crypto_unwatch(gpgme_ctx_t ctx)
{
	gpgme_set_status_cb(ctx, NULL, NULL);
}

static GHashTable *
crypto_primary_new(void)
{
	return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
}

/* The primary fingerprint of the one key in CTX's home that NAME (a key id
 * or fingerprint) names; NULL when none or several. */
static char *
crypto_lookup_primary(gpgme_ctx_t ctx, const char *name)
{
	gpgme_key_t key = NULL;
	char *fpr = NULL;
	guint n = 0;
	gpgme_error_t err = gpgme_op_keylist_start(ctx, name, 0);

	while (!err && !(err = gpgme_op_keylist_next(ctx, &key))) {
		if (n++ == 0 && key->fpr != NULL)
			fpr = g_strdup(key->fpr);
		gpgme_key_unref(key);
	}
	gpgme_op_keylist_end(ctx);
	if (n != 1)
		g_clear_pointer(&fpr, g_free);
	return fpr;
}

/* Takes the first signature of CTX's last verification, watched with
 * PRIMARY; FALSE when there was none. */
static gboolean
crypto_take_signature(gpgme_ctx_t ctx, GHashTable *primary, CryptoIn *out)
{
	gpgme_verify_result_t vr = gpgme_op_verify_result(ctx);
	gpgme_signature_t sig = vr != NULL ? vr->signatures : NULL;
	const char *named;

	if (sig == NULL)
		return FALSE;
	out->sig = crypto_sig_status(sig);
	g_free(out->signer);
	out->signer = g_strdup(sig->fpr != NULL ? sig->fpr : "");
	/* Name the primary key, the one the database pins, not the signing
	 * subkey: as gpg named it for a good signature, else looked up (the
	 * lookup ends the life of SIG: only OUT is used after). */
	if (out->sig == SIG_UNKNOWN_KEY || *out->signer == '\0')
		return TRUE;
	named = g_hash_table_lookup(primary, out->signer);
	if (named != NULL) {
		g_free(out->signer);
		out->signer = g_strdup(named);
	} else {
		char *found = crypto_lookup_primary(ctx, out->signer);
		if (found != NULL) {
			g_free(out->signer);
			out->signer = found;
		}
	}
	return TRUE;
}

/* Verifies a detached signature SIG over SIGNED, or (SIGNED NULL) an
 * opaque or clear-signed message SIG, whose signed text goes to *PLAIN. */
static gboolean
crypto_verify(const CryptoHomes *homes, GBytes *sig, GBytes *signed_data, GBytes **plain,
              CryptoIn *out, GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(homes->verify_home, error);
	g_auto(gpgme_data_t) dsig = NULL;
	g_auto(gpgme_data_t) dsigned = NULL;
	g_autoptr(GHashTable) primary = crypto_primary_new();
	g_autoptr(GpgSink) sink = NULL;
	gpgme_data_t dplain = NULL;
	gpgme_error_t err;
	GpgCpu cpu;

	if (ctx == NULL || (dsig = gpg_data_from_bytes(sig, error)) == NULL ||
	    (signed_data != NULL && (dsigned = gpg_data_from_bytes(signed_data, error)) == NULL))
		return FALSE;
	/* GPGME wants an output for the text of an opaque or clear-signed message. */
	if (signed_data == NULL && (sink = crypto_sink(homes, &dplain, error)) == NULL)
		return FALSE;
	crypto_watch(ctx, primary);
	crypto_arm(homes, &cpu);
	err = gpgme_op_verify(ctx, dsig, dsigned, dplain);
	gpg_cpu_disarm(&cpu);
	crypto_unwatch(ctx);
	gpgme_data_release(dplain);
	/* Text past the bound was never seen whole, nor was a message gpg was
	 * stopped reading: its signature says nothing. */
	if ((sink != NULL && gpg_sink_exceeded(sink)) || (err && gpg_cpu_spent(&cpu))) {
		out->sig = SIG_BAD;
		return TRUE;
	}
	if (err && gpgme_err_code(err) != GPG_ERR_NO_DATA && gpgme_err_code(err) != GPG_ERR_BAD_DATA) {
		if (gpgme_err_code(err) == GPG_ERR_EOF || gpgme_err_code(err) == GPG_ERR_ENOMEM ||
		    gpgme_err_code(err) == GPG_ERR_INV_ENGINE)
			return gpg_fail(error, err, "verifying");
		out->sig = SIG_BAD;
		return TRUE;
	}
	if (!crypto_take_signature(ctx, primary, out) && err == 0)
		out->sig = SIG_BAD;
	else if (err)
		out->sig = SIG_BAD;
	if (plain != NULL && sink != NULL)
		*plain = gpg_sink_take(sink);
	return TRUE;
}

/* ---- decryption ---- */

/* TRUE when one of the message's recipients is a subkey of the list key and
 * gpg could not use it: the secret is ours, so the agent must be unwell. */
static gboolean
crypto_ours_unusable(const CryptoHomes *homes, gpgme_decrypt_result_t dr)
{
	gpgme_ctx_t ctx = NULL;
	gpgme_key_t key = NULL;
	gboolean ours = FALSE;

	g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func(g_free);

	if (dr == NULL || homes->list_fpr == NULL)
		return FALSE;
	/* DR belongs to the list home's context, which the key lookup reuses. */
	for (gpgme_recipient_t r = dr->recipients; r != NULL; r = r->next)
		if (r->keyid != NULL && r->status != 0)
			g_ptr_array_add(failed, g_strdup(r->keyid));
	if (failed->len == 0 || (ctx = gpg_ctx_new(homes->list_home, NULL)) == NULL ||
	    gpgme_get_key(ctx, homes->list_fpr, &key, 0) != 0)
		return FALSE;
	for (guint i = 0; i < failed->len && !ours; i++)
		for (gpgme_subkey_t sk = key->subkeys; sk != NULL && !ours; sk = sk->next)
			if (sk->keyid != NULL && g_ascii_strcasecmp(failed->pdata[i], sk->keyid) == 0)
				ours = TRUE;
	gpgme_key_unref(key);
	return ours;
}

static char *
crypto_recipients_text(gpgme_decrypt_result_t dr)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (gpgme_recipient_t r = dr != NULL ? dr->recipients : NULL; r != NULL; r = r->next)
		g_string_append_printf(s, "%s%s", s->len > 0 ? ", " : "", r->keyid != NULL ? r->keyid : "?");
	return s->len > 0 ? g_strdup_printf(" (encrypted to key %s)", s->str) : g_strdup("");
}

/* The signature of CIPHER, which the list's home decrypted to PLAIN and
 * found signed, checked in the home that may vouch for the sender: the
 * message is decrypted and verified again there in one operation, with the
 * SESSION_KEY the list's home gave, which needs no secret key. The text
 * used stays the first decryption's, whose integrity gpg confirmed; a good
 * verdict stands for it only if the second decryption passed the same
 * checks and gave the same text. (On a bad signature gpg stops before its
 * integrity check: the operation fails, with the verdict in its result.)
 * As for any signature, only an engine failure defers; anything else wrong
 * makes the signature bad. */
static gboolean
crypto_verify_decrypted(const CryptoHomes *homes, GBytes *cipher, const char *session_key,
                        GBytes *plain, CryptoIn *out, GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(homes->verify_home, error);
	g_auto(gpgme_data_t) din = NULL;
	g_autoptr(GHashTable) primary = crypto_primary_new();
	g_autoptr(GBytes) again = NULL;
	g_autoptr(GpgSink) sink = NULL;
	gpgme_data_t dout = NULL;
	gpgme_decrypt_result_t dr;
	gpgme_error_t err;
	gboolean intact;
	GpgCpu cpu;

	if (ctx == NULL || (din = gpg_data_from_bytes(cipher, error)) == NULL)
		return FALSE;
	if ((sink = crypto_sink(homes, &dout, error)) == NULL)
		return FALSE;
	if ((err = gpgme_set_ctx_flag(ctx, "override-session-key", session_key)) != 0) {
		/* No operation ran: the context's results are an earlier one's. */
		gpgme_data_release(dout);
		return gpg_fail(error, err, "decrypting again");
	}
	crypto_watch(ctx, primary);
	crypto_arm(homes, &cpu);
	err = gpgme_op_decrypt_ext(ctx, GPGME_DECRYPT_VERIFY, din, dout);
	gpg_cpu_disarm(&cpu);
	crypto_unwatch(ctx);
	/* The context stays with its home for later operations: not the key. */
	gpgme_set_ctx_flag(ctx, "override-session-key", "");
	dr = gpgme_op_decrypt_result(ctx);
	intact = !err && dr != NULL && !dr->legacy_cipher_nomdc && dr->unsupported_algorithm == NULL &&
	         !gpg_sink_exceeded(sink);
	gpgme_data_release(dout);
	again = gpg_sink_take(sink);
	/* Stopped at a bound: the signature is bad (below), nothing to retry. */
	if (err && !gpg_sink_exceeded(sink) && !gpg_cpu_spent(&cpu)) {
		g_autoptr(GError) e = NULL;
		gpg_fail(&e, err, "decrypting again");
		if (e->code == GPG_ERROR_TRANSIENT) {
			g_propagate_error(error, g_steal_pointer(&e));
			return FALSE;
		}
	}
	/* The list's home saw a signature: none here is not "unsigned". */
	if (!crypto_take_signature(ctx, primary, out))
		out->sig = SIG_BAD;
	if (out->sig == SIG_GOOD && (!intact || !g_bytes_equal(again, plain)))
		out->sig = SIG_BAD;
	return TRUE;
}

/* Decrypts CIPHER in the list's home. TRUE with *PLAIN set on success; TRUE
 * with OUT->decrypt_error set when it cannot be decrypted for good; FALSE
 * (transient) when trying again later may work. */
static gboolean
crypto_decrypt(const CryptoHomes *homes, GBytes *cipher, GBytes **plain, CryptoIn *out,
               GError **error)
{
	gpgme_ctx_t ctx = gpg_ctx_new(homes->list_home, error);
	g_auto(gpgme_data_t) din = NULL;
	g_autoptr(GBytes) first = NULL;
	g_autofree char *session_key = NULL;
	g_autoptr(GpgSink) sink = NULL;
	gpgme_data_t dout = NULL;
	gpgme_decrypt_result_t dr;
	gpgme_verify_result_t vr;
	gpgme_error_t err;
	gboolean ok;
	GpgCpu cpu;

	*plain = NULL;
	if (ctx == NULL || (din = gpg_data_from_bytes(cipher, error)) == NULL)
		return FALSE;
	if ((sink = crypto_sink(homes, &dout, error)) == NULL)
		return FALSE;
	/* The session key, for checking a signature inside in another home. */
	gpgme_set_ctx_flag(ctx, "export-session-key", "1");
	crypto_arm(homes, &cpu);
	err = gpgme_op_decrypt_ext(ctx, GPGME_DECRYPT_VERIFY, din, dout);
	gpg_cpu_disarm(&cpu);
	gpgme_set_ctx_flag(ctx, "export-session-key", "0");
	gpgme_data_release(dout);
	dr = gpgme_op_decrypt_result(ctx);
	/* Stopped at the bound: not gpg's fault, and not worth a retry. */
	if (gpg_sink_exceeded(sink)) {
		crypto_too_large(sink, out);
		return TRUE;
	}
	/* Failed after as long as gpg may work: taken as ended by the bound,
	 * for good, as the size bound is; unless gpg could not use the list's
	 * own key, which points at gpg-agent (below, transient). */
	if (err && gpg_cpu_spent(&cpu) && !crypto_ours_unusable(homes, dr)) {
		crypto_too_slow(&cpu, out);
		return TRUE;
	}
	if (err || dr == NULL || dr->legacy_cipher_nomdc || dr->unsupported_algorithm != NULL) {
		g_autofree char *to = crypto_recipients_text(dr);
		gboolean nomdc = dr != NULL && dr->legacy_cipher_nomdc;
		/* Whatever gpg wrote before it failed is discarded with the sink. */
		if (nomdc) {
			out->decrypt_error = g_strdup("no integrity protection (no MDC): not decrypted");
			return TRUE;
		}
		if (crypto_ours_unusable(homes, dr))
			return crypto_transient(error, "the message is encrypted to the list key, but its "
			                               "secret key is not usable now (is gpg-agent running?)");
		if (!err)
			err = gpg_error(GPG_ERR_DECRYPT_FAILED);
		switch (gpgme_err_code(err)) {
		case GPG_ERR_NO_SECKEY:
		case GPG_ERR_DECRYPT_FAILED:
		case GPG_ERR_NO_DATA:
		case GPG_ERR_BAD_DATA:
		case GPG_ERR_INV_PACKET:
		case GPG_ERR_INV_ARMOR:
		case GPG_ERR_UNKNOWN_PACKET:
		case GPG_ERR_CIPHER_ALGO:
		case GPG_ERR_UNSUPPORTED_ALGORITHM:
		case GPG_ERR_BAD_KEY:
		case GPG_ERR_BAD_MPI:
		case GPG_ERR_CHECKSUM:
		case GPG_ERR_TRUNCATED:
			break;
		default:
			gpg_fail(error, err, "decrypting");
			if ((*error)->code == GPG_ERROR_TRANSIENT)
				return FALSE;
			g_clear_error(error);
		}
		out->decrypt_error = g_strdup_printf("%s%s", gpgme_strerror(err), to);
		return TRUE;
	}
	out->encrypted = TRUE;
	vr = gpgme_op_verify_result(ctx);
	if (vr == NULL || vr->signatures == NULL) {
		*plain = gpg_sink_take(sink);
		return TRUE;
	}
	if (dr->session_key != NULL)
		session_key = g_strdup(dr->session_key);
	first = gpg_sink_take(sink);
	if (session_key != NULL) {
		ok = crypto_verify_decrypted(homes, cipher, session_key, first, out, error);
	} else {
		/* A gpg that gives no session key: unwrap the encryption only
		 * (the same context: vr is done with) and verify what was inside. */
		g_auto(gpgme_data_t) din2 = NULL;
		g_autoptr(GBytes) inner_bytes = NULL, inner_plain = NULL;
		g_autoptr(GpgSink) inner_sink = NULL;
		gpgme_data_t inner = NULL;

		if ((din2 = gpg_data_from_bytes(cipher, error)) == NULL)
			return FALSE;
		if ((inner_sink = crypto_sink(homes, &inner, error)) == NULL)
			return FALSE;
		crypto_arm(homes, &cpu);
		err = gpgme_op_decrypt_ext(ctx, GPGME_DECRYPT_UNWRAP, din2, inner);
		gpg_cpu_disarm(&cpu);
		gpgme_data_release(inner);
		if (gpg_sink_exceeded(inner_sink)) {
			crypto_too_large(inner_sink, out);
			out->encrypted = FALSE;
			return TRUE;
		}
		if (err && gpg_cpu_spent(&cpu)) {
			crypto_too_slow(&cpu, out);
			out->encrypted = FALSE;
			return TRUE;
		}
		if (err)
			return gpg_fail(error, err, "decrypting again");
		inner_bytes = gpg_sink_take(inner_sink);
		ok = crypto_verify(homes, inner_bytes, NULL, &inner_plain, out, error);
		if (ok && out->sig == SIG_GOOD && (inner_plain == NULL || !g_bytes_equal(inner_plain, first)))
			out->sig = SIG_BAD;
	}
	if (ok)
		*plain = g_steal_pointer(&first);
	return ok;
}

/* ---- the MIME tree ---- */

typedef struct {
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
		if (crypto_text_has(GMIME_PART(obj), ARMOR_MSG_BEGIN)) {
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

static GMimeObject *
crypto_text_entity(GBytes *plain)
{
	gsize n;
	const char *p = g_bytes_get_data(plain, &n);
	g_autofree char *text = g_utf8_make_valid(p != NULL ? p : "", n);
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
	sig = crypto_part_content(GMIME_PART(sigpart));
	if (!crypto_signature_plain(sig, out))
		return TRUE;
	data = canonical_bytes(content);
	return crypto_verify(homes, sig, data, NULL, out, error);
}

static gboolean
crypto_open_encrypted(const CryptoHomes *homes, GMimeObject *enc, guint leaves,
                      CryptoIn *out, GError **error)
{
	GMimeMultipart *mp = GMIME_MULTIPART(enc);
	GMimeObject *payload;
	g_autoptr(GBytes) cipher = NULL;
	g_autoptr(GBytes) plain = NULL;
	GMimeObject *entity;

	if (g_mime_multipart_get_count(mp) != 2 ||
	    !GMIME_IS_PART(payload = g_mime_multipart_get_part(mp, GMIME_MULTIPART_ENCRYPTED_CONTENT))) {
		out->decrypt_error = g_strdup("malformed multipart/encrypted");
		return TRUE;
	}
	cipher = crypto_part_content(GMIME_PART(payload));
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
		out->body = crypto_text_entity(plain);
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

gboolean
crypto_in_open(const CryptoHomes *homes, const InMessage *in, CryptoIn *out, GError **error)
{
	GMimeObject *root;
	Walk w = { 0 };
	guint visited = 0;

	memset(out, 0, sizeof *out);
	if (in->message == NULL || in->problem != NULL ||
	    (root = g_mime_message_get_mime_part(in->message)) == NULL)
		return TRUE;
	crypto_walk(root, &w);
	if (w.encrypted != NULL) {
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
