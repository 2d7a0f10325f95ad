/* unquote.c - takes quoted text out of an answer that goes to the reporter
 * in the clear on a case where something arrived encrypted.
 *
 * A member answering in their mail client quotes what they answer, and on
 * such a case that is decrypted text: the reporter's own report, or the
 * team's encrypted discussion. Sent unencrypted (the reporter gave no
 * key), the quote would put it on the wire in the clear. Quoted lines
 * ("> ...") are replaced by one line saying so; HTML, where a quote cannot
 * be told apart reliably, is left out, as are attachments other than
 * plain text, which may carry anything. */
#include "unquote.h"

#include <string.h>

#define UNQUOTE_NOTE "[quoted text removed: this case holds encrypted mail, and this answer is not encrypted]\n"

static gboolean
is_quote(const char *line, gsize len)
{
	gsize i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < len && line[i] == '>';
}

/* TEXT without its quoted lines; each run of them becomes one note. */
static char *
unquote_text(const char *text, guint *removed)
{
	GString *out = g_string_new(NULL);
	gboolean in_quote = FALSE;

	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
		if (is_quote(p, len)) {
			if (!in_quote)
				g_string_append(out, UNQUOTE_NOTE);
			in_quote = TRUE;
			(*removed)++;
		} else {
			in_quote = FALSE;
			g_string_append_len(out, p, (gssize)len);
			if (nl != NULL)
				g_string_append_c(out, '\n');
		}
		p += len + (nl != NULL ? 1 : 0);
	}
	return g_string_free(out, FALSE);
}

static GMimeObject *
unquote_text_part(GMimeObject *part, guint *removed)
{
	g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	g_autofree char *clean = unquote_text(text != NULL ? text : "", removed);
	GMimeTextPart *out = g_mime_text_part_new_with_subtype("plain");

	g_mime_text_part_set_text(out, clean);
	return GMIME_OBJECT(out);
}

static gboolean
is_type(GMimeObject *o, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

/* A new body for BODY (a new reference; NULL when nothing of it may go):
 * text/plain parts unquoted, multipart/alternative reduced to its plain
 * text, everything else left out. *REMOVED counts quoted lines and parts
 * left out. */
GMimeObject *
unquote_body(GMimeObject *body, guint *removed)
{
	if (GMIME_IS_MULTIPART_SIGNED(body) && g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2)
		return unquote_body(g_mime_multipart_get_part(GMIME_MULTIPART(body),
		                                              GMIME_MULTIPART_SIGNED_CONTENT),
		                    removed);
	if (GMIME_IS_TEXT_PART(body) && is_type(body, "text", "plain"))
		return unquote_text_part(body, removed);
	if (GMIME_IS_MULTIPART(body) && !GMIME_IS_MULTIPART_ENCRYPTED(body)) {
		GMimeMultipart *mp = GMIME_MULTIPART(body);
		gboolean alternative = is_type(body, "multipart", "alternative");
		GMimeMultipart *out = g_mime_multipart_new_with_subtype("mixed");
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
			GMimeObject *part = g_mime_multipart_get_part(mp, i);
			g_autoptr(GMimeObject) clean = NULL;
			if (alternative && !is_type(part, "text", "plain"))
				continue;
			clean = unquote_body(part, removed);
			if (clean != NULL)
				g_mime_multipart_add(out, clean);
			if (alternative && clean != NULL)
				break;
		}
		if (g_mime_multipart_get_count(out) == 0) {
			g_object_unref(out);
			return NULL;
		}
		if (g_mime_multipart_get_count(out) == 1) {
			GMimeObject *only = g_object_ref(g_mime_multipart_get_part(out, 0));
			g_object_unref(out);
			return only;
		}
		return GMIME_OBJECT(out);
	}
	(*removed)++;
	return NULL;
}
