/* inmsg.c - parses a spooled message with GMime, straight from the spool
 * file (GMime keeps part contents as references into it, so a large
 * attachment is not held in memory), and extracts what routing needs.
 *
 * Nothing here trusts the message: headers only embargo sets are removed
 * (after the loop check has read ours), identities are taken only when
 * unambiguous. A defect a mail reader reads past (mimedefects.c) is read
 * past and noted for the team; one that leaves the tree in doubt, or a
 * tree deeper or wider than our own limits, is recorded as a problem so the
 * team gets the raw message instead of a half-understood one. */
#include "inmsg.h"

#include <fcntl.h>
#include <string.h>

#include "address.h"
#include "authres.h"
#include "hdrbound.h"
#include "mimedefects.h"
#include "outbox.h"

#define INMSG_MAX_DEPTH 32
#define INMSG_MAX_PARTS 1000
#define INMSG_MAX_SUBJECT 200
#define INMSG_MAX_NOTES 8

/* What the parser reported while reading one message. */
typedef struct {
	InMessage *in;
	gboolean truncated;
} InParse;

static void
inmsg_note(InMessage *in, char *note)
{
	/* One line per kind of defect is enough for the team, and bounded. */
	for (guint i = 0; i < in->notes->len; i++)
		if (strcmp(in->notes->pdata[i], note) == 0) {
			g_free(note);
			return;
		}
	if (in->notes->len < INMSG_MAX_NOTES)
		g_ptr_array_add(in->notes, note);
	else
		g_free(note);
}

static void
inmsg_warning(gint64 offset, GMimeParserWarning code, const char *item, gpointer data)
{
	InParse *ip = data;
	char *text = NULL;

	switch (mimedefect_classify(code, item, offset, &text)) {
	case MIMEDEFECT_IGNORE:
		break;
	case MIMEDEFECT_TRUNCATED:
		ip->truncated = TRUE;
		break;
	case MIMEDEFECT_NOTE:
		inmsg_note(ip->in, text);
		return;
	case MIMEDEFECT_FATAL:
		if (ip->in->problem == NULL)
			ip->in->problem = g_steal_pointer(&text);
		break;
	}
	g_free(text);
}

/* TEXT made one line (controls become spaces), valid UTF-8, at most MAX_CHARS. */
char *
inmsg_one_line(const char *text, glong max_chars)
{
	g_autofree char *valid = g_utf8_make_valid(text != NULL ? text : "", -1);
	GString *out = g_string_new(NULL);
	gboolean space = FALSE;
	glong n = 0;

	for (const char *p = valid; *p && n < max_chars; p = g_utf8_next_char(p), n++) {
		gunichar c = g_utf8_get_char(p);
		if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
			if (!space && out->len > 0)
				g_string_append_c(out, ' ');
			space = TRUE;
			continue;
		}
		space = c == ' ';
		g_string_append_unichar(out, c);
	}
	return g_strstrip(g_string_free(out, FALSE));
}

static void
inmsg_count_parts(GMimeObject *obj, int depth, int *parts, int *max_depth)
{
	(*parts)++;
	*max_depth = MAX(*max_depth, depth);
	if (*parts > INMSG_MAX_PARTS || depth > INMSG_MAX_DEPTH)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			inmsg_count_parts(g_mime_multipart_get_part(mp, i), depth + 1, parts, max_depth);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m != NULL && g_mime_message_get_mime_part(m) != NULL)
			inmsg_count_parts(g_mime_message_get_mime_part(m), depth + 1, parts, max_depth);
	}
}

static int
inmsg_header_count(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);
	int n = 0;

	for (int i = 0; i < g_mime_header_list_get_count(list); i++)
		if (g_ascii_strcasecmp(g_mime_header_get_name(g_mime_header_list_get_header_at(list, i)),
		                       name) == 0)
			n++;
	return n;
}

