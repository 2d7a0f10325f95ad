/* composed.c - frees an outgoing mail; writing one is compose.c's and teammail.c's job. */
#include "composed.h"

void
composed_free(Composed *c)
{
	if (c == NULL)
		return;
	g_free(c->message_id);
	g_free(c->subject);
	if (c->body != NULL)
		g_bytes_unref(c->body);
	g_free(c);
}
