/* fuzz-envelope.c - libFuzzer harness: envelope senders and recipients as
 * Postfix passes them to embargo-mda, bytes in any spelling it accepts. */
#include <stdint.h>
#include <string.h>

#include "envelope.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *arg = g_strndup((const char *)data, size);
	g_autofree char *text = NULL, *base = NULL, *ext = NULL;
	gboolean escaped;

	text = envelope_text(arg, &escaped);
	if (!g_utf8_validate(text, -1, NULL))
		__builtin_trap();
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			__builtin_trap();
	if (!escaped && strcmp(text, arg) != 0)
		__builtin_trap();
	if (envelope_split_recipient(text, &base, &ext) && (base == NULL || ext == NULL))
		__builtin_trap();
	return 0;
}
