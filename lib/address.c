/* address.c - splits and normalises addresses, and names the role addresses
 * (MAILER-DAEMON, postmaster, *-bounces, noreply) that never get an auto-reply.
 *
 * Addresses are compared in lower case: Postfix folds them the same way with
 * pipe(8)'s "u" and "h" flags, and people write them in any case. Anything
 * that could confuse a command line or a header (spaces, quotes, controls, a
 * leading '-') is refused here, before it can reach sendmail's argv. */
#include "address.h"

#include <string.h>

static gboolean
address_char_ok(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '<' && c != '>' &&
	       c != '(' && c != ')' && c != ',' && c != ';' && c != ':' && c != '[' && c != ']';
}

/* Splits "local+ext@domain" (angle brackets allowed); EXT is NULL without '+'. */
gboolean
address_split(const char *address, char **local, char **ext, char **domain)
{
	g_autofree char *a = NULL;
	char *at, *plus;
	size_t n;

	g_return_val_if_fail(local != NULL && ext != NULL && domain != NULL, FALSE);
	*local = *ext = *domain = NULL;
	if (address == NULL)
		return FALSE;
	a = g_strstrip(g_ascii_strdown(address, -1));
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		memmove(a, a + 1, n - 2);
		a[n - 2] = '\0';
	}
	if (a[0] == '-' || strlen(a) > 254)
		return FALSE;
	for (char *p = a; *p; p++)
		if (!address_char_ok((unsigned char)*p))
			return FALSE;
	at = strrchr(a, '@');
	if (at == NULL || at == a || at[1] == '\0' || strchr(a, '@') != at)
		return FALSE;
	*at = '\0';
	plus = strchr(a, '+');
	if (plus != NULL) {
		*plus = '\0';
		if (plus == a)
			return FALSE;
		*ext = g_strdup(plus + 1);
	}
	*local = g_strdup(a);
	*domain = g_strdup(at + 1);
	return TRUE;
}

/* The address in lower case without brackets, or NULL when it is not one. */
char *
address_normalize(const char *address)
{
	g_autofree char *local = NULL, *ext = NULL, *domain = NULL;

	if (!address_split(address, &local, &ext, &domain))
		return NULL;
	if (ext != NULL)
		return g_strdup_printf("%s+%s@%s", local, ext, domain);
	return g_strdup_printf("%s@%s", local, domain);
}

/* The address without its +extension, in lower case: one person, however
 * many extensions they write, for counting what we send them. */
char *
address_base(const char *address)
{
	g_autofree char *local = NULL, *ext = NULL, *domain = NULL;

	if (!address_split(address, &local, &ext, &domain))
		return NULL;
	return g_strdup_printf("%s@%s", local, domain);
}

/* An envelope recipient as the MTA will resolve it, for deciding which list
 * it reaches: angle brackets and a source route ("@a,@b:") go, a quoted
 * local part is unquoted (backslash escapes included), everything is folded
 * to lower case and the domain loses its trailing dots. *LOCAL keeps any
 * +extension. FALSE when the spelling is one the MTA may rewrite in ways we
 * cannot follow here (no domain, a domain literal, the '%' and '!' routing
 * hacks, control characters, a broken quoted string): a caller must then
 * assume the recipient may be any address, a list's included. */
gboolean
address_rcpt_canonical(const char *arg, char **local, char **domain)
{
	g_autofree char *a = NULL;
	g_autoptr(GString) l = g_string_new(NULL);
	const char *p, *at;
	size_t n;

	g_return_val_if_fail(local != NULL && domain != NULL, FALSE);
	*local = *domain = NULL;
	if (arg == NULL)
		return FALSE;
	a = g_strstrip(g_strdup(arg));
	n = strlen(a);
	if (n >= 2 && a[0] == '<' && a[n - 1] == '>') {
		memmove(a, a + 1, n - 2);
		a[n - 2] = '\0';
	}
	g_strstrip(a);
	p = a;
	if (*p == '@') { /* RFC 5321 source route: @relay[,@relay...]: */
		const char *colon = strchr(p, ':');
		if (colon == NULL)
			return FALSE;
		p = colon + 1;
	}
	if (*p == '"') {
		for (p++; *p != '"'; p++) {
			if (*p == '\\')
				p++;
			if (*p == '\0')
				return FALSE;
			g_string_append_c(l, *p);
		}
		p++;
		if (*p != '@')
			return FALSE;
		at = p;
	} else {
		at = strrchr(p, '@');
		if (at == NULL)
			return FALSE;
		g_string_append_len(l, p, at - p);
	}
	if (l->len == 0 || strpbrk(l->str, "%!@") != NULL)
		return FALSE;
	for (const char *q = l->str; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			return FALSE;
	*domain = g_ascii_strdown(at + 1, -1);
	for (n = strlen(*domain); n > 0 && (*domain)[n - 1] == '.'; n--)
		(*domain)[n - 1] = '\0';
	for (const char *q = *domain; *q; q++)
		if (!g_ascii_isalnum(*q) && *q != '-' && *q != '.' && *q != '_')
			n = 0;
	if (n == 0) {
		g_clear_pointer(domain, g_free);
		return FALSE;
	}
	*local = g_ascii_strdown(l->str, -1);
	return TRUE;
}

/* The null sender, as Postfix passes it: empty, "<>", or MAILER-DAEMON. */
gboolean
address_is_null(const char *address)
{
	if (address == NULL)
		return TRUE;
	while (*address == ' ')
		address++;
	return *address == '\0' || strcmp(address, "<>") == 0 ||
	       g_ascii_strcasecmp(address, "MAILER-DAEMON") == 0;
}

/* RFC 3834 section 2: addresses that belong to programs, not people. */
gboolean
address_is_role(const char *address)
{
	static const char *const exact[] = {
		"mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply",
		"do-not-reply", "bounce", "bounces", "listserv", "majordomo", NULL,
	};
	static const char *const suffix[] = { "-bounces", "-request", "-owner", "-noreply", NULL };
	g_autofree char *local = NULL, *ext = NULL, *domain = NULL;

	if (address_is_null(address))
		return TRUE;
	if (!address_split(address, &local, &ext, &domain))
		return TRUE;
	for (int i = 0; exact[i] != NULL; i++)
		if (strcmp(local, exact[i]) == 0)
			return TRUE;
	for (int i = 0; suffix[i] != NULL; i++)
		if (g_str_has_suffix(local, suffix[i]))
			return TRUE;
	return g_str_has_prefix(local, "owner-");
}
