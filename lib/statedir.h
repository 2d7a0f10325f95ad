/* statedir.h - the state directory: database, raw spool and keys, private to the delivery user. */
#ifndef EMBARGO_STATEDIR_H
#define EMBARGO_STATEDIR_H

#include <glib.h>

gboolean statedir_create(const char *state_dir, GError **error);
gboolean statedir_check(const char *state_dir, GError **error);
/* LISTS: the addresses of the lists whose GnuPG homes count, NULL-terminated. */
gboolean statedir_check_tree(const char *state_dir, const char *const *lists, GError **error);
gboolean statedir_repair(const char *state_dir, const char *const *lists, GError **error);

#endif
