/* config-source.c - typed values read from one embargo.conf (a Source),
 * each error naming the file, the line and the key: the postmaster fixes
 * it from the log line alone. Shared by config.c and config-list.c. */
#include "config-source.h"

#include <stdio.h>
#include <string.h>

#include "keyfile.h"

/* Finds the line of KEY in GROUP (or of the group header when KEY is NULL). */
int
config_line_of(const char *text, const char *group, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean in_group = FALSE;

	for (int i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));

		if (line[0] == '[') {
			g_autofree char *name = g_strndup(line + 1, strcspn(line + 1, "]"));
			in_group = group != NULL && strcmp(name, group) == 0;
			if (in_group && key == NULL)
				return i + 1;
			continue;
		}
		if (!in_group || key == NULL)
			continue;
		size_t n = strlen(key);
		if (strncmp(line, key, n) == 0 && (line[n] == '=' || line[n] == ' ' || line[n] == '\t'))
			return i + 1;
	}
	return 0;
}

gboolean
config_fail(GError **error, const Source *src, const char *group, const char *key,
            const char *fmt, ...)
{
	va_list ap;
	g_autofree char *why = NULL;
	int line = config_line_of(src->text, group, key);
	if (line == 0 && key != NULL)
		line = config_line_of(src->text, group, NULL);

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, EMBARGO_CONFIG_ERROR, 0, "%s:%d: [%s] %s: %s", src->path, line,
	            group, key != NULL ? key : "(section)", why);
	return FALSE;
}

/* A value with its trailing " # comment" removed; NULL when the key is absent. */
char *
config_get(const Source *src, const char *group, const char *key)
{
	return keyfile_strip_comment(g_key_file_get_string(src->kf, group, key, NULL));
}

gboolean
config_get_uint(const Source *src, const char *group, const char *key, guint min, guint max,
                guint *out, GError **error)
{
	g_autofree char *value = config_get(src, group, key);
	guint64 n;

	if (value == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, min, max, &n, NULL))
		return config_fail(error, src, group, key, "'%s' is not a number from %u to %u",
		                   value, min, max);
	*out = (guint)n;
	return TRUE;
}

/* A duration: a number of seconds, or a number with a unit s, m, h, d or w
 * (as Postfix writes its queue lifetimes: 5d), from MIN to MAX seconds. */
gboolean
config_get_duration(const Source *src, const char *group, const char *key, guint64 min,
                    guint64 max, guint64 *out, GError **error)
{
	static const struct {
		char unit;
		guint64 seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	g_autofree char *value = config_get(src, group, key);
	g_autofree char *number = NULL;
	guint64 n, scale = 1;
	gsize len;

	if (value == NULL)
		return TRUE;
	len = strlen(value);
	number = g_strdup(value);
	for (guint i = 0; len > 0 && i < G_N_ELEMENTS(units); i++)
		if (value[len - 1] == units[i].unit) {
			scale = units[i].seconds;
			number[len - 1] = '\0';
		}
	if (!g_ascii_string_to_unsigned(number, 10, 1, max, &n, NULL) || n > max / scale ||
	    n * scale < min || n * scale > max)
		return config_fail(error, src, group, key,
		                   "'%s' is not a duration from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
		                   " seconds (a number with s, m, h, d or w)",
		                   value, min, max);
	*out = n * scale;
	return TRUE;
}

/* A size in bytes (0: no limit); at most 1 TiB, which is no limit either. */
gboolean
config_get_size(const Source *src, const char *group, const char *key, guint64 *out,
                GError **error)
{
	g_autofree char *value = config_get(src, group, key);

	if (value == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, 0, G_GUINT64_CONSTANT(1) << 40, out, NULL))
		return config_fail(error, src, group, key, "'%s' is not a size in bytes", value);
	return TRUE;
}

gboolean
config_get_bool(const Source *src, const char *group, const char *key, gboolean *out,
                GError **error)
{
	g_autofree char *value = config_get(src, group, key);

	*out = FALSE;
	if (value == NULL)
		return TRUE;
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		*out = TRUE;
	else if (strcmp(value, "no") != 0 && strcmp(value, "false") != 0)
		return config_fail(error, src, group, key, "'%s' must be yes or no", value);
	return TRUE;
}
