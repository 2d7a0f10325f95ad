/* leakcheck.h - whether a clear answer repeats decrypted text of its case. */
#ifndef EMBARGO_LEAKCHECK_H
#define EMBARGO_LEAKCHECK_H

#include "crypto-in.h"
#include "db.h"

/* Characters of decrypted text that may not reappear in a clear answer. */
#define LEAKCHECK_SPAN 60

/* 0 when CLEAN may go, 1 when it repeats decrypted text of the case or the
 * check could not be made (*WHY, caller g_frees, says which; it never quotes
 * the text), -1 on a transient error (ERROR set). EXCEPT is the answer's
 * own message row. */
int leakcheck_answer(Db *db, const CryptoHomes *homes, const char *case_id,
                     sqlite3_int64 except, GMimeObject *clean, char **why, GError **error);

#endif
