/* fuzz-address.c - libFuzzer harness: addresses, +extensions, case ids and
 * subject tags, as they come from envelopes, headers and recipients, and
 * envelope recipients as the milter resolves them. */
#include <stdint.h>
#include <string.h>

#include "address.h"
#include "caseid.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autofree char *l = NULL, *e = NULL, *d = NULL, *norm = NULL, *tag = NULL, *id = NULL;
	int year;
	guint number;

	if (address_split(text, &l, &e, &d))
		(void)caseid_from_extension(e, "SEC", &id);
	norm = address_normalize(text);
	{
		g_autofree char *rl = NULL, *rd = NULL;
		/* a recipient read with confidence has a domain of plain labels */
		if (address_rcpt_canonical(text, &rl, &rd) &&
		    (*rl == '\0' || *rd == '\0' || strpbrk(rd, "[]@%! ") != NULL || strpbrk(rl, "@%!") != NULL))
			__builtin_trap();
	}
	(void)address_is_null(text);
	(void)address_is_role(text);
	tag = caseid_from_subject(text, "SEC");
	(void)caseid_parse(text, "SEC", &year, &number);
	return 0;
}
