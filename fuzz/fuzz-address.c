/* fuzz-address.c - libFuzzer harness: addresses, +extensions, case ids and
 * subject tags, as they come from envelopes, headers and recipients. */
#include <stdint.h>

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
	(void)address_is_null(text);
	(void)address_is_role(text);
	tag = caseid_from_subject(text, "SEC");
	(void)caseid_parse(text, "SEC", &year, &number);
	return 0;
}
