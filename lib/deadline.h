/* deadline.h - a case's deadlines under its list's policy: when each is due,
 * whether it was met, and the reminders sent about them. */
#ifndef EMBARGO_DEADLINE_H
#define EMBARGO_DEADLINE_H

#include "config.h"
#include "db.h"

typedef struct {
	char *name;        /* the policy's deadline name: acknowledge, release, ... */
	char *promise;     /* the policy's words for it */
	char *due;         /* UTC ISO 8601; NULL until the event it runs from happened */
	char *met_at;      /* UTC ISO 8601; NULL until met */
} CaseDeadline;

/* Recomputes every deadline row of CASE_ID from its list's policy and the
 * case's events, inside the caller's transaction: "received" is the case's
 * created_at, "first_answer" cases.first_answer_at, a stage the reached_at
 * of case_stages. A deadline runs from its "from" event ("days" calendar or
 * business days, in config->tz, skipping config->holidays) and is met at
 * the time of its "met_by" event; with "met_from", of the first such event
 * at or after the case reached that stage (a first answer: the first
 * "answered" event since then). While the case is urgent (cases.urgent
 * set) a deadline with urgent_days is due at the earlier of its normal due
 * time and urgent_days from the later of its start and the time the case
 * was made urgent (its first "urgent" event). Events stamped after NOW have
 * not happened yet, so a run with an earlier --now sees the case as it was
 * then; NOW NULL: every recorded event counts. FALSE with ERROR set on an
 * error or when there is no such case. */
gboolean deadline_refresh(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                          const char *case_id, GDateTime *now, GError **error);

/* The case's deadlines in the policy's order (CaseDeadline *, caller
 * unrefs); empty when none, NULL only on an error. */
GPtrArray *deadline_list(Db *db, const EmbargoList *list, const char *case_id, GError **error);

/* TRUE with *NEXT the earliest deadline of the case that is due and not
 * met (caller frees with case_deadline_free), NULL when none; FALSE on an
 * error, ERROR set. */
gboolean deadline_next(Db *db, const EmbargoList *list, const char *case_id, CaseDeadline **next,
                       GError **error);

/* ISO as the project's clock shows it (caller g_frees; ISO itself or "-"
 * when it does not parse): "2026-11-26 17:00 CET". */
char *deadline_format_local(const EmbargoConfig *config, const char *iso);
/* How far ISO is from NOW: "in 2 days 3 hours", "5 hours ago", "now";
 * "-" when ISO does not parse. Caller g_frees. */
char *deadline_format_span(GDateTime *now, const char *iso);

/* NULL is a no-op. */
void case_deadline_free(CaseDeadline *d);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CaseDeadline, case_deadline_free)

#endif
