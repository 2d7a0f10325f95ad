/* protect.c - the OpenPGP side of one delivery, between deliver.c and the
 * crypto modules: which keyring verifies this sender (members' for a member,
 * as route_is_member decides, reporters' for anyone else), what the
 * opened message means for routing (the protected subject, "could not
 * decrypt" as the message's problem), which reporter key to keep, and which
 * members can get an encrypted copy. A list without a key of its own is left
 * exactly as it was before OpenPGP: everything plain. */
#include "protect.h"

#include <string.h>

#include "address.h"
#include "crypto-out.h"
#include "teammail.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"
#include "log.h"
#include "members.h"
#include "route.h"

void
protect_clear(Protect *p)
{
	g_clear_pointer(&p->list_fpr, g_free);
	g_clear_pointer(&p->list_home, g_free);
	g_clear_pointer(&p->members_home, g_free);
	g_clear_pointer(&p->reporters_home, g_free);
	crypto_in_clear(&p->in);
	g_clear_pointer(&p->encryption_text, g_free);
	g_clear_pointer(&p->signature_text, g_free);
	g_clear_pointer(&p->ack_note, g_free);
	g_clear_pointer(&p->sender_fpr, g_free);
	g_clear_pointer(&p->sender_expires, g_free);
	g_clear_pointer(&p->outer_subject, g_free);
}

/* Keeps the sender's key in the reporters' home when it is fit for them.
 * TRUE when it was imported. A key that is unfit is only logged. */
static gboolean
protect_import_sender_key(Protect *p, const InMessage *in, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *problems = NULL;
	KeyCheck check;

	if (p->in.sender_key == NULL || p->from_member || in->from_addr == NULL)
		return TRUE;
	if (!keyring_check(p->reporters_home, p->in.sender_key, in->from_addr, &check, &err)) {
		if (err->code == GPG_ERROR_TRANSIENT) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
		log_warn("the key sent by %s is not kept: %s", in->from_addr, err->message);
		return TRUE;
	}
	problems = keycheck_problems(&check);
	if (problems != NULL) {
		log_warn("the key %s sent by %s is not kept: %s", check.fingerprint, in->from_addr, problems);
		keycheck_clear(&check);
		return TRUE;
	}
	if (!keyring_import(p->reporters_home, p->in.sender_key, &err)) {
		keycheck_clear(&check);
		if (err->code == GPG_ERROR_TRANSIENT) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
		log_warn("the key sent by %s is not kept: %s", in->from_addr, err->message);
		return TRUE;
	}
	p->sender_fpr = g_steal_pointer(&check.fingerprint);
	p->sender_expires = gpg_expiry_iso(check.expires);
	return TRUE;
}

static void
protect_texts(Protect *p, const char *pinned)
{
	const CryptoIn *c = &p->in;
	g_autofree char *partial = g_strdup_printf(
		"%s%s", c->sig_partial ? "; it covers only part of the message" : "",
		pinned != NULL && c->sig == SIG_GOOD && g_strcmp0(pinned, c->signer) != 0
			? "; NOT the key on file for the sender"
			: "");

	if (c->decrypt_error != NULL)
		p->encryption_text = g_strdup_printf("encrypted, could not decrypt (%s)", c->decrypt_error);
	else if (c->encrypted)
		p->encryption_text =
			g_strdup_printf("decrypted (was encrypted to the list key)%s",
			                c->unprotected_removed ? "; unprotected parts removed" : "");
	if (c->sig != SIG_NONE)
		p->signature_text =
			g_strdup_printf("%s%s%s, checked against the %s' keys%s", crypto_sig_name(c->sig),
			                c->signer != NULL && *c->signer ? ", key " : "",
			                c->signer != NULL ? c->signer : "", p->from_member ? "members" : "reporters",
			                partial);
}

