/* sendmail.h - hands one message to the MTA with sendmail(1). */
#ifndef EMBARGO_SENDMAIL_H
#define EMBARGO_SENDMAIL_H

#include <glib.h>

gboolean sendmail_send(char **base_argv, const char *envelope_from, char **recipients,
                       GBytes *message, guint timeout_seconds, GError **error);

#endif
