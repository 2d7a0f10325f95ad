/* signals.h - SIGHUP, SIGTERM and SIGINT, taken by the main thread and read from a pipe. */
#ifndef EMBARGO_MILTER_SIGNALS_H
#define EMBARGO_MILTER_SIGNALS_H

#include <glib.h>

gboolean signals_init(GError **error);
int signals_next(void);
void signals_wake(void);

#endif
