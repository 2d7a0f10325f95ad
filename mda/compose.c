/* compose.c - writes embargo's outgoing mails with GMime.
 *
 * Every mail comes from the list address (so it passes SPF and DMARC where
 * it lands), carries our loop header, and gets its Message-ID here, before
 * the outbox row is written. Nothing an outsider wrote reaches a header
 * unless it was made one line first, and the acknowledgement never quotes
 * the report: it would reflect spam and leak what the reporter sent. */
#include "compose.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "calendar.h"
#include "caseid.h"
#include "outbox.h"

/* SUBJECT with the "[CASE]" tag in front, unless it already carries it. */
char *
compose_tagged_subject(const char *case_id, const char *prefix, const char *subject)
{
	g_autofree char *present = caseid_from_subject(subject, prefix);
	g_autofree char *trimmed = g_strstrip(g_strdup(subject != NULL ? subject : ""));

	if (present != NULL && strcmp(present, case_id) == 0)
		return g_steal_pointer(&trimmed);
	if (*trimmed == '\0')
		return g_strdup_printf("[%s]", case_id);
	return g_strdup_printf("[%s] %s", case_id, trimmed);
}

/* The list takes its own reference to the mailbox. */
static void
compose_add_address(InternetAddressList *list, const char *name, const char *address)
{
	InternetAddress *mailbox = internet_address_mailbox_new(name, address);

	internet_address_list_add(list, mailbox);
	g_object_unref(mailbox);
}

static GMimeMessage *
compose_base(const ComposeCtx *ctx, const char *from_name, char **to, const char *subject,
             const char *message_id)
{
	GMimeMessage *m = g_mime_message_new(TRUE);
	GMimeObject *obj = GMIME_OBJECT(m);

	compose_add_address(g_mime_message_get_from(m), from_name, ctx->list->address);
	for (char **r = to; *r != NULL; r++)
		compose_add_address(g_mime_message_get_addresses(m, GMIME_ADDRESS_TYPE_TO), NULL, *r);
	g_mime_message_set_subject(m, subject, "utf-8");
	g_mime_message_set_date(m, ctx->now);
	g_mime_message_set_message_id(m, message_id);
	g_mime_object_set_header(obj, OUTBOX_LOOP_HEADER, ctx->list->address, NULL);
	return m;
}

static void
compose_set_list_id(const ComposeCtx *ctx, GMimeMessage *m)
{
	g_autofree char *value = g_strdup_printf("<%s.%s>", ctx->list->local, ctx->list->domain);

	g_mime_object_set_header(GMIME_OBJECT(m), "List-Id", value, NULL);
}

static GMimeTextPart *
compose_text(const char *text)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");

	g_mime_text_part_set_text(part, text);
	return part;
}

static Composed *
compose_render(GMimeMessage *m, const char *message_id, const char *subject, gsize size_hint)
{
	Composed *c = g_new0(Composed, 1);
	/* Sized up front: growing by doubling would hold two large copies at once. */
	GByteArray *bytes = g_byte_array_sized_new((guint)MIN(size_hint + 65536, G_MAXUINT));
	GMimeStream *mem = g_mime_stream_mem_new_with_byte_array(bytes);

	/* The stream does not own the array, so its bytes are taken, not copied:
	 * a team copy is as large as the report. */
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	g_mime_object_write_to_stream(GMIME_OBJECT(m), NULL, mem);
	c->body = g_byte_array_free_to_bytes(bytes);
	c->message_id = g_strdup(message_id);
	c->subject = g_strdup(subject);
	g_object_unref(mem);
	g_object_unref(m);
	return c;
}

/* The size of the incoming message, which a copy of it will about match. */
static gsize
compose_spool_size(const ComposeCtx *ctx)
{
	GStatBuf st;

	return ctx->spool_path != NULL && g_stat(ctx->spool_path, &st) == 0 ? (gsize)st.st_size : 0;
}

static char *
compose_due(const ComposeCtx *ctx, const PolicyDeadline *d, GDateTime *from)
{
	g_autoptr(GDateTime) due =
		calendar_add_days(from, d->days, d->business, ctx->config->tz, ctx->config->holidays);
	g_autoptr(GDateTime) local = g_date_time_to_timezone(due, ctx->config->tz);

	return g_date_time_format(local, "%a %d %b %Y");
}

/* The promises that run from receipt of the report, one line each. */
static void
compose_append_deadlines(const ComposeCtx *ctx, GString *out, gboolean first_only)
{
	GPtrArray *deadlines = ctx->list->policy->deadlines;

	for (guint i = 0; i < deadlines->len; i++) {
		const PolicyDeadline *d = deadlines->pdata[i];
		if (strcmp(d->from, "received") != 0)
			continue;
		g_autofree char *due = compose_due(ctx, d, ctx->case_created);
		g_string_append_printf(out, first_only ? "%s, due %s\n" : "  - %s by %s\n", d->promise, due);
		if (first_only)
			return;
	}
	if (first_only)
		g_string_append(out, "none set by the policy\n");
}

