/* undelivered.h - outgoing mail given up, and the one notice that tells the team. */
#ifndef EMBARGO_UNDELIVERED_H
#define EMBARGO_UNDELIVERED_H

#include "config.h"
#include "db.h"

/* The outbox kind of the notice; a notice given up in turn is only logged. */
#define UNDELIVERED_KIND "undelivered"

gboolean undelivered_give_up(Db *db, const EmbargoConfig *config, GArray *ids, GDateTime *now,
                             guint *given_up, GError **error);

#endif
