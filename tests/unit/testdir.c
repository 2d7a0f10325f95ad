/* testdir.c - the store tests' throwaway state directories. */
#include "testdir.h"

#include <glib/gstdio.h>

#include "statedir.h"

void
testdir_rm_rf(const char *path)
{
	GDir *dir = g_dir_open(path, 0, NULL);
	const char *name;

	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree char *p = g_build_filename(path, name, NULL);
			testdir_rm_rf(p);
		}
		g_dir_close(dir);
		g_rmdir(path);
	} else {
		g_unlink(path);
	}
}

Db *
testdir_open_store(const char *dir)
{
	g_autoptr(GError) err = NULL;
	Db *db;

	g_assert_true(statedir_create(dir, &err));
	g_assert_no_error(err);
	db = db_open(dir, TRUE, &err);
	g_assert_no_error(err);
	g_assert_true(db_migrate(db, &err));
	g_assert_no_error(err);
	return db;
}