gboolean
protect_open(Db *db, const EmbargoConfig *config, const EmbargoList *list, InMessage *in,
             const char *envelope_from, Protect *p, GError **error)
{
	CryptoHomes homes;
	int member;

	memset(p, 0, sizeof *p);
	p->list_fpr = keystore_list_key(db, list->address, error);
	if (error != NULL && *error != NULL)
		return FALSE;
	p->list_home = keyring_home(config->state_dir, list->address, KEYRING_LIST);
	p->members_home = keyring_home(config->state_dir, list->address, KEYRING_MEMBERS);
	p->reporters_home = keyring_home(config->state_dir, list->address, KEYRING_REPORTERS);
	/* the same rule as routing's: a key is checked against the members'
	 * keyring only for mail that routing will take as a member's */
	member = route_is_member(db, config, list, in, envelope_from, error);
	if (member < 0)
		return FALSE;
	p->from_member = member > 0;
	if (!keyring_ensure_home(p->members_home, error) || !keyring_ensure_home(p->reporters_home, error)) {
		g_prefix_error(error, "gpg: ");
		return FALSE;
	}
	homes = (CryptoHomes){
		.list_home = p->list_home,
		.verify_home = p->from_member ? p->members_home : p->reporters_home,
		.list_fpr = p->list_fpr,
	};
	if (!crypto_in_open(&homes, in, &p->in, error))
		return FALSE;
	if (!protect_import_sender_key(p, in, error))
		return FALSE;
	/* A key sent with a signed message: verify again now that we hold it. */
	if (p->sender_fpr != NULL && p->in.sig == SIG_UNKNOWN_KEY) {
		crypto_in_clear(&p->in);
		if (!crypto_in_open(&homes, in, &p->in, error))
			return FALSE;
	}
	if (p->in.inner_subject != NULL && *p->in.inner_subject != '\0') {
		p->outer_subject = g_steal_pointer(&in->subject);
		in->subject = g_strdup(p->in.inner_subject);
	}
	if (p->in.decrypt_error != NULL && in->problem == NULL)
		in->problem = g_strdup_printf("could not decrypt: %s", p->in.decrypt_error);
	if ((p->in.encrypted || p->in.decrypt_error != NULL) && p->sender_fpr == NULL && !p->from_member)
		p->ack_note = g_strdup(
			"You wrote to us encrypted, but we have no key of yours, so this reply is not\n"
			"encrypted and says nothing about your report. To get our answers encrypted,\n"
			"attach your OpenPGP public key (application/pgp-keys) to your next mail.");
	if (p->from_member) {
		g_autoptr(GPtrArray) keys = member_list(db, list->address, error);
		const char *pinned = "";
		if (keys == NULL)
			return FALSE;
		for (guint i = 0; i < keys->len; i++) {
			Member *mk = keys->pdata[i];
			if (strcmp(mk->address, in->from_addr) == 0 && mk->fingerprint != NULL)
				pinned = mk->fingerprint;
		}
		protect_texts(p, pinned);
	} else {
		protect_texts(p, NULL);
	}
	return TRUE;
}

gboolean
protect_store(Db *db, const EmbargoList *list, const InMessage *in, Protect *p,
              sqlite3_int64 message, const char *now_iso, GError **error)
{
	if (p->in.encrypted || p->in.sig != SIG_NONE || p->in.decrypt_error != NULL)
		if (!keystore_set_message_crypto(db, message, p->in.encrypted, crypto_sig_name(p->in.sig),
		                                 p->in.signer, p->in.sig_partial, error))
			return FALSE;
	if (p->sender_fpr != NULL &&
	    !keystore_set_reporter_key(db, list->address, in->from_addr, p->sender_fpr, p->sender_expires,
	                               now_iso, error))
		return FALSE;
	return TRUE;
}

void
protect_ctx(const Protect *p, ComposeCtx *ctx)
{
	ctx->body = p->in.body;
	ctx->encryption = p->encryption_text;
	ctx->signature = p->signature_text;
	ctx->ack_note = p->ack_note;
}

/* Splits TEAM into members with a usable key (KEYED, with FPRS in the same
 * order) and the rest (KEYLESS): no key, or expired by the database's date;
 * with CHECK also unusable in the members' keyring, which costs a key
 * listing (a gpg run). Without it the database's word is taken (each key
 * could encrypt when it was imported): a key that became unusable since
 * makes the sealing fail, naming it, and the caller splits again with
 * CHECK. */
gboolean
protect_split_team(Db *db, const EmbargoList *list, Protect *p, char **team, const char *now_iso,
                   gboolean check, char ***keyed, char ***fprs, char ***keyless, GError **error)
{
	/* Without a home to look in, crypto_out_split trusts the fingerprints. */
	return team_split_keys(db, list, check ? p->members_home : NULL, team, now_iso, keyed, fprs,
	                       keyless, error);
}

/* Seals MAIL for FPRS in ENC_HOME; when gpg refuses some of the keys,
 * *UNUSABLE (if not NULL) names them (see crypto_out_seal_to). */
gboolean
protect_seal(const Protect *p, const char *enc_home, char **fprs, const char *case_id,
             Composed *mail, char ***unusable, GError **error)
{
	SealKeys keys = { .list_home = p->list_home, .list_fpr = p->list_fpr, .enc_home = enc_home };
	g_autofree char *outer = g_strdup_printf("[%s] ...", case_id);

	return crypto_out_seal_to(&keys, fprs, outer, mail, unusable, error);
}
