/* fuzz-spamverdict.c - libFuzzer harness: whatever answers at rspamd_url
 * (rspamd, something else listening there, or someone in between) read as
 * a /checkv2 verdict. A verdict must be consistent with its action, its
 * action short valid UTF-8, and its symbols printable ASCII. */
#include <stdint.h>
#include <string.h>

#include "spamcheck.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SpamVerdict v = { 0 };
	g_autofree char *why = NULL;
	gboolean ok = spamcheck_parse((const char *)data, size, &v, &why);

	if (ok != v.checked || (ok && v.action == NULL) || (!ok && why == NULL))
		__builtin_trap();
	if (ok && (strlen(v.action) > 64 || !g_utf8_validate(v.action, -1, NULL) ||
	           v.spam != spamcheck_action_is_spam(v.action)))
		__builtin_trap();
	for (const char *c = v.symbols; c != NULL && *c != '\0'; c++)
		if (!g_ascii_isprint(*c))
			__builtin_trap();
	spam_verdict_clear(&v);
	return 0;
}
