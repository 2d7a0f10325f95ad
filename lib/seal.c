/* seal.c - the one sealing rule: whether a mail goes out encrypted, to
 * whom, and what happens to readers without a usable key, decided by its
 * audience alone (seal.h says the rule). Every outgoing mail is queued
 * here: no writer can send the team something in the clear that this rule
 * would encrypt.
 *
 * Encryption is one gpg run for all of a mail's readers. The keys are
 * first taken at the database's word, without a key listing; when gpg
 * refuses one (revoked, expired, gone from the keyring), the mail is
 * written again and sealed for the keys gpg says can encrypt, so one bad
 * key never keeps a mail from the others. Each try writes the mail anew:
 * sealing takes the message, not its bytes, and a mail is rendered once,
 * when it is queued. seal_row is the only writer of outbox rows. */
#include "seal.h"

#include <string.h>

#include "calendar.h"
#include "crypto-out.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"
#include "log.h"
#include "members.h"
#include "outbox.h"

typedef struct {
	Db *db;
	const SealMail *sm;
	const OutHead *h;
	const char *state_dir;
	char *now_iso;
	char *list_fpr;
	guint *queued;
} Sealer;

static void
sealer_clear(Sealer *s)
{
	g_free(s->now_iso);
	g_free(s->list_fpr);
}

/* What a sealed mail shows outside: the case and nothing more. */
static char *
sealer_outer_subject(const Sealer *s)
{
	return s->h->case_id != NULL ? g_strdup_printf("[%s] ...", s->h->case_id) : g_strdup("...");
}

/* The case, or the list, that a log line is about. */
static const char *
sealer_where(const Sealer *s)
{
	return s->h->case_id != NULL ? s->h->case_id : s->h->list->address;
}

/* M (to TO) written once into an outbox row of H's kind: the only writer of
 * outbox rows, so that no mail reaches the outbox but through this rule. */
static gboolean
seal_row(Db *db, const OutHead *h, char **to, GMimeMessage *m, const char *message_id,
         const char *subject, gsize size_hint, GError **error)
{
	g_autofree char *now_iso = calendar_iso(h->now);
	g_autofree char *envelope = outmail_envelope(h);
	g_autoptr(GBytes) body = outmail_render(m, size_hint);
	OutMail out = {
		.list = h->list->address,
		.case_id = h->case_id,
		.cause = h->cause,
		.kind = h->kind,
		.envelope_from = envelope,
		.recipients = to,
		.message_id = message_id,
		.subject = subject,
		.body = body,
	};

	return outbox_add(db, &out, now_iso, error);
}

static GMimeMessage *
seal_text_build(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	g_autofree char *subject = outmail_subject(h);
	g_autofree char *message_id = outbox_new_message_id(h->list->domain);
	GMimeMessage *m = outmail_message(h, to, subject, message_id);
	g_autoptr(GMimeObject) part = outmail_text(data);

	(void)sealed;
	(void)error;
	g_mime_message_set_mime_part(m, part);
	return m;
}

/* Writes the mail for TO, seals it for FPRS in ENC_HOME (FPRS NULL: in the
 * clear) and queues it. Without CHECK, a refusal by gpg of some of FPRS is
 * no error: *REFUSED is set, nothing queued, and the caller tries again
 * with the keys checked. */
