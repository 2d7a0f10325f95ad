/* protect.c - the OpenPGP side of one delivery, between deliver.c and the
 * crypto modules: which keyring verifies this sender (members' for a member,
 * as route_is_member decides, reporters' for anyone else), what the
 * opened message means for routing (the protected subject, "could not
 * decrypt" as the message's problem), which reporter key to keep (by
 * pendingkey.c's rule: the rest is held and the team told). Sealing what
 * goes out is seal.c's. */
#include "protect.h"

#include <string.h>

#include "address.h"
#include "calendar.h"
#include "cases.h"
#include "crypto-out.h"
#include "teammail.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"
#include "log.h"
#include "members.h"
#include "pendingkey.h"
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
	g_clear_pointer(&p->on_file, g_free);
	g_clear_pointer(&p->offered_fpr, g_free);
	g_clear_pointer(&p->outer_subject, g_free);
}

/* TRUE when a good signature by FPR covers the key the mail offered. */
static gboolean
protect_signed_by(const Protect *p, const char *fpr)
{
	return fpr != NULL && p->in.sig == SIG_GOOD && p->in.sender_key_signed &&
	       p->in.signer != NULL && g_ascii_strcasecmp(p->in.signer, fpr) == 0;
}

static gboolean
protect_import(Protect *p, const InMessage *in, GError **error)
{
	g_autoptr(GError) err = NULL;

	if (keyring_import(p->reporters_home, p->in.sender_key, &err)) {
		p->offered_imported = TRUE;
		return TRUE;
	}
	if (err->code == GPG_ERROR_TRANSIENT) {
		g_propagate_error(error, g_steal_pointer(&err));
		return FALSE;
	}
	log_warn("the key sent by %s is not kept: %s", in->from_addr, err->message);
	g_clear_pointer(&p->offered_fpr, g_free);
	return TRUE;
}

/* Looks at the key the sender offered, before the transaction: whether it
 * is fit for them at all, and the key on file for their address. It is
 * imported into the reporters' home now only when this mail may make it
 * the key on file (protect_keep_key decides, in the transaction), so that
 * a signature by it can be checked; a key that can only be held is not.
 * Encryption always names the fingerprint on file, so a key in that home
 * and not on file never receives anything. */
static gboolean
protect_offer_key(Db *db, const EmbargoList *list, Protect *p, const InMessage *in,
                  GError **error)
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
	p->offered_fpr = g_steal_pointer(&check.fingerprint);
	keycheck_clear(&check);
	if (!keystore_reporter_key_on_file(db, list->address, in->from_addr, &p->on_file, error))
		return FALSE;
	if (p->on_file != NULL && g_ascii_strcasecmp(p->on_file, p->offered_fpr) != 0 &&
	    !protect_signed_by(p, p->on_file))
		return TRUE;
	return protect_import(p, in, error);
}

/* PINNED: the sender's key on file ("" for none), NULL for no judgement;
 * OFFERED: the key the mail brought, which may not be on file yet. */
static void
protect_texts(Protect *p, const char *pinned, const char *offered)
{
	const CryptoIn *c = &p->in;
	gboolean other = pinned != NULL && c->sig == SIG_GOOD && g_strcmp0(pinned, c->signer) != 0;
	g_autofree char *partial = g_strdup_printf(
		"%s%s", c->sig_partial ? "; it covers only part of the message" : "",
		!other ? ""
		: offered != NULL && g_strcmp0(offered, c->signer) == 0
			? "; by the key that came with this mail, not a key on file"
			: "; NOT the key on file for the sender");

	if (c->decrypt_error != NULL)
		p->encryption_text = g_strdup_printf("encrypted, could not decrypt (%s)", c->decrypt_error);
	else if (c->encrypted)
		p->encryption_text =
			g_strdup_printf("decrypted (was encrypted to the list key)%s%s",
			                c->exchange_repaired
			                    ? "; repaired: a mail server had rewritten its PGP/MIME "
			                      "as multipart/mixed"
			                    : "",
			                c->unprotected_removed ? "; unprotected parts removed" : "");
	if (c->sig == SIG_SMIME_UNVERIFIED)
		p->signature_text = g_strdup_printf("S/MIME signature, not verified%s", partial);
	else if (c->sig != SIG_NONE)
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
	if (!keystore_list_key(db, list->address, &p->list_fpr, error))
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
		.max_plain = config_max_decrypted(config, list),
		.max_seconds = config->decrypt_time_limit,
	};
	if (!crypto_in_open(&homes, in, &p->in, error))
		return FALSE;
	if (!protect_offer_key(db, list, p, in, error))
		return FALSE;
	/* A key sent with a signed message: verify again now that we hold it. */
	if (p->offered_imported && p->in.sig == SIG_UNKNOWN_KEY) {
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
	if (p->in.foreign_armor && in->notes != NULL)
		g_ptr_array_add(in->notes, g_strdup("the text holds a PGP message not encrypted to "
		                                    "the list's key: shown as it is"));
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
		protect_texts(p, pinned, NULL);
	} else {
		protect_texts(p, p->on_file != NULL ? p->on_file : "", p->offered_fpr);
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
	(void)list;
	(void)in;
	(void)now_iso;
	return TRUE;
}

