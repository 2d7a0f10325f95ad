/* termsafe.h - strings from mail made safe to print on a terminal or a log line. */
#ifndef EMBARGO_TERMSAFE_H
#define EMBARGO_TERMSAFE_H

#include <glib.h>

/* TEXT as one line safe for a terminal (controls, newlines, bidi and bytes
 * that are not UTF-8 escaped); caller g_frees. NULL for NULL. */
char *termsafe(const char *text);
/* The same for text of several lines: newlines and tabs kept. */
char *termsafe_text(const char *text);

#endif
