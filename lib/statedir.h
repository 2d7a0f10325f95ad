/* statedir.h - the state directory: database, raw spool and keys, private to the delivery user. */
#ifndef EMBARGO_STATEDIR_H
#define EMBARGO_STATEDIR_H

#include <glib.h>

/* Each returns FALSE with ERROR set (naming the path and the fix) when
 * something is missing, not ours or open to others, TRUE otherwise. */
/* Creates STATE_DIR and its spool directories 0700 where missing, then checks it. */
gboolean statedir_create(const char *state_dir, GError **error);
/* STATE_DIR itself exists and is ours alone. */
gboolean statedir_check(const char *state_dir, GError **error);
/* LISTS: the addresses of the lists whose GnuPG homes count, NULL-terminated
 * (NULL: none). Everything the programs use; a missing STATE_DIR passes (db_open tells). */
gboolean statedir_check_tree(const char *state_dir, const char *const *lists, GError **error);
/* Gives the entries of STATE_DIR for LISTS their modes again (embargoctl init). */
gboolean statedir_repair(const char *state_dir, const char *const *lists, GError **error);

#endif
