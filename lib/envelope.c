/* envelope.c - the envelope sender and recipient as Postfix hands them to
 * embargo-mda: bytes, in whatever spelling Postfix accepted (SMTPUTF8,
 * raw 8-bit, a quoted local part with spaces). They are never converted
 * through the locale's charset, which refuses such bytes; they are made
 * valid text here, once, before they reach the database, a log line or a
 * mail, and a recipient whose extension address.c refuses still finds its
 * list, because the list is the part before the '+'. */
#include "envelope.h"

#include <string.h>

#include "address.h"

/* ARG unchanged when it is valid UTF-8 without control characters; else
 * each invalid byte and control as \xNN and each backslash as \\, so that
 * the bytes can be told from the text. *ESCAPED (may be NULL) says which. */
char *
envelope_text(const char *arg, gboolean *escaped)
{
	const char *p = arg != NULL ? arg : "";
	const char *end = p + strlen(p);
	gboolean clean = g_utf8_validate(p, -1, NULL);
	GString *out;

	for (const char *q = p; clean && *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			clean = FALSE;
	if (escaped != NULL)
		*escaped = !clean;
	if (clean)
		return g_strdup(p);
	out = g_string_new(NULL);
	while (p < end) {
		gunichar c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2 || c < 0x20 || c == 0x7f) {
			g_string_append_printf(out, "\\x%02x", (unsigned char)*p);
			p++;
			continue;
		}
		if (c == '\\')
			g_string_append(out, "\\\\");
		else
			g_string_append_unichar(out, c);
		p = g_utf8_next_char(p);
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* For a RECIPIENT (text, from envelope_text) that address_split refuses:
 * *BASE, the list address local@domain (normalised) before the first '+'
 * and after the last '@', and *EXT, the extension between them as given.
 * FALSE when there is no '+' or the base is no address. */
gboolean
envelope_split_recipient(const char *recipient, char **base, char **ext)
{
	g_autofree char *a = g_strstrip(g_strdup(recipient != NULL ? recipient : ""));
	g_autofree char *raw_base = NULL;
	size_t n = strlen(a);
	char *at, *plus;

	g_return_val_if_fail(base != NULL && ext != NULL, FALSE);
	*base = *ext = NULL;
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		a[n - 1] = '\0';
		memmove(a, a + 1, n - 1);
	}
	at = strrchr(a, '@');
	plus = strchr(a, '+');
	if (at == NULL || plus == NULL || plus > at)
		return FALSE;
	*at = '\0';
	*plus = '\0';
	raw_base = g_strdup_printf("%s@%s", a, at + 1);
	*base = address_normalize(raw_base);
	if (*base == NULL)
		return FALSE;
	*ext = g_strdup(plus + 1);
	return TRUE;
}
