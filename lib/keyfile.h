/* keyfile.h - what embargo adds to GLib's GKeyFile format. */
#ifndef EMBARGO_KEYFILE_H
#define EMBARGO_KEYFILE_H

#include <glib.h>

char *keyfile_strip_comment(char *value);

#endif
