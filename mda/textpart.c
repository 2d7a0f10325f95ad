/* textpart.c - owns turning text that arrived in any charset into the
 * UTF-8 the team's copy is written in: decrypted inline PGP text (whose
 * bytes carry only the charset the outer part or the armor declared) and
 * the readable text parts of a message that could not be processed.
 * What cannot be converted is kept as UTF-8 with replacement characters,
 * never dropped. */
#include "textpart.h"

#include <string.h>

#include "crypto-gpg.h"

static gboolean
textpart_is_ascii_name(const char *charset)
{
	return charset == NULL || *charset == '\0' || g_ascii_strcasecmp(charset, "us-ascii") == 0 ||
	       g_ascii_strcasecmp(charset, "ascii") == 0 || g_ascii_strcasecmp(charset, "utf-8") == 0 ||
	       g_ascii_strcasecmp(charset, "utf8") == 0;
}

/* NUL would end the text wherever it is handed on as a C string. */
static char *
textpart_no_nul(char *s, gsize len)
{
	GString *out;

	if (memchr(s, '\0', len) == NULL)
		return s;
	out = g_string_sized_new(len + 16);
	for (gsize i = 0; i < len; i++) {
		if (s[i] == '\0')
			g_string_append(out, "\xef\xbf\xbd");
		else
			g_string_append_c(out, s[i]);
	}
	g_free(s);
	return g_string_free(out, FALSE);
}

char *
textpart_utf8(const char *text, gsize len, const char *charset)
{
	const char *from = NULL;
	char *out = NULL;
	gsize written = 0;

	if (text == NULL)
		return g_strdup("");
	if (textpart_is_ascii_name(charset)) {
		if (g_utf8_validate_len(text, len, NULL))
			return textpart_no_nul(g_strndup(text, len), len);
		if (g_ascii_strncasecmp(charset != NULL ? charset : "", "utf", 3) != 0)
			from = "WINDOWS-1252";
	} else {
		from = g_mime_charset_iconv_name(charset);
	}
	if (from != NULL)
		out = g_convert(text, (gssize)len, "UTF-8", from, NULL, &written, NULL);
	if (out == NULL || !g_utf8_validate_len(out, written, NULL)) {
		g_free(out);
		out = g_utf8_make_valid(text, (gssize)len);
		written = strlen(out);
	}
	return textpart_no_nul(out, written);
}

char *
textpart_armor_charset(const char *armor, gsize len)
{
	const char *end = armor + len;
	const char *p = memchr(armor, '\n', len);

	/* Armor headers run from the line after BEGIN to the first blank line. */
	while (p != NULL && ++p < end) {
		const char *nl = memchr(p, '\n', end - p);
		g_autofree char *line = g_strstrip(g_strndup(p, (nl != NULL ? nl : end) - p));
		if (*line == '\0' || strchr(line, ':') == NULL)
			return NULL;
		if (g_ascii_strncasecmp(line, "Charset:", 8) == 0)
			return g_strstrip(g_strdup(line + 8));
		p = nl;
	}
	return NULL;
}

GMimeObject *
textpart_copy(GMimePart *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));
	g_autoptr(GBytes) content = NULL;
	g_autofree char *text = NULL;
	GMimeTextPart *copy;
	const char *name;
	gsize n;
	const char *p;

	if (ct == NULL || !g_mime_content_type_is_type(ct, "text", "plain"))
		return NULL;
	content = crypto_part_content(part);
	p = g_bytes_get_data(content, &n);
	text = textpart_utf8(p != NULL ? p : "", n, g_mime_content_type_get_parameter(ct, "charset"));
	copy = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(copy, text);
	name = g_mime_part_get_filename(part);
	if (name != NULL)
		g_mime_part_set_filename(GMIME_PART(copy), name);
	return GMIME_OBJECT(copy);
}
