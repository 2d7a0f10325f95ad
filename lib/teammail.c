/* teammail.c - writes and queues the list's own short mails to its team.
 *
 * These mails carry what the team decided about a case, never the report,
 * but they still name cases and what is wrong with them; so they follow the
 * rule of the team's copies: one mail encrypted to every reader with a
 * usable key when the list has a key, readers without a key skipped unless
 * the list allows plain copies. */
#include "teammail.h"

#include <string.h>

#include "calendar.h"
#include "caseid.h"
#include "composed.h"
#include "crypto-out.h"
#include "gmime-autoptr.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"
#include "log.h"
#include "members.h"
#include "outbox.h"

/* Splits TEAM into readers with a usable key (KEYED, with FPRS) and the
 * rest (KEYLESS). Keys come from the members' table and home. */
gboolean
team_split_keys(Db *db, const EmbargoList *list, const char *members_home, char **team,
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

static GMimeMessage *
teammail_message(const EmbargoList *list, const TeamMail *tm, char **to, const char *subject,
                 const char *message_id)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeObject *obj = GMIME_OBJECT(m);
	g_autoptr(GMimeTextPart) part = g_mime_text_part_new_with_subtype("plain");
	g_autofree char *list_id = g_strdup_printf("<%s.%s>", list->local, list->domain);

	InternetAddress *from = internet_address_mailbox_new(list->name, list->address);

	internet_address_list_add(g_mime_message_get_from(m), from);
	g_object_unref(from);
	for (char **r = to; *r != NULL; r++) {
		InternetAddress *a = internet_address_mailbox_new(NULL, *r);
		internet_address_list_add(g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO), a);
		g_object_unref(a);
	}
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_date(m, tm->now);
	g_mime_message_set_message_id(m, message_id);
	g_mime_object_set_header(obj, OUTBOX_LOOP_HEADER, list->address, NULL);
	g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
	g_mime_object_set_header(obj, "List-Id", list_id, NULL);
	if (tm->case_id != NULL) {
		g_autofree char *team = caseid_address(list->local, list->domain, tm->case_id, NULL);
		g_mime_object_set_header(obj, "Reply-To", team, NULL);
		g_mime_object_set_header(obj, "X-Embargo-Case", tm->case_id, NULL);
	}
	g_mime_text_part_set_text(part, tm->text);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	return m;
}

static Composed *
teammail_compose(const EmbargoList *list, const TeamMail *tm, char **to)
{
	Composed *c = g_new0(Composed, 1);
	g_autoptr(GMimeMessage) m = NULL;
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new();
	GByteArray *bytes;

	c->message_id = outbox_new_message_id(list->domain);
	c->subject = tm->case_id != NULL && strstr(tm->subject, tm->case_id) == NULL
	                     ? g_strdup_printf("[%s] %s", tm->case_id, tm->subject)
	                     : g_strdup(tm->subject);
	m = teammail_message(list, tm, to, c->subject, c->message_id);
	g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	c->body = g_bytes_new(bytes->data, bytes->len);
	return c;
}

static gboolean
teammail_add(Db *db, const EmbargoList *list, const TeamMail *tm, char **to, Composed *mail,
             guint *queued, GError **error)
{
	g_autofree char *now_iso = calendar_iso(tm->now);
	OutMail out = {
		.list = list->address,
		.case_id = tm->case_id,
		.cause = tm->cause,
		.kind = tm->kind,
		.envelope_from = list->address,
		.recipients = to,
		.message_id = mail->message_id,
		.subject = mail->subject,
		.body = mail->body,
	};

	if (!outbox_add(db, &out, now_iso, error))
		return FALSE;
	if (queued != NULL)
		(*queued)++;
	return TRUE;
}

/* The sealed mail to the readers of TO with a usable key, queued; the rest
 * in *KEYLESS. The team's keys are first taken as the database recorded
 * them (CHECK FALSE), as deliveries do, without a key listing: when gpg
 * then refuses one, *REFUSED is set and nothing is queued, and the caller
 * asks again with CHECK, where each key is looked at in the keyring. A
 * pre-release list's readers have no such record: always checked. */
