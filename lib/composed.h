/* composed.h - an outgoing mail once written: its Message-ID, subject and bytes. */
#ifndef EMBARGO_COMPOSED_H
#define EMBARGO_COMPOSED_H

#include <glib.h>

typedef struct {
	char *message_id;   /* without brackets */
	char *subject;
	GBytes *body;
} Composed;

void composed_free(Composed *c);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Composed, composed_free)

#endif
