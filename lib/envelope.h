#ifndef EMBARGO_ENVELOPE_H
#define EMBARGO_ENVELOPE_H

#include <glib.h>

/* ARG (NULL: "") as valid text, bytes escaped as \xNN; caller g_frees.
 * *ESCAPED (may be NULL): whether anything was escaped. Never NULL. */
char *envelope_text(const char *arg, gboolean *escaped);
/* *BASE (normalised list address) and *EXT of a RECIPIENT address_split
 * refuses, each for the caller to g_free. FALSE (both NULL): no '+', or
 * the base is no address. */
gboolean envelope_split_recipient(const char *recipient, char **base, char **ext);

#endif
