/* dbrows.c - every row of a prepared statement, read into an array
 * (dbrows.h). */
#include "dbrows.h"

gboolean
db_rows(Db *db, sqlite3_stmt *st, DbRowRead read, GDestroyNotify free, GPtrArray **out,
        GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;
	int rc;

	g_return_val_if_fail(st != NULL && read != NULL && out != NULL, FALSE);
	rows = g_ptr_array_new_with_free_func(free);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		g_ptr_array_add(rows, read(st));
	if (rc != SQLITE_DONE)
		return FALSE;
	*out = g_steal_pointer(&rows);
	return TRUE;
}
