/* termsafe.c - what a sender wrote, made harmless for the terminal that
 * shows it: a subject, an address or a name from a mail may hold escape
 * sequences (ESC [ ... that move the cursor, retitle the window, rewrite
 * what was printed before), 8-bit C1 controls (0x9b is CSI for many
 * terminals), bytes that are not UTF-8, and bidirectional overrides that
 * make a line read differently from what it holds. Each of those becomes a
 * visible escape (\x1b, \u202e); everything else, printable UTF-8 of any
 * script, is kept as it is. Machine output (JSON) never goes through here:
 * it stays exact. */
#include "termsafe.h"

#include <string.h>

/* Characters that change how the rest of the line is shown rather than
 * showing themselves: C1 controls, the bidi embeddings, overrides and
 * isolates, the implicit marks, the Unicode line and paragraph separators;
 * and the invisible ones that make two strings look alike (zero width
 * space, word joiner and invisible operators, BOM, tag characters). The
 * zero width (non-)joiners stay: scripts and emoji need them. */
static gboolean
termsafe_hidden(gunichar c)
{
	return (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c ||
	       c == 0x2028 || c == 0x2029 || c == 0x200b || (c >= 0x2060 && c <= 0x2064) ||
	       c == 0xfeff || (c >= 0xe0000 && c <= 0xe007f);
}

static char *
termsafe_escape(const char *text, gboolean keep_newlines)
{
	GString *out;
	const char *p, *end;

	if (text == NULL)
		return NULL;
	out = g_string_sized_new(strlen(text));
	end = text + strlen(text);
	for (p = text; p < end;) {
		unsigned char b = (unsigned char)*p;
		gunichar c;

		if (b < 0x80) {
			if ((b < 0x20 && !(keep_newlines && (b == '\n' || b == '\t'))) || b == 0x7f)
				g_string_append_printf(out, "\\x%02x", b);
			else
				g_string_append_c(out, (char)b);
			p++;
			continue;
		}
		c = g_utf8_get_char_validated(p, end - p);
		if (c == (gunichar)-1 || c == (gunichar)-2) {
			/* not UTF-8: each byte shown on its own, never passed raw */
			g_string_append_printf(out, "\\x%02x", b);
			p++;
			continue;
		}
		if (termsafe_hidden(c) || !g_unichar_isdefined(c))
			g_string_append_printf(out, "\\u%04x", c);
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
		p = g_utf8_next_char(p);
	}
	return g_string_free(out, FALSE);
}

/* TEXT as one safe line: every control, newlines included, escaped; NULL stays NULL. */
char *
termsafe(const char *text)
{
	return termsafe_escape(text, FALSE);
}

/* TEXT of several lines (an agenda, an advisory): the same, but newlines
 * and tabs kept. */
char *
termsafe_text(const char *text)
{
	return termsafe_escape(text, TRUE);
}
