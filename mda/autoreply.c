/* autoreply.c - the one place that decides whether an acknowledgement may
 * go out: never to automatic mail, null or role senders, our own addresses,
 * a sender asking for none, or a sender our milter found failing SPF (it
 * may be forged: no backscatter); and at most ack_limit per sender per week,
 * so a forged sender cannot turn the list into a mail cannon. */
#include "autoreply.h"

#include <string.h>

#include "address.h"
#include "calendar.h"
#include "outbox.h"

/* 1 when an acknowledgement may go to ENVELOPE_FROM, 0 when not (WHY says why), -1 on error. */
int
autoreply_allowed(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                  const InMessage *in, const char *envelope_from, GDateTime *now, char **why,
                  GError **error)
{
	g_autofree char *to = address_normalize(envelope_from);
	g_autoptr(GDateTime) week_ago = NULL;
	g_autofree char *since = NULL;
	int sent;

	*why = NULL;
	if (in->automatic != NULL)
		*why = g_strdup_printf("automatic mail (%s)", in->automatic);
	else if (address_is_null(envelope_from))
		*why = g_strdup("no usable envelope sender");
	else if (to == NULL && !g_str_is_ascii(envelope_from))
		/* Mail to it needs SMTPUTF8 all the way, and a UTF-8 address on
		 * sendmail's command line: the team copy names it instead. */
		*why = g_strdup("the envelope sender is not an ASCII address (an acknowledgement "
		                "would need SMTPUTF8)");
	else if (to == NULL)
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
	since = calendar_iso(week_ago);
	sent = outbox_count_recent(db, "ack", to, since, error);
	if (sent < 0)
		return -1;
	if ((guint)sent >= list->ack_limit) {
		*why = g_strdup_printf("%s already got %d acknowledgements this week", to, sent);
		return 0;
	}
	return 1;
}
