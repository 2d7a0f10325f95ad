/* privilege.h - refusing to run as root unless told to. */
#ifndef EMBARGO_PRIVILEGE_H
#define EMBARGO_PRIVILEGE_H

#include <glib.h>

gboolean privilege_check(GError **error);

#endif
