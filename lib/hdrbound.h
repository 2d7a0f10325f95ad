/* hdrbound.h - bounds on raw header text before GMime parses it. */
#ifndef EMBARGO_HDRBOUND_H
#define EMBARGO_HDRBOUND_H

#include <glib.h>

/* Group separators (':') one address field may hold; see hdrbound.c.
 * Overridable only so that a test build can show what the bound prevents. */
#ifndef HDRBOUND_MAX_COLONS
#define HDRBOUND_MAX_COLONS 64
#endif

/* NULL when the LEN bytes at DATA may go to GMime; otherwise why not, for
 * the caller to g_free. */
char *hdrbound_check(const char *data, gsize len);
/* The same for the file at PATH, the reason (or NULL) in *WHY for the caller
 * to g_free. FALSE (*WHY NULL) with ERROR set when it cannot be read. */
gboolean hdrbound_check_file(const char *path, char **why, GError **error);

#endif
