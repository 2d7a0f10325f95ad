/* pendingkey.c - owns the rule for a reporter's key offered by mail, and
 * the keys that rule holds back.
 *
 * From and Autocrypt headers are anyone's to write, so a key that comes by
 * mail speaks only for whoever sent that mail. The rule:
 *   - the key on file itself (same fingerprint) is merged: its own
 *     self-signatures vouch for whatever it adds, and its expiry is read
 *     from the keyring afterwards, never from the offered copy;
 *   - another key replaces the key on file only when a good signature by
 *     the key on file covers the part that carried it (a rollover signed by
 *     the old key); an Autocrypt header is outside every signature;
 *   - the first key of an address comes only with the report that opens a
 *     case, and only when the address has no other case on the list: the
 *     report's sender is by definition that case's reporter, but a
 *     follow-up, an auto-reply or a second report could be anyone's, and
 *     the key would also decide who can read the answers on the older cases;
 *   - everything else is held here, and a member may accept it.
 * Keys held are kept here as data. One offered while a key is on file is
 * never imported; a first key is imported before the message is routed (a
 * signature by it can then be checked), so one held may be in the
 * reporters' keyring: harmless, since mail is only ever encrypted to the
 * fingerprint on file and a rollover needs the signature of exactly that
 * key. */
#include "pendingkey.h"

#include <string.h>

#include "gpg.h"
#include "keyring.h"
#include "keystore.h"

KeyOfferVerdict
pendingkey_verdict(const KeyOffer *o, const char **why)
{
	*why = NULL;
	if (o->on_file != NULL) {
		if (g_ascii_strcasecmp(o->on_file, o->offered) == 0)
			return KEYOFFER_REFRESH;
		if (o->signed_by_on_file)
			return KEYOFFER_TAKE;
		*why = "the address has another key on file, and the mail is not signed by that key "
		       "over the new one";
		return KEYOFFER_HOLD;
	}
	if (!o->opens_case) {
		*why = "a first key is taken only from the report that opens a case";
		return KEYOFFER_HOLD;
	}
	if (o->other_cases) {
		*why = "the address has other cases on this list, whose mail would then be encrypted "
		       "to this key";
		return KEYOFFER_HOLD;
	}
	return KEYOFFER_TAKE;
}

void
pendingkey_free(PendingKey *k)
{
	if (k == NULL)
		return;
	g_free(k->address);
	g_free(k->fingerprint);
	g_free(k->case_id);
	g_free(k->reason);
	g_free(k->offered_at);
	if (k->keydata != NULL)
		g_bytes_unref(k->keydata);
	g_free(k);
}

/* Inside an open transaction. *IS_NEW is FALSE when the key was already
 * held for the address: it is then only brought up to date. */
gboolean
pendingkey_hold(Db *db, const char *list, const char *address, const char *fpr, GBytes *keydata,
                const char *case_id, sqlite3_int64 message, const char *reason, const char *now,
                gboolean *is_new, GError **error)
{
	sqlite3_stmt *st = db_query(db,
	                            "INSERT INTO pending_keys (list, address, fingerprint, case_id, "
	                            "reason, offered_at, keydata, message) "
	                            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
	                            "ON CONFLICT (list, address, fingerprint) DO NOTHING",
	                            DB_TEXTS(list, address, fpr, case_id, reason, now), error);
	gsize len;
	const void *data = g_bytes_get_data(keydata, &len);

	g_return_val_if_fail(is_new != NULL, FALSE);
	if (st == NULL)
		return FALSE;
	sqlite3_bind_blob64(st, 7, data != NULL ? data : "", len, SQLITE_TRANSIENT);
	if (message > 0)
		sqlite3_bind_int64(st, 8, message);
	else
		sqlite3_bind_null(st, 8);
	if (!db_step_done(db, st, error))
		return FALSE;
	*is_new = db_changes(db) > 0;
	return TRUE;
}

/* Forgets the held key FPR of ADDRESS (all of ADDRESS's with FPR NULL). */
gboolean
pendingkey_forget(Db *db, const char *list, const char *address, const char *fpr, GError **error)
{
	return db_write(db,
	                "DELETE FROM pending_keys WHERE list = ?1 AND address = ?2 AND "
	                "(?3 IS NULL OR fingerprint = ?3)",
	                DB_TEXTS(list, address, fpr), error);
}

static gpointer
pendingkey_from_row(sqlite3_stmt *st)
{
	PendingKey *k = g_new0(PendingKey, 1);

	k->id = sqlite3_column_int64(st, 0);
	k->address = g_strdup(db_col_text(st, 1));
	k->fingerprint = g_strdup(db_col_text(st, 2));
	k->case_id = g_strdup(db_col_text(st, 3));
	k->reason = g_strdup(db_col_text(st, 4));
	k->offered_at = g_strdup(db_col_text(st, 5));
	k->keydata = g_bytes_new(sqlite3_column_blob(st, 6), (gsize)sqlite3_column_bytes(st, 6));
	return k;
}

GPtrArray *
pendingkey_list(Db *db, const char *list, const char *fpr, GError **error)
{
	return db_all_rows(db,
	                   db_query(db,
	                            "SELECT id, address, fingerprint, case_id, reason, offered_at, "
	                            "keydata FROM pending_keys WHERE list = ?1 AND "
	                            "(?2 IS NULL OR fingerprint = ?2) ORDER BY id",
	                            DB_TEXTS(list, fpr), error),
	                   pendingkey_from_row, (GDestroyNotify)pendingkey_free, error);
}

/* Makes the held KEY its address's key on file: imported into the
 * reporters' keyring, its expiry read there, no longer held. *OLD_FPR is
 * the key it replaces (NULL: none). A key that can no longer encrypt is
 * refused (GPG_ERROR_FAILED). */
