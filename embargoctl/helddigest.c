/* helddigest.c - the daily digest of held items: one mail per list to its
 * team listing the items held since the last digest, so that the team sees
 * what was kept back without reading it. Only what the envelope and the
 * header say (date, envelope sender, From, subject, size, why, the spam
 * filter's score and top symbols), every field made terminal-safe and cut
 * short; never the body. The mail goes through teammail.c, so it is sealed
 * for the team like every other notice. An item is listed once: the rows
 * are marked in the transaction that queues the mail. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "helddigest.h"
#include "helditems.h"
#include "opencases.h"
#include "teammail.h"
#include "termsafe.h"

#define DIGEST_FIELD_MAX 120 /* characters of one field; a subject is no place for a report */

/* TEXT made one terminal-safe line of at most DIGEST_FIELD_MAX characters;
 * caller g_frees. "-" for NULL or empty. */
static char *
digest_field(const char *text)
{
	g_autofree char *safe = termsafe(text);

	if (safe == NULL || *safe == '\0')
		return g_strdup("-");
	if (g_utf8_strlen(safe, -1) <= DIGEST_FIELD_MAX)
		return g_steal_pointer(&safe);
	g_autofree char *cut = g_utf8_substring(safe, 0, DIGEST_FIELD_MAX - 3);
	return g_strconcat(cut, "...", NULL);
}

static void
digest_item(GString *s, const HeldItem *h)
{
	g_autofree char *env = digest_field(h->envelope_from);
	g_autofree char *from = h->from_name != NULL && *h->from_name != '\0'
	                                ? g_strdup_printf("%s <%s>", h->from_name, h->from_addr)
	                                : g_strdup(h->from_addr);
	g_autofree char *from_s = digest_field(from);
	g_autofree char *subject = digest_field(h->subject);
	g_autofree char *why = digest_field(h->why);

	g_string_append_printf(s, "%s  received %s\n", h->id, h->received_at);
	g_string_append_printf(s, "  Envelope: %s\n  From:     %s\n  Subject:  %s\n", env, from_s,
	                       subject);
	g_string_append_printf(s, "  Size:     %" G_GINT64_FORMAT " bytes\n  Held:     %s\n",
	                       h->size, why);
	if (h->scored) {
		g_autofree char *symbols = digest_field(h->spam_symbols);
		g_string_append_printf(s, "  Spam:     score %.2f, %s\n", h->spam_score, symbols);
	}
	if (strcmp(h->state, "held") != 0)
		g_string_append_printf(s, "  Now:      %s%s%s\n", h->state,
		                       h->case_id != NULL ? " as " : "",
		                       h->case_id != NULL ? h->case_id : "");
	g_string_append_c(s, '\n');
}

static char *
digest_text(const EmbargoList *list, GPtrArray *items)
{
	g_autoptr(GString) s = g_string_new(NULL);

	g_string_append_printf(s,
	                       "%u mail(s) to %s were held since the last digest: automatic mail\n"
	                       "that belongs to no case, or mail the spam filter held. Nobody was\n"
	                       "answered, and no case number was used. Only the envelope and the\n"
	                       "header are shown here, never the body.\n\n",
	                       items->len, list->address);
	for (guint i = 0; i < items->len; i++)
		digest_item(s, items->pdata[i]);
	g_string_append(s,
	                "To make one a case (acknowledged and copied to the team as if it had\n"
	                "just arrived): \"embargoctl held release ID\", or a member's mail to the\n"
	                "list starting with the line \"#release ID\". \"embargoctl held show ID\"\n"
	                "shows one; what nobody releases expires after held_days.\n");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* One list's digest queued and its items marked, inside the transaction. */
static gboolean
digest_list(Ctl *ctl, const EmbargoList *list, GDateTime *now, const char *now_iso, guint *mails,
            GError **error)
{
	g_autoptr(GPtrArray) items = NULL;
	g_autofree char *subject = NULL, *text = NULL;
	TeamMail tm = { 0 };

	if (!held_item_undigested(ctl->db, list->address, &items, error))
		return FALSE;
	if (items->len == 0)
		return TRUE;
	subject = g_strdup_printf("Held mail: %u new item(s)", items->len);
	text = digest_text(list, items);
	tm.kind = "held-digest";
	tm.subject = subject;
	tm.text = text;
	tm.now = now;
	tm.notice = TRUE;
	if (!teammail_queue(ctl->db, ctl->config, list, &tm, NULL, error) ||
	    !held_item_digested(ctl->db, items, now_iso, error))
		return FALSE;
	printf("%s: a digest of %u held item(s)\n", ctl_safe(list->address), items->len);
	(*mails)++;
	return TRUE;
}

int
held_digest(Ctl *ctl, const char *now_text)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = opencases_now(now_text);
	g_autofree char *now_iso = NULL;
	guint mails = 0;

	if (now == NULL)
		return ctl_usage("held digest: --now '%s' is not an ISO 8601 time", now_text);
	now_iso = calendar_iso(now);
	if (!db_begin(ctl->db, &err))
		return ctl_error(err);
	for (guint l = 0; l < ctl->config->lists->len; l++)
		if (!digest_list(ctl, ctl->config->lists->pdata[l], now, now_iso, &mails, &err)) {
			db_rollback(ctl->db);
			return ctl_error(err);
		}
	if (!db_commit(ctl->db, &err))
		return ctl_error(err);
	return mails > 0 ? opencases_flush(ctl) : EX_OK;
}
