#ifndef EMBARGO_ENVELOPE_H
#define EMBARGO_ENVELOPE_H

#include <glib.h>

char *envelope_text(const char *arg, gboolean *escaped);
gboolean envelope_split_recipient(const char *recipient, char **base, char **ext);

#endif
