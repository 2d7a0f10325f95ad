/* fuzz-authres.c - libFuzzer harness: Authentication-Results values as they
 * arrive in mail, forged ones included, our own formatting of one, and the
 * trust decision on them: the input's first line is a From address, the
 * second an envelope sender, every further line a field value (merged as
 * embargo-mda merges the fields of its authserv-id). Whatever proof comes
 * out must name the From domain. */
#include <stdint.h>
#include <string.h>

#include "address.h"
#include "authres.h"

/* What authres_vouches claimed must hold for TRUSTED, FROM and ENV. */
static void
check_proof(const AuthRes *trusted, const char *from, const char *env, AuthResProof proof)
{
	g_autofree char *f = address_normalize(from);
	g_autofree char *e = address_normalize(env);
	const char *domain;
	gboolean seen = FALSE;

	if (proof == AUTHRES_NONE)
		return;
	if (f == NULL)
		__builtin_trap();
	domain = strrchr(f, '@') + 1;
	switch (proof) {
	case AUTHRES_SPF:
		if (e == NULL || strcmp(e, f) != 0 || g_strcmp0(trusted->spf, "pass") != 0)
			__builtin_trap();
		break;
	case AUTHRES_DMARC:
		for (guint i = 0; i < trusted->dmarc_pass->len; i++)
			seen |= strcmp(trusted->dmarc_pass->pdata[i], domain) == 0;
		if (!seen)
			__builtin_trap();
		break;
	case AUTHRES_DKIM:
		for (guint i = 0; i < trusted->dkim_pass->len; i++) {
			const char *d = trusted->dkim_pass->pdata[i];
			size_t nd = strlen(d), nf = strlen(domain);
			seen |= strcmp(d, domain) == 0 ||
			        (nf > nd + 1 && domain[nf - nd - 1] == '.' && strcmp(domain + nf - nd, d) == 0);
		}
		if (!seen)
			__builtin_trap();
		break;
	default:
		__builtin_trap();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autoptr(AuthRes) ar = authres_parse(text);
	g_auto(GStrv) lines = g_strsplit(text, "\n", 0);
	g_autoptr(AuthRes) trusted = NULL;
	g_autofree char *local = NULL, *domain = NULL;

	(void)authres_id_valid(text);
	(void)authres_spf_result_valid(text);
	(void)address_rcpt_canonical(text, &local, &domain);
	if (ar != NULL) {
		(void)authres_id_equal(ar->authserv_id, "mx.example.org");
		if (ar->spf != NULL && authres_spf_result_valid(ar->spf) &&
		    authres_id_valid(ar->authserv_id))
			g_free(authres_format_spf(ar->authserv_id, ar->spf, "mailfrom",
			                          ar->mailfrom != NULL ? ar->mailfrom : "x@example.org"));
	}
	if (g_strv_length(lines) >= 3) {
		for (guint i = 2; lines[i] != NULL; i++) {
			g_autoptr(AuthRes) one = authres_parse(lines[i]);
			if (one != NULL)
				trusted = authres_merge(trusted, one);
		}
		check_proof(trusted, lines[0], lines[1],
		            authres_vouches(trusted, lines[0], lines[1]));
	}
	return 0;
}