static gboolean
teammail_encrypted(Db *db, const EmbargoConfig *config, const EmbargoList *list, const TeamMail *tm,
                   const char *list_fpr, char **to, gboolean check, guint *queued,
                   char ***keyless, gboolean *refused, GError **error)
{
	g_autofree char *now_iso = calendar_iso(tm->now);
	g_autofree char *list_home = keyring_home(config->state_dir, list->address, KEYRING_LIST);
	g_autofree char *members_home =
		keyring_home(config->state_dir, list->address, KEYRING_MEMBERS);
	const char *enc_home = tm->recipients != NULL ? tm->enc_home : members_home;
	g_auto(GStrv) keyed = NULL, fprs = NULL, unusable = NULL;
	SealKeys keys = { .list_home = list_home, .list_fpr = list_fpr, .enc_home = enc_home };
	g_autoptr(Composed) mail = NULL;
	g_autofree char *outer = NULL;
	gboolean ok;

	if (tm->recipients != NULL)
		ok = crypto_out_split(enc_home, to, tm->recipient_fprs, &keyed, &fprs, keyless, error);
	else
		ok = team_split_keys(db, list, check ? members_home : NULL, to, now_iso, &keyed, &fprs,
		                     keyless, error);
	if (!ok || keyed[0] == NULL)
		return ok;
	mail = teammail_compose(list, tm, keyed);
	outer = tm->case_id != NULL ? g_strdup_printf("[%s] ...", tm->case_id) : g_strdup("...");
	if (!crypto_out_seal_to(&keys, fprs, outer, mail, check ? NULL : &unusable, error)) {
		if (unusable != NULL) {
			g_autofree char *names = g_strjoinv(", ", unusable);
			log_info("%s: %s mail: gpg refused the key(s) %s; checking each reader's key",
			         list->address, tm->kind, names);
			g_clear_error(error);
			*refused = TRUE;
			return TRUE;
		}
		return FALSE;
	}
	return teammail_add(db, list, tm, keyed, mail, queued, error);
}

static gboolean
teammail_sealed(Db *db, const EmbargoConfig *config, const EmbargoList *list, const TeamMail *tm,
                const char *list_fpr, char **to, guint *queued, GError **error)
{
	g_auto(GStrv) keyless = NULL;
	gboolean refused = FALSE;

	if (!teammail_encrypted(db, config, list, tm, list_fpr, to, tm->recipients != NULL, queued,
	                        &keyless, &refused, error))
		return FALSE;
	if (refused) {
		g_clear_pointer(&keyless, g_strfreev);
		if (!teammail_encrypted(db, config, list, tm, list_fpr, to, TRUE, queued, &keyless,
		                        &refused, error))
			return FALSE;
	}
	if (keyless[0] != NULL) {
		g_autofree char *names = g_strjoinv(", ", keyless);
		if (tm->never_plain || !list->keyless_plain) {
			log_warn("%s: %s mail not sent to %s: no usable key", list->address, tm->kind,
			         names);
			return TRUE;
		}
		g_autoptr(Composed) plain = teammail_compose(list, tm, keyless);
		return teammail_add(db, list, tm, keyless, plain, queued, error);
	}
	return TRUE;
}

/* Queues the mail; *QUEUED counts the outbox rows written. A sealing error
 * is returned as it is: the caller decides whether it defers. */
gboolean
teammail_queue(Db *db, const EmbargoConfig *config, const EmbargoList *list, const TeamMail *tm,
               guint *queued, GError **error)
{
	g_auto(GStrv) team = NULL;
	g_autofree char *list_fpr = NULL;
	char **to = tm->recipients;

	/* embargoctl sends these too; GMime counts its initialisations. */
	g_mime_init();
	if (to == NULL) {
		team = member_addresses(db, list->address, tm->except, error);
		if (team == NULL)
			return FALSE;
		to = team;
	}
	if (to[0] == NULL)
		return TRUE;
	if (!keystore_list_key(db, list->address, &list_fpr, error))
		return FALSE;
	if (list_fpr != NULL)
		return teammail_sealed(db, config, list, tm, list_fpr, to, queued, error);
	if (tm->never_plain && tm->recipients != NULL) {
		log_warn("%s: %s mail not sent: the list has no key to encrypt it with", list->address,
		         tm->kind);
		return TRUE;
	}
	g_autoptr(Composed) mail = teammail_compose(list, tm, to);
	return teammail_add(db, list, tm, to, mail, queued, error);
}
