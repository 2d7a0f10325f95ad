/* undelivered.c - gives up outbox rows that failed for longer than
 * outbox_give_up and tells each list's team about them, once: the rows are
 * marked and the notice queued in one transaction, so a row is never given
 * up silently nor told about twice. The notice is a short team mail (sealed
 * like the others, teammail.c) naming the case, the kind of mail, its
 * recipients and the last error, never the mail itself: it is what could
 * not be sent. A notice that cannot be sent either is given up like any
 * row, but no notice is written about a notice: nothing loops. */
#include "undelivered.h"

#include <string.h>

#include "calendar.h"
#include "log.h"
#include "teammail.h"

#define UNDELIVERED_LISTED 50   /* rows described in one notice */

typedef struct {
	GString *text;
	char *case_id;       /* the one case named, NULL for none or several */
	gboolean one_case;
	guint rows;
} Notice;

static void
notice_free(gpointer data)
{
	Notice *n = data;

	g_string_free(n->text, TRUE);
	g_free(n->case_id);
	g_free(n);
}

/* Marks row ID given up, unless it is already (or was sent meanwhile). */
static gboolean
undelivered_mark(Db *db, sqlite3_int64 id, const char *at, gboolean *marked, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "UPDATE outbox SET given_up_at = ?2 WHERE id = ?1 AND "
	                           "state = 'pending' AND given_up_at IS NULL",
	                           error);

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, at);
	if (!db_step_done(db, st, error))
		return FALSE;
	*marked = db_changes(db) == 1;
	return TRUE;
}

/* Adds row ID to its list's notice in NOTICES (list address -> Notice). */
static gboolean
undelivered_describe(Db *db, sqlite3_int64 id, GHashTable *notices, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT list, case_id, kind, recipients, message_id, created_at, "
	                           "attempts, first_failure, last_error FROM outbox WHERE id = ?1",
	                           error);
	g_auto(GStrv) rcpts = NULL;
	g_autofree char *to = NULL;
	const char *list, *case_id, *kind;
	Notice *n;

	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	if (db_step(db, st, error) != SQLITE_ROW)
		return FALSE;
	list = db_col_text(st, 0);
	case_id = db_col_text(st, 1);
	kind = db_col_text(st, 2);
	log_warn("outbox %" G_GINT64_FORMAT ": %s mail of %s%s%s given up after %d attempts since %s: %s",
	         (gint64)id, kind, list, case_id != NULL ? " case " : "", case_id != NULL ? case_id : "",
	         sqlite3_column_int(st, 6), db_col_text(st, 7), db_col_text(st, 8));
	if (strcmp(kind, UNDELIVERED_KIND) == 0) {
		sqlite3_reset(st);
		return TRUE;
	}
	n = g_hash_table_lookup(notices, list);
	if (n == NULL) {
		n = g_new0(Notice, 1);
		n->text = g_string_new(NULL);
		n->case_id = g_strdup(case_id);
		n->one_case = case_id != NULL;
		g_hash_table_insert(notices, g_strdup(list), n);
	} else if (n->one_case && g_strcmp0(n->case_id, case_id) != 0) {
		n->one_case = FALSE;
	}
	n->rows++;
	/* a mass expiry (the MTA down for days) must not make a notice too
	 * large to send in turn: the first rows, then a count */
	if (n->rows > UNDELIVERED_LISTED) {
		sqlite3_reset(st);
		return TRUE;
	}
	rcpts = g_strsplit(db_col_text(st, 3), "\n", -1);
	to = g_strjoinv(", ", rcpts);
	g_string_append_printf(n->text,
	                       "  %s  %s to %s\n"
	                       "      written %s, failing since %s, %d attempts\n"
	                       "      last error: %s\n"
	                       "      Message-ID: <%s>\n\n",
	                       case_id != NULL ? case_id : "(no case)", kind, to, db_col_text(st, 5),
	                       db_col_text(st, 7), sqlite3_column_int(st, 6), db_col_text(st, 8),
	                       db_col_text(st, 4));
	sqlite3_reset(st);
	return TRUE;
}

static gboolean
undelivered_tell(Db *db, const EmbargoConfig *config, const char *address, Notice *n,
                 GDateTime *now, GError **error)
{
	const EmbargoList *list = config_find_list(config, address);
	g_autofree char *subject = NULL, *text = NULL, *lifetime = NULL;
	TeamMail tm = { 0 };

	if (list == NULL) {
		log_warn("outbox: %s is no longer a list; its team is not told of %u mail(s) given up",
		         address, n->rows);
		return TRUE;
	}
	lifetime = config->outbox_give_up % 86400 == 0
	                   ? g_strdup_printf("%" G_GUINT64_FORMAT " day(s)", config->outbox_give_up / 86400)
	                   : g_strdup_printf("%" G_GUINT64_FORMAT " hour(s)", config->outbox_give_up / 3600);
	if (n->rows > UNDELIVERED_LISTED)
		g_string_append_printf(n->text, "  ... and %u more.\n\n", n->rows - UNDELIVERED_LISTED);
	subject = g_strdup_printf("Undelivered: %u mail%s given up", n->rows, n->rows == 1 ? "" : "s");
	text = g_strdup_printf("The mail system would not take %s for %s, and %s given up:\n"
	                       "%s not be sent.\n\n%s"
	                       "The server's log says more; 'embargoctl outbox list' shows every\n"
	                       "mail not sent yet.\n",
	                       n->rows == 1 ? "this mail" : "these mails", lifetime,
	                       n->rows == 1 ? "it is" : "they are", n->rows == 1 ? "It will" : "They will",
	                       n->text->str);
	tm.case_id = n->one_case ? n->case_id : NULL;
	tm.kind = UNDELIVERED_KIND;
	tm.notice = TRUE;
	tm.subject = subject;
	tm.text = text;
	tm.now = now;
	return teammail_queue(db, config, list, &tm, NULL, error);
}

/* Gives up the rows IDS (those not given up yet) and queues one notice per
 * list about them, all in one transaction; *GIVEN_UP counts the rows. */
gboolean
undelivered_give_up(Db *db, const EmbargoConfig *config, GArray *ids, GDateTime *now,
                    guint *given_up, GError **error)
{
	g_autoptr(GHashTable) notices = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                                      notice_free);
	g_autofree char *at = calendar_iso(now);
	GHashTableIter it;
	gpointer key, value;

	*given_up = 0;
	if (!db_begin(db, error))
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		sqlite3_int64 id = g_array_index(ids, sqlite3_int64, i);
		gboolean marked = FALSE;
		if (!undelivered_mark(db, id, at, &marked, error))
			goto fail;
		if (!marked)
			continue;
		(*given_up)++;
		if (!undelivered_describe(db, id, notices, error))
			goto fail;
	}
	g_hash_table_iter_init(&it, notices);
	while (g_hash_table_iter_next(&it, &key, &value))
		if (!undelivered_tell(db, config, key, value, now, error))
			goto fail;
	return db_commit(db, error);
fail:
	db_rollback(db);
	*given_up = 0;
	return FALSE;
}
