/* log.c - logging to syslog's mail facility, and to stderr for tools and tests.
 *
 * Everything goes to syslog so the postmaster finds it with the rest of the
 * mail logs. embargo-mda also writes to stderr: Postfix's pipe(8) puts that
 * text into its defer log, which tells the postmaster why a message waits. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>

#include "termsafe.h"

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
	g_autofree char *raw = g_strdup_vprintf(fmt, ap);
	/* One line each, and nothing a sender wrote may act on the terminal
	 * the postmaster reads the log in: controls, C1, bidi, bytes that are
	 * not UTF-8 become visible escapes. */
	g_autofree char *text = termsafe(raw);

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
