/* authres.c - reads and writes Authentication-Results header fields
 * (RFC 8601), as far as embargo needs them: the authserv-id, the spf
 * method's result with its smtp.mailfrom or smtp.helo property, the domains
 * of passing dkim (header.d) and dmarc (header.from) results, and what
 * those results prove about a message's From address (authres_vouches).
 *
 * The milter and the delivery agent use this one parser on purpose: every
 * field the agent would believe (our authserv-id) is exactly a field the
 * milter recognises as ours and removes before adding its own, so a forged
 * field cannot slip between two readings of the grammar. The parser is
 * lenient past the authserv-id (a damaged result list just yields no spf
 * result) and strict where it matters: comments, quoted strings and
 * folding are understood, never taken for values. */
#include "authres.h"

#include <string.h>

#include "address.h"

typedef struct {
	const char *p;
} Scan;

/* RFC 2045 tspecials, which end a token. */
static gboolean
authres_token_char(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?=", c) == NULL;
}

/* Skips whitespace, line folds and (nested) comments. */
static void
scan_cfws(Scan *s)
{
	for (;;) {
		while (*s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n')
			s->p++;
		if (*s->p != '(')
			return;
		int depth = 0;
		do {
			if (*s->p == '\\' && s->p[1] != '\0')
				s->p++;
			else if (*s->p == '(')
				depth++;
			else if (*s->p == ')')
				depth--;
			s->p++;
		} while (depth > 0 && *s->p != '\0');
	}
}

/* A token or a quoted string (unquoted); NULL when neither starts here. */
static char *
scan_value(Scan *s)
{
	const char *start = s->p;

	if (*s->p == '"') {
		GString *out = g_string_new(NULL);
		for (s->p++; *s->p != '\0' && *s->p != '"'; s->p++) {
			if (*s->p == '\\' && s->p[1] != '\0')
				s->p++;
			if (*s->p != '\r' && *s->p != '\n')
				g_string_append_c(out, *s->p);
		}
		if (*s->p != '"') {
			g_string_free(out, TRUE);
			s->p = start;
			return NULL;
		}
		s->p++;
		return g_string_free(out, FALSE);
	}
	while (authres_token_char((unsigned char)*s->p))
		s->p++;
	return s->p > start ? g_strndup(start, (gsize)(s->p - start)) : NULL;
}

/* A property value: a value, or an address ([local-part] "@" domain). */
static char *
scan_pvalue(Scan *s)
{
	g_autofree char *local = NULL;
	g_autofree char *domain = NULL;

	if (*s->p != '@') {
		local = scan_value(s);
		if (local == NULL)
			return NULL;
		if (*s->p != '@')
			return g_steal_pointer(&local);
	}
	s->p++;
	domain = scan_value(s);
	if (domain == NULL)
		return NULL;
	return g_strdup_printf("%s@%s", local != NULL ? local : "", domain);
}

static gboolean
scan_char(Scan *s, char c)
{
	scan_cfws(s);
	if (*s->p != c)
		return FALSE;
	s->p++;
	scan_cfws(s);
	return TRUE;
}

/* VALUE as a domain to compare: lower case, without trailing dots; NULL
 * when it is no plain domain name (an address, a quoted oddity, empty). */
static char *
authres_domain(const char *value)
{
	g_autofree char *d = g_ascii_strdown(value, -1);
	size_t n = strlen(d);

	while (n > 0 && d[n - 1] == '.')
		d[--n] = '\0';
	if (n == 0 || d[0] == '.')
		return NULL;
	for (const char *p = d; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '.' && *p != '_')
			return NULL;
	return g_steal_pointer(&d);
}

/* One resinfo after its ';': "method[/version]=result [reason=...] [ptype.prop=value ...]".
 * FALSE when it is malformed; AR gets the first spf result only. */
static gboolean
authres_parse_resinfo(Scan *s, AuthRes *ar)
{
	g_autofree char *method = NULL, *result = NULL;
	gboolean spf;
	GPtrArray *domains = NULL;
	const char *domain_prop = NULL;

	scan_cfws(s);
	method = scan_value(s);
	if (method == NULL)
		return FALSE;
	scan_cfws(s);
	if (*s->p == '\0' && g_ascii_strcasecmp(method, "none") == 0)
		return TRUE;
	if (*s->p == '/') {
		g_autofree char *version = NULL;
		s->p++;
		scan_cfws(s);
		version = scan_value(s);
		if (version == NULL)
			return FALSE;
	}
	if (!scan_char(s, '='))
		return FALSE;
	result = scan_value(s);
	if (result == NULL)
		return FALSE;
	spf = g_ascii_strcasecmp(method, "spf") == 0 && ar->spf == NULL;
	if (spf)
		ar->spf = g_ascii_strdown(result, -1);
	/* Only a pass proves anything; its domain property is kept below. */
	if (g_ascii_strcasecmp(result, "pass") != 0)
		domains = NULL;
	else if (g_ascii_strcasecmp(method, "dkim") == 0)
		domains = ar->dkim_pass, domain_prop = "header.d";
	else if (g_ascii_strcasecmp(method, "dmarc") == 0)
		domains = ar->dmarc_pass, domain_prop = "header.from";

	for (;;) {
		g_autofree char *name = NULL, *value = NULL;
		char *dot;

		scan_cfws(s);
		if (*s->p == '\0' || *s->p == ';')
			return TRUE;
		name = scan_value(s);
		if (name == NULL)
			return FALSE;
		if (g_ascii_strcasecmp(name, "reason") != 0 && strchr(name, '.') == NULL) {
			/* "ptype . property", with space around the dot */
			g_autofree char *prop = NULL;
			if (!scan_char(s, '.') || (prop = scan_value(s)) == NULL)
				return FALSE;
			char *joined = g_strdup_printf("%s.%s", name, prop);
			g_free(name);
			name = joined;
		}
		if (!scan_char(s, '='))
			return FALSE;
		value = scan_pvalue(s);
		if (value == NULL)
			return FALSE;
		dot = strchr(name, '.');
		if (domains != NULL && g_ascii_strcasecmp(name, domain_prop) == 0) {
			/* one such property per result: a second one would be a second claim */
			char *d = authres_domain(value);
			if (d != NULL)
				g_ptr_array_add(domains, d);
			domains = NULL;
			continue;
		}
		if (!spf || dot == NULL || g_ascii_strncasecmp(name, "smtp.", 5) != 0)
			continue;
		if (g_ascii_strcasecmp(dot + 1, "mailfrom") == 0 && ar->mailfrom == NULL)
			ar->mailfrom = g_steal_pointer(&value);
		else if (g_ascii_strcasecmp(dot + 1, "helo") == 0 && ar->helo == NULL)
			ar->helo = g_steal_pointer(&value);
	}
}

static AuthRes *
authres_new(void)
{
	AuthRes *ar = g_new0(AuthRes, 1);

	ar->dkim_pass = g_ptr_array_new_with_free_func(g_free);
	ar->dmarc_pass = g_ptr_array_new_with_free_func(g_free);
	return ar;
}

/* The parts of header field VALUE that embargo uses; NULL when not even an
 * authserv-id can be read from it. */
AuthRes *
authres_parse(const char *value)
{
	g_autoptr(AuthRes) ar = NULL;
	Scan s = { value };

	if (value == NULL)
		return NULL;
	ar = authres_new();
	scan_cfws(&s);
	ar->authserv_id = scan_value(&s);
	if (ar->authserv_id == NULL || *ar->authserv_id == '\0')
		return NULL;
	scan_cfws(&s);
	while (g_ascii_isdigit(*s.p)) /* authres-version */
		s.p++;
	for (;;) {
		scan_cfws(&s);
		if (*s.p != ';')
			break;
		s.p++;
		if (!authres_parse_resinfo(&s, ar))
			break;
	}
	return g_steal_pointer(&ar);
}

void
authres_free(AuthRes *ar)
{
	if (ar == NULL)
		return;
	g_free(ar->authserv_id);
	g_free(ar->spf);
	g_free(ar->mailfrom);
	g_free(ar->helo);
	g_ptr_array_unref(ar->dkim_pass);
	g_ptr_array_unref(ar->dmarc_pass);
	g_free(ar);
}

/* Adds what FROM says to INTO, both fields of the trusted authserv-id:
 * the first spf result stays (the topmost field is the newest), passing
 * domains add up. INTO may be NULL: a copy of FROM is made. */
AuthRes *
authres_merge(AuthRes *into, const AuthRes *from)
{
	g_return_val_if_fail(from != NULL, into);
	if (into == NULL) {
		into = authres_new();
		into->authserv_id = g_strdup(from->authserv_id);
	}
	if (into->spf == NULL && from->spf != NULL) {
		into->spf = g_strdup(from->spf);
		into->mailfrom = g_strdup(from->mailfrom);
		into->helo = g_strdup(from->helo);
	}
	for (guint i = 0; i < from->dkim_pass->len; i++)
		g_ptr_array_add(into->dkim_pass, g_strdup(from->dkim_pass->pdata[i]));
	for (guint i = 0; i < from->dmarc_pass->len; i++)
		g_ptr_array_add(into->dmarc_pass, g_strdup(from->dmarc_pass->pdata[i]));
	return into;
}

/* Whether a DKIM signature by SIGNER vouches for mail from the domain
 * FROM: the same domain, or one of its parents (whoever publishes keys
 * for a parent controls the delegation of its children in the DNS
 * already). Never the other way round: a subdomain's key (perhaps a
 * customer's or a service's) proves nothing about its parent. A
 * single-label signer (a top-level domain) is not taken. */
static gboolean
authres_dkim_aligned(const char *signer, const char *from)
{
	size_t ns = strlen(signer), nf = strlen(from);

	if (strchr(signer, '.') == NULL)
		return FALSE;
	if (strcmp(signer, from) == 0)
		return TRUE;
	return nf > ns + 1 && from[nf - ns - 1] == '.' && strcmp(from + nf - ns, signer) == 0;
}

/* What TRUSTED (the merged fields of our authserv-id) proves about the
 * message's From address FROM_ADDR, given its envelope sender ENVELOPE:
 *   AUTHRES_SPF    spf=pass for an smtp.mailfrom equal to the envelope
 *                  sender, which is FROM_ADDR itself;
 *   AUTHRES_DMARC  dmarc=pass with header.from the From domain;
 *   AUTHRES_DKIM   dkim=pass with header.d the From domain or a parent;
 *   AUTHRES_NONE   nothing: the From address may be anyone's.
 * DMARC and DKIM vouch for the domain, not the local part: the domain's
 * own users can still write as each other. */
AuthResProof
authres_vouches(const AuthRes *trusted, const char *from_addr, const char *envelope)
{
	g_autofree char *from = address_normalize(from_addr);
	g_autofree char *env = address_normalize(envelope);
	g_autofree char *judged = NULL;
	const char *domain;

	if (trusted == NULL || from == NULL)
		return AUTHRES_NONE;
	if (trusted->spf != NULL && strcmp(trusted->spf, "pass") == 0 && trusted->mailfrom != NULL &&
	    env != NULL && strcmp(env, from) == 0) {
		judged = address_normalize(trusted->mailfrom);
		if (judged != NULL && strcmp(judged, env) == 0)
			return AUTHRES_SPF;
	}
	domain = strrchr(from, '@') + 1;
	for (guint i = 0; i < trusted->dmarc_pass->len; i++)
		if (strcmp(trusted->dmarc_pass->pdata[i], domain) == 0)
			return AUTHRES_DMARC;
	for (guint i = 0; i < trusted->dkim_pass->len; i++)
		if (authres_dkim_aligned(trusted->dkim_pass->pdata[i], domain))
			return AUTHRES_DKIM;
	return AUTHRES_NONE;
}

const char *
authres_proof_name(AuthResProof proof)
{
	static const char *const names[] = { "none", "spf", "dmarc", "dkim" };

	g_return_val_if_fail((guint)proof < G_N_ELEMENTS(names), "none");
	return names[proof];
}

/* authserv-ids are host names in practice: compared without regard to case. */
gboolean
authres_id_equal(const char *a, const char *b)
{
	return a != NULL && b != NULL && g_ascii_strcasecmp(a, b) == 0;
}

/* What we accept as our own authserv-id: a token of letters, digits, '.', '-' and '_'. */
gboolean
authres_id_valid(const char *id)
{
	if (id == NULL || *id == '\0' || strlen(id) > 255)
		return FALSE;
	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '.' && *p != '-' && *p != '_')
			return FALSE;
	return TRUE;
}