static gboolean
sealer_send(Sealer *s, char **to, char **fprs, const char *enc_home, gboolean check,
            gboolean *refused, GError **error)
{
	const SealMail *sm = s->sm;
	GError *local = NULL;
	g_autoptr(GMimeMessage) m = sm->build != NULL
	                                    ? sm->build(sm->data, s->h, to, fprs != NULL, &local)
	                                    : seal_text_build((gpointer)sm->text, s->h, to, fprs != NULL,
	                                                      &local);
	g_autofree char *subject = NULL, *message_id = NULL;

	if (refused != NULL)
		*refused = FALSE;
	if (m == NULL) {
		if (local == NULL)
			return TRUE;
		g_propagate_error(error, local);
		return FALSE;
	}
	subject = g_strdup(g_mime_message_get_subject(m));
	message_id = g_strdup(g_mime_message_get_message_id(m));
	if (fprs != NULL) {
		g_autofree char *list_home =
			keyring_home(s->state_dir, s->h->list->address, KEYRING_LIST);
		g_autofree char *outer = sealer_outer_subject(s);
		SealKeys keys = { .list_home = list_home, .list_fpr = s->list_fpr, .enc_home = enc_home };
		g_auto(GStrv) unusable = NULL;

		if (!crypto_out_seal_message(&keys, fprs, outer, m, check ? NULL : &unusable, error)) {
			if (unusable == NULL || refused == NULL)
				return FALSE;
			g_autofree char *names = g_strjoinv(", ", unusable);
			log_info("%s: %s mail: gpg refused the key(s) %s; checking each reader's key",
			         sealer_where(s), s->h->kind, names);
			g_clear_error(error);
			*refused = TRUE;
			return TRUE;
		}
	}
	if (!seal_row(s->db, s->h, to, m, message_id, subject, sm->size_hint, error))
		return FALSE;
	if (s->queued != NULL)
		(*s->queued)++;
	return TRUE;
}

gboolean
seal_split_team(Db *db, const EmbargoList *list, const char *members_home, char **team,
                const char *now_iso, char ***keyed, char ***fprs, char ***keyless, GError **error)
{
	g_autoptr(GPtrArray) members = member_list(db, list->address, error);
	g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func(g_free);

	if (members == NULL)
		return FALSE;
	for (char **a = team; *a != NULL; a++) {
		const char *fpr = "";
		for (guint i = 0; i < members->len; i++) {
			const Member *m = members->pdata[i];
			if (strcmp(m->address, *a) == 0 && m->fingerprint != NULL &&
			    (m->expires == NULL || strcmp(m->expires, now_iso) > 0))
				fpr = m->fingerprint;
		}
		g_ptr_array_add(want, g_strdup(fpr));
	}
	g_ptr_array_add(want, NULL);
	return crypto_out_split(members_home, team, (char **)want->pdata, keyed, fprs, keyless, error);
}

/* TEAM and READERS: one mail sealed to every reader of TO with a usable
 * key; the rest skipped, or (the team, keyless_members = plain) sent their
 * own plain copy. A pre-release list's readers have no record of their
 * keys' state in the database: theirs are always checked. */
static gboolean
sealer_readers(Sealer *s, char **to, GError **error)
{
	const SealMail *sm = s->sm;
	const EmbargoList *list = s->h->list;
	gboolean readers = s->h->audience == AUDIENCE_READERS;
	g_autofree char *members_home = keyring_home(s->state_dir, list->address, KEYRING_MEMBERS);
	const char *enc_home = readers ? sm->enc_home : members_home;
	g_auto(GStrv) keyless = NULL;
	g_autofree char *names = NULL;

	for (gboolean check = readers;; check = TRUE) {
		g_auto(GStrv) keyed = NULL, fprs = NULL;
		gboolean refused = FALSE, ok;

		g_clear_pointer(&keyless, g_strfreev);
		ok = readers ? crypto_out_split(enc_home, to, sm->to_fprs, &keyed, &fprs, &keyless, error)
		             : seal_split_team(s->db, list, check ? members_home : NULL, to, s->now_iso,
		                               &keyed, &fprs, &keyless, error);
		if (!ok)
			return FALSE;
		if (keyed[0] != NULL &&
		    !sealer_send(s, keyed, fprs, enc_home, check, check ? NULL : &refused, error))
			return FALSE;
		if (!refused)
			break;
	}
	if (keyless[0] == NULL)
		return TRUE;
	names = g_strjoinv(", ", keyless);
	if (readers || !list->keyless_plain) {
		log_warn("%s: %s mail not sent to %s: no usable key%s", sealer_where(s), s->h->kind, names,
		         readers ? "" : " (keyless_members = skip)");
		return TRUE;
	}
	log_warn("%s: %s mail sent unencrypted to %s: no usable key (keyless_members = plain)",
	         sealer_where(s), s->h->kind, names);
	return sealer_send(s, keyless, NULL, NULL, FALSE, NULL, error);
}

