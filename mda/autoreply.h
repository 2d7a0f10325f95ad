/* autoreply.h - whether a sender may get an automatic reply (RFC 3834). */
#ifndef EMBARGO_AUTOREPLY_H
#define EMBARGO_AUTOREPLY_H

#include "config.h"
#include "db.h"
#include "inmsg.h"

int autoreply_allowed(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                      const InMessage *in, const char *envelope_from, GDateTime *now,
                      char **why, GError **error);

#endif
