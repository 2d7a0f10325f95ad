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

/* Runs BASE_ARGV (borrowed) once for each of the N JOBS at once, waiting
 * TIMEOUT_SECONDS at most; each job's ERROR (the caller frees it) is NULL
 * when its message was accepted. */
void sendmail_run(char **base_argv, SendmailJob *jobs, guint n, guint timeout_seconds);

#endif
