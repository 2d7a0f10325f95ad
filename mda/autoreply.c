/* autoreply.c - the one gate every automatic mail to a sender passes
 * (acknowledgements, "Commands not applied", "Not delivered"): never to
 * automatic mail (RFC 3834), to mail that could not be parsed (whether it
 * is automatic is unknown), to null or role senders, our own addresses, a
 * sender asking for none, or a sender our milter found failing SPF (it may
 * be forged: no backscatter); at most ack_limit of them per sender per
 * week, and at most autoreply_global_limit per hour in all, so that forged
 * senders cannot turn the lists into a mail cannon.
 *
 * A sender is counted by the address without its +extension and in lower
 * case: "jane+1@", "Jane+2@" and "jane@" are one person, and one quota. The
 * count is taken from the outbox itself (mail we sent from the null return
 * path to one address), so nothing else has to remember it. */
#include "autoreply.h"

#include <string.h>

#include "address.h"
#include "calendar.h"

/* The outbox rows that are automatic replies: ours, from the null return
 * path, to one address. A team notice to a team of one is counted too,
 * which only ever makes the limits stricter. */
#define AUTOREPLY_ROWS                                                                          \
	"FROM outbox WHERE kind IN ('ack', 'notice') AND envelope_from = '' AND "                   \
	"instr(recipients, char(10)) = 0 AND created_at >= ?1"

/* PATTERN for LIKE, with its wildcards in TEXT escaped by '\'. */
static char *
autoreply_like_escape(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

/* Automatic replies since SINCE to BASE (an address_base()), any extension. */
static int
autoreply_count_sender(Db *db, const char *base, const char *since, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT recipients " AUTOREPLY_ROWS
	                               " AND recipients LIKE ?2 ESCAPE '\\'", error);
	g_autofree char *domain = autoreply_like_escape(strrchr(base, '@'));
	g_autofree char *pattern = g_strconcat("%", domain, NULL);
	int n = 0, rc;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, since);
	db_bind_text(st, 2, pattern);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		g_autofree char *other = address_base(db_col_text(st, 0));
		if (other != NULL && strcmp(other, base) == 0)
			n++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? n : -1;
}

static int
autoreply_count_all(Db *db, const char *since, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) " AUTOREPLY_ROWS, error);
	int n = -1;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, since);
	if (db_step(db, st, error) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* 1 when an automatic mail may go to ENVELOPE_FROM, 0 when not (WHY says why), -1 on error. */
int
autoreply_allowed(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                  const InMessage *in, const char *envelope_from, GDateTime *now, char **why,
                  GError **error)
{
	g_autofree char *to = address_normalize(envelope_from);
	g_autofree char *base = address_base(envelope_from);
	g_autoptr(GDateTime) week_ago = NULL, hour_ago = NULL;
	g_autofree char *week = NULL, *hour = NULL;
	int sent;

	*why = NULL;
	if (in->message == NULL)
		*why = g_strdup("the message was not parsed, so whether it is automatic mail is unknown");
	else if (in->automatic != NULL)
		*why = g_strdup_printf("automatic mail (%s)", in->automatic);
	else if (address_is_null(envelope_from))
		*why = g_strdup("no usable envelope sender");
	else if (to == NULL && !g_str_is_ascii(envelope_from))
		/* Mail to it needs SMTPUTF8 all the way, and a UTF-8 address on
		 * sendmail's command line: the team copy names it instead. */
		*why = g_strdup("the envelope sender is not an ASCII address (an acknowledgement "
		                "would need SMTPUTF8)");
	else if (to == NULL || base == NULL)
		*why = g_strdup("no usable envelope sender");
	else if (address_is_role(to))
		*why = g_strdup_printf("role address %s", to);
	else if (config_is_own_address(config, to))
		*why = g_strdup("our own address");
	else if (in->suppress_reply)
		*why = g_strdup("X-Auto-Response-Suppress");
	else if (in->spf != NULL && strcmp(in->spf, "fail") == 0)
		*why = g_strdup("SPF fail: the sender address may be forged");
	if (*why != NULL)
		return 0;

	week_ago = g_date_time_add_days(now, -7);
	week = calendar_iso(week_ago);
	sent = autoreply_count_sender(db, base, week, error);
	if (sent < 0)
		return -1;
	if ((guint)sent >= list->ack_limit) {
		*why = g_strdup_printf("%s already got %d automatic replies this week", base, sent);
		return 0;
	}
	hour_ago = g_date_time_add_hours(now, -1);
	hour = calendar_iso(hour_ago);
	sent = autoreply_count_all(db, hour, error);
	if (sent < 0)
		return -1;
	if ((guint)sent >= config->autoreply_global_limit) {
		*why = g_strdup_printf("%d automatic replies went out in the last hour "
		                       "(autoreply_global_limit)", sent);
		return 0;
	}
	return 1;
}
