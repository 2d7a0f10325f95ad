/* log.c - logging to syslog's mail facility, and to stderr for tools and tests.
 *
 * Everything goes to syslog so the postmaster finds it with the rest of the
 * mail logs. embargo-mda also writes to stderr: Postfix's pipe(8) puts that
 * text into its defer log, which tells the postmaster why a message waits. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

static gboolean log_stderr;
static const char *log_ident = "embargo";

void
log_open(const char *ident, gboolean to_stderr)
{
	log_ident = ident;
	log_stderr = to_stderr;
	openlog(ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void
log_emit(int priority, const char *fmt, va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);

	/* Strip control characters: log lines must stay one line each. */
	for (char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	syslog(priority, "%s", text);
	if (log_stderr)
		fprintf(stderr, "%s: %s\n", log_ident, text);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(LOG_ERR, fmt, ap);
	va_end(ap);
}
