/* sendmail.h - hands messages to the MTA with sendmail(1). */
#ifndef EMBARGO_SENDMAIL_H
#define EMBARGO_SENDMAIL_H

#include <glib.h>

typedef struct {
	const char *envelope_from;  /* "" for the null return path */
	char **recipients;
	GBytes *message;
	GError *error;              /* set by sendmail_run when this one failed */
	gboolean refused;           /* ... and sendmail said this message itself is refused */
} SendmailJob;

void sendmail_run(char **base_argv, SendmailJob *jobs, guint n, guint timeout_seconds);

#endif
