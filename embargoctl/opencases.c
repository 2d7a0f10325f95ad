/* opencases.c - what embargoctl's remind, agenda and stats commands share:
 * the clock they stand on, which cases are open, and the outbox flush that
 * ends the commands that mail the team. */
#include "opencases.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "deadline.h"
#include "outbox.h"

/* TEXT (ISO 8601) or, when NULL, calendar_now(), which honours EMBARGO_NOW;
 * NULL when TEXT is not a time. */
GDateTime *
opencases_now(const char *text)
{
	return text != NULL ? calendar_parse_iso(text) : calendar_now();
}

/* Open: not in the policy's closed stage. */
gboolean
opencases_is_open(const EmbargoList *list, const Case *c)
{
	return list->policy->closed_stage == NULL || strcmp(c->status, list->policy->closed_stage) != 0;
}

/* The open cases of LIST (Case *), oldest first, each with its deadlines
 * refreshed as of NOW; inside the caller's write transaction. */
GPtrArray *
opencases_list(Ctl *ctl, const EmbargoList *list, GDateTime *now, GError **error)
{
	g_autoptr(GPtrArray) all = case_list(ctl->db, list->address, error);
	g_autoptr(GPtrArray) open = NULL;

	if (all == NULL)
		return NULL;
	open = g_ptr_array_new_with_free_func((GDestroyNotify)case_free);
	for (guint i = 0; i < all->len; i++) {
		Case *c = all->pdata[i];
		if (!opencases_is_open(list, c))
			continue;
		if (!deadline_refresh(ctl->db, ctl->config, list, c->id, now, error))
			return NULL;
		g_ptr_array_add(open, g_steal_pointer(&all->pdata[i]));
	}
	return g_steal_pointer(&open);
}

/* Sends every pending outbox row, as "outbox flush" does: EX_OK, or
 * EX_TEMPFAIL when mail is left for the next flush. */
int
opencases_flush(Ctl *ctl)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;

	if (!outbox_flush(ctl->db, ctl->config, 0, OUTBOX_SEND_TIMEOUT_S, &r, &err)) {
		fprintf(stderr, "embargoctl: outbox not sent now (%s); 'embargoctl outbox flush' will "
		        "retry\n", err->message);
		return EX_TEMPFAIL;
	}
	if (r.pending > 0) {
		fprintf(stderr, "embargoctl: %u sent, %u failed, %u pending: 'embargoctl outbox flush' "
		        "will retry\n", r.sent, r.failed, r.pending);
		return EX_TEMPFAIL;
	}
	return EX_OK;
}
