/* mimedefects.c - owns the line between a defect a mail reader reads past
 * and one that makes a message unreadable.
 *
 * Real clients and gateways write mail with small defects: a multipart cut
 * before its closing boundary, a header repeated, a line in the header
 * block that is no header, junk before the first header. GMime's parser
 * recovers from these as mail readers do, and every part it recovers is
 * the message's own: such mail is delivered, with a note for the team.
 * What stays fatal is what leaves the tree itself in doubt: a multipart
 * with no boundary (its parts are lost), nesting past the parser's limit
 * and parts with neither headers nor content (the shapes of attacks on
 * parsers). Identity is not decided here: several From fields stay a
 * problem (inmsg.c). */
#include "mimedefects.h"

#include <string.h>
#include <unistd.h>

#include "inmsg.h"

#define MIMEDEFECT_SCAN 65536

MimeDefectKind
mimedefect_classify(GMimeParserWarning code, const char *item, gint64 offset, char **text)
{
	g_autofree char *what = inmsg_one_line(item, 60);

	*text = NULL;
	switch (code) {
	case GMIME_WARN_TRUNCATED_MESSAGE:
		return MIMEDEFECT_TRUNCATED;
	case GMIME_CRIT_INVALID_HEADER_NAME:
		*text = g_strdup_printf("a line that is not a header field was ignored (at byte %" G_GINT64_FORMAT
		                        "): \"%s\"",
		                        offset, what);
		return MIMEDEFECT_NOTE;
	case GMIME_CRIT_CONFLICTING_HEADER:
		*text = g_strdup_printf("the %s: header appears more than once (at byte %" G_GINT64_FORMAT ")",
		                        what, offset);
		return MIMEDEFECT_NOTE;
	case GMIME_CRIT_CONFLICTING_PARAMETER:
		*text = g_strdup_printf("conflicting header parameters (%s, at byte %" G_GINT64_FORMAT ")",
		                        what, offset);
		return MIMEDEFECT_NOTE;
	case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
		*text = g_strdup_printf("malformed MIME: multipart without boundary (at byte %" G_GINT64_FORMAT
		                        ")",
		                        offset);
		return MIMEDEFECT_FATAL;
	case GMIME_CRIT_NESTING_OVERFLOW:
		*text = g_strdup_printf("malformed MIME: MIME nesting too deep (at byte %" G_GINT64_FORMAT ")",
		                        offset);
		return MIMEDEFECT_FATAL;
	case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
		*text = g_strdup_printf("malformed MIME: MIME part without headers or content (at byte %" G_GINT64_FORMAT
		                        ")",
		                        offset);
		return MIMEDEFECT_FATAL;
	default:
		return MIMEDEFECT_IGNORE;
	}
}

/* "Name:" with a name of printable ASCII but colon and space (RFC 5322 2.2). */
static gboolean
mimedefect_is_field(const char *line, gsize len)
{
	gsize i = 0;

	while (i < len && line[i] > ' ' && line[i] < 0x7f && line[i] != ':')
		i++;
	return i > 0 && i < len && line[i] == ':';
}

gint64
mimedefect_header_start(int fd, char **skipped)
{
	g_autofree char *buf = g_malloc(MIMEDEFECT_SCAN);
	ssize_t n = pread(fd, buf, MIMEDEFECT_SCAN, 0);
	gsize pos = 0;

	*skipped = NULL;
	while (n > 0 && pos < (gsize)n) {
		const char *nl = memchr(buf + pos, '\n', (gsize)n - pos);
		gsize len = (nl != NULL ? (gsize)(nl - buf) : (gsize)n) - pos;

		if (mimedefect_is_field(buf + pos, len)) {
			if (pos == 0)
				return -1;
			return (gint64)pos;
		}
		if (*skipped == NULL && len > 0 && !(len == 1 && buf[pos] == '\r')) {
			g_autofree char *line = g_strndup(buf + pos, len);
			*skipped = inmsg_one_line(line, 80);
		}
		if (nl == NULL)
			break;
		pos = (gsize)(nl - buf) + 1;
	}
	g_clear_pointer(skipped, g_free);
	return -1;
}
