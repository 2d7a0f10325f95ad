/* spool.h - the raw spool: every incoming message on disk before anything reads it. */
#ifndef EMBARGO_SPOOL_H
#define EMBARGO_SPOOL_H

#include <glib.h>

#include "db.h"

/* How old a spool file no row names must be before spool_sweep removes
 * it: twice the longest time_limit embargo.conf allows (a day), so no
 * running delivery can still own it. */
#define SPOOL_SWEEP_AGE_S ((gint64)2 * 86400)

typedef struct {
	char *path;     /* final file under STATE_DIR/spool/new */
	char *digest;   /* SHA-256 hex of the bytes after the leading From_ line and trace fields */
	goffset size;
	gboolean has_nul;
} SpoolEntry;

/* Reads IN_FD to its end into a new file under STATE_DIR/spool/new, synced.
 * Caller frees with spool_entry_free; NULL with ERROR set when it could not
 * (nothing is left behind then). One per process: the file stays "pending"
 * for spool_remove_pending until spool_keep or spool_discard. */
SpoolEntry *spool_write(const char *state_dir, int in_fd, GError **error);
/* Frees ENTRY (NULL is fine); the file stays. */
void spool_entry_free(SpoolEntry *entry);
/* Removes ENTRY's file (NULL is fine): no row names it. */
void spool_discard(SpoolEntry *entry);
/* From now on a row may name ENTRY's file (a COMMIT is about to be tried,
 * and may reach the disk even when it reports a failure): never remove it. */
void spool_keep(const SpoolEntry *entry);
/* Async-signal-safe: removes the pending file of this process, unless
 * spool_keep or spool_discard came first. For the time-limit handler. */
void spool_remove_pending(void);
/* Removes the files under STATE_DIR/spool/{new,tmp} made by spool_write,
 * last written more than OLDER_THAN seconds ago, that no messages row
 * or held item names (by file name), logging each; holds DB's write lock meanwhile.
 * *REMOVED (may be NULL) counts them. FALSE with ERROR set (and logged)
 * when the database or a directory could not be read. */
gboolean spool_sweep(Db *db, const char *state_dir, gint64 older_than, guint *removed,
                     GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpoolEntry, spool_entry_free)

#endif
