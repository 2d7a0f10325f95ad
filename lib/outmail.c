/* outmail.c - writes every mail embargo sends, for one of four audiences.
 *
 * Every mail comes from the list address (so it passes SPF and DMARC where
 * it lands) and carries the loop header; what else it carries is decided
 * here alone, by audience, so that no writer can forget a header:
 *   - mail embargo writes itself (everything but a member's answer and the
 *     team's copies) is Auto-Submitted and asks Exchange for no
 *     auto-replies; automatic replies to whoever wrote (STRANGER) are
 *     "auto-replied" (RFC 3834);
 *   - notices, and every reply to a stranger, go out with the null return
 *     path, so that not even a bounce answers them; other mail to the team
 *     comes back, if it bounces, to the list;
 *   - mail to the team or pre-release readers carries List-Id, and the
 *     team's Reply-To is the case's team thread;
 *   - mail to a reporter about a case comes back, if it bounces, to the
 *     case's bounce address, where the team hears of it;
 *   - a mail marked with a spam verdict (the team's copy under
 *     spam_action = tag) says so in its subject and in X-Embargo-Spam.
 * A mail is rendered once (outmail_render), when seal.c queues it: sealing
 * works on the message, not on its bytes. */
#include "outmail.h"

#include <string.h>

#include "caseid.h"
#include "outbox.h"

char *
outmail_tagged_subject(const char *case_id, const char *prefix, const char *subject)
{
	g_autofree char *present = caseid_from_subject(subject, prefix);
	g_autofree char *trimmed = g_strstrip(g_strdup(subject != NULL ? subject : ""));

	if (present != NULL && strcmp(present, case_id) == 0)
		return g_steal_pointer(&trimmed);
	if (*trimmed == '\0')
		return g_strdup_printf("[%s]", case_id);
	return g_strdup_printf("[%s] %s", case_id, trimmed);
}

char *
outmail_subject(const OutHead *h)
{
	g_autofree char *marked = NULL;
	const char *subject = h->subject != NULL ? h->subject : "";

	if (h->spam != NULL)
		subject = marked = g_strdup_printf("%s %s", OUTMAIL_SPAM_TAG, subject);
	if (h->case_id == NULL)
		return g_strdup(subject);
	return outmail_tagged_subject(h->case_id, h->list->prefix, subject);
}

char *
outmail_envelope(const OutHead *h)
{
	if (h->purpose == OUT_NOTICE)
		return g_strdup("");
	switch (h->audience) {
	case AUDIENCE_TEAM:
	case AUDIENCE_READERS:
		return g_strdup(h->list->address);
	case AUDIENCE_REPORTER:
		if (h->case_id != NULL)
			return caseid_address(h->list->local, h->list->domain, h->case_id, "bounces");
		return g_strdup("");
	case AUDIENCE_STRANGER:
		return g_strdup("");
	}
	g_return_val_if_reached(g_strdup(""));
}

/* The list takes its own reference to the mailbox. */
static void
outmail_add_address(InternetAddressList *list, const char *name, const char *address)
{
	InternetAddress *mailbox = internet_address_mailbox_new(name, address);

	internet_address_list_add(list, mailbox);
	g_object_unref(mailbox);
}

GMimeMessage *
outmail_message(const OutHead *h, char **to, const char *subject, const char *message_id)
{
	const EmbargoList *list = h->list;
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeObject *obj = GMIME_OBJECT(m);

	g_return_val_if_fail(h->now != NULL, m);
	outmail_add_address(g_mime_message_get_from(m), h->from_name != NULL ? h->from_name : list->name,
	                    list->address);
	for (char **r = to; *r != NULL; r++)
		outmail_add_address(g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO), NULL, *r);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_date(m, h->now);
	g_mime_message_set_message_id(m, message_id);
	g_mime_object_set_header(obj, OUTBOX_LOOP_HEADER, list->address, NULL);
	if (h->purpose != OUT_RELAYED) {
		if (h->audience == AUDIENCE_STRANGER) {
			g_mime_object_set_header(obj, "Auto-Submitted", "auto-replied", NULL);
			g_mime_object_set_header(obj, "Precedence", "bulk", NULL);
		} else {
			g_mime_object_set_header(obj, "Auto-Submitted", "auto-generated", NULL);
		}
		g_mime_object_set_header(obj, "X-Auto-Response-Suppress", "All", NULL);
	}
	if (h->audience == AUDIENCE_TEAM || h->audience == AUDIENCE_READERS) {
		g_autofree char *list_id = g_strdup_printf("<%s.%s>", list->local, list->domain);
		g_mime_object_set_header(obj, "List-Id", list_id, NULL);
	}
	if (h->audience == AUDIENCE_TEAM && h->case_id != NULL) {
		g_autofree char *team = caseid_address(list->local, list->domain, h->case_id, NULL);
		g_mime_object_set_header(obj, "Reply-To", team, NULL);
	} else if (h->audience == AUDIENCE_REPORTER) {
		g_mime_object_set_header(obj, "Reply-To", list->address, NULL);
	}
	if (h->case_id != NULL)
		g_mime_object_set_header(obj, "X-Embargo-Case", h->case_id, NULL);
	if (h->spam != NULL)
		g_mime_object_set_header(obj, OUTMAIL_SPAM_HEADER, h->spam, NULL);
	if (h->in_reply_to != NULL && *h->in_reply_to != '\0') {
		g_autofree char *ref = g_strdup_printf("<%s>", h->in_reply_to);
		g_mime_object_set_header(obj, "In-Reply-To", ref, NULL);
		g_mime_object_set_header(obj, "References", ref, NULL);
	}
	return m;
}

GMimeObject *
outmail_text(const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");

	g_mime_text_part_set_text(part, text);
	return GMIME_OBJECT(part);
}

/* M's bytes, written once. Sized up front: growing by doubling would hold
 * two large copies at once, and a team copy is as large as the report. */
GBytes *
outmail_render(GMimeMessage *m, gsize size_hint)
{
	GByteArray *bytes = g_byte_array_sized_new((guint)MIN(size_hint + 65536, G_MAXUINT));
	g_autoptr(GMimeStream) mem = g_mime_stream_mem_new_with_byte_array(bytes);

	/* The stream does not own the array, so its bytes are taken, not copied. */
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem);
	return g_byte_array_free_to_bytes(bytes);
}
