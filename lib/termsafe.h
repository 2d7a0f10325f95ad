/* termsafe.h - strings from mail made safe to print on a terminal or a log line. */
#ifndef EMBARGO_TERMSAFE_H
#define EMBARGO_TERMSAFE_H

#include <glib.h>

char *termsafe(const char *text);
char *termsafe_text(const char *text);

#endif
