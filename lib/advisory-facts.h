/* advisory-facts.h - private to the advisory writer (advisory*.c): the
 * facts of a case every format is written from (gathered by advisory.c),
 * each format's writer, and the JSON text both JSON formats are written
 * as. Not part of libembargo's interface. */
#ifndef EMBARGO_ADVISORY_FACTS_H
#define EMBARGO_ADVISORY_FACTS_H

#include <json-glib/json-glib.h>

#include "cases.h"
#include "config.h"

/* What every format is written from, gathered once; strings are owned,
 * stripped, and NULL when unset or empty. */
typedef struct {
	const Case *c;
	const EmbargoList *list;
	char **cves;          /* never NULL; CVE ids in the order they were added */
	char *cve_none;       /* why no CVE id applies; NULL: cves is not empty, or not said */
	char *title;          /* one line: the summary's first line, else the subject */
	char *description;    /* the whole summary, else the title */
	char *body;           /* the summary after its first line; NULL: none */
	char *severity;
	char *vector;
	const char *cvss_version; /* "3.0" "3.1" "4.0"; NULL: no vector, or one of another kind */
	char *rating;         /* "Critical" ...; set when vector is */
	char *affected;
	char *fixed_in;
	char *credit;
	char **fix_team;      /* never NULL; how each member of the fix team is credited */
	char *embargo_until;
	char *reported;       /* RFC 3339, UTC */
	char *released;       /* RFC 3339, UTC; NULL: not released */
	char *now;            /* RFC 3339, UTC */
} Facts;


/* Each format's document of F, never NULL; the caller frees it with g_free. */
char *advisory_markdown(const Facts *f);
char *advisory_osv(const Facts *f);
char *advisory_csaf(const Facts *f);

/* The document B built, as text ending in a newline; with SORTED, members
 * in the byte order of their names. The caller frees it with g_free. */
char *advisory_json_text(JsonBuilder *b, gboolean sorted);
/* Member NAME with VALUE; nothing when VALUE is NULL. */
void advisory_add_string(JsonBuilder *b, const char *name, const char *value);
/* Member NAME, an array of the NULL-terminated VALUES. */
void advisory_add_string_array(JsonBuilder *b, const char *name, const char *const *values);

#endif
