/* fixteam.c - owns the fix_team table: who of a list's members develop a
 * case's fix. The policies that form a fix team name several people, while
 * a case's handler (cases.assignee, #assign) stays one person. */
#include "fixteam.h"

gboolean
fixteam_add(Db *db, const char *case_id, const char *address, const char *at, const char *actor,
            gboolean *added, GError **error)
{
	if (!db_write(db,
	              "INSERT OR IGNORE INTO fix_team (case_id, address, added_at, added_by) "
	              "VALUES (?1, ?2, ?3, ?4)",
	              DB_TEXTS(case_id, address, at, actor), error))
		return FALSE;
	if (added != NULL)
		*added = db_changes(db) > 0;
	return TRUE;
}

gboolean
fixteam_remove(Db *db, const char *case_id, const char *address, gboolean *removed, GError **error)
{
	if (!db_write(db, "DELETE FROM fix_team WHERE case_id = ?1 AND address = ?2",
	              DB_TEXTS(case_id, address), error))
		return FALSE;
	if (removed != NULL)
		*removed = db_changes(db) > 0;
	return TRUE;
}

char **
fixteam_list(Db *db, const char *case_id, GError **error)
{
	return db_all_text(
		db,
		db_query(db, "SELECT address FROM fix_team WHERE case_id = ?1 ORDER BY rowid",
	                 DB_TEXTS(case_id), error),
		error);
}

char **
fixteam_credits(Db *db, const char *list, const char *case_id, GError **error)
{
	/* a member removed from the list since keeps their credit, by address */
	return db_all_text(
		db,
		db_query(db,
	                 "SELECT coalesce(nullif(trim(m.name), ''), f.address) FROM fix_team f "
	                 "LEFT JOIN members m ON m.list = ?2 AND m.address = f.address "
	                 "WHERE f.case_id = ?1 ORDER BY f.rowid",
	                 DB_TEXTS(case_id, list), error),
		error);
}
