/* prerelease.c - owns the notify_readers table: for a #notify, which
 * readers of a pre-release list can be sent the advisory draft (sealed to
 * their own key, never plain), what each was queued, and the rule that a
 * list counts as told only when at least one reader was queued the draft. */
#include "prerelease.h"

#include "keyring.h"
#include "keystore.h"

static PrereleaseReader *
prerelease_reader_new(const char *reader, char *fpr, const char *reason)
{
	PrereleaseReader *r = g_new0(PrereleaseReader, 1);

	r->reader = g_strdup(reader);
	r->fingerprint = fpr;
	r->reason = g_strdup(reason);
	return r;
}

GPtrArray *
prerelease_reach(Db *db, const char *state_dir, const EmbargoList *list, char **readers,
                 GError **error)
{
	g_autoptr(GPtrArray) out =
		g_ptr_array_new_with_free_func((GDestroyNotify)prerelease_reader_free);
	g_autofree char *list_fpr = NULL;
	g_autofree char *home = keyring_home(state_dir, list->address, KEYRING_PRERELEASE);
	gboolean have_home = g_file_test(home, G_FILE_TEST_IS_DIR);

	if (!keystore_list_key(db, list->address, &list_fpr, error))
		return NULL;
	for (char **r = readers; r != NULL && *r != NULL; r++) {
		g_autoptr(GError) err = NULL;
		char *fpr = NULL;
		const char *why = NULL;

		/* seal.c sends readers nothing when the list cannot sign and
		 * encrypt as itself */
		if (list_fpr == NULL) {
			why = "the list has no key of its own to seal the draft (embargoctl key "
			      "generate)";
		} else {
			fpr = have_home ? keyring_find_address(home, *r, &err) : NULL;
			if (err != NULL) {
				g_propagate_error(error, g_steal_pointer(&err));
				return NULL;
			}
			if (fpr == NULL)
				why = "no key on file that can encrypt now (embargoctl key "
				      "prerelease)";
		}
		g_ptr_array_add(out, prerelease_reader_new(*r, fpr, why));
	}
	return g_steal_pointer(&out);
}

guint
prerelease_reachable(const GPtrArray *readers)
{
	guint n = 0;

	for (guint i = 0; i < readers->len; i++)
		n += ((const PrereleaseReader *)readers->pdata[i])->fingerprint != NULL;
	return n;
}

gboolean
prerelease_record(Db *db, const char *case_id, const char *name, const GPtrArray *readers,
                  const char *at, sqlite3_int64 message, GError **error)
{
	g_autofree char *msg =
		message > 0 ? g_strdup_printf("%" G_GINT64_FORMAT, (gint64)message) : NULL;

	for (guint i = 0; i < readers->len; i++) {
		const PrereleaseReader *r = readers->pdata[i];
		if (!db_write(
			    db,
			    "INSERT INTO notify_readers (case_id, name, reader, at, message, "
			    "fingerprint, reason) VALUES (?1, ?2, ?3, ?4, CAST(?5 AS INTEGER), ?6, "
		            "?7)",
			    DB_TEXTS(case_id, name, r->reader, at, msg, r->fingerprint, r->reason),
			    error))
			return FALSE;
	}
	return TRUE;
}

gboolean
prerelease_queued(Db *db, const char *case_id, const char *name, const char *at, char ***readers,
                  char ***fprs, GError **error)
{
	*fprs = NULL;
	*readers = db_all_text(
		db,
		db_query(db,
	                 "SELECT reader FROM notify_readers WHERE case_id = ?1 AND "
	                 "name = ?2 AND at = ?3 AND fingerprint IS NOT NULL ORDER BY rowid",
	                 DB_TEXTS(case_id, name, at), error),
		error);
	if (*readers == NULL)
		return FALSE;
	*fprs = db_all_text(
		db,
		db_query(db,
	                 "SELECT fingerprint FROM notify_readers WHERE case_id = ?1 AND "
	                 "name = ?2 AND at = ?3 AND fingerprint IS NOT NULL ORDER BY rowid",
	                 DB_TEXTS(case_id, name, at), error),
		error);
	if (*fprs == NULL) {
		g_clear_pointer(readers, g_strfreev);
		return FALSE;
	}
	return TRUE;
}

gboolean
prerelease_unqueue(Db *db, const char *case_id, const char *name, const char *at,
                   const char *reason, GError **error)
{
	return db_write(db,
	                "UPDATE notify_readers SET fingerprint = NULL, reason = ?4 WHERE case_id = "
	                "?1 "
	                "AND name = ?2 AND at = ?3 AND fingerprint IS NOT NULL",
	                DB_TEXTS(case_id, name, at, reason), error) &&
	       /* an earlier #notify that reached a reader still counts */
	       db_write(db,
	                "DELETE FROM notifications WHERE case_id = ?1 AND name = ?2 AND NOT EXISTS "
	                "(SELECT 1 FROM notify_readers WHERE case_id = ?1 AND name = ?2 AND "
	                "fingerprint IS NOT NULL)",
	                DB_TEXTS(case_id, name), error);
}

static gpointer
prerelease_row(sqlite3_stmt *st)
{
	PrereleaseReader *r = prerelease_reader_new(
		db_col_text(st, 2), g_strdup(db_col_text(st, 3)), db_col_text(st, 4));

	r->name = g_strdup(db_col_text(st, 0));
	r->at = g_strdup(db_col_text(st, 1));
	return r;
}

GPtrArray *
prerelease_history(Db *db, const char *case_id, GError **error)
{
	return db_all_rows(
		db,
		db_query(db,
	                 "SELECT name, at, reader, fingerprint, reason FROM notify_readers "
	                 "WHERE case_id = ?1 ORDER BY rowid",
	                 DB_TEXTS(case_id), error),
		prerelease_row, (GDestroyNotify)prerelease_reader_free, error);
}

gboolean
prerelease_told(Db *db, const char *case_id, const char *name, gboolean *told, GError **error)
{
	return db_row_exists(
		db,
		db_query(db, "SELECT 1 FROM notifications WHERE case_id = ?1 AND name = ?2",
	                 DB_TEXTS(case_id, name), error),
		told, error);
}

void
prerelease_reader_free(PrereleaseReader *r)
{
	if (r == NULL)
		return;
	g_free(r->name);
	g_free(r->at);
	g_free(r->reader);
	g_free(r->fingerprint);
	g_free(r->reason);
	g_free(r);
}