/* The acknowledgement's word to a reporter who wrote encrypted and whose
 * key we do not hold (HAVE_KEY FALSE). */
static void
protect_ack_note(Protect *p, gboolean have_key, gboolean held)
{
	if ((p->in.encrypted || p->in.decrypt_error != NULL) && !have_key && !p->from_member && held)
		p->ack_note = g_strdup(
			"You wrote to us encrypted, but we do not use the key you sent before a member\n"
			"of the team has confirmed it with you, so this reply is not encrypted and says\n"
			"nothing about your report.");
	else if ((p->in.encrypted || p->in.decrypt_error != NULL) && !have_key && !p->from_member)
		p->ack_note = g_strdup(
			"You wrote to us encrypted, but we have no key of yours, so this reply is not\n"
			"encrypted and says nothing about your report. To get our answers encrypted,\n"
			"attach your OpenPGP public key (application/pgp-keys) to your next mail; a\n"
			"member of the team confirms it with you before we use it.");
}

/* Whether ADDRESS reported other cases than CASE_ID on LIST: 1, 0, -1 on error. */
static int
protect_other_cases(Db *db, const EmbargoList *list, const char *address, const char *case_id,
                    GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT EXISTS (SELECT 1 FROM cases WHERE list = ?1 AND reporter = ?2 "
	                           "AND id IS NOT ?3)",
	                           error);
	int found = -1;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, list->address);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, case_id);
	if (db_step(db, st, error) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return found;
}

/* Tells the team about the key FPR of ADDRESS: HELD (with WHY) or taken
 * in place of OLD. */
static gboolean
protect_key_notice(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                   const InMessage *in, const char *case_id, sqlite3_int64 message,
                   const char *fpr, const char *old, gboolean held, const char *why,
                   GDateTime *now, guint *queued, GError **error)
{
	g_autoptr(GString) text = g_string_new(NULL);
	g_autofree char *subject = NULL;
	g_autofree char *thread = NULL;
	TeamMail tm;

	if (case_id != NULL)
		thread = g_strdup_printf("%s+%s@%s", list->local, case_id, list->domain);
	if (held) {
		subject = g_strdup_printf("OpenPGP key held for %s", in->from_addr);
		g_string_append_printf(text,
		                       "A mail from %s (Message-ID <%s>) offered this OpenPGP key for\n"
		                       "that address:\n\n  %s\n\n"
		                       "It was NOT taken: %s.\n"
		                       "Anyone can write a From line or an Autocrypt header, so a key that\n"
		                       "comes by mail is taken on its own only from the report that opens a\n"
		                       "case, or signed by the key already on file.\n\n",
		                       in->from_addr, in->message_id != NULL ? in->message_id : "", fpr,
		                       why);
		if (old != NULL)
			g_string_append_printf(text, "Mail to %s stays encrypted to the key on file:\n\n  %s\n\n",
			                       in->from_addr, old);
		else
			g_string_append_printf(text, "We hold no key of %s: mail to them stays unencrypted.\n\n",
			                       in->from_addr);
		g_string_append_printf(text,
		                       "If the key is really theirs (compare its fingerprint with them by\n"
		                       "another way than this mail), a member accepts it with this line at\n"
		                       "the top of a mail to a case's team thread%s%s:\n\n"
		                       "  #key accept %s\n\n"
		                       "or with: embargoctl key accept %s %s\n"
		                       "\"#key drop %s\" forgets it.\n",
		                       thread != NULL ? ", e.g. " : "", thread != NULL ? thread : "", fpr,
		                       list->address, fpr, fpr);
	} else {
		subject = g_strdup_printf("OpenPGP key of %s changed", in->from_addr);
		g_string_append_printf(text,
		                       "A mail from %s (Message-ID <%s>), signed by the key on file\n\n"
		                       "  %s\n\n"
		                       "gave a new key, which is now the one on file:\n\n  %s\n\n"
		                       "Mail to %s is encrypted to the new key from now on.\n",
		                       in->from_addr, in->message_id != NULL ? in->message_id : "", old, fpr,
		                       in->from_addr);
	}
	tm = (TeamMail){
		.case_id = case_id,
		.cause = message,
		.kind = "notice",
		.notice = TRUE,
		.subject = subject,
		.text = text->str,
		.now = now,
	};
	return teammail_queue(db, config, list, &tm, queued, error);
}

