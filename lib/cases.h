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
	/* set by the team's commands (005-lifecycle.sql); NULL: not set */
	char *severity;
	char *cvss_vector;
	double cvss_score;       /* meaningful when cvss_vector is set */
	char *cvss_rating;
	char *assignee;
	char *embargo_until;     /* YYYY-MM-DD */
	char *affected;
	char *fixed_in;
	char *credit;
	char *summary;
	char *duplicate_of;
	char *resolution;        /* fixed rejected duplicate invalid */
	char *reject_reason;
	char *urgent;            /* the reason; NULL: not urgent */
	char *acked_at;
	char *first_answer_at;
	char *reporter_told;     /* stage the reporter was last told of */
} Case;

/* A column of cases that a command may set (see lifecycle). */
gboolean case_set_field(Db *db, const char *id, const char *column, const char *value,
                        GError **error);
gboolean case_set_cvss(Db *db, const char *id, const char *vector, double score,
                       const char *rating, GError **error);
gboolean case_set_stage(Db *db, const char *id, char **policy_stages, const char *stage,
                        gboolean earlier, const char *now, GError **error);
char *case_stage_reached(Db *db, const char *id, const char *stage, GError **error);
char **case_cves(Db *db, const char *id, GError **error);
gboolean case_add_cve(Db *db, const char *id, const char *cve, const char *now, gboolean *existed,
                      GError **error);

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
