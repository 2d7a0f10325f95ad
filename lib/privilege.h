/* privilege.h - refusing to run as root unless told to, and the minimal
 * environment embargo's programs and their children (gpg, sendmail) run with. */
#ifndef EMBARGO_PRIVILEGE_H
#define EMBARGO_PRIVILEGE_H

#include <glib.h>

/* The PATH every child is started with, whatever PATH we were given. */
#define PRIVILEGE_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

/* TRUE unless running as root without EMBARGO_ALLOW_ROOT=1; then FALSE with ERROR set. */
gboolean privilege_check(GError **error);
/* Leaves only privilege_environment() in our environment; first thing in main, one thread. */
void privilege_scrub_environment(void);
/* Sets HOME to DIR (copied) for every child from now on. */
void privilege_set_home(const char *dir);
/* The "NAME=value" environment a child gets; caller g_strfreev's. Never NULL. */
char **privilege_environment(void);

#endif
