/* caseid.h - case ids PREFIX-YYYY-NNNN, their subject tags and case addresses. */
#ifndef EMBARGO_CASEID_H
#define EMBARGO_CASEID_H

#include <glib.h>

typedef enum {
	CASE_ADDR_NONE,      /* the list address itself */
	CASE_ADDR_TEAM,      /* list+CASE@: the team's thread */
	CASE_ADDR_REPORTER,  /* list+CASE-reporter@: an answer to the reporter */
	CASE_ADDR_BOUNCES,   /* list+CASE-bounces@: return path of mail to the reporter */
	CASE_ADDR_INVALID,   /* an extension that names no case */
} CaseAddrKind;

/* TRUE when TEXT is exactly a case id of PREFIX (its case aside); *YEAR and
 * *NUMBER (either may be NULL) are set then. FALSE: not one. */
gboolean caseid_parse(const char *text, const char *prefix, int *year, guint *number);
/* "PREFIX-YYYY-NNNN"; caller g_frees. */
char *caseid_format(const char *prefix, int year, guint number);
/* The first [PREFIX-YYYY-NNNN] tag in SUBJECT (NULL allowed), normalised;
 * caller g_frees. NULL: no tag. */
char *caseid_from_subject(const char *subject, const char *prefix);
/* What the +extension EXT (NULL: none) names; *CASE_ID for the caller to
 * g_free, NULL for CASE_ADDR_NONE and CASE_ADDR_INVALID. */
CaseAddrKind caseid_from_extension(const char *ext, const char *prefix, char **case_id);
/* "LOCAL+CASE_ID[-SUFFIX]@DOMAIN" (SUFFIX NULL: none); caller g_frees. */
char *caseid_address(const char *local, const char *domain, const char *case_id, const char *suffix);

#endif
