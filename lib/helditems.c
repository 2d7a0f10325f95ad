/* helditems.c - the held_items table (009-held-items.sql) and the raw
 * copies it names: storing mail held back from the team, finding a
 * redelivered copy, listing and counting, releasing and dropping, marking
 * what a digest listed, and expiring what nobody decided on.
 *
 * Ids come from held_counters, one sequence per year for the whole store,
 * so that an id names one item without its list; no case number is used. */
#include "helditems.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "caseid.h"
#include "log.h"

#define HELD_COLUMNS                                                                               \
	"id, list, received_at, envelope_from, recipient, from_addr, from_name, subject, size, "   \
	"message_id, spool_path, why, spam_score, spam_symbols, state, case_id, decided_by, "      \
	"decided_at, digested_at"

void
held_item_free(HeldItem *item)
{
	if (item == NULL)
		return;
	g_free(item->id);
	g_free(item->list);
	g_free(item->received_at);
	g_free(item->envelope_from);
	g_free(item->recipient);
	g_free(item->from_addr);
	g_free(item->from_name);
	g_free(item->subject);
	g_free(item->message_id);
	g_free(item->spool_path);
	g_free(item->why);
	g_free(item->spam_symbols);
	g_free(item->state);
	g_free(item->case_id);
	g_free(item->decided_by);
	g_free(item->decided_at);
	g_free(item->digested_at);
	g_free(item);
}

static gpointer
held_item_from_row(sqlite3_stmt *st)
{
	HeldItem *h = g_new0(HeldItem, 1);
	char **text[] = { &h->id,        &h->list,      &h->received_at, &h->envelope_from,
		          &h->recipient, &h->from_addr, &h->from_name,   &h->subject };

	for (guint i = 0; i < G_N_ELEMENTS(text); i++)
		*text[i] = g_strdup(db_col_text(st, (int)i));
	h->size = sqlite3_column_int64(st, 8);
	h->message_id = g_strdup(db_col_text(st, 9));
	h->spool_path = g_strdup(db_col_text(st, 10));
	h->why = g_strdup(db_col_text(st, 11));
	h->scored = sqlite3_column_type(st, 12) != SQLITE_NULL;
	h->spam_score = sqlite3_column_double(st, 12);
	h->spam_symbols = g_strdup(db_col_text(st, 13));
	h->state = g_strdup(db_col_text(st, 14));
	h->case_id = g_strdup(db_col_text(st, 15));
	h->decided_by = g_strdup(db_col_text(st, 16));
	h->decided_at = g_strdup(db_col_text(st, 17));
	h->digested_at = g_strdup(db_col_text(st, 18));
	return h;
}

gboolean
held_item_id_parse(const char *text, char **norm)
{
	int year;
	guint number;

	if (text == NULL || !caseid_parse(text, HELD_PREFIX, &year, &number))
		return FALSE;
	if (norm != NULL)
		*norm = caseid_format(HELD_PREFIX, year, number);
	return TRUE;
}

char *
held_item_insert(Db *db, const HeldRecord *r, int year, GError **error)
{
	sqlite3_stmt *st =
		db_stmt(db,
	                "INSERT INTO held_counters (year, last) VALUES (?1, 1) "
	                "ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
	                error);
	sqlite3_int64 last;
	g_autofree char *id = NULL;
	gboolean scored = r->spam != NULL && r->spam->checked;

	if (st != NULL)
		sqlite3_bind_int(st, 1, year);
	if (!db_one_int64(db, st, NULL, &last, error))
		return NULL;
	id = caseid_format(HELD_PREFIX, year, (guint)last);
	st = db_query(db,
	              "INSERT INTO held_items (id, list, received_at, envelope_from, recipient, "
	              "from_addr, from_name, subject, message_id, digest, spool_path, why, "
	              "spam_symbols, size, spam_score) "
	              "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
	              DB_TEXTS(id, r->list, r->received_at, r->envelope_from, r->recipient,
	                       r->from_addr, r->from_name, r->subject, r->message_id, r->digest,
	                       r->spool_path, r->why, scored ? r->spam->symbols : NULL),
	              error);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 14, r->size);
	if (scored)
		sqlite3_bind_double(st, 15, r->spam->score);
	if (!db_step_done(db, st, error))
		return NULL;
	return g_steal_pointer(&id);
}

gboolean
held_item_find(Db *db, const char *list, const char *message_id, const char *digest, char **id,
               GError **error)
{
	return db_one_text(db,
	                   db_query(db,
	                            "SELECT id FROM held_items WHERE list = ?1 AND message_id = ?2 "
	                            "AND digest = ?3",
	                            DB_TEXTS(list, message_id, digest), error),
	                   id, error);
}

gboolean
held_item_get(Db *db, const char *id, HeldItem **out, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;

	*out = NULL;
	rows = db_all_rows(db,
	                   db_query(db, "SELECT " HELD_COLUMNS " FROM held_items WHERE id = ?1",
	                            DB_TEXTS(id), error),
	                   held_item_from_row, (GDestroyNotify)held_item_free, error);
	if (rows == NULL)
		return FALSE;
	if (rows->len > 0)
		*out = g_ptr_array_steal_index(rows, 0);
	return TRUE;
}

