/* compose.c - the bodies of the mails only embargo-mda writes: the
 * acknowledgement, the team's copy with its summary, and a member's answer
 * to the reporter. The headers are outmail.c's, by audience; sealing is
 * seal.c's. Nothing an outsider wrote reaches a header unless it was made
 * one line first, and the acknowledgement never quotes the report: it would
 * reflect spam and leak what the reporter sent. */
#include "compose.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>

#include "calendar.h"
#include "caseid.h"
#include "outbox.h"
#include "textpart.h"

#define COMPOSE_MAX_WALK 1000
#define COMPOSE_MAX_READABLE 20

/* The size of the incoming message, which a copy of it will about match. */
gsize
compose_size_hint(const ComposeCtx *ctx)
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

/* The event a deadline runs from, as the reporter reads it: "the release". */
static char *
compose_event_text(const Policy *policy, const char *event)
{
	if (policy->released_stage != NULL && strcmp(event, policy->released_stage) == 0)
		return g_strdup("the release");
	if (strcmp(event, "first_answer") == 0)
		return g_strdup("our first answer");
	return g_strdup_printf("the case reaches stage \"%s\"", event);
}

/* A promise whose start has not happened yet has no date: it is given as a
 * span after its event ("within 3 days after the release"), so that the
 * reporter is promised every deadline of the policy, not only the early ones. */
static void
compose_append_later(const ComposeCtx *ctx, GString *out, const PolicyDeadline *d)
{
	g_autofree char *event = compose_event_text(ctx->list->policy, d->from);

	g_string_append_printf(out, "  - %s within %u %sday%s after %s\n", d->promise, d->days,
	                       d->business ? "business " : "", d->days == 1 ? "" : "s", event);
}

/* The promises, one line each: those that run from receipt of the report
 * with their date, the others as a span after their event. FIRST_ONLY: the
 * first dated one alone, for the team's summary. */
static void
compose_append_deadlines(const ComposeCtx *ctx, GString *out, gboolean first_only)
{
	GPtrArray *deadlines = ctx->list->policy->deadlines;

	for (guint i = 0; i < deadlines->len; i++) {
		const PolicyDeadline *d = deadlines->pdata[i];
		if (strcmp(d->from, "received") != 0) {
			if (!first_only)
				compose_append_later(ctx, out, d);
			continue;
		}
		g_autofree char *due = compose_due(ctx, d, ctx->case_created);
		g_string_append_printf(out, first_only ? "%s, due %s\n" : "  - %s by %s\n", d->promise, due);
		if (first_only)
			return;
	}
	if (first_only)
		g_string_append(out, "none set by the policy\n");
}

