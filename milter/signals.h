/* signals.h - SIGHUP, SIGTERM and SIGINT, taken by the main thread and read from a pipe. */
#ifndef EMBARGO_MILTER_SIGNALS_H
#define EMBARGO_MILTER_SIGNALS_H

#include <glib.h>

/* Takes HUP, TERM and INT into a pipe, once, from the main thread. FALSE
 * with ERROR set when the pipe or a handler cannot be set up. */
gboolean signals_init(GError **error);
/* Waits for the next signal: its number; 0 after signals_wake(); -1 when
 * the pipe cannot be read. Only after signals_init. */
int signals_next(void);
/* From any thread: makes signals_next() return 0. */
void signals_wake(void);

#endif