/* The key on file for ADDRESS that mail to them is sealed to, in *FPR, or
 * NULL for none. The database's word is taken (the key could encrypt when
 * it was kept, and has not expired by its recorded date); CHECK asks gpg
 * too, after it refused the key. FALSE with ERROR on an error. */
static gboolean
sealer_person_key(Sealer *s, const char *home, const char *address, gboolean check, char **fpr,
                  GError **error)
{
	g_autofree char *have = NULL;
	g_auto(GStrv) usable = NULL;
	char *fprs[2] = { NULL, NULL };

	*fpr = NULL;
	if (!keystore_reporter_key(s->db, s->h->list->address, address, s->now_iso, &have, error))
		return FALSE;
	if (have == NULL)
		return TRUE;
	if (check) {
		fprs[0] = have;
		usable = crypto_out_usable(home, fprs, error);
		if (usable == NULL)
			return FALSE;
		if (usable[0] == NULL) {
			log_warn("%s: the key %s of %s is no longer usable: mail to them is not encrypted",
			         sealer_where(s), have, address);
			return TRUE;
		}
	}
	*fpr = g_steal_pointer(&have);
	return TRUE;
}

/* REPORTER and STRANGER: each address its own mail, sealed to the key we
 * hold for it, plain when we hold none. */
static gboolean
sealer_person(Sealer *s, const char *address, GError **error)
{
	g_autofree char *home = keyring_home(s->state_dir, s->h->list->address, KEYRING_REPORTERS);
	char *rcpt[2] = { (char *)address, NULL };

	for (gboolean check = FALSE;; check = TRUE) {
		g_autofree char *fpr = NULL;
		gboolean refused = FALSE;
		char *fprs[2] = { NULL, NULL };

		if (!sealer_person_key(s, home, address, check, &fpr, error))
			return FALSE;
		fprs[0] = fpr;
		if (!sealer_send(s, rcpt, fpr != NULL ? fprs : NULL, home, check,
		                 check ? NULL : &refused, error))
			return FALSE;
		if (!refused)
			return TRUE;
	}
}

gboolean
seal_queue(Db *db, const char *state_dir, const SealMail *sm, guint *queued, GError **error)
{
	const OutHead *h = sm->head;
	g_auto(GStrv) team = NULL;
	char **to = sm->to;
	Sealer s = { .db = db, .sm = sm, .h = h, .state_dir = state_dir, .queued = queued };
	gboolean ok = TRUE;

	g_return_val_if_fail(h != NULL && h->list != NULL && h->kind != NULL && h->now != NULL, FALSE);
	g_return_val_if_fail(to != NULL || h->audience == AUDIENCE_TEAM, FALSE);
	/* embargoctl sends mail too; GMime counts its initialisations. */
	g_mime_init();
	if (to == NULL) {
		team = member_addresses(db, h->list->address, sm->except, error);
		if (team == NULL)
			return FALSE;
		to = team;
	}
	if (to[0] == NULL)
		return TRUE;
	s.now_iso = calendar_iso(h->now);
	if (!keystore_list_key(db, h->list->address, &s.list_fpr, error)) {
		sealer_clear(&s);
		return FALSE;
	}
	if (s.list_fpr == NULL) {
		if (h->audience == AUDIENCE_READERS)
			log_warn("%s: %s mail not sent: the list has no key to encrypt it with",
			         sealer_where(&s), h->kind);
		else
			ok = sealer_send(&s, to, NULL, NULL, FALSE, NULL, error);
	} else if (h->audience == AUDIENCE_TEAM || h->audience == AUDIENCE_READERS) {
		ok = sealer_readers(&s, to, error);
	} else {
		for (char **a = to; ok && *a != NULL; a++)
			ok = sealer_person(&s, *a, error);
	}
	sealer_clear(&s);
	return ok;
}
