/* keynotice.c - members' keys that expire within KEYNOTICE_DAYS days: which
 * they are (for "embargoctl member list"), and the notice that tells the
 * whole team, queued in the outbox once per key and expiry date by whoever
 * notices first, embargo-mda or embargoctl. The check is one indexed query,
 * cheap enough for every delivery. The notice is a team mail like any
 * other: written by outmail.c, sealed by seal.c's rule. */
#include "keynotice.h"

#include <string.h>

#include "calendar.h"
#include "members.h"
#include "gpg.h"
#include "log.h"
#include "seal.h"


typedef struct {
	char *address;
	char *fingerprint;
	char *expires;
} SoonKey;

static void
soon_key_free(SoonKey *k)
{
	g_free(k->address);
	g_free(k->fingerprint);
	g_free(k->expires);
	g_free(k);
}

/* TRUE when EXPIRES (ISO, UTC) is after NOW and at most KEYNOTICE_DAYS days away. */
gboolean
keynotice_expires_soon(const char *expires, GDateTime *now)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(expires);
	GTimeSpan left;

	if (t == NULL)
		return FALSE;
	left = g_date_time_difference(t, now);
	return left > 0 && left <= KEYNOTICE_DAYS * G_TIME_SPAN_DAY;
}

/* Whole days from NOW to EXPIRES (negative once past); 0 when unreadable. */
int
keynotice_days_left(const char *expires, GDateTime *now)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(expires);

	return t != NULL ? (int)(g_date_time_difference(t, now) / G_TIME_SPAN_DAY) : 0;
}

/* The members' keys of LIST that expire soon and were not yet noticed. */
static GPtrArray *
keynotice_pending(Db *db, const char *list, const char *now_iso, const char *until_iso,
                  GError **error)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func((GDestroyNotify)soon_key_free);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT m.address, m.fingerprint, m.expires FROM members m "
	                           "WHERE m.list = ?1 AND m.fingerprint IS NOT NULL AND "
	                           "m.expires > ?2 AND m.expires <= ?3 AND NOT EXISTS "
	                           "(SELECT 1 FROM key_notices k WHERE k.list = m.list AND "
	                           "k.fingerprint = m.fingerprint AND k.expires = m.expires) "
	                           "ORDER BY m.address",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, now_iso);
	db_bind_text(st, 3, until_iso);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		SoonKey *k = g_new0(SoonKey, 1);
		k->address = g_strdup(db_col_text(st, 0));
		k->fingerprint = g_strdup(db_col_text(st, 1));
		k->expires = g_strdup(db_col_text(st, 2));
		g_ptr_array_add(out, k);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? g_steal_pointer(&out) : NULL;
}

static char *
keynotice_text(const EmbargoList *list, const SoonKey *k, GDateTime *now)
{
	int days = keynotice_days_left(k->expires, now);

	return g_strdup_printf("The OpenPGP key of %s on %s\n"
	                       "  %s\n"
	                       "expires on %.10s (in %d day%s).\n\n"
	                       "Once it has expired, %s gets no encrypted copies from the list.\n"
	                       "Extend its expiry or make a new key, then give the list the public key:\n\n"
	                       "  embargoctl member add %s %s --key FILE\n\n"
	                       "You will not be told again about this key.\n",
	                       k->address, list->address, k->fingerprint, k->expires, days,
	                       days == 1 ? "" : "s", k->address, list->address, k->address);
}

static gboolean
keynotice_record(Db *db, const char *list, const SoonKey *k, const char *now_iso, GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO key_notices (list, fingerprint, expires, address, "
	                           "noticed_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	                           error);

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, list);
	db_bind_text(st, 2, k->fingerprint);
	db_bind_text(st, 3, k->expires);
	db_bind_text(st, 4, k->address);
	db_bind_text(st, 5, now_iso);
	return db_step_done(db, st, error);
}

/* The state directory is the one that holds the database: embargoctl's
 * callers have no configuration at hand to name it. */
static char *
keynotice_state_dir(Db *db, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT file FROM pragma_database_list WHERE name = 'main'",
	                           error);
	char *dir = NULL;

	if (st == NULL)
		return NULL;
	if (db_step(db, st, error) == SQLITE_ROW && db_col_text(st, 0) != NULL)
		dir = g_path_get_dirname(db_col_text(st, 0));
	else if (error != NULL && *error == NULL)
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_FAILED, "the database has no file");
	sqlite3_reset(st);
	return dir;
}

static gboolean
keynotice_send(Db *db, const EmbargoList *list, const char *state_dir, const SoonKey *k,
               GDateTime *now, const char *now_iso, sqlite3_int64 cause, guint *queued,
               GError **error)
{
	g_autofree char *subject =
		g_strdup_printf("Key of %s expires on %.10s", k->address, k->expires);
	g_autofree char *text = keynotice_text(list, k, now);
	OutHead h = {
		.list = list,
		.audience = AUDIENCE_TEAM,
		.kind = "notice",
		.purpose = OUT_NOTICE,
		.cause = cause,
		.subject = subject,
		.now = now,
	};
	SealMail sm = { .head = &h, .text = text };
	GError *local = NULL;

	if (!keynotice_record(db, list->address, k, now_iso, error))
		return FALSE;
	if (seal_queue(db, state_dir, &sm, queued, &local))
		return TRUE;
	/* A notice that cannot be sealed for good is not sent in the clear
	 * instead, and not tried again on every delivery: logged. */
	if (local->domain == EMBARGO_GPG_ERROR && local->code != GPG_ERROR_TRANSIENT) {
		log_error("%s: the notice that the key of %s expires was not sent: %s", list->address,
		          k->address, local->message);
		g_error_free(local);
		return TRUE;
	}
	g_propagate_error(error, local);
	return FALSE;
}

/* Inside an open transaction: queues one notice to the whole team for each
 * member key of LIST that expires soon and was not noticed yet, and records
 * it. The number of outbox rows written, -1 on error. */
int
keynotice_queue(Db *db, const EmbargoList *list, GDateTime *now, sqlite3_int64 cause,
                GError **error)
{
	g_autofree char *now_iso = calendar_iso(now);
	g_autoptr(GDateTime) until = g_date_time_add_days(now, KEYNOTICE_DAYS);
	g_autofree char *until_iso = calendar_iso(until);
	g_autoptr(GPtrArray) soon = keynotice_pending(db, list->address, now_iso, until_iso, error);
	g_autofree char *state_dir = NULL;
	guint queued = 0;

	if (soon == NULL)
		return -1;
	if (soon->len == 0)
		return 0;
	state_dir = keynotice_state_dir(db, error);
	if (state_dir == NULL)
		return -1;
	for (guint i = 0; i < soon->len; i++)
		if (!keynotice_send(db, list, state_dir, soon->pdata[i], now, now_iso, cause, &queued,
		                    error))
			return -1;
	return (int)queued;
}
