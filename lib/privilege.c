/* privilege.c - embargo-mda and embargoctl work as the delivery user that
 * owns the state directory. Run as root they would create files the
 * delivery user cannot use, and a bug would cost more, so they refuse
 * unless EMBARGO_ALLOW_ROOT=1 says the postmaster means it (tests in a
 * throwaway container, for one). */
#include "privilege.h"

#include <gio/gio.h>
#include <string.h>
#include <unistd.h>

gboolean
privilege_check(GError **error)
{
	const char *allow = g_getenv("EMBARGO_ALLOW_ROOT");

	if (getuid() != 0 && geteuid() != 0)
		return TRUE;
	if (allow != NULL && strcmp(allow, "1") == 0)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
	            "refusing to run as root: run as the delivery user that owns the state directory "
	            "(e.g. sudo -u embargo), or set EMBARGO_ALLOW_ROOT=1");
	return FALSE;
}
