/* policy.h - a disclosure policy preset: stages, deadlines and acknowledgement text. */
#ifndef EMBARGO_POLICY_H
#define EMBARGO_POLICY_H

#include <glib.h>

typedef struct {
	char *name;          /* e.g. "acknowledge" */
	char *from;          /* received | first_answer | a stage: the event it runs from */
	char *met_by;        /* first_answer | a stage: the event that meets it */
	char *met_from;      /* a stage: met_by counts only at or after the case reached
	                      * it; NULL: whenever it happens */
	guint days;
	gboolean business;   /* business days, else calendar days */
	guint urgent_days;   /* 0: same as days */
	char *promise;       /* "a first answer with a plan" */
} PolicyDeadline;

typedef struct {
	char *id;            /* file name without .conf: cncf */
	char *name;
	char *description;
	char **stages;       /* first is the initial stage */
	char *released_stage;
	char *closed_stage;
	char **prerelease_lists;
	char *ack_text;
	char *cve_required;   /* why the policy demands a CVE id ("#cve none" is refused);
	                      * NULL: the team may say none applies */
	GPtrArray *deadlines; /* PolicyDeadline * */
	GHashTable *requires; /* stage -> char ** of what must be set before it is reached */
} Policy;

/* What a stage may require of a case ("[stage NAME] requires = a;b"). */
#define POLICY_REQUIREMENTS \
	"severity", "cvss", "cve", "assignee", "affected", "fixed_in", "credit", "summary", \
	"embargo", "notified"

/* The preset ID (from POLICY_DIR, NULL: built-in only), with the
 * OVERRIDE_GROUP keys of OVERRIDES (either NULL: none) applied; caller
 * frees with policy_free. NULL with ERROR set when it is missing or wrong. */
Policy *policy_load(const char *id, const char *policy_dir, GKeyFile *overrides,
                    const char *override_group, GError **error);
/* Frees POLICY; NULL is fine. */
void policy_free(Policy *policy);
/* TRUE when STAGE is one of the policy's stages. */
gboolean policy_has_stage(const Policy *policy, const char *stage);
/* The position of STAGE in the policy's order; -1: not one of them. */
int policy_stage_index(const Policy *policy, const char *stage);
/* What must be set before STAGE, NULL-terminated; borrowed from POLICY. NULL: nothing. */
char **policy_stage_requires(const Policy *policy, const char *stage);

#endif
