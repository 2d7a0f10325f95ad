/* keyfile.h - what embargo adds to GLib's GKeyFile format. */
#ifndef EMBARGO_KEYFILE_H
#define EMBARGO_KEYFILE_H

#include <glib.h>

/* Cuts VALUE (NULL allowed) at a whitespace-preceded '#' and strips it, in
 * place; returns VALUE itself (still the caller's), NULL for NULL. */
char *keyfile_strip_comment(char *value);

#endif
