/* release.h - a held item delivered as if it had just arrived. */
#ifndef EMBARGO_RELEASE_H
#define EMBARGO_RELEASE_H

#include "config.h"
#include "db.h"

/* Releases the held item ID (normalised): its raw copy goes through the
 * delivery path (deliver.c) told not to hold it, so it opens a case (or
 * joins one) with the acknowledgement and the team's copy a new mail would
 * get, and the item records the case, BY and the time. DB is used for
 * reading only (the delivery opens its own connection). The exit status:
 * 0 released (*CASE_ID the case, caller g_frees); 65 (EX_DATAERR) no such
 * item, or no longer held, or its list is gone, ERROR saying which; 75
 * (EX_TEMPFAIL) a fault, ERROR set, nothing changed. */
int release_held(const EmbargoConfig *config, Db *db, const char *id, const char *by,
                 char **case_id, GError **error);

#endif
