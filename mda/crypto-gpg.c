/* crypto-gpg.c - the gpg side of opening incoming mail (crypto-in.c):
 * decrypting in the list's home and verifying in the home the caller names,
 * through GPGME, with the bounds on what gpg may write and how long it may
 * compute.
 *
 * Decryption is GPGME's, never GMime's: GMime drops the missing-MDC flag
 * and writes plaintext out before gpg has said whether the data was intact.
 * Here every byte of output is thrown away unless gpg reported success,
 * integrity protection and a modern cipher (EFAIL). For a
 * signed-then-encrypted OpenPGP message the list's home, which holds the
 * secret key, hands out the message's session key, and the message is
 * decrypted and verified again in one operation in the verifying home with
 * that session key, which needs no secret key; its verdict is the one
 * used. */
#include "crypto-gpg.h"

#include <string.h>

#include "gpg.h"
#include "gpgcpu.h"
#include "gpgsink.h"
#include "log.h"

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
gboolean
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
gboolean
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
