/* log.h - one place where embargo's programs report what they did and why. */
#ifndef EMBARGO_LOG_H
#define EMBARGO_LOG_H

#include <glib.h>

/* IDENT (borrowed: a string that lives as long as the program) names the
 * program in each line; TO_STDERR copies every line to stderr too. */
void log_open(const char *ident, gboolean to_stderr);
/* Each: one line to syslog's mail facility (and stderr when asked), made safe
 * for a terminal (termsafe). */
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