/* The result tokens of RFC 8601 section 2.7.2 (RFC 7208's results). */
gboolean
authres_spf_result_valid(const char *result)
{
	static const char *const results[] = {
		"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", NULL,
	};

	return result != NULL && g_strv_contains(results, result);
}

/* IDENTITY as a pvalue: bare when it is a token or token@token, quoted otherwise. */
static char *
authres_pvalue(const char *identity)
{
	const char *at = strrchr(identity, '@');
	gboolean bare = *identity != '\0';
	GString *q;

	for (const char *p = identity; bare && *p; p++)
		if (!authres_token_char((unsigned char)*p) && p != at)
			bare = FALSE;
	if (bare && at != NULL && at[1] == '\0')
		bare = FALSE;
	if (bare)
		return g_strdup(identity);
	q = g_string_new("\"");
	for (const char *p = identity; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			continue;
		if (*p == '"' || *p == '\\')
			g_string_append_c(q, '\\');
		g_string_append_c(q, *p);
	}
	g_string_append_c(q, '"');
	return g_string_free(q, FALSE);
}

/* "ID; spf=RESULT smtp.PROPERTY=IDENTITY"; the property is left out when
 * IDENTITY is NULL or empty (a null sender that gave no HELO name). */
char *
authres_format_spf(const char *authserv_id, const char *result, const char *property,
                   const char *identity)
{
	g_autofree char *value = NULL;

	g_return_val_if_fail(authserv_id != NULL && result != NULL, NULL);
	if (identity == NULL || *identity == '\0')
		return g_strdup_printf("%s; spf=%s", authserv_id, result);
	value = authres_pvalue(identity);
	return g_strdup_printf("%s; spf=%s smtp.%s=%s", authserv_id, result, property, value);
}