gboolean
held_item_list(Db *db, const char *list, const char *state, const char *since, const char *until,
               GPtrArray **out, GError **error)
{
	*out = db_all_rows(
		db,
		db_query(db,
	                 "SELECT " HELD_COLUMNS " FROM held_items"
	                 " WHERE (?1 IS NULL OR list = ?1) AND (?2 IS NULL OR state = ?2)"
	                 " AND (?3 IS NULL OR received_at >= ?3)"
	                 " AND (?4 IS NULL OR received_at < ?4)"
	                 " ORDER BY received_at, id",
	                 DB_TEXTS(list, state, since, until), error),
		held_item_from_row, (GDestroyNotify)held_item_free, error);
	return *out != NULL;
}

/* *N: the items held_item_list would list; with DECIDED, STATE's items
 * decided in [SINCE, UNTIL) instead. */
static gboolean
held_item_count(Db *db, const char *list, const char *state, gboolean decided, const char *since,
                const char *until, sqlite3_int64 *n, GError **error)
{
	const char *sql =
		decided ? "SELECT count(*) FROM held_items"
			  " WHERE (?1 IS NULL OR list = ?1) AND (?2 IS NULL OR state = ?2)"
			  " AND (?3 IS NULL OR decided_at >= ?3)"
			  " AND (?4 IS NULL OR decided_at < ?4) AND decided_at IS NOT NULL"
			: "SELECT count(*) FROM held_items"
			  " WHERE (?1 IS NULL OR list = ?1) AND (?2 IS NULL OR state = ?2)"
			  " AND (?3 IS NULL OR received_at >= ?3)"
			  " AND (?4 IS NULL OR received_at < ?4)";

	return db_one_int64(db, db_query(db, sql, DB_TEXTS(list, state, since, until), error), NULL,
	                    n, error);
}

gboolean
held_item_tally(Db *db, const char *list, const char *since, const char *until, HeldTally *out,
                GError **error)
{
	sqlite3_int64 n[4];

	memset(out, 0, sizeof *out);
	if (!held_item_count(db, list, "held", FALSE, NULL, NULL, &n[0], error) ||
	    !held_item_count(db, list, NULL, FALSE, since, until, &n[1], error) ||
	    !held_item_count(db, list, "released", TRUE, since, until, &n[2], error) ||
	    !held_item_count(db, list, "dropped", TRUE, since, until, &n[3], error))
		return FALSE;
	*out = (HeldTally){ .held = n[0], .received = n[1], .released = n[2], .dropped = n[3] };
	return TRUE;
}

gboolean
held_item_decide(Db *db, const char *id, const char *state, const char *case_id, const char *by,
                 const char *at, gboolean *done, GError **error)
{
	g_return_val_if_fail(strcmp(state, "released") == 0 || strcmp(state, "dropped") == 0,
	                     FALSE);
	if (!db_write(db,
	              "UPDATE held_items SET state = ?2, case_id = ?3, decided_by = ?4, "
	              "decided_at = ?5, spool_path = NULL WHERE id = ?1 AND state = 'held'",
	              DB_TEXTS(id, state, case_id, by, at), error))
		return FALSE;
	*done = db_changes(db) == 1;
	return TRUE;
}

gboolean
held_item_undigested(Db *db, const char *list, GPtrArray **out, GError **error)
{
	*out = db_all_rows(db,
	                   db_query(db,
	                            "SELECT " HELD_COLUMNS " FROM held_items WHERE list = ?1 "
	                            "AND digested_at IS NULL ORDER BY received_at, id",
	                            DB_TEXTS(list), error),
	                   held_item_from_row, (GDestroyNotify)held_item_free, error);
	return *out != NULL;
}

gboolean
held_item_digested(Db *db, GPtrArray *items, const char *at, GError **error)
{
	for (guint i = 0; i < items->len; i++) {
		const HeldItem *h = items->pdata[i];
		if (!db_write(db, "UPDATE held_items SET digested_at = ?2 WHERE id = ?1",
		              DB_TEXTS(h->id, at), error))
			return FALSE;
	}
	return TRUE;
}

gboolean
held_item_expire(Db *db, const char *before, const char *now_iso, guint *removed, GError **error)
{
	g_autoptr(GPtrArray) old = NULL;
	guint n = 0;

	if (!db_begin(db, error))
		return FALSE;
	if (!held_item_list(db, NULL, "held", NULL, before, &old, error))
		goto fail;
	for (guint i = 0; i < old->len; i++) {
		const HeldItem *h = old->pdata[i];
		gboolean done;
		if (!held_item_decide(db, h->id, "dropped", NULL, "expiry", now_iso, &done, error))
			goto fail;
	}
	if (!db_commit(db, error))
		goto fail;
	/* After the commit: a raw copy goes only once no row names it. */
	for (guint i = 0; i < old->len; i++) {
		const HeldItem *h = old->pdata[i];
		if (h->spool_path != NULL && unlink(h->spool_path) != 0 && errno != ENOENT)
			log_warn("%s: could not remove its raw copy %s: %s", h->id, h->spool_path,
			         g_strerror(errno));
		log_info("%s: expired (received %s), removed with its raw copy", h->id,
		         h->received_at);
		n++;
	}
	if (removed != NULL)
		*removed = n;
	return TRUE;
fail:
	db_rollback(db);
	return FALSE;
}