gboolean
pendingkey_accept(Db *db, const char *state_dir, const char *list, const PendingKey *key,
                  const char *now, char **old_fpr, GError **error)
{
	g_autofree char *home = keyring_home(state_dir, list, KEYRING_REPORTERS);
	g_autofree char *problems = NULL;
	g_autofree char *expires_iso = NULL;
	KeyCheck check;
	gint64 expires;
	gboolean usable;

	*old_fpr = NULL;
	if (!keyring_check(home, key->keydata, key->address, &check, error))
		return FALSE;
	problems = keycheck_problems(&check);
	keycheck_clear(&check);
	if (problems != NULL) {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "%s", problems);
		return FALSE;
	}
	if (!keyring_import(home, key->keydata, error) ||
	    !keyring_key_expiry(home, key->fingerprint, &expires, &usable, error))
		return FALSE;
	if (!usable) {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED,
		            "the key cannot encrypt (expired, revoked or without an encryption subkey)");
		return FALSE;
	}
	expires_iso = gpg_expiry_iso(expires);
	if (!keystore_reporter_key_on_file(db, list, key->address, old_fpr, error))
		return FALSE;
	return keystore_set_reporter_key(db, list, key->address, key->fingerprint, expires_iso, now,
	                                 error) &&
	       pendingkey_forget(db, list, key->address, key->fingerprint, error);
}

/* A fingerprint as written by a person (groups of four, lower case, 0x):
 * upper-case hex of a v4 (40) or v5 (64) fingerprint, else NULL. */
char *
pendingkey_normalize_fpr(const char *text)
{
	g_autoptr(GString) s = g_string_new(NULL);

	if (g_str_has_prefix(text, "0x") || g_str_has_prefix(text, "0X"))
		text += 2;
	for (const char *p = text; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (!g_ascii_isxdigit(*p))
			return NULL;
		g_string_append_c(s, g_ascii_toupper(*p));
	}
	if (s->len != 40 && s->len != 64)
		return NULL;
	return g_string_free(g_steal_pointer(&s), FALSE);
}

static gboolean
pendingkey_usage(char **why)
{
	*why = g_strdup("use #key accept FINGERPRINT [ADDRESS] or #key drop FINGERPRINT [ADDRESS] "
	                "for a key held for a reporter");
	return TRUE;
}

gboolean
pendingkey_command(Db *db, const char *state_dir, const char *list, const char *arg,
                   const char *now, char **done, char **why, GError **error)
{
	g_auto(GStrv) words = g_strsplit_set(arg, " \t", -1);
	g_autoptr(GString) fpr_text = g_string_new(NULL);
	g_autofree char *fpr = NULL, *address = NULL, *old = NULL;
	g_autoptr(GPtrArray) held = NULL;
	g_autoptr(GPtrArray) mine = g_ptr_array_new();
	g_autoptr(GError) err = NULL;
	const PendingKey *k;
	gboolean accept;
	char **w = words;

	*done = NULL;
	*why = NULL;
	while (*w != NULL && **w == '\0')
		w++;
	if (*w == NULL || (g_ascii_strcasecmp(*w, "accept") != 0 && g_ascii_strcasecmp(*w, "drop") != 0))
		return pendingkey_usage(why);
	accept = g_ascii_strcasecmp(*w, "accept") == 0;
	for (w++; *w != NULL; w++) {
		if (**w == '\0')
			continue;
		if (strchr(*w, '@') != NULL && address == NULL && w[1] == NULL)
			address = g_ascii_strdown(*w, -1);
		else
			g_string_append(fpr_text, *w);
	}
	fpr = pendingkey_normalize_fpr(fpr_text->str);
	if (fpr == NULL) {
		*why = g_strdup_printf("'%s' is not a key fingerprint (40 or 64 hex digits)", fpr_text->str);
		return TRUE;
	}
	held = pendingkey_list(db, list, fpr, error);
	if (held == NULL)
		return FALSE;
	for (guint i = 0; i < held->len; i++) {
		const PendingKey *h = held->pdata[i];
		if (address == NULL || strcmp(h->address, address) == 0)
			g_ptr_array_add(mine, held->pdata[i]);
	}
	if (mine->len == 0) {
		*why = g_strdup_printf("no key %s is held%s%s on %s (embargoctl key pending %s)", fpr,
		                       address != NULL ? " for " : "", address != NULL ? address : "",
		                       list, list);
		return TRUE;
	}
	if (mine->len > 1) {
		g_autoptr(GString) names = g_string_new(NULL);
		for (guint i = 0; i < mine->len; i++)
			g_string_append_printf(names, "%s%s", i > 0 ? ", " : "",
			                       ((PendingKey *)mine->pdata[i])->address);
		*why = g_strdup_printf("the key is held for several addresses (%s): name one after the "
		                       "fingerprint",
		                       names->str);
		return TRUE;
	}
	k = mine->pdata[0];
	if (!accept) {
		if (!pendingkey_forget(db, list, k->address, k->fingerprint, error))
			return FALSE;
		*done = g_strdup_printf("key: %s dropped, it was held for %s", k->fingerprint, k->address);
		return TRUE;
	}
	if (!pendingkey_accept(db, state_dir, list, k, now, &old, &err)) {
		if (err->domain == EMBARGO_GPG_ERROR && err->code == GPG_ERROR_FAILED) {
			*why = g_strdup_printf("the key %s of %s cannot be taken: %s", k->fingerprint,
			                       k->address, err->message);
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&err));
		return FALSE;
	}
	*done = g_strdup_printf("key: %s is now %s (%s%s); mail to them is encrypted to it",
	                        k->address, k->fingerprint, old != NULL ? "was " : "had none",
	                        old != NULL ? old : "");
	return TRUE;
}
