/* fuzz-authres.c - libFuzzer harness: Authentication-Results values as they
 * arrive in mail, forged ones included, and our own formatting of one. */
#include <stdint.h>

#include "authres.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(AuthRes) ar = authres_parse(text);

	(void)authres_id_valid(text);
	(void)authres_spf_result_valid(text);
	if (ar != NULL) {
		(void)authres_id_equal(ar->authserv_id, "mx.example.org");
		if (ar->spf != NULL && authres_spf_result_valid(ar->spf) &&
		    authres_id_valid(ar->authserv_id))
			g_free(authres_format_spf(ar->authserv_id, ar->spf, "mailfrom",
			                          ar->mailfrom != NULL ? ar->mailfrom : "x@example.org"));
	}
	return 0;
}
