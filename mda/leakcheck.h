/* leakcheck.h - whether a clear answer repeats decrypted text of its case. */
#ifndef EMBARGO_LEAKCHECK_H
#define EMBARGO_LEAKCHECK_H

#include "crypto-in.h"
#include "db.h"

/* Characters of decrypted text that may not reappear in a clear answer. */
#define LEAKCHECK_SPAN 60

int leakcheck_answer(Db *db, const CryptoHomes *homes, const char *case_id,
                     sqlite3_int64 except, GMimeObject *clean, char **why, GError **error);

#endif
