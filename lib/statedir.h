/* statedir.h - the state directory: database, raw spool and keys, private to the delivery user. */
#ifndef EMBARGO_STATEDIR_H
#define EMBARGO_STATEDIR_H

#include <glib.h>

gboolean statedir_create(const char *state_dir, GError **error);
gboolean statedir_check(const char *state_dir, GError **error);

#endif