Composed *
compose_ack(const ComposeCtx *ctx, const char *to)
{
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = g_strdup_printf("Auto: [%s] Your report to %s", ctx->case_id,
	                                           ctx->list->name);
	char *rcpt[] = { (char *)to, NULL };
	GMimeMessage *m = compose_base(ctx, ctx->list->name, rcpt, subject, message_id);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GMimeTextPart) part = NULL;

	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-replied", NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Auto-Response-Suppress", "All", NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "Precedence", "bulk", NULL);
	if (*ctx->in->message_id != '\0') {
		g_autofree char *ref = g_strdup_printf("<%s>", ctx->in->message_id);
		g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To", ref, NULL);
		g_mime_object_set_header(GMIME_OBJECT(m), "References", ref, NULL);
	}
	g_string_append_printf(text,
	                       "Thank you for your report to %s.\n\n"
	                       "We have opened case %s for it. Please keep [%s] in the subject\n"
	                       "of every mail about it; a reply to this mail reaches the team.\n\n"
	                       "What happens next (%s policy):\n",
	                       ctx->list->name, ctx->case_id, ctx->case_id, ctx->list->policy->name);
	compose_append_deadlines(ctx, text, FALSE);
	if (ctx->list->policy->ack_text != NULL)
		g_string_append_printf(text, "\n%s\n", ctx->list->policy->ack_text);
	if (ctx->ack_note != NULL)
		g_string_append_printf(text, "\n%s\n", ctx->ack_note);
	g_string_append(text, "\nThis is an automatic reply. Your report is not quoted in it.\n");
	part = compose_text(text->str);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	return compose_render(m, message_id, subject, 0);
}

static const char *
compose_kind_text(RouteKind kind)
{
	switch (kind) {
	case ROUTE_REPORT:
		return "new report";
	case ROUTE_FOLLOWUP:
		return "follow-up from outside the team";
	case ROUTE_DISCUSSION:
		return "team discussion";
	case ROUTE_ANSWER:
		return "answer sent to the reporter";
	default:
		return route_kind_name(kind);
	}
}

