/* fuzz-termsafe.c - libFuzzer harness: any bytes a sender can put in a
 * header, and what termsafe() promises about them: valid UTF-8 out, with
 * no C0 control (newline and tab only in termsafe_text), no DEL, no C1 control and
 * no bidirectional control left; text without any of those comes out
 * unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "termsafe.h"

static gboolean
hidden(gunichar c)
{
	return (c >= 0x80 && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c ||
	       c == 0x2028 || c == 0x2029 || c == 0x200b || (c >= 0x2060 && c <= 0x2064) ||
	       c == 0xfeff || (c >= 0xe0000 && c <= 0xe007f);
}

static void
check(const char *out, gboolean newlines)
{
	if (!g_utf8_validate(out, -1, NULL))
		abort();
	for (const char *p = out; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if ((c < 0x20 && !(newlines && (c == '\n' || c == '\t'))) || c == 0x7f || hidden(c))
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autofree char *line = termsafe(text);
	g_autofree char *lines = termsafe_text(text);
	gboolean clean = g_utf8_validate(text, -1, NULL) && strchr(text, '\\') == NULL;

	check(line, FALSE);
	check(lines, TRUE);
	for (const char *p = text; clean && *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		clean = c >= 0x20 && c != 0x7f && !hidden(c) && g_unichar_isdefined(c);
	}
	/* nothing to escape: unchanged */
	if (clean && strcmp(line, text) != 0)
		abort();
	return 0;
}
