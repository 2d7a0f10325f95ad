/* privilege.h - refusing to run as root unless told to, and the minimal
 * environment embargo's programs and their children (gpg, sendmail) run with. */
#ifndef EMBARGO_PRIVILEGE_H
#define EMBARGO_PRIVILEGE_H

#include <glib.h>

/* The PATH every child is started with, whatever PATH we were given. */
#define PRIVILEGE_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

gboolean privilege_check(GError **error);
void privilege_scrub_environment(void);
void privilege_set_home(const char *dir);
char **privilege_environment(void);

#endif