/* Inside the transaction, once the message is routed: the key the mail
 * offered (protect_offer_key) becomes the sender's key on file, or is held
 * and the team told (pendingkey.c has the rule). OPENS_CASE: the mail is
 * the report that opened CASE_ID now. */
gboolean
protect_keep_key(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                 const InMessage *in, Protect *p, gboolean opens_case, const char *case_id,
                 sqlite3_int64 message, GDateTime *now, guint *queued, GError **error)
{
	g_autofree char *now_iso = calendar_iso(now);
	g_autofree char *on_file = NULL, *expires_iso = NULL;
	g_autoptr(GError) err = NULL;
	const char *why = NULL;
	KeyOfferVerdict verdict;
	KeyOffer offer;
	gint64 expires;
	gboolean usable, is_new;
	int others = 0;

	if (p->offered_fpr == NULL) {
		protect_ack_note(p, p->on_file != NULL, FALSE);
		return TRUE;
	}
	/* Read again: the transaction's word is the one that counts. */
	if (!keystore_reporter_key_on_file(db, list->address, in->from_addr, &on_file, error))
		return FALSE;
	if (on_file == NULL && opens_case &&
	    (others = protect_other_cases(db, list, in->from_addr, case_id, error)) < 0)
		return FALSE;
	offer = (KeyOffer){
		.on_file = on_file,
		.offered = p->offered_fpr,
		.signed_by_on_file = protect_signed_by(p, on_file),
		.opens_case = opens_case,
		.other_cases = others > 0,
	};
	verdict = pendingkey_verdict(&offer, &why);
	if (verdict == KEYOFFER_HOLD) {
		protect_ack_note(p, on_file != NULL, TRUE);
		log_warn("%s: the key %s sent by %s is held: %s", case_id != NULL ? case_id : "no case",
		         p->offered_fpr, in->from_addr, why);
		if (!pendingkey_hold(db, list->address, in->from_addr, p->offered_fpr, p->in.sender_key,
		                     case_id, message, why, now_iso, &is_new, error))
			return FALSE;
		if (case_id != NULL &&
		    !event_add(db, case_id, now_iso, "embargo", "key-held", p->offered_fpr, message, error))
			return FALSE;
		return !is_new || protect_key_notice(db, config, list, in, case_id, message,
		                                     p->offered_fpr, on_file, TRUE, why, now, queued,
		                                     error);
	}
	if (!p->offered_imported && !protect_import(p, in, error))
		return FALSE;
	if (p->offered_fpr == NULL ||
	    !keyring_key_expiry(p->reporters_home, p->offered_fpr, &expires, &usable, &err) || !usable) {
		if (err != NULL && err->code == GPG_ERROR_TRANSIENT) {
			g_propagate_error(error, g_steal_pointer(&err));
			return FALSE;
		}
		if (p->offered_fpr != NULL)
			log_warn("the key %s sent by %s is not kept: %s", p->offered_fpr, in->from_addr,
			         err != NULL ? err->message : "it cannot encrypt");
		protect_ack_note(p, on_file != NULL, FALSE);
		return TRUE;
	}
	expires_iso = gpg_expiry_iso(expires);
	if (!keystore_set_reporter_key(db, list->address, in->from_addr, p->offered_fpr, expires_iso,
	                               now_iso, error) ||
	    !pendingkey_forget(db, list->address, in->from_addr, p->offered_fpr, error))
		return FALSE;
	if (verdict == KEYOFFER_REFRESH || on_file == NULL)
		return TRUE;
	log_info("%s: the key of %s changed from %s to %s, signed by the old one",
	         case_id != NULL ? case_id : "no case", in->from_addr, on_file, p->offered_fpr);
	if (case_id != NULL &&
	    !event_add(db, case_id, now_iso, "embargo", "key-changed", p->offered_fpr, message, error))
		return FALSE;
	return protect_key_notice(db, config, list, in, case_id, message, p->offered_fpr, on_file,
	                          FALSE, NULL, now, queued, error);
}

void
protect_ctx(const Protect *p, ComposeCtx *ctx)
{
	ctx->body = p->in.body;
	ctx->encryption = p->encryption_text;
	ctx->signature = p->signature_text;
	ctx->ack_note = p->ack_note;
}