GMimeMessage *
compose_ack(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	const ComposeCtx *ctx = data;
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = outmail_subject(h);
	GMimeMessage *m = outmail_message(h, to, subject, message_id);
	g_autoptr(GString) text = g_string_new(NULL);
	g_autoptr(GMimeObject) part = NULL;

	(void)sealed;
	(void)error;
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
	part = outmail_text(text->str);
	g_mime_message_set_mime_part(m, part);
	return m;
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

/* READABLE: how many text parts of a message that could not be processed follow. */
static char *
compose_summary(const ComposeCtx *ctx, guint readable)
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
	if (ctx->released != NULL)
		g_string_append_printf(s, "Released:       %s; it was held, nobody had seen it\n",
		                       ctx->released);
	if (ctx->spam != NULL)
		g_string_append_printf(s,
		                       "SPAM?:          likely spam (%s): no acknowledgement was sent.\n",
		                       ctx->spam);
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
	for (guint i = 0; in->notes != NULL && i < in->notes->len; i++)
		g_string_append_printf(s, "Note:           %s\n", (const char *)in->notes->pdata[i]);
	if (in->problem != NULL)
		g_string_append_printf(s,
		                       "PROBLEM:        could not process this message (%s);\n"
		                       "                %sthe original is attached as it arrived.\n",
		                       in->problem,
		                       readable > 0
		                           ? "the text parts that could be read follow, as plain\n"
		                             "                text, unprotected and unverified; "
		                           : "");
	g_string_append(s, "----------------------------------------------------------------------\n");
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* The text parts of a message that could not be processed, as new
 * UTF-8 parts added to OUT, at most COMPOSE_MAX_READABLE of them; never
 * what is inside an encrypted or signed part, which is not plain text. */
static void
compose_readable(GMimeObject *obj, GPtrArray *out, guint *visited)
{
	if (++*visited > COMPOSE_MAX_WALK || GMIME_IS_MULTIPART_ENCRYPTED(obj) ||
	    GMIME_IS_MULTIPART_SIGNED(obj))
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			compose_readable(g_mime_multipart_get_part(mp, i), out, visited);
		return;
	}
	if (GMIME_IS_PART(obj) && out->len < COMPOSE_MAX_READABLE) {
		GMimeObject *copy = textpart_copy(GMIME_PART(obj));
		if (copy != NULL)
			g_ptr_array_add(out, copy);
	}
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

GMimeMessage *
compose_team_copy(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	const ComposeCtx *ctx = data;
	const InMessage *in = ctx->in;
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = outmail_subject(h);
	g_autofree char *sender = in->from_addr != NULL ? g_strdup(in->from_addr)
	                                                : inmsg_one_line(ctx->envelope_from, 200);
	g_autofree char *from_name =
		g_strdup_printf("%s via %s",
		                in->from_name != NULL && *in->from_name ? in->from_name : sender,
		                ctx->list->name);
	g_autoptr(GPtrArray) readable = g_ptr_array_new_with_free_func(g_object_unref);
	g_autofree char *summary = NULL;
	OutHead head = *h;
	GMimeMessage *m = NULL;
	g_autoptr(GMimeMultipart) mixed = g_mime_multipart_new_with_subtype("mixed");
	g_autoptr(GMimeObject) top = NULL;
	GMimeObject *original = ctx->body != NULL  ? ctx->body
	                        : in->message != NULL ? g_mime_message_get_mime_part(in->message)
	                                              : NULL;
	guint visited = 0;

	(void)sealed;
	(void)error;
	/* What could not be processed is attached raw; what of it is plain
	 * text is shown too, as new parts, as a mail reader would show it. */
	if (in->problem != NULL && in->message != NULL && g_mime_message_get_mime_part(in->message))
		compose_readable(g_mime_message_get_mime_part(in->message), readable, &visited);
	summary = compose_summary(ctx, readable->len);
	top = outmail_text(summary);
	head.from_name = from_name;
	m = outmail_message(&head, to, subject, message_id);
	g_mime_multipart_add(mixed, top);
	if (in->problem == NULL && original != NULL) {
		g_mime_multipart_add(mixed, original);
	} else {
		g_autoptr(GMimeObject) raw = compose_raw_attachment(ctx);
		for (guint i = 0; i < readable->len; i++)
			g_mime_multipart_add(mixed, readable->pdata[i]);
		g_mime_multipart_add(mixed, raw);
	}
	g_mime_message_set_mime_part(m, GMIME_OBJECT(mixed));
	return m;
}

GMimeMessage *
compose_answer(gpointer data, const OutHead *h, char **to, gboolean sealed, GError **error)
{
	const ComposeCtx *ctx = data;
	const InMessage *in = ctx->in;
	g_autofree char *message_id = outbox_new_message_id(ctx->list->domain);
	g_autofree char *subject = outmail_subject(h);
	GMimeMessage *m = outmail_message(h, to, subject, message_id);
	GMimeObject *body = ctx->body != NULL  ? ctx->body
	                    : in->message != NULL ? g_mime_message_get_mime_part(in->message)
	                                          : NULL;

	(void)sealed;
	(void)error;
	/* The member's own signature names the member: the list signs instead. */
	if (body != NULL && GMIME_IS_MULTIPART_SIGNED(body) &&
	    g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2)
		body = g_mime_multipart_get_part(GMIME_MULTIPART(body), GMIME_MULTIPART_SIGNED_CONTENT);
	if (body != NULL) {
		g_mime_message_set_mime_part(m, body);
	} else {
		g_autoptr(GMimeObject) empty = outmail_text("");
		g_mime_message_set_mime_part(m, empty);
	}
	return m;
}
