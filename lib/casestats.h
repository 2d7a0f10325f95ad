/* casestats.h - the store's counts behind "embargoctl stats". */
#ifndef EMBARGO_CASESTATS_H
#define EMBARGO_CASESTATS_H

#include "db.h"

/* The deadlines of LIST's cases that count, as of NOW_ISO (UTC ISO 8601):
 * met ones, and ones due and past without being met, where a case closed
 * (it reached CLOSED_STAGE) misses nothing that fell due after it closed.
 * TRUE with *COUNTED (all that count) and *MET (met by their due time);
 * both 0: none. FALSE with ERROR on a store error, the outputs then
 * untouched. */
gboolean casestats_deadlines(Db *db, const char *list, const char *now_iso,
                             const char *closed_stage, guint *counted, guint *met, GError **error);

#endif
