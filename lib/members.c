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
	sqlite3_stmt *st;
	int is = member_is(db, list, address, error);

	if (is < 0)
		return FALSE;
	*existed = is > 0;
	st = db_stmt(db,
	             "INSERT INTO members (list, address, name, added_at) VALUES (?1, ?2, ?3, ?4) "
	             "ON CONFLICT (list, address) DO UPDATE SET name = coalesce(?3, name)",
	             error);
	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	db_bind_text(st, 3, name);
	db_bind_text(st, 4, at);
	return db_step_done(db, st, error);
}

gboolean
member_remove(Db *db, const char *list, const char *address, gboolean *existed, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM members WHERE list = ?1 AND address = ?2", error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	if (!db_step_done(db, st, error))
		return FALSE;
	*existed = sqlite3_changes(sqlite3_db_handle(st)) > 0;
	return TRUE;
}

void
member_free(Member *member)
{
	g_free(member->address);
	g_free(member->name);
	g_free(member->added_at);
	g_free(member->fingerprint);
	g_free(member->expires);
	g_free(member);
}

GPtrArray *
member_list(Db *db, const char *list, GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)member_free);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT address, name, added_at, fingerprint, expires FROM members "
	                           "WHERE list = ?1 "
	                           "ORDER BY address",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		Member *m = g_new0(Member, 1);
		m->address = g_strdup(db_col_text(st, 0));
		m->name = g_strdup(db_col_text(st, 1));
		m->added_at = g_strdup(db_col_text(st, 2));
		m->fingerprint = g_strdup(db_col_text(st, 3));
		m->expires = g_strdup(db_col_text(st, 4));
		g_ptr_array_add(out, m);
	}
	return rc == SQLITE_DONE ? g_steal_pointer(&out) : NULL;
}

/* 1 when ADDRESS is a member of LIST, 0 when not, -1 on error. */
int
member_is(Db *db, const char *list, const char *address, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM members WHERE list = ?1 AND address = ?2", error);
	int rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, address);
	rc = db_step(db, st, error);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* The members' addresses of LIST but EXCEPT (NULL: none left out), sorted,
 * NULL-terminated: who a mail to the team goes to. NULL only on error. */
char **
member_addresses(Db *db, const char *list, const char *except, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT address FROM members WHERE list = ?1 ORDER BY address",
	                           error);
	g_autoptr(GPtrArray) out = NULL;
	int rc;

	if (st == NULL)
		return NULL;
	out = g_ptr_array_new_with_free_func(g_free);
	db_bind_text(st, 1, list);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		if (except == NULL || g_strcmp0(db_col_text(st, 0), except) != 0)
			g_ptr_array_add(out, g_strdup(db_col_text(st, 0)));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return NULL;
	g_ptr_array_set_free_func(out, NULL);
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}
