/* caseid.c - case ids PREFIX-YYYY-NNNN: parsing, formatting, finding the
 * [PREFIX-YYYY-NNNN] tag in a subject and the case in a +extension.
 *
 * Numbers have at least four digits and grow past 9999 if a list is busy. */
#include "caseid.h"

#include <string.h>

/* Parses exactly PREFIX-YYYY-NNNN (case-insensitive prefix) from the start of TEXT;
 * returns the length consumed through *number's last digit via the return value > 0. */
static size_t
caseid_scan(const char *text, const char *prefix, int *year, guint *number)
{
	size_t plen = strlen(prefix), i, start;
	guint64 n = 0;
	int y = 0;

	if (g_ascii_strncasecmp(text, prefix, plen) != 0 || text[plen] != '-')
		return 0;
	i = plen + 1;
	for (int k = 0; k < 4; k++, i++) {
		if (!g_ascii_isdigit(text[i]))
			return 0;
		y = y * 10 + (text[i] - '0');
	}
	if (text[i++] != '-')
		return 0;
	start = i;
	while (g_ascii_isdigit(text[i]) && i - start < 9)
		n = n * 10 + (guint64)(text[i++] - '0');
	if (i - start < 4 || g_ascii_isdigit(text[i]) || n == 0)
		return 0;
	if (year != NULL)
		*year = y;
	if (number != NULL)
		*number = (guint)n;
	return i;
}

gboolean
caseid_parse(const char *text, const char *prefix, int *year, guint *number)
{
	size_t n;

	g_return_val_if_fail(text != NULL && prefix != NULL, FALSE);
	n = caseid_scan(text, prefix, year, number);
	return n > 0 && text[n] == '\0';
}

char *
caseid_format(const char *prefix, int year, guint number)
{
	g_return_val_if_fail(prefix != NULL, NULL);
	return g_strdup_printf("%s-%04d-%04u", prefix, year, number);
}

/* The first [PREFIX-YYYY-NNNN] tag in SUBJECT, normalised, or NULL. */
char *
caseid_from_subject(const char *subject, const char *prefix)
{
	g_return_val_if_fail(prefix != NULL, NULL);
	if (subject == NULL)
		return NULL;
	for (const char *p = strchr(subject, '['); p != NULL; p = strchr(p + 1, '[')) {
		int year;
		guint number;
		size_t n = caseid_scan(p + 1, prefix, &year, &number);
		if (n > 0 && p[1 + n] == ']')
			return caseid_format(prefix, year, number);
	}
	return NULL;
}

CaseAddrKind
caseid_from_extension(const char *ext, const char *prefix, char **case_id)
{
	int year;
	guint number;
	size_t n;

	g_return_val_if_fail(case_id != NULL && prefix != NULL, CASE_ADDR_INVALID);
	*case_id = NULL;
	if (ext == NULL || *ext == '\0')
		return CASE_ADDR_NONE;
	n = caseid_scan(ext, prefix, &year, &number);
	if (n == 0)
		return CASE_ADDR_INVALID;
	if (ext[n] != '\0' && g_ascii_strcasecmp(ext + n, "-reporter") != 0 &&
	    g_ascii_strcasecmp(ext + n, "-bounces") != 0)
		return CASE_ADDR_INVALID;
	*case_id = caseid_format(prefix, year, number);
	if (ext[n] == '\0')
		return CASE_ADDR_TEAM;
	return g_ascii_strcasecmp(ext + n, "-reporter") == 0 ? CASE_ADDR_REPORTER : CASE_ADDR_BOUNCES;
}

/* local+CASE[-suffix]@domain, the address of one case's thread. */
char *
caseid_address(const char *local, const char *domain, const char *case_id, const char *suffix)
{
	return g_strdup_printf("%s+%s%s%s@%s", local, case_id, suffix != NULL ? "-" : "",
	                       suffix != NULL ? suffix : "", domain);
}
