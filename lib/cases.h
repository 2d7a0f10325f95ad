/* cases.h - tracking cases and their event log. */
#ifndef EMBARGO_CASES_H
#define EMBARGO_CASES_H

#include "db.h"

typedef struct {
	char *id;
	char *list;
	char *status;
	char *subject;
	char *reporter;
	char *reporter_name;
	char *created_at;
	char *updated_at;
	gboolean bounce_noticed;
} Case;

char *case_create(Db *db, const char *list, const char *prefix, const char *status,
                  const char *subject, const char *reporter, const char *reporter_name,
                  GDateTime *now, GError **error);
Case *case_get(Db *db, const char *id, GError **error);
GPtrArray *case_list(Db *db, const char *list, GError **error);
void case_free(Case *c);
gboolean case_touch(Db *db, const char *id, const char *now, GError **error);
gboolean case_set_bounce_noticed(Db *db, const char *id, GError **error);
gboolean event_add(Db *db, const char *case_id, const char *at, const char *actor,
                   const char *what, const char *detail, sqlite3_int64 message, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Case, case_free)

#endif
