/* keystore.c - the OpenPGP side of the store: the list's key fingerprint,
 * members' and reporters' key fingerprints with their expiry, and the
 * encryption and signature status of each incoming message. The keys
 * themselves live in GnuPG homes (keyring.c); the database only pins which
 * fingerprint belongs to whom, so a key is never chosen by its user id. */
#include "keystore.h"

char *
keystore_list_key(Db *db, const char *list, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT fingerprint FROM list_keys WHERE list = ?1", error);
	char *fpr = NULL;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	if (db_step(db, st, error) == SQLITE_ROW)
		fpr = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return fpr;
}

gboolean
keystore_set_list_key(Db *db, const char *list, const char *fpr, const char *now, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO list_keys (list, fingerprint, created_at) VALUES (?1, ?2, ?3) "
	                           "ON CONFLICT (list) DO UPDATE SET fingerprint = ?2, created_at = ?3",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, fpr);
	db_bind_text(st, 3, now);
	return db_step_done(db, st, error);
}

gboolean
keystore_set_member_key(Db *db, const char *list, const char *address, const char *fpr,
                        const char *expires, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "UPDATE members SET fingerprint = ?3, expires = ?4 "
	                           "WHERE list = ?1 AND address = ?2",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, fpr);
	db_bind_text(st, 4, expires);
	return db_step_done(db, st, error);
}

/* The fingerprint of ADDRESS's key if it has one that has not expired by
 * NOW; with NOW NULL, the key on file whatever its expiry. */
char *
keystore_reporter_key(Db *db, const char *list, const char *address, const char *now,
                      GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT fingerprint FROM reporter_keys WHERE list = ?1 AND address = ?2 "
	                           "AND (?3 IS NULL OR expires IS NULL OR expires > ?3)",
	                           error);
	char *fpr = NULL;

	if (st == NULL || address == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, now);
	if (db_step(db, st, error) == SQLITE_ROW)
		fpr = g_strdup(db_col_text(st, 0));
	sqlite3_reset(st);
	return fpr;
}

/* The fingerprint on file for ADDRESS, expired or not: the key a new one
 * must be signed by. */
char *
keystore_reporter_key_on_file(Db *db, const char *list, const char *address, GError **error)
{
	return keystore_reporter_key(db, list, address, NULL, error);
}

gboolean
keystore_set_reporter_key(Db *db, const char *list, const char *address, const char *fpr,
                          const char *expires, const char *now, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO reporter_keys (list, address, fingerprint, expires, added_at) "
	                           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (list, address) DO UPDATE SET "
	                           "fingerprint = ?3, expires = ?4, added_at = ?5",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, fpr);
	db_bind_text(st, 4, expires);
	db_bind_text(st, 5, now);
	return db_step_done(db, st, error);
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
