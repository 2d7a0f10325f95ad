/* advisory-json.c - the JSON text of the OSV and CSAF documents, and the
 * JsonBuilder shorthands both use. */
#include "advisory-facts.h"

#include <string.h>

/* --- JSON text ---
 * json-glib's generator writes doubles with 17 significant digits (a CVSS
 * score of 9.8 as 9.8000000000000007), which CSAF's score checks and
 * people read as another number; so the documents built with JsonBuilder
 * are written out here, numbers in the shortest form that reads back the
 * same. */

static void
json_text_string(GString *out, const char *s)
{
	g_autofree char *valid = g_utf8_make_valid(s, -1);

	g_string_append_c(out, '"');
	for (const unsigned char *p = (const unsigned char *)valid; *p != '\0'; p++) {
		switch (*p) {
		case '"': g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		case '\b': g_string_append(out, "\\b"); break;
		case '\f': g_string_append(out, "\\f"); break;
		default:
			if (*p < 0x20)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

static void
json_text_double(GString *out, double d)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];
	char fmt[8];
	int prec;

	for (prec = 0; prec <= 17; prec++) {
		g_snprintf(fmt, sizeof fmt, "%%.%df", prec);
		g_ascii_formatd(buf, sizeof buf, fmt, d);
		if (g_ascii_strtod(buf, NULL) == d)
			break;
	}
	if (prec > 17)
		g_ascii_dtostr(buf, sizeof buf, d);
	g_string_append(out, buf);
	if (strpbrk(buf, ".eE") == NULL)
		g_string_append(out, ".0");
}

static void
json_text_newline(GString *out, guint depth)
{
	g_string_append_c(out, '\n');
	for (guint i = 0; i < depth; i++)
		g_string_append(out, "  ");
}

static void json_text_node(GString *out, JsonNode *node, guint depth, gboolean sorted);

static int
json_text_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The member names of O in the order they were added, or sorted. */
static GPtrArray *
json_text_names(JsonObject *o, gboolean sorted)
{
	GPtrArray *names = g_ptr_array_new();
	JsonObjectIter it;
	const char *name;
	JsonNode *member;

	json_object_iter_init_ordered(&it, o);
	while (json_object_iter_next_ordered(&it, &name, &member))
		g_ptr_array_add(names, (gpointer)name);
	if (sorted)
		g_ptr_array_sort(names, json_text_cmp);
	return names;
}

static void
json_text_object(GString *out, JsonObject *o, guint depth, gboolean sorted)
{
	g_autoptr(GPtrArray) names = json_text_names(o, sorted);

	g_string_append_c(out, '{');
	for (guint i = 0; i < names->len; i++) {
		g_string_append(out, i > 0 ? "," : "");
		json_text_newline(out, depth + 1);
		json_text_string(out, names->pdata[i]);
		g_string_append(out, ": ");
		json_text_node(out, json_object_get_member(o, names->pdata[i]), depth + 1, sorted);
	}
	if (names->len > 0)
		json_text_newline(out, depth);
	g_string_append_c(out, '}');
}

static void
json_text_array(GString *out, JsonArray *a, guint depth, gboolean sorted)
{
	guint n = json_array_get_length(a);

	g_string_append_c(out, '[');
	for (guint i = 0; i < n; i++) {
		g_string_append(out, i > 0 ? "," : "");
		json_text_newline(out, depth + 1);
		json_text_node(out, json_array_get_element(a, i), depth + 1, sorted);
	}
	if (n > 0)
		json_text_newline(out, depth);
	g_string_append_c(out, ']');
}

static void
json_text_node(GString *out, JsonNode *node, guint depth, gboolean sorted)
{
	switch (json_node_get_node_type(node)) {
	case JSON_NODE_OBJECT:
		json_text_object(out, json_node_get_object(node), depth, sorted);
		return;
	case JSON_NODE_ARRAY:
		json_text_array(out, json_node_get_array(node), depth, sorted);
		return;
	case JSON_NODE_NULL:
		g_string_append(out, "null");
		return;
	case JSON_NODE_VALUE:
		break;
	}
	switch (json_node_get_value_type(node)) {
	case G_TYPE_INT64:
		g_string_append_printf(out, "%" G_GINT64_FORMAT, json_node_get_int(node));
		break;
	case G_TYPE_DOUBLE:
		json_text_double(out, json_node_get_double(node));
		break;
	case G_TYPE_BOOLEAN:
		g_string_append(out, json_node_get_boolean(node) ? "true" : "false");
		break;
	default:
		json_text_string(out, json_node_get_string(node));
	}
}

/* The document of B; with SORTED, members in the byte order of their
 * names, as CSAF's optional test 6.2.13 asks (OSV keeps its customary
 * order, id first). */
char *
advisory_json_text(JsonBuilder *b, gboolean sorted)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	GString *out = g_string_new(NULL);

	json_text_node(out, root, 0, sorted);
	g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

/* --- JsonBuilder shorthands --- */

void
advisory_add_string(JsonBuilder *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, value);
}

void
advisory_add_string_array(JsonBuilder *b, const char *name, const char *const *values)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; values[i] != NULL; i++)
		json_builder_add_string_value(b, values[i]);
	json_builder_end_array(b);
}
