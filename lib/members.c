/* members.c - who is on a list's team. Addresses are stored normalised
 * (lower case) so a member is recognised however their client spells it. */
#include "members.h"

#include "calendar.h"

gboolean
member_add(Db *db, const char *list, const char *address, const char *name, gboolean *existed,
           GError **error)
{
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *at = calendar_iso(now);
	int is = member_is(db, list, address, error);

	g_return_val_if_fail(existed != NULL, FALSE);
	if (is < 0)
		return FALSE;
	*existed = is > 0;
	return db_write(db,
	                "INSERT INTO members (list, address, name, added_at) VALUES (?1, ?2, ?3, ?4) "
	                "ON CONFLICT (list, address) DO UPDATE SET name = coalesce(?3, name)",
	                DB_TEXTS(list, address, name, at), error);
}

gboolean
member_remove(Db *db, const char *list, const char *address, gboolean *existed, GError **error)
{
	g_return_val_if_fail(existed != NULL, FALSE);
	if (!db_write(db, "DELETE FROM members WHERE list = ?1 AND address = ?2",
	              DB_TEXTS(list, address), error))
		return FALSE;
	*existed = db_changes(db) > 0;
	return TRUE;
}

void
member_free(Member *member)
{
	if (member == NULL)
		return;
	g_free(member->address);
	g_free(member->name);
	g_free(member->added_at);
	g_free(member->fingerprint);
	g_free(member->expires);
	g_free(member);
}

static gpointer
member_from_row(sqlite3_stmt *st)
{
	Member *m = g_new0(Member, 1);

	m->address = g_strdup(db_col_text(st, 0));
	m->name = g_strdup(db_col_text(st, 1));
	m->added_at = g_strdup(db_col_text(st, 2));
	m->fingerprint = g_strdup(db_col_text(st, 3));
	m->expires = g_strdup(db_col_text(st, 4));
	return m;
}

GPtrArray *
member_list(Db *db, const char *list, GError **error)
{
	return db_all_rows(db,
	                   db_query(db,
	                            "SELECT address, name, added_at, fingerprint, expires FROM members "
	                            "WHERE list = ?1 ORDER BY address",
	                            DB_TEXTS(list), error),
	                   member_from_row, (GDestroyNotify)member_free, error);
}

int
member_is(Db *db, const char *list, const char *address, GError **error)
{
	gboolean found;

	if (!db_row_exists(db,
	                   db_query(db, "SELECT 1 FROM members WHERE list = ?1 AND address = ?2",
	                            DB_TEXTS(list, address), error),
	                   &found, error))
		return -1;
	return found ? 1 : 0;
}

char **
member_addresses(Db *db, const char *list, const char *except, GError **error)
{
	return db_all_text(db,
	                   db_query(db,
	                            "SELECT address FROM members WHERE list = ?1 AND "
	                            "(?2 IS NULL OR address != ?2) ORDER BY address",
	                            DB_TEXTS(list, except), error),
	                   error);
}
