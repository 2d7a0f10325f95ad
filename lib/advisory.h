/* advisory.h - the advisory written from a case: Markdown for release notes,
 * an OSV document, a CSAF 2.0 document. */
#ifndef EMBARGO_ADVISORY_H
#define EMBARGO_ADVISORY_H

#include "cases.h"
#include "config.h"
#include "db.h"

typedef enum {
	ADVISORY_MARKDOWN,
	ADVISORY_OSV,
	ADVISORY_CSAF,
} AdvisoryFormat;

gboolean advisory_format_parse(const char *name, AdvisoryFormat *format);

/* The advisory for case C of LIST, as of NOW; NULL with ERROR when the case
 * lacks what the format cannot do without (say which). */
char *advisory_render(Db *db, const EmbargoConfig *config, const EmbargoList *list, const Case *c,
                      AdvisoryFormat format, GDateTime *now, GError **error);

#endif
