/* hdrbound.h - bounds on raw header text before GMime parses it. */
#ifndef EMBARGO_HDRBOUND_H
#define EMBARGO_HDRBOUND_H

#include <glib.h>

/* Group separators (':') one address field may hold; see hdrbound.c.
 * Overridable only so that a test build can show what the bound prevents. */
#ifndef HDRBOUND_MAX_COLONS
#define HDRBOUND_MAX_COLONS 64
#endif

char *hdrbound_check(const char *data, gsize len);
gboolean hdrbound_check_file(const char *path, char **why, GError **error);

#endif