/* Removes every header only embargo may set; they are never believed from outside. */
static void
inmsg_strip_own_headers(GMimeObject *obj)
{
	GMimeHeaderList *list = g_mime_object_get_header_list(obj);

	for (int i = g_mime_header_list_get_count(list) - 1; i >= 0; i--) {
		const char *name = g_mime_header_get_name(g_mime_header_list_get_header_at(list, i));
		if (g_ascii_strncasecmp(name, "X-Embargo-", strlen("X-Embargo-")) == 0)
			g_mime_header_list_remove_at(list, i);
	}
}

static void
inmsg_read_from(InMessage *in)
{
	InternetAddressList *from = g_mime_message_get_from(in->message);
	InternetAddress *addr;
	int froms = inmsg_header_count(GMIME_OBJECT(in->message), "From");

	if (froms == 0 || from == NULL || internet_address_list_length(from) == 0) {
		in->problem = in->problem != NULL ? in->problem : g_strdup("no From address");
		return;
	}
	if (froms > 1 || internet_address_list_length(from) > 1) {
		in->problem = in->problem != NULL ? in->problem : g_strdup("several From addresses");
		return;
	}
	addr = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(addr)) {
		in->problem = in->problem != NULL ? in->problem : g_strdup("From is a group");
		return;
	}
	in->from_addr = address_normalize(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(addr)));
	if (in->from_addr == NULL && in->problem == NULL)
		in->problem = g_strdup("invalid From address");
	in->from_name = inmsg_one_line(internet_address_get_name(addr), 100);
}

static void
inmsg_read_references(InMessage *in)
{
	const char *headers[] = { "In-Reply-To", "References" };

	in->references = g_ptr_array_new_with_free_func(g_free);
	for (int h = 0; h < 2; h++) {
		const char *value = g_mime_object_get_header(GMIME_OBJECT(in->message), headers[h]);
		GMimeReferences *refs = value != NULL ? g_mime_references_parse(NULL, value) : NULL;
		if (refs == NULL)
			continue;
		/* References lists oldest first; the newest is the best match. */
		for (int i = g_mime_references_length(refs) - 1; i >= 0 && in->references->len < 50; i--)
			g_ptr_array_add(in->references, g_strdup(g_mime_references_get_message_id(refs, i)));
		g_mime_references_free(refs);
	}
}

static char *
inmsg_header_lower(GMimeMessage *m, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(m), name);

	return v != NULL ? g_strstrip(g_ascii_strdown(v, -1)) : NULL;
}

/* RFC 3834 and common practice: markers of mail that no person wrote. */
static void
inmsg_read_automatic(InMessage *in)
{
	g_autofree char *auto_submitted = inmsg_header_lower(in->message, "Auto-Submitted");
	g_autofree char *precedence = inmsg_header_lower(in->message, "Precedence");
	g_autofree char *suppress = inmsg_header_lower(in->message, "X-Auto-Response-Suppress");
	GMimeObject *body = g_mime_message_get_mime_part(in->message);
	GMimeContentType *ct = body != NULL ? g_mime_object_get_content_type(body) : NULL;

	if (auto_submitted != NULL) {
		auto_submitted[strcspn(auto_submitted, " \t;(")] = '\0';
		if (strcmp(auto_submitted, "no") != 0)
			in->automatic = g_strdup("Auto-Submitted");
	}
	if (in->automatic == NULL && precedence != NULL &&
	    (strcmp(precedence, "bulk") == 0 || strcmp(precedence, "list") == 0 ||
	     strcmp(precedence, "junk") == 0))
		in->automatic = g_strdup_printf("Precedence: %s", precedence);
	if (in->automatic == NULL && g_mime_object_get_header(GMIME_OBJECT(in->message), "List-Id"))
		in->automatic = g_strdup("List-Id");
	if (in->automatic == NULL &&
	    (g_mime_object_get_header(GMIME_OBJECT(in->message), "X-Autoreply") ||
	     g_mime_object_get_header(GMIME_OBJECT(in->message), "X-Autorespond")))
		in->automatic = g_strdup("X-Autoreply");
	if (ct != NULL && g_mime_content_type_is_type(ct, "multipart", "report")) {
		in->is_report = TRUE;
		if (in->automatic == NULL)
			in->automatic = g_strdup("multipart/report");
	}
	in->suppress_reply = suppress != NULL &&
	                     (strstr(suppress, "all") != NULL || strstr(suppress, "autoreply") != NULL);
}