static char *
compose_summary(const ComposeCtx *ctx)
{
	const InMessage *in = ctx->in;
	g_autoptr(GString) s = g_string_new(NULL);
	g_autofree char *team = caseid_address(ctx->list->local, ctx->list->domain, ctx->case_id, NULL);
	g_autofree char *answer =
		caseid_address(ctx->list->local, ctx->list->domain, ctx->case_id, "reporter");
	g_autofree char *env = inmsg_one_line(ctx->envelope_from, 200);

	g_string_append_printf(s, "-- embargo: %s, %s --\n", ctx->case_id,
	                       compose_kind_text(ctx->route->kind));
	g_string_append_printf(s, "Case:           %s\n", ctx->case_id);
	g_string_append_printf(s, "Reporter:       %s\n", ctx->reporter);
	if (ctx->route->held)
		g_string_append_printf(s,
		                       "HELD:           automatic mail (%s): no acknowledgement was sent.\n"
		                       "                Answer through the reporter address below if a\n"
		                       "                person should hear from us.\n",
		                       in->automatic != NULL ? in->automatic : "?");
	if (in->from_name != NULL && *in->from_name != '\0' && in->from_addr != NULL)
		g_string_append_printf(s, "This mail from: %s <%s> (envelope %s)\n", in->from_name,
		                       in->from_addr, env);
	else
		g_string_append_printf(s, "This mail from: %s (envelope %s)\n",
		                       in->from_addr != NULL ? in->from_addr : "(no usable From)", env);
	g_string_append_printf(s, "Subject:        %s\n", in->subject);
	g_string_append_printf(s, "Encryption:     %s\n",
	                       ctx->encryption != NULL ? ctx->encryption : "none (plain mail)");
	g_string_append_printf(s, "Signature:      %s\n", ctx->signature != NULL ? ctx->signature : "none");
	if (in->spf != NULL)
		g_string_append_printf(s, "SPF:            %s (smtp.%s=%s, from our milter)\n", in->spf,
		                       in->spf_helo ? "helo" : "mailfrom",
		                       in->spf_identity != NULL ? in->spf_identity : "");
	else
		g_string_append_printf(s, "SPF:            not checked\n");
	g_string_append_printf(s, "Stage:          %s\n", ctx->stage);
	g_string_append(s, "Next deadline:  ");
	compose_append_deadlines(ctx, s, TRUE);
	g_string_append_printf(s, "Team thread:    %s\n", team);
	g_string_append_printf(s, "To the reporter: %s\n", answer);
	if (in->problem != NULL)
		g_string_append_printf(s,
		                       "PROBLEM:        could not process this message (%s);\n"
		                       "                the original is attached as it arrived.\n",
		                       in->problem);
	g_string_append(s, "----------------------------------------------------------------------\n");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The raw message as it arrived, as an attachment: used when parsing failed. */
static GMimeObject *
compose_raw_attachment(const ComposeCtx *ctx)
{
	GMimePart *part = g_mime_part_new_with_type("application", "octet-stream");
	GError *err = NULL;
	GMimeStream *file = g_mime_stream_fs_open(ctx->spool_path, O_RDONLY | O_CLOEXEC, 0, &err);
	GMimeDataWrapper *content;

	if (file == NULL) {
		g_clear_error(&err);
		file = g_mime_stream_mem_new();
	}
	content = g_mime_data_wrapper_new_with_stream(file, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(part, content);
	g_mime_part_set_filename(part, "original.eml");
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	g_object_unref(content);
	g_object_unref(file);
	return GMIME_OBJECT(part);
}

Composed *
compose_team_copy(const ComposeCtx *ctx, char **recipients)
{
	const InMessage *in = ctx->in;
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = compose_tagged_subject(ctx->case_id, ctx->list->prefix, in->subject);
	g_autofree char *sender = in->from_addr != NULL ? g_strdup(in->from_addr)
	                                                : inmsg_one_line(ctx->envelope_from, 200);
	g_autofree char *from_name =
		g_strdup_printf("%s via %s",
		                in->from_name != NULL && *in->from_name ? in->from_name : sender,
		                ctx->list->name);
	g_autofree char *team = caseid_address(ctx->list->local, ctx->list->domain, ctx->case_id, NULL);
	g_autofree char *summary = compose_summary(ctx);
	GMimeMessage *m = compose_base(ctx, from_name, recipients, subject, message_id);
	g_autoptr(GMimeMultipart) mixed = g_mime_multipart_new_with_subtype("mixed");
	g_autoptr(GMimeTextPart) head = compose_text(summary);
	GMimeObject *original = ctx->body != NULL  ? ctx->body
	                        : in->message != NULL ? g_mime_message_get_mime_part(in->message)
	                                              : NULL;

	g_mime_object_set_header(GMIME_OBJECT(m), "Reply-To", team, NULL);
	compose_set_list_id(ctx, m);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Embargo-Case", ctx->case_id, NULL);
	g_mime_multipart_add(mixed, GMIME_OBJECT(head));
	if (in->problem == NULL && original != NULL) {
		g_mime_multipart_add(mixed, original);
	} else {
		g_autoptr(GMimeObject) raw = compose_raw_attachment(ctx);
		g_mime_multipart_add(mixed, raw);
	}
	g_mime_message_set_mime_part(m, GMIME_OBJECT(mixed));
	return compose_render(m, message_id, subject, compose_spool_size(ctx));
}

Composed *
compose_answer(const ComposeCtx *ctx, const char *to, const char *in_reply_to)
{
	const InMessage *in = ctx->in;
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = compose_tagged_subject(ctx->case_id, ctx->list->prefix, in->subject);
	char *rcpt[] = { (char *)to, NULL };
	GMimeMessage *m = compose_base(ctx, ctx->list->name, rcpt, subject, message_id);
	GMimeObject *body = ctx->body != NULL  ? ctx->body
	                    : in->message != NULL ? g_mime_message_get_mime_part(in->message)
	                                          : NULL;

	/* The member's own signature names the member: the list signs instead. */
	if (body != NULL && GMIME_IS_MULTIPART_SIGNED(body) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2)
		body = g_mime_multipart_get_part(GMIME_MULTIPART(body), GMIME_MULTIPART_SIGNED_CONTENT);
	g_mime_object_set_header(GMIME_OBJECT(m), "Reply-To", ctx->list->address, NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Embargo-Case", ctx->case_id, NULL);
	if (in_reply_to != NULL && *in_reply_to != '\0') {
		g_autofree char *ref = g_strdup_printf("<%s>", in_reply_to);
		g_mime_object_set_header(GMIME_OBJECT(m), "In-Reply-To", ref, NULL);
		g_mime_object_set_header(GMIME_OBJECT(m), "References", ref, NULL);
	}
	if (body != NULL) {
		g_mime_message_set_mime_part(m, body);
	} else {
		g_autoptr(GMimeTextPart) empty = compose_text("");
		g_mime_message_set_mime_part(m, GMIME_OBJECT(empty));
	}
	return compose_render(m, message_id, subject, compose_spool_size(ctx));
}

Composed *
compose_notice(const ComposeCtx *ctx, char **recipients, const char *subject_text, const char *text)
{
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = ctx->case_id != NULL
	                               ? compose_tagged_subject(ctx->case_id, ctx->list->prefix, subject_text)
	                               : g_strdup(subject_text);
	GMimeMessage *m = compose_base(ctx, ctx->list->name, recipients, subject, message_id);
	g_autoptr(GMimeTextPart) part = compose_text(text);

	g_mime_object_set_header(GMIME_OBJECT(m), "Auto-Submitted", "auto-generated", NULL);
	g_mime_object_set_header(GMIME_OBJECT(m), "X-Auto-Response-Suppress", "All", NULL);
	compose_set_list_id(ctx, m);
	if (ctx->case_id != NULL)
		g_mime_object_set_header(GMIME_OBJECT(m), "X-Embargo-Case", ctx->case_id, NULL);
	g_mime_message_set_mime_part(m, GMIME_OBJECT(part));
	return compose_render(m, message_id, subject, 0);
}
