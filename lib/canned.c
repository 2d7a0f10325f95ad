/* canned.c - reads and fills in a list's canned answers.
 *
 * A template is read when the configuration is loaded, not when a member
 * uses it: a missing, unreadable or garbled file is then a configuration
 * error the postmaster sees at once (and embargo-mda defers mail until it
 * is fixed), never an empty or half answer to a reporter. Its shape is a
 * mail's: an optional header block, a blank line, the text, so that how
 * the case is closed travels with the words that tell the reporter so. */
#include "canned.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static GQuark
canned_error_quark(void)
{
	return g_quark_from_static_string("embargo-canned-error-quark");
}
#define CANNED_ERROR (canned_error_quark())

/* The placeholders a template may use; any other "{word}" is a mistake. */
static const char *const placeholders[] = { "case", "list", NULL };

gboolean
canned_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 64 || !(g_ascii_islower(name[0]) || g_ascii_isdigit(name[0])))
		return FALSE;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_islower(name[i]) && !g_ascii_isdigit(name[i]) && name[i] != '-' &&
		    name[i] != '_')
			return FALSE;
	return TRUE;
}

void
canned_free(CannedAnswer *a)
{
	if (a == NULL)
		return;
	g_free(a->name);
	g_free(a->path);
	g_free(a->close);
	g_free(a->text);
	g_free(a);
}

/* The length of the placeholder name at P (just after a '{') when it is
 * "word}", 0 when the brace is plain text. */
static size_t
placeholder_at(const char *p)
{
	size_t n = 0;

	while (g_ascii_islower(p[n]) || p[n] == '-' || p[n] == '_')
		n++;
	return n > 0 && p[n] == '}' ? n : 0;
}

static gboolean
canned_check_placeholders(const char *text, GError **error)
{
	for (const char *p = strchr(text, '{'); p != NULL; p = strchr(p + 1, '{')) {
		size_t n = placeholder_at(p + 1);
		g_autofree char *word = NULL;

		if (n == 0)
			continue;
		word = g_strndup(p + 1, n);
		if (!g_strv_contains(placeholders, word)) {
			g_set_error(error, CANNED_ERROR, 0,
			            "unknown placeholder {%s} (known: {case}, {list})", word);
			return FALSE;
		}
	}
	return TRUE;
}

/* "Name: value" lines up to the blank line; *BODY is what follows it. */
static gboolean
canned_read_headers(CannedAnswer *a, const char *text, const char **body, GError **error)
{
	const char *p = text;

	while (*p != '\n') {
		const char *end = strchr(p, '\n'), *colon;
		g_autofree char *line = NULL, *name = NULL, *value = NULL;

		if (end == NULL) {
			g_set_error(
				error, CANNED_ERROR, 0,
				"the header block (\"Close: invalid\") must end with a blank line "
				"before the text");
			return FALSE;
		}
		line = g_strndup(p, (gsize)(end - p));
		colon = strchr(line, ':');
		name = g_strstrip(g_strndup(line, colon != NULL ? (gsize)(colon - line) : 0));
		value = g_strstrip(g_ascii_strdown(colon != NULL ? colon + 1 : "", -1));
		if (g_ascii_strcasecmp(name, "Close") != 0) {
			g_set_error(
				error, CANNED_ERROR, 0,
				"unknown header line '%s' (known: Close); a text whose first line "
				"looks like a header starts with a blank line",
				line);
			return FALSE;
		}
		if (a->close != NULL) {
			g_set_error(error, CANNED_ERROR, 0, "Close: given twice");
			return FALSE;
		}
		/* Closing as rejected or as a duplicate needs a reason or a case id
		 * that only the member can give (#reject, #duplicate). */
		if (strcmp(value, "invalid") != 0 && strcmp(value, "fixed") != 0) {
			g_set_error(
				error, CANNED_ERROR, 0,
				"Close: '%s' is not invalid or fixed (a rejection or a duplicate "
				"is closed with #reject REASON or #duplicate CASE-ID)",
				value);
			return FALSE;
		}
		a->close = g_steal_pointer(&value);
		p = end + 1;
	}
	*body = p + 1;
	return TRUE;
}

/* TRUE when the first line is "Word:" or "Word: ...": a header block. */
static gboolean
canned_starts_with_header(const char *text)
{
	size_t n = 0;

	if (!g_ascii_isalpha(text[0]))
		return FALSE;
	while (g_ascii_isalnum(text[n]) || text[n] == '-')
		n++;
	return text[n] == ':' && (text[n + 1] == ' ' || text[n + 1] == '\t' || text[n + 1] == '\n');
}

/* At most CANNED_MAX_SIZE + 1 bytes of the regular file PATH: never a
 * device or a pipe, which could block or never end. */
