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
	char *cve_none;          /* why no CVE id applies (012-cve-none.sql); NULL: not said */
} Case;

/* The writes below return FALSE with ERROR set on an error; a missing case
 * is no error (nothing changes). Strings passed in are copied. */

/* Sets COLUMN, one of the few a command may set (see lifecycle; any other
 * is a programming error), to VALUE (NULL clears it). */
gboolean case_set_field(Db *db, const char *id, const char *column, const char *value,
                        GError **error);
gboolean case_set_cvss(Db *db, const char *id, const char *vector, double score,
                       const char *rating, GError **error);
/* Sets the stage; with EARLIER records the policy's earlier stages as reached too. */
gboolean case_set_stage(Db *db, const char *id, char **policy_stages, const char *stage,
                        gboolean earlier, const char *now, GError **error);
/* TRUE with *AT when the case first reached STAGE (caller g_frees), NULL
 * when it has not; FALSE on an error. */
gboolean case_stage_reached(Db *db, const char *id, const char *stage, char **at, GError **error);
/* The case's CVE ids in the order they were added, NULL-terminated, caller
 * g_strfreevs; empty when none, NULL only on an error. */
char **case_cves(Db *db, const char *id, GError **error);
/* *EXISTED (may be NULL): the case had CVE already. */
gboolean case_add_cve(Db *db, const char *id, const char *cve, const char *now, gboolean *existed,
                      GError **error);
/* Removes every CVE id of the case (the team said none applies). */
gboolean case_clear_cves(Db *db, const char *id, GError **error);
/* Records that the advisory draft goes to pre-release list NAME. */
gboolean case_add_notification(Db *db, const char *id, const char *name, const char *now,
                               GError **error);
/* TRUE with *NOTIFIED whether any pre-release list was named; FALSE on an error. */
gboolean case_notified(Db *db, const char *id, gboolean *notified, GError **error);

/* A new case with the next number of LIST and NOW's year, inside the
 * caller's write transaction: its id (caller g_frees), NULL on an error. */
char *case_create(Db *db, const char *list, const char *prefix, const char *status,
                  const char *subject, const char *reporter, const char *reporter_name,
                  GDateTime *now, GError **error);
/* TRUE with *OUT the case (caller frees with case_free) or NULL when there
 * is none; FALSE on an error, ERROR set. */
gboolean case_get(Db *db, const char *id, Case **out, GError **error);
/* case_get for a case found before in the same transaction, whose absence
 * is a fault of the store: TRUE with *OUT never NULL (caller frees); FALSE
 * with ERROR set on an error or when there is no such case. */
gboolean case_get_known(Db *db, const char *id, Case **out, GError **error);
/* TRUE with *OUT ID itself (caller g_frees) when the case exists on LIST,
 * NULL when not; FALSE on an error. */
gboolean case_on_list(Db *db, const char *list, const char *id, char **out, GError **error);
/* The cases of LIST (NULL: of every list), oldest first (Case *, caller
 * unrefs); empty when none, NULL only on an error. */
GPtrArray *case_list(Db *db, const char *list, GError **error);
/* NULL is a no-op. */
void case_free(Case *c);
/* Sets updated_at to NOW. */
gboolean case_touch(Db *db, const char *id, const char *now, GError **error);
gboolean case_set_bounce_noticed(Db *db, const char *id, GError **error);
/* Logs WHAT (DETAIL may be NULL) on CASE_ID; MESSAGE is the messages row it
 * came with, 0 for none. */
gboolean event_add(Db *db, const char *case_id, const char *at, const char *actor,
                   const char *what, const char *detail, sqlite3_int64 message, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Case, case_free)

#endif
