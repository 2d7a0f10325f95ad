/* fuzz-spfwire.c - libFuzzer harness: the messages between embargo-milter
 * and its SPF workers (milter/spf-worker.c), as a worker that libspf2's
 * bugs have taken over could write them to the milter. */
#include <stdint.h>
#include <string.h>

#include "spf-worker.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_auto(GStrv) fields = spf_wire_fields(data, size);
	g_autofree char *why = NULL;
	const char *token;

	if (spf_reply_parse(data, size, &token, &why)) {
		/* what the milter then logs and puts in the header must be sane */
		if (token == NULL || why == NULL || !g_utf8_validate(why, -1, NULL))
			__builtin_trap();
	}
	if (fields != NULL && g_strv_length(fields) == 0)
		__builtin_trap();
	return 0;
}
