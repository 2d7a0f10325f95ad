/* keystore.h - what the database knows of OpenPGP keys and of each message's protection. */
#ifndef EMBARGO_KEYSTORE_H
#define EMBARGO_KEYSTORE_H

#include "db.h"

char *keystore_list_key(Db *db, const char *list, GError **error);
gboolean keystore_set_list_key(Db *db, const char *list, const char *fpr, const char *now,
                               GError **error);
gboolean keystore_set_member_key(Db *db, const char *list, const char *address, const char *fpr,
                                 const char *expires, GError **error);
char *keystore_reporter_key(Db *db, const char *list, const char *address, const char *now,
                            GError **error);
char *keystore_reporter_key_on_file(Db *db, const char *list, const char *address,
                                    GError **error);
gboolean keystore_set_reporter_key(Db *db, const char *list, const char *address, const char *fpr,
                                   const char *expires, const char *now, GError **error);
gboolean keystore_set_message_crypto(Db *db, sqlite3_int64 message, gboolean encrypted,
                                     const char *signature, const char *signer, gboolean partial,
                                     GError **error);

#endif
