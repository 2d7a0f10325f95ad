/* command.c - finds the command lines at the top of a member's mail.
 *
 * Only the top counts: a "#status" quoted further down, or in a reply to
 * the reporter's text, must never act. The block ends at the first line
 * that is not "#word ...", a blank line included once commands were seen. */
#include "command.h"

#include <stdlib.h>
#include <string.h>

static const char *const known_commands[] = {
	"status", "severity", "cvss", "cve", "assign", "embargo", "affected", "fixed-in", "credit",
	"summary", "duplicate", "reject", "close", "notify", "urgent", "key", "reply", "release",
	"fixteam", NULL,
};

gboolean
command_is_known(const char *name)
{
	return g_strv_contains(known_commands, name);
}

void
command_free(Command *c)
{
	if (c == NULL)
		return;
	g_free(c->name);
	g_free(c->arg);
	g_free(c);
}

/* The line LINE[0..len) as a command, or NULL when it is not one. */
static Command *
command_from_line(const char *line, gsize len)
{
	gsize n = 1;
	Command *c;

	if (len < 2 || line[0] != '#' || !g_ascii_isalpha(line[1]) || len > COMMAND_MAX_LINE)
		return NULL;
	while (n < len && (g_ascii_isalnum(line[n]) || line[n] == '-' || line[n] == '_'))
		n++;
	if (n < len && line[n] != ' ' && line[n] != '\t' && line[n] != ':')
		return NULL;
	c = g_new0(Command, 1);
	c->name = g_ascii_strdown(line + 1, (gssize)(n - 1));
	if (n < len && line[n] == ':')
		n++;
	c->arg = g_strstrip(g_strndup(line + n, len - n));
	c->known = command_is_known(c->name);
	/* A NUL inside the line would cut the argument short unseen. */
	if (memchr(line, '\0', len) != NULL) {
		command_free(c);
		return NULL;
	}
	return c;
}

static gboolean
line_is_blank(const char *line, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isspace(line[i]))
			return FALSE;
	return TRUE;
}

GPtrArray *
command_parse(const char *text, gsize len, gsize *rest)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)command_free);
	gsize pos = 0;

	*rest = 0;
	while (pos < len && out->len < COMMAND_MAX_LINES) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		gsize end = nl != NULL ? (gsize)(nl - text) : len;
		gsize next = nl != NULL ? end + 1 : len;
		gsize llen = end - pos;
		Command *c;

		if (llen > 0 && text[end - 1] == '\r')
			llen--;
		if (line_is_blank(text + pos, llen)) {
			if (out->len > 0)
				break;
			pos = next;
			continue;
		}
		c = command_from_line(text + pos, llen);
		if (c == NULL)
			break;
		g_ptr_array_add(out, c);
		if (c->known)
			*rest = next;
		pos = next;
	}
	/* Unknown "#words" after the last known command stay in the text. */
	return out;
}

/* CVE-YYYY-NNNN: four digits, or more without a leading zero (CVE ID syntax),
 * and a year from the first CVE ids (1999) to MAX_YEAR. */
gboolean
command_cve_valid(const char *cve, int max_year, char **why)
{
	int year;
	gsize digits;
	const char *seq;

	if (!g_str_has_prefix(cve, "CVE-") || strlen(cve) < 13 || cve[8] != '-') {
		*why = g_strdup_printf("'%s' is not a CVE id (CVE-YYYY-NNNN)", cve);
		return FALSE;
	}
	for (int i = 4; i < 8; i++)
		if (!g_ascii_isdigit(cve[i])) {
			*why = g_strdup_printf("'%s' is not a CVE id (CVE-YYYY-NNNN)", cve);
			return FALSE;
		}
	seq = cve + 9;
	digits = strspn(seq, "0123456789");
	if (digits != strlen(seq) || digits < 4 || digits > 19) {
		*why = g_strdup_printf("'%s' is not a CVE id: the number after the year has 4 or "
		                       "more digits",
		                       cve);
		return FALSE;
	}
	if (digits > 4 && seq[0] == '0') {
		*why = g_strdup_printf("'%s' is not a CVE id: numbers longer than 4 digits have no "
		                       "leading zero",
		                       cve);
		return FALSE;
	}
	year = atoi(cve + 4);
	if (year < 1999 || year > max_year) {
		*why = g_strdup_printf("'%s' is not a CVE id: the year %d is not between 1999 and %d",
		                       cve, year, max_year);
		return FALSE;
	}
	return TRUE;
}
