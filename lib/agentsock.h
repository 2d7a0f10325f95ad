/* agentsock.h - whether gpg-agent can make its sockets for a GnuPG home. */
#ifndef EMBARGO_AGENTSOCK_H
#define EMBARGO_AGENTSOCK_H

#include <glib.h>

/* TRUE when gpg-agent can make its sockets for HOME: their directory (HOME
 * itself, or one gpg keeps under /run/user/UID) is short enough for a
 * socket address. When it is not and MAKE is set, the directory under
 * /run/user/UID is made first (gpgconf --create-socketdir), where that
 * exists. FALSE with ERROR: G_FILE_ERROR_NAMETOOLONG when the sockets
 * cannot be made (the message says what to do); any other when gpgconf
 * could not tell. */
gboolean agentsock_fits(const char *home, gboolean make, GError **error);

#endif
