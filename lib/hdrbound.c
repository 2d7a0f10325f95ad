/* hdrbound.c - refuses raw mail text that GMime could not parse within a
 * normal stack.
 *
 * GMime parses an address group ("name: members;") by recursing into its
 * members, one C call chain per level and without a limit of its own, and
 * it does so while it constructs the message: "Cc: a:a:a:..." of 90 KB is
 * enough to overflow an 8 MiB stack before anything could be checked
 * afterwards. So the bytes are looked at first, without any recursion.
 *
 * The measure is deliberately crude, so that no lexing of ours can disagree
 * with GMime's: every group level needs one literal ':' in the field's
 * value, whatever quotes, comments or encoded words surround it, so the
 * number of ':' in an address field bounds the depth from above. Every
 * line of the text is looked at, bodies included, because GMime parses the
 * headers of an embedded message/rfc822 as it parses the outer ones; a body
 * line that only looks like such a field costs a false alarm, which is
 * answered like any other unparsable mail: stored and shown to the team. */
#include "hdrbound.h"

#include <string.h>

/* Fields GMime (or we) may read as address lists: From, To, Cc, Bcc, Sender
 * and every name ending in "-From", "-To", "-Cc", "-Bcc" or "-Sender"
 * (Reply-To, Resent-*, Mail-Followup-To, Disposition-Notification-To...). */
static gboolean
hdrbound_is_address_field(const char *name, gsize len)
{
	static const char *const tails[] = { "from", "to", "cc", "bcc", "sender", NULL };

	for (int i = 0; tails[i] != NULL; i++) {
		gsize n = strlen(tails[i]);
		if (len < n || g_ascii_strncasecmp(name + len - n, tails[i], n) != 0)
			continue;
		if (len == n || name[len - n - 1] == '-')
			return TRUE;
	}
	return FALSE;
}

/* The length of a field name at the start of LINE followed by ':', or 0. */
static gsize
hdrbound_field_name(const char *line, gsize len, gsize *colon)
{
	gsize i = 0;

	while (i < len && line[i] > ' ' && line[i] < 0x7f && line[i] != ':')
		i++;
	*colon = i;
	while (*colon < len && (line[*colon] == ' ' || line[*colon] == '\t'))
		(*colon)++;
	return i > 0 && *colon < len && line[*colon] == ':' ? i : 0;
}

/* NULL when DATA may go to GMime; otherwise why not (free it). */
char *
hdrbound_check(const char *data, gsize len)
{
	gboolean in_address = FALSE;
	guint colons = 0, line_no = 0;
	g_autofree char *field = NULL;

	g_return_val_if_fail(data != NULL || len == 0, NULL);
	for (gsize pos = 0; pos < len; line_no++) {
		const char *line = data + pos;
		const char *nl = memchr(line, '\n', len - pos);
		gsize n = nl != NULL ? (gsize)(nl - line) : len - pos, from = 0, name_len, colon;

		pos += n + (nl != NULL ? 1 : 0);
		if (n > 0 && (line[0] == ' ' || line[0] == '\t')) {
			if (!in_address)
				continue;
		} else {
			name_len = hdrbound_field_name(line, n, &colon);
			in_address = name_len > 0 && hdrbound_is_address_field(line, name_len);
			if (!in_address)
				continue;
			g_free(field);
			field = g_strndup(line, name_len);
			colons = 0;
			from = colon + 1;
		}
		for (gsize i = from; i < n; i++)
			if (line[i] == ':' && ++colons > HDRBOUND_MAX_COLONS)
				return g_strdup_printf("address field %s (line %u) nests groups deeper than "
				                       "embargo parses (more than %d ':')",
				                       field, line_no + 1, HDRBOUND_MAX_COLONS);
	}
	return NULL;
}

/* The same for the file at PATH: FALSE with ERROR when it cannot be read. */
gboolean
hdrbound_check_file(const char *path, char **why, GError **error)
{
	g_autoptr(GMappedFile) map = NULL;

	g_return_val_if_fail(path != NULL && why != NULL, FALSE);
	map = g_mapped_file_new(path, FALSE, error);
	*why = NULL;
	if (map == NULL)
		return FALSE;
	*why = hdrbound_check(g_mapped_file_get_contents(map), g_mapped_file_get_length(map));
	return TRUE;
}
