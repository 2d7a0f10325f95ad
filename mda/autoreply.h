/* autoreply.h - whether a sender may get an automatic reply (RFC 3834). */
#ifndef EMBARGO_AUTOREPLY_H
#define EMBARGO_AUTOREPLY_H

#include "config.h"
#include "db.h"
#include "inmsg.h"

/* 1 when an automatic mail may go to ENVELOPE_FROM, 0 when not (*WHY,
 * caller g_frees, says why), -1 on an error (ERROR set). */
int autoreply_allowed(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                      const InMessage *in, const char *envelope_from, GDateTime *now,
                      char **why, GError **error);

#endif