static guint
inmsg_leaves(GMimeObject *obj, guint *visited)
{
	guint n = 0;

	if (++*visited > INMSG_MAX_PARTS)
		return 0;
	if (!GMIME_IS_MULTIPART(obj))
		return 1;
	for (int i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(obj)); i++)
		n += inmsg_leaves(g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), visited);
	return n;
}

static void
inmsg_read(InMessage *in, gboolean has_nul)
{
	GMimeMessage *m = in->message;
	const char *loop = g_mime_object_get_header(GMIME_OBJECT(m), OUTBOX_LOOP_HEADER);
	const char *mid = g_mime_message_get_message_id(m);
	int parts = 0, depth = 0;

	if (loop != NULL)
		in->loop = inmsg_one_line(loop, 300);
	inmsg_strip_own_headers(GMIME_OBJECT(m));
	in->message_id = inmsg_one_line(mid, 500);
	in->subject = inmsg_one_line(g_mime_message_get_subject(m), INMSG_MAX_SUBJECT);
	in->date = inmsg_one_line(g_mime_object_get_header(GMIME_OBJECT(m), "Date"), 100);
	inmsg_read_from(in);
	inmsg_read_references(in);
	inmsg_read_automatic(in);
	if (g_mime_message_get_mime_part(m) == NULL && in->problem == NULL)
		in->problem = g_strdup("no body");
	else if (g_mime_message_get_mime_part(m) != NULL)
		inmsg_count_parts(g_mime_message_get_mime_part(m), 1, &parts, &depth);
	if (in->problem == NULL && depth > INMSG_MAX_DEPTH)
		in->problem = g_strdup_printf("MIME nesting deeper than %d levels", INMSG_MAX_DEPTH);
	if (in->problem == NULL && parts > INMSG_MAX_PARTS)
		in->problem = g_strdup_printf("more than %d MIME parts", INMSG_MAX_PARTS);
	if (in->problem == NULL && has_nul)
		in->problem = g_strdup("NUL bytes in the message");
}

/* IN without a parsed message: stored raw and shown to the team as it is. */
static InMessage *
inmsg_unparsed(InMessage *in)
{
	in->message_id = g_strdup("");
	in->subject = g_strdup("");
	in->references = g_ptr_array_new_with_free_func(g_free);
	if (in->problem == NULL)
		in->problem = g_strdup("not a parsable message");
	return in;
}

/* The message in STREAM from START on, its defects in IP. */
static GMimeMessage *
inmsg_construct(GMimeStream *stream, gint64 start, InParse *ip)
{
	g_autoptr(GMimeStream) sub = g_mime_stream_substream(stream, start, -1);
	g_autoptr(GMimeParser) parser = g_mime_parser_new_with_stream(sub);
	GMimeParserOptions *options = g_mime_parser_options_new();
	GMimeMessage *m;

	g_mime_parser_options_set_warning_callback(options, inmsg_warning, ip);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	g_mime_parser_set_persist_stream(parser, TRUE);
	m = g_mime_parser_construct_message(parser, options);
	g_mime_parser_options_free(options);
	return m;
}