static char *
canned_read_file(const char *path, gsize *len, GError **error)
{
	g_autofree char *buf = g_malloc(CANNED_MAX_SIZE + 2);
	int fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK, 0);
	int saved;
	struct stat st;
	ssize_t n = 0;

	if (fd < 0) {
		saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		            "cannot open %s: %s", path, g_strerror(saved));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		g_set_error(error, CANNED_ERROR, 0, "%s is not a regular file", path);
		return NULL;
	}
	*len = 0;
	while (*len <= CANNED_MAX_SIZE &&
	       ((n = read(fd, buf + *len, CANNED_MAX_SIZE + 1 - *len)) > 0 ||
	        (n < 0 && errno == EINTR)))
		*len += n > 0 ? (gsize)n : 0;
	saved = errno;
	close(fd);
	if (n < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved),
		            "cannot read %s: %s", path, g_strerror(saved));
		return NULL;
	}
	buf[*len] = '\0';
	return g_steal_pointer(&buf);
}

/* The file's bytes as checked UTF-8 text, "\r\n" made "\n". */
static char *
canned_read_text(const char *path, GError **error)
{
	g_autofree char *raw = NULL;
	gsize len;
	GString *text;

	if (!g_path_is_absolute(path)) {
		g_set_error(error, CANNED_ERROR, 0, "'%s' is not an absolute path", path);
		return NULL;
	}
	raw = canned_read_file(path, &len, error);
	if (raw == NULL)
		return NULL;
	if (len > CANNED_MAX_SIZE) {
		g_set_error(error, CANNED_ERROR, 0, "%s is larger than %d bytes", path,
		            CANNED_MAX_SIZE);
		return NULL;
	}
	if (memchr(raw, '\0', len) != NULL || !g_utf8_validate(raw, (gssize)len, NULL)) {
		g_set_error(error, CANNED_ERROR, 0, "%s is not UTF-8 text", path);
		return NULL;
	}
	text = g_string_sized_new(len + 1);
	for (gsize i = 0; i < len; i++)
		if (!(raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n'))
			g_string_append_c(text, raw[i]);
	return g_string_free(text, FALSE);
}

static gboolean
canned_blank(const char *text)
{
	for (; *text != '\0'; text++)
		if (!g_ascii_isspace(*text))
			return FALSE;
	return TRUE;
}

CannedAnswer *
canned_load(const char *name, const char *path, GError **error)
{
	g_autoptr(CannedAnswer) a = g_new0(CannedAnswer, 1);
	g_autofree char *text = NULL;
	const char *body;

	if (!canned_name_valid(name)) {
		g_set_error(error, CANNED_ERROR, 0,
		            "'%s' is no name for an answer (lower-case letters, digits, '-', '_')",
		            name);
		return NULL;
	}
	a->name = g_strdup(name);
	a->path = g_strdup(path);
	text = canned_read_text(path, error);
	if (text == NULL)
		return NULL;
	body = text;
	if (text[0] == '\n')
		body = text + 1;
	else if (canned_starts_with_header(text) && !canned_read_headers(a, text, &body, error))
		return NULL;
	if (canned_blank(body)) {
		g_set_error(error, CANNED_ERROR, 0, "%s holds no text to send", path);
		return NULL;
	}
	if (!canned_check_placeholders(body, error))
		return NULL;
	a->text = g_str_has_suffix(body, "\n") ? g_strdup(body) : g_strconcat(body, "\n", NULL);
	return g_steal_pointer(&a);
}

char *
canned_render(const CannedAnswer *a, const char *case_id, const char *list_name)
{
	GString *out = g_string_sized_new(strlen(a->text) + 64);
	const char *p = a->text;

	for (const char *brace; (brace = strchr(p, '{')) != NULL;) {
		size_t n = placeholder_at(brace + 1);
		const char *value = NULL;

		g_string_append_len(out, p, brace - p);
		if (n == 4 && strncmp(brace + 1, "case", 4) == 0)
			value = case_id;
		else if (n == 4 && strncmp(brace + 1, "list", 4) == 0)
			value = list_name;
		g_string_append(out, value != NULL ? value : "{");
		p = value != NULL ? brace + n + 2 : brace + 1;
	}
	g_string_append(out, p);
	return g_string_free(out, FALSE);
}

static gint
canned_compare(gconstpointer a, gconstpointer b, gpointer data)
{
	(void)data;
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

char *
canned_names(GHashTable *answers)
{
	g_autofree const char **keys = NULL;
	guint n = 0;

	if (answers == NULL || g_hash_table_size(answers) == 0)
		return g_strdup("none");
	keys = (const char **)g_hash_table_get_keys_as_array(answers, &n);
	g_qsort_with_data(keys, (gint)n, sizeof *keys, canned_compare, NULL);
	return g_strjoinv(", ", (char **)keys);
}
