/* agentsock.h - whether gpg-agent can make its sockets for a GnuPG home. */
#ifndef EMBARGO_AGENTSOCK_H
#define EMBARGO_AGENTSOCK_H

#include <glib.h>

/* TRUE when gpg-agent can make its sockets for HOME: their directory (HOME
 * itself, or one gpg keeps under /run/user/UID) is short enough for a
 * socket address. When it is not and MAKE is set, the directory under
 * /run/user/UID is made first (gpgconf --create-socketdir), where that
 * exists. FALSE with ERROR (GPG_ERROR_FAILED of gpg.h) saying why and what
 * to do, or that gpgconf could not be run. */
gboolean agentsock_fits(const char *home, gboolean make, GError **error);

#endif
