/* keynotice.c - members' keys that expire within KEYNOTICE_DAYS days: which
 * they are (for "embargoctl member list"), and the notice that tells the
 * whole team, queued in the outbox once per key and expiry date by whoever
 * notices first, embargo-mda or embargoctl. The check is one indexed query,
 * cheap enough for every delivery. The notice is plain text that names only
 * addresses, a fingerprint and a date, so it needs no GMime. */
#include "keynotice.h"

#include <string.h>

#include "calendar.h"
#include "members.h"
#include "outbox.h"


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

/* RFC 5322 date, in English whatever the locale. */
static char *
keynotice_date(GDateTime *now)
{
	static const char *const days[] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	g_autoptr(GDateTime) utc = g_date_time_to_utc(now);
	g_autofree char *time = g_date_time_format(utc, "%H:%M:%S");

	return g_strdup_printf("%s, %02d %s %d %s +0000", days[g_date_time_get_day_of_week(utc) - 1],
	                       g_date_time_get_day_of_month(utc), months[g_date_time_get_month(utc) - 1],
	                       g_date_time_get_year(utc), time);
}

/* The list's name as a quoted display name, when it is plain ASCII; "" otherwise. */
static char *
keynotice_from(const EmbargoList *list)
{
	gboolean plain = list->name != NULL && *list->name != '\0';

	for (const char *c = list->name; plain && *c != '\0'; c++)
		plain = g_ascii_isprint(*c) && *c != '"' && *c != '\\';
	return plain ? g_strdup_printf("\"%s\" <%s>", list->name, list->address)
	             : g_strdup_printf("<%s>", list->address);
}

static GBytes *
keynotice_body(const EmbargoList *list, char **team, const SoonKey *k, const char *subject,
               const char *message_id, GDateTime *now)
{
	g_autofree char *from = keynotice_from(list);
	g_autofree char *to = g_strjoinv(",\n ", team);
	g_autofree char *date = keynotice_date(now);
	int days = keynotice_days_left(k->expires, now);
	GString *s = g_string_new(NULL);

	g_string_append_printf(s,
	                       "From: %s\nTo: %s\nSubject: %s\nDate: %s\nMessage-ID: <%s>\n"
	                       "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
	                       "Content-Transfer-Encoding: 8bit\nAuto-Submitted: auto-generated\n"
	                       "X-Auto-Response-Suppress: All\nList-Id: <%s.%s>\n%s: %s\n\n",
	                       from, to, subject, date, message_id, list->local, list->domain,
	                       OUTBOX_LOOP_HEADER, list->address);
	g_string_append_printf(s,
	                       "The OpenPGP key of %s on %s\n"
	                       "  %s\n"
	                       "expires on %.10s (in %d day%s).\n\n"
	                       "Once it has expired, %s gets no encrypted copies from the list.\n"
	                       "Extend its expiry or make a new key, then give the list the public key:\n\n"
	                       "  embargoctl member add %s %s --key FILE\n\n"
	                       "You will not be told again about this key.\n",
	                       k->address, list->address, k->fingerprint, k->expires,
	                       days, days == 1 ? "" : "s", k->address, list->address,
	                       k->address);
	return g_string_free_to_bytes(s);
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

static gboolean
keynotice_send(Db *db, const EmbargoList *list, char **team, const SoonKey *k, GDateTime *now,
               const char *now_iso, sqlite3_int64 cause, GError **error)
{
	g_autofree char *message_id = outbox_new_message_id(list->domain);
	g_autofree char *subject =
		g_strdup_printf("Key of %s expires on %.10s", k->address, k->expires);
	g_autoptr(GBytes) body = keynotice_body(list, team, k, subject, message_id, now);
	OutMail out = {
		.list = list->address,
		.cause = cause,
		.kind = "notice",
		.envelope_from = "",
		.recipients = team,
		.message_id = message_id,
		.subject = subject,
		.body = body,
	};

	return keynotice_record(db, list->address, k, now_iso, error) &&
	       outbox_add(db, &out, now_iso, error);
}

/* Inside an open transaction: queues one notice to the whole team for each
 * member key of LIST that expires soon and was not noticed yet, and records
 * it. The number of mails queued, -1 on error. */
int
keynotice_queue(Db *db, const EmbargoList *list, GDateTime *now, sqlite3_int64 cause,
                GError **error)
{
	g_autofree char *now_iso = calendar_iso(now);
	g_autoptr(GDateTime) until = g_date_time_add_days(now, KEYNOTICE_DAYS);
	g_autofree char *until_iso = calendar_iso(until);
	g_autoptr(GPtrArray) soon = keynotice_pending(db, list->address, now_iso, until_iso, error);
	g_auto(GStrv) team = NULL;

	if (soon == NULL)
		return -1;
	if (soon->len == 0)
		return 0;
	team = member_addresses(db, list->address, NULL, error);
	if (team == NULL)
		return -1;
	for (guint i = 0; i < soon->len; i++)
		if (!keynotice_send(db, list, team, soon->pdata[i], now, now_iso, cause, error))
			return -1;
	return (int)soon->len;
}
