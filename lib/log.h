/* log.h - one place where embargo's programs report what they did and why. */
#ifndef EMBARGO_LOG_H
#define EMBARGO_LOG_H

#include <glib.h>

void log_open(const char *ident, gboolean to_stderr);
void log_info(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_warn(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
void log_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

#endif
