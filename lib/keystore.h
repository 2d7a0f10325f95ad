/* keystore.h - what the database knows of OpenPGP keys and of each message's protection. */
#ifndef EMBARGO_KEYSTORE_H
#define EMBARGO_KEYSTORE_H

#include "db.h"

/* The lookups: TRUE with *FPR the fingerprint (caller g_frees) or NULL
 * when there is none; FALSE on an error, ERROR set. The writes: FALSE
 * with ERROR set. */

/* LIST's own key. */
gboolean keystore_list_key(Db *db, const char *list, char **fpr, GError **error);
gboolean keystore_set_list_key(Db *db, const char *list, const char *fpr, const char *now,
                               GError **error);
/* Sets a member's key; a missing member is no error (nothing changes). */
gboolean keystore_set_member_key(Db *db, const char *list, const char *address, const char *fpr,
                                 const char *expires, GError **error);
/* ADDRESS's key, if it has not expired by NOW (NULL: whatever its expiry);
 * NULL ADDRESS has none. */
gboolean keystore_reporter_key(Db *db, const char *list, const char *address, const char *now,
                               char **fpr, GError **error);
/* ADDRESS's key on file, expired or not: the key a new one must be signed by. */
gboolean keystore_reporter_key_on_file(Db *db, const char *list, const char *address, char **fpr,
                                       GError **error);
gboolean keystore_set_reporter_key(Db *db, const char *list, const char *address, const char *fpr,
                                   const char *expires, const char *now, GError **error);
/* Records how MESSAGE (a messages row) was protected. */
gboolean keystore_set_message_crypto(Db *db, sqlite3_int64 message, gboolean encrypted,
                                     const char *signature, const char *signer, gboolean partial,
                                     GError **error);

#endif
