/* statedir.c - creates the state directory tree 0700 and refuses one that
 * others could write to: whoever can write there can forge reports, cases
 * and the list's keys. */
#include "statedir.h"

#include <errno.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/stat.h>

static const char *const subdirs[] = { "spool", "spool/tmp", "spool/new", NULL };

static gboolean
statedir_mkdir(const char *path, GError **error)
{
	if (g_mkdir_with_parents(path, 0700) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s",
		            path, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

gboolean
statedir_create(const char *state_dir, GError **error)
{
	if (!statedir_mkdir(state_dir, error))
		return FALSE;
	chmod(state_dir, 0700);
	for (int i = 0; subdirs[i] != NULL; i++) {
		g_autofree char *p = g_build_filename(state_dir, subdirs[i], NULL);
		if (!statedir_mkdir(p, error))
			return FALSE;
	}
	return statedir_check(state_dir, error);
}

gboolean
statedir_check(const char *state_dir, GError **error)
{
	struct stat st;

	if (stat(state_dir, &st) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "state directory %s: %s (run 'embargoctl init')", state_dir, g_strerror(e));
		return FALSE;
	}
	if (!S_ISDIR(st.st_mode) || (st.st_mode & 022) != 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
		            "state directory %s is not a directory private to its owner (mode %04o): refusing to use it",
		            state_dir, (unsigned)(st.st_mode & 07777));
		return FALSE;
	}
	return TRUE;
}