InMessage *
inmsg_parse(const char *spool_path, gboolean has_nul, GError **error)
{
	g_autoptr(InMessage) in = g_new0(InMessage, 1);
	g_autoptr(GMimeStream) stream = g_mime_stream_fs_open(spool_path, O_RDONLY | O_CLOEXEC, 0, error);
	InParse ip = { .in = in };

	in->notes = g_ptr_array_new_with_free_func(g_free);
	if (stream == NULL)
		return NULL;
	/* Before GMime sees it: what it cannot parse within a stack is not parsed. */
	if (!hdrbound_check_file(spool_path, &in->problem, error))
		return NULL;
	if (in->problem != NULL)
		return inmsg_unparsed(g_steal_pointer(&in));
	in->message = inmsg_construct(stream, 0, &ip);
	if (in->message == NULL) {
		/* GMime gives up on a first line that is no header field; a mail
		 * reader starts at the first one, and so do we, telling the team. */
		g_autofree char *skipped = NULL;
		gint64 start = mimedefect_header_start(GMIME_STREAM_FS(stream)->fd,
		                                        &skipped);
		if (start > 0) {
			g_ptr_array_set_size(in->notes, 0);
			g_clear_pointer(&in->problem, g_free);
			ip.truncated = FALSE;
			in->message = inmsg_construct(stream, start, &ip);
			if (in->message != NULL)
				inmsg_note(in, g_strdup_printf("the message began with %" G_GINT64_FORMAT
				                               " bytes that are not headers (\"%s\"); "
				                               "they were skipped",
				                               start, skipped != NULL ? skipped : ""));
		}
	}
	if (in->message == NULL)
		return inmsg_unparsed(g_steal_pointer(&in));
	inmsg_read(in, has_nul);
	if (ip.truncated && in->problem == NULL) {
		GMimeObject *body = g_mime_message_get_mime_part(in->message);
		guint visited = 0;
		inmsg_note(in, g_strdup_printf("the message was truncated; parts after %u may be missing",
		                               body != NULL ? inmsg_leaves(body, &visited) : 0));
	}
	return g_steal_pointer(&in);
}

/* The SPF result embargo-milter recorded: from the topmost Authentication-Results
 * field with AUTHSERV_ID (the milter removed every other field claiming it and
 * added its own on top). Fields of other servers are left alone and never
 * believed; with no AUTHSERV_ID configured, none is. */
void
inmsg_read_authres(InMessage *in, const char *authserv_id)
{
	GMimeHeaderList *list;

	if (in->message == NULL || authserv_id == NULL)
		return;
	list = g_mime_object_get_header_list(GMIME_OBJECT(in->message));
	for (int i = 0; i < g_mime_header_list_get_count(list); i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(list, i);
		g_autoptr(AuthRes) ar = NULL;

		if (g_ascii_strcasecmp(g_mime_header_get_name(h), AUTHRES_HEADER) != 0)
			continue;
		/* The raw value, as the milter saw it: a decoded one could turn an
		 * encoded word into our authserv-id after the milter let it pass. */
		ar = authres_parse(g_mime_header_get_raw_value(h));
		if (ar == NULL || !authres_id_equal(ar->authserv_id, authserv_id))
			continue;
		/* Every field of ours counts (the milter removed forged ones on the
		 * way in; OpenDKIM and OpenDMARC in the same MTA write their own);
		 * of spf, the topmost valid result. */
		if (ar->spf != NULL && !authres_spf_result_valid(ar->spf))
			g_clear_pointer(&ar->spf, g_free);
		in->authres = authres_merge(in->authres, ar);
		if (in->spf == NULL && ar->spf != NULL) {
			in->spf = g_strdup(ar->spf);
			in->spf_helo = ar->mailfrom == NULL && ar->helo != NULL;
			in->spf_identity = inmsg_one_line(in->spf_helo ? ar->helo : ar->mailfrom, 200);
		}
	}
}

void
inmsg_free(InMessage *in)
{
	if (in == NULL)
		return;
	g_clear_object(&in->message);
	g_free(in->message_id);
	g_free(in->from_addr);
	g_free(in->from_name);
	g_free(in->subject);
	if (in->references != NULL)
		g_ptr_array_unref(in->references);
	g_free(in->loop);
	g_free(in->automatic);
	g_free(in->problem);
	if (in->notes != NULL)
		g_ptr_array_unref(in->notes);
	g_free(in->date);
	g_free(in->spf);
	g_free(in->spf_identity);
	authres_free(in->authres);
	g_free(in);
}
