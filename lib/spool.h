/* spool.h - the raw spool: every incoming message on disk before anything reads it. */
#ifndef EMBARGO_SPOOL_H
#define EMBARGO_SPOOL_H

#include <glib.h>

typedef struct {
	char *path;     /* final file under STATE_DIR/spool/new */
	char *digest;   /* SHA-256 hex of the bytes after the leading From_ line and trace fields */
	goffset size;
	gboolean has_nul;
} SpoolEntry;

SpoolEntry *spool_write(const char *state_dir, int in_fd, GError **error);
void spool_entry_free(SpoolEntry *entry);
void spool_discard(SpoolEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SpoolEntry, spool_entry_free)

#endif
