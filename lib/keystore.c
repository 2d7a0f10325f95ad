/* keystore.c - the OpenPGP side of the store: the list's key fingerprint,
 * members' and reporters' key fingerprints with their expiry, and the
 * encryption and signature status of each incoming message. The keys
 * themselves live in GnuPG homes (keyring.c); the database only pins which
 * fingerprint belongs to whom, so a key is never chosen by its user id. */
#include "keystore.h"

gboolean
keystore_list_key(Db *db, const char *list, char **fpr, GError **error)
{
	return db_one_text(db,
	                   db_query(db, "SELECT fingerprint FROM list_keys WHERE list = ?1",
	                            DB_TEXTS(list), error),
	                   fpr, error);
}

gboolean
keystore_set_list_key(Db *db, const char *list, const char *fpr, const char *now, GError **error)
{
	return db_write(db,
	                "INSERT INTO list_keys (list, fingerprint, created_at) VALUES (?1, ?2, ?3) "
	                "ON CONFLICT (list) DO UPDATE SET fingerprint = ?2, created_at = ?3",
	                DB_TEXTS(list, fpr, now), error);
}

gboolean
keystore_set_member_key(Db *db, const char *list, const char *address, const char *fpr,
                        const char *expires, GError **error)
{
	return db_write(db,
	                "UPDATE members SET fingerprint = ?3, expires = ?4 "
	                "WHERE list = ?1 AND address = ?2",
	                DB_TEXTS(list, address, fpr, expires), error);
}

gboolean
keystore_reporter_key(Db *db, const char *list, const char *address, const char *now, char **fpr,
                      GError **error)
{
	g_return_val_if_fail(fpr != NULL, FALSE);
	*fpr = NULL;
	if (address == NULL)
		return TRUE;
	return db_one_text(db,
	                   db_query(db,
	                            "SELECT fingerprint FROM reporter_keys WHERE list = ?1 AND "
	                            "address = ?2 AND (?3 IS NULL OR expires IS NULL OR expires > ?3)",
	                            DB_TEXTS(list, address, now), error),
	                   fpr, error);
}

gboolean
keystore_reporter_key_on_file(Db *db, const char *list, const char *address, char **fpr,
                              GError **error)
{
	return keystore_reporter_key(db, list, address, NULL, fpr, error);
}

gboolean
keystore_set_reporter_key(Db *db, const char *list, const char *address, const char *fpr,
                          const char *expires, const char *now, GError **error)
{
	return db_write(db,
	                "INSERT INTO reporter_keys (list, address, fingerprint, expires, added_at) "
	                "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (list, address) DO UPDATE SET "
	                "fingerprint = ?3, expires = ?4, added_at = ?5",
	                DB_TEXTS(list, address, fpr, expires, now), error);
}

gboolean
keystore_set_message_crypto(Db *db, sqlite3_int64 message, gboolean encrypted,
                            const char *signature, const char *signer, gboolean partial,
                            GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "UPDATE messages SET encrypted = ?2, signature = ?3, signer = ?4, "
	                           "sig_partial = ?5 WHERE id = ?1",
	                           error);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, message);
	sqlite3_bind_int(st, 2, encrypted ? 1 : 0);
	db_bind_text(st, 3, signature);
	db_bind_text(st, 4, signer);
	sqlite3_bind_int(st, 5, partial ? 1 : 0);
	return db_step_done(db, st, error);
}
