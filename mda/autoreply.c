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
#include "outbox.h"

/* TRUE with *N the automatic replies since SINCE to BASE (an
 * address_base()), any extension; FALSE on an error. */
static gboolean
autoreply_count_sender(Db *db, const char *base, const char *since, guint *n, GError **error)
{
	g_auto(GStrv) to = outbox_autoreplies_to(db, strrchr(base, '@'), since, error);

	*n = 0;
	if (to == NULL)
		return FALSE;
	for (char **t = to; *t != NULL; t++) {
		g_autofree char *other = address_base(*t);
		if (other != NULL && strcmp(other, base) == 0)
			(*n)++;
	}
	return TRUE;
}

int
autoreply_allowed(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                  const InMessage *in, const char *envelope_from, GDateTime *now, char **why,
                  GError **error)
{
	g_autofree char *to = address_normalize(envelope_from);
	g_autofree char *base = address_base(envelope_from);
	g_autoptr(GDateTime) week_ago = NULL, hour_ago = NULL;
	g_autofree char *week = NULL, *hour = NULL;
	guint sent;

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
	if (!autoreply_count_sender(db, base, week, &sent, error))
		return -1;
	if (sent >= list->ack_limit) {
		*why = g_strdup_printf("%s already got %u automatic replies this week", base, sent);
		return 0;
	}
	hour_ago = g_date_time_add_hours(now, -1);
	hour = calendar_iso(hour_ago);
	if (!outbox_count_autoreplies(db, hour, &sent, error))
		return -1;
	if (sent >= config->autoreply_global_limit) {
		*why = g_strdup_printf("%u automatic replies went out in the last hour "
		                       "(autoreply_global_limit)", sent);
		return 0;
	}
	return 1;
}
