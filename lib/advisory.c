/* advisory.c - the advisory of a case, written from what the team set on
 * it: Markdown release notes, an OSV document, a CSAF 2.0 document. Owns
 * how case fields map to each format, and the JSON text both JSON formats
 * are written as. Never writes the reporter's address or anything of the
 * case's mail: only fields the team set for publication, the report's
 * subject (as a title when no summary is set) and dates. */
#include "advisory.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "calendar.h"

/* The first OSV schema version that defines every field written here:
 * 1.6.2 added the CVSS_V4 severity type (ossf/osv-schema CHANGELOG.md).
 * The schema file itself accepts any string. */
#define OSV_SCHEMA_VERSION "1.6.2"

#define CSAF_AFFECTED "CSAFPID-AFFECTED"
#define CSAF_FIXED "CSAFPID-FIXED"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* What every format is written from, gathered once; strings are owned,
 * stripped, and NULL when unset or empty. */
typedef struct {
	const Case *c;
	const EmbargoList *list;
	char **cves;          /* never NULL; CVE ids in the order they were added */
	char *title;          /* one line: the summary's first line, else the subject */
	char *description;    /* the whole summary, else the title */
	char *body;           /* the summary after its first line; NULL: none */
	char *severity;
	char *vector;
	const char *cvss_version; /* "3.0" "3.1" "4.0"; NULL: no vector, or one of another kind */
	char *rating;         /* "Critical" ...; set when vector is */
	char *affected;
	char *fixed_in;
	char *credit;
	char *embargo_until;
	char *reported;       /* RFC 3339, UTC */
	char *released;       /* RFC 3339, UTC; NULL: not released */
	char *now;            /* RFC 3339, UTC */
} Facts;

static void
facts_clear(Facts *f)
{
	g_strfreev(f->cves);
	g_free(f->title);
	g_free(f->description);
	g_free(f->body);
	g_free(f->severity);
	g_free(f->vector);
	g_free(f->rating);
	g_free(f->affected);
	g_free(f->fixed_in);
	g_free(f->credit);
	g_free(f->embargo_until);
	g_free(f->reported);
	g_free(f->released);
	g_free(f->now);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(Facts, facts_clear)

gboolean
advisory_format_parse(const char *name, AdvisoryFormat *format)
{
	static const struct {
		const char *name;
		AdvisoryFormat format;
	} names[] = {
		{ "markdown", ADVISORY_MARKDOWN },
		{ "osv", ADVISORY_OSV },
		{ "csaf", ADVISORY_CSAF },
	};

	for (guint i = 0; name != NULL && i < G_N_ELEMENTS(names); i++) {
		if (g_ascii_strcasecmp(name, names[i].name) == 0) {
			*format = names[i].format;
			return TRUE;
		}
	}
	return FALSE;
}

/* VALUE stripped, or NULL when it is unset or only blanks. */
static char *
field(const char *value)
{
	char *v;

	if (value == NULL)
		return NULL;
	v = g_strstrip(g_strdup(value));
	if (*v == '\0')
		g_clear_pointer(&v, g_free);
	return v;
}

/* A field shown on one line (a list item, a JSON summary): line breaks and
 * tabs become blanks, so that a value typed over two lines cannot end the
 * item or start a heading. */
static char *
one_line(const char *value)
{
	char *v = field(value);

	for (char *p = v; p != NULL && *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	}
	return v;
}

/* Stored times are UTC ISO 8601; the formats want RFC 3339 in UTC, which
 * is the same written with a "Z": re-written, so that any stored variant
 * comes out in the one form OSV's pattern accepts. */
static char *
rfc3339(const char *stored)
{
	g_autoptr(GDateTime) t = calendar_parse_iso(stored);

	return t != NULL ? calendar_iso(t) : NULL;
}

/* The title is the summary's first line when the team wrote a summary,
 * since the summary is the text they meant for publication; else the
 * report's subject, the only other description a case has (the reporter
 * wrote it: a team that does not want it published sets a summary). */
static void
facts_text(Facts *f, const Case *c)
{
	g_autofree char *summary = field(c->summary);

	if (summary != NULL) {
		size_t first = strcspn(summary, "\r\n");
		g_autofree char *line = g_strndup(summary, first);

		f->title = one_line(line);
		if (summary[first] != '\0')
			f->body = field(summary + first + 1);
		f->description = g_steal_pointer(&summary);
	} else {
		f->title = one_line(c->subject);
	}
	if (f->title == NULL)
		f->title = g_strdup("Security advisory");
	if (f->description == NULL)
		f->description = g_strdup(f->title);
}

static const char *
cvss_version_of(const char *vector)
{
	static const char *const versions[] = { "3.0", "3.1", "4.0" };

	for (guint i = 0; vector != NULL && i < G_N_ELEMENTS(versions); i++) {
		g_autofree char *prefix = g_strdup_printf("CVSS:%s/", versions[i]);
		if (g_str_has_prefix(vector, prefix))
			return versions[i];
	}
	return NULL;
}

/* The qualitative rating of a score, for a case whose rating was not
 * stored (CVSS 3.x and 4.0 share the scale). */
static const char *
rating_of(double score)
{
	if (score >= 9.0)
		return "Critical";
	if (score >= 7.0)
		return "High";
	if (score >= 4.0)
		return "Medium";
	if (score > 0.0)
		return "Low";
	return "None";
}

/* When the case reached its policy's released stage, or NULL. A case
 * closed as rejected, invalid or a duplicate counts as never released:
 * reaching the closed stage records every earlier stage as reached, the
 * released one included, though nothing was released. */
static gboolean
facts_release(Facts *f, Db *db, const EmbargoList *list, const Case *c, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *at = NULL;
	const char *stage = list->policy != NULL ? list->policy->released_stage : NULL;

	if (stage == NULL || (c->resolution != NULL && strcmp(c->resolution, "fixed") != 0))
		return TRUE;
	if (!case_stage_reached(db, c->id, stage, &at, &err)) {
		g_propagate_error(error, g_steal_pointer(&err));
		return FALSE;
	}
	f->released = at != NULL ? rfc3339(at) : NULL;
	return TRUE;
}

static gboolean
facts_gather(Facts *f, Db *db, const EmbargoList *list, const Case *c, GDateTime *now,
             GError **error)
{
	f->c = c;
	f->list = list;
	f->cves = case_cves(db, c->id, error);
	if (f->cves == NULL)
		return FALSE;
	facts_text(f, c);
	f->severity = one_line(c->severity);
	f->vector = one_line(c->cvss_vector);
	f->cvss_version = cvss_version_of(f->vector);
	if (f->vector != NULL)
		f->rating = c->cvss_rating != NULL ? g_strdup(c->cvss_rating)
		                                   : g_strdup(rating_of(c->cvss_score));
	f->affected = one_line(c->affected);
	f->fixed_in = one_line(c->fixed_in);
	f->credit = one_line(c->credit);
	f->embargo_until = one_line(c->embargo_until);
	f->reported = rfc3339(c->created_at);
	f->now = calendar_iso(now);
	if (f->reported == NULL)
		f->reported = g_strdup(f->now);
	return facts_release(f, db, list, c, error);
}

/* --- Markdown --- */

static void
md_item(GString *out, const char *label, const char *value)
{
	if (value != NULL)
		g_string_append_printf(out, "- %s: %s\n", label, value);
}

/* The date part of an RFC 3339 time. */
static char *
day(const char *time)
{
	return g_strndup(time, 10);
}

static char *
render_markdown(const Facts *f)
{
	GString *out = g_string_new(NULL);
	g_autofree char *cves = g_strjoinv(", ", f->cves);
	g_autofree char *cvss = NULL;
	g_autofree char *reported = day(f->reported);
	g_autofree char *released = f->released != NULL ? day(f->released) : NULL;

	if (f->vector != NULL)
		cvss = g_strdup_printf("%.1f (%s), `%s`", f->c->cvss_score, f->rating, f->vector);
	g_string_append_printf(out, "# [%s] %s\n\n", f->c->id, f->title);
	md_item(out, "CVE", *cves != '\0' ? cves : NULL);
	md_item(out, "Severity", f->severity);
	md_item(out, "CVSS", cvss);
	md_item(out, "Affected versions", f->affected);
	md_item(out, "Fixed in", f->fixed_in);
	md_item(out, "Credit", f->credit);
	/* a blank line ends the list above, when there was one */
	if (!g_str_has_suffix(out->str, "\n\n"))
		g_string_append_c(out, '\n');
	g_string_append(out, "## Timeline\n\n");
	md_item(out, "Reported", reported);
	/* The planned date matters to whoever gets the advisory before release. */
	if (released == NULL)
		md_item(out, "Embargo until", f->embargo_until);
	md_item(out, "Released", released);
	if (f->body != NULL)
		g_string_append_printf(out, "\n## Description\n\n%s\n", f->body);
	return g_string_free(out, FALSE);
}

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
static char *
json_text(JsonBuilder *b, gboolean sorted)
{
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	GString *out = g_string_new(NULL);

	json_text_node(out, root, 0, sorted);
	g_string_append_c(out, '\n');
	return g_string_free(out, FALSE);
}

/* --- JsonBuilder shorthands --- */

static void
add_string(JsonBuilder *b, const char *name, const char *value)
{
	if (value == NULL)
		return;
	json_builder_set_member_name(b, name);
	json_builder_add_string_value(b, value);
}

static void
add_string_array(JsonBuilder *b, const char *name, const char *const *values)
{
	json_builder_set_member_name(b, name);
	json_builder_begin_array(b);
	for (guint i = 0; values[i] != NULL; i++)
		json_builder_add_string_value(b, values[i]);
	json_builder_end_array(b);
}

/* --- OSV --- */

/* OSV's "details" (CommonMark): the summary after its first line, then
 * the versions, since an OSV "affected" entry needs a package in one of
 * OSV's ecosystems, which a case does not name. NULL when there is none. */
static char *
osv_details(const Facts *f)
{
	GString *out = g_string_new(f->body);

	if (f->affected != NULL || f->fixed_in != NULL)
		g_string_append(out, out->len > 0 ? "\n\n" : "");
	if (f->affected != NULL)
		g_string_append_printf(out, "- Affected versions: %s\n", f->affected);
	if (f->fixed_in != NULL)
		g_string_append_printf(out, "- Fixed in: %s\n", f->fixed_in);
	if (out->len == 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

static void
osv_database_specific(JsonBuilder *b, const Facts *f)
{
	json_builder_set_member_name(b, "database_specific");
	json_builder_begin_object(b);
	add_string(b, "case_id", f->c->id);
	add_string(b, "severity", f->severity);
	if (f->vector != NULL) {
		add_string(b, "cvss_vector", f->vector);
		json_builder_set_member_name(b, "cvss_score");
		json_builder_add_double_value(b, f->c->cvss_score);
		add_string(b, "cvss_rating", f->rating);
	}
	add_string(b, "affected_versions", f->affected);
	add_string(b, "fixed_in", f->fixed_in);
	json_builder_end_object(b);
}

/* OSV's id is the first CVE id. Without one, the case id behind "x_": a
 * case id such as SEC-2026-0001 has no prefix of OSV's registered
 * databases, which the schema requires of an id, and "x_" is the one
 * prefix it allows outside them. The case id is an alias only when the id
 * is a CVE id; every further CVE id is one too. */
static char *
render_osv(const Facts *f)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	g_autoptr(GPtrArray) aliases = g_ptr_array_new();
	g_autofree char *id = f->cves[0] != NULL ? g_strdup(f->cves[0])
	                                         : g_strconcat("x_", f->c->id, NULL);
	g_autofree char *details = osv_details(f);

	for (guint i = 1; f->cves[0] != NULL && f->cves[i] != NULL; i++)
		g_ptr_array_add(aliases, f->cves[i]);
	if (f->cves[0] != NULL)
		g_ptr_array_add(aliases, f->c->id);
	g_ptr_array_add(aliases, NULL);

	json_builder_begin_object(b);
	add_string(b, "schema_version", OSV_SCHEMA_VERSION);
	add_string(b, "id", id);
	add_string(b, "modified", f->now);
	add_string(b, "published", f->released != NULL ? f->released : f->now);
	if (aliases->len > 1)
		add_string_array(b, "aliases", (const char *const *)aliases->pdata);
	add_string(b, "summary", f->title);
	add_string(b, "details", details);
	if (f->cvss_version != NULL) {
		json_builder_set_member_name(b, "severity");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		add_string(b, "type", f->cvss_version[0] == '4' ? "CVSS_V4" : "CVSS_V3");
		add_string(b, "score", f->vector);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	if (f->credit != NULL) {
		json_builder_set_member_name(b, "credits");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		add_string(b, "name", f->credit);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	osv_database_specific(b, f);
	json_builder_end_object(b);
	return json_text(b, FALSE);
}

/* --- CSAF 2.0 --- */

/* The document's status: final once released with a fix, interim once
 * released without one (the information is expected to change), draft
 * before release. Versions count whole numbers: 0 is the draft (CSAF test
 * 6.1.17 wants version 0 to be a draft), 1 the release. */
static void
csaf_tracking(JsonBuilder *b, const Facts *f)
{
	const char *status = f->released == NULL ? "draft" : f->fixed_in != NULL ? "final" : "interim";
	const char *version = f->released != NULL ? "1" : "0";
	const char *date = f->released != NULL ? f->released : f->now;

	json_builder_set_member_name(b, "tracking");
	json_builder_begin_object(b);
	add_string(b, "id", f->c->id);
	add_string(b, "status", status);
	add_string(b, "version", version);
	add_string(b, "initial_release_date", date);
	add_string(b, "current_release_date", date);
	json_builder_set_member_name(b, "revision_history");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	add_string(b, "date", date);
	add_string(b, "number", version);
	add_string(b, "summary", f->released != NULL ? "Initial release." : "Draft, not yet released.");
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "generator");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "engine");
	json_builder_begin_object(b);
	add_string(b, "name", "embargo");
	add_string(b, "version", PACKAGE_VERSION);
	json_builder_end_object(b);
	add_string(b, "date", f->now);
	json_builder_end_object(b);
	json_builder_end_object(b);
}

static void
csaf_document(JsonBuilder *b, const Facts *f, gboolean has_products)
{
	g_autofree char *namespace = g_strconcat("https://", f->list->domain, NULL);
	g_autofree char *title = g_strdup_printf("[%s] %s", f->c->id, f->title);

	json_builder_set_member_name(b, "document");
	json_builder_begin_object(b);
	/* csaf_security_advisory demands a product tree and, per
	 * vulnerability, a product status (CSAF 2.0 section 4.3, tests
	 * 6.1.27.4-6): only a case that states affected or fixed versions
	 * has products. Without them the document is a csaf_base one, which
	 * asks for neither, rather than one naming invented products. */
	add_string(b, "category", has_products ? "csaf_security_advisory" : "csaf_base");
	add_string(b, "csaf_version", "2.0");
	/* Before release the advisory goes only to those told under embargo
	 * (TLP:AMBER, need to know); once released it is public (TLP:WHITE). */
	json_builder_set_member_name(b, "distribution");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "tlp");
	json_builder_begin_object(b);
	add_string(b, "label", f->released != NULL ? "WHITE" : "AMBER");
	json_builder_end_object(b);
	json_builder_end_object(b);
	add_string(b, "lang", "en");
	json_builder_set_member_name(b, "publisher");
	json_builder_begin_object(b);
	add_string(b, "category", "vendor");
	add_string(b, "name", f->list->name != NULL ? f->list->name : f->list->address);
	add_string(b, "namespace", namespace);
	json_builder_end_object(b);
	add_string(b, "title", title);
	if (f->severity != NULL) {
		json_builder_set_member_name(b, "aggregate_severity");
		json_builder_begin_object(b);
		add_string(b, "text", f->severity);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	add_string(b, "category", "summary");
	add_string(b, "title", "Summary");
	add_string(b, "text", f->title);
	json_builder_end_object(b);
	json_builder_end_array(b);
	csaf_tracking(b, f);
	json_builder_end_object(b);
}

static void
csaf_product(JsonBuilder *b, const char *id, const char *label, const char *versions)
{
	g_autofree char *name = g_strdup_printf("%s: %s", label, versions);

	json_builder_begin_object(b);
	add_string(b, "product_id", id);
	add_string(b, "name", name);
	json_builder_end_object(b);
}

/* Products are the affected and the fixed versions as the team wrote them:
 * full product names, not version branches, since free text such as
 * "1.0 to 1.4.2" is no single product_version (CSAF test 6.1.31). */
static void
csaf_product_tree(JsonBuilder *b, const Facts *f)
{
	json_builder_set_member_name(b, "product_tree");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "full_product_names");
	json_builder_begin_array(b);
	if (f->affected != NULL)
		csaf_product(b, CSAF_AFFECTED, "Affected versions", f->affected);
	if (f->fixed_in != NULL)
		csaf_product(b, CSAF_FIXED, "Fixed in", f->fixed_in);
	json_builder_end_array(b);
	json_builder_end_object(b);
}

static void
csaf_note(JsonBuilder *b, const char *category, const char *title, const char *text)
{
	json_builder_begin_object(b);
	add_string(b, "category", category);
	add_string(b, "title", title);
	add_string(b, "text", text);
	json_builder_end_object(b);
}

/* CSAF 2.0 scores hold CVSS v2 and v3 only, and each names the products
 * it applies to: a CVSS 4.0 vector, or a 3.x one on a case without
 * affected versions, goes into a note instead. */
static gboolean
csaf_score_fits(const Facts *f)
{
	return f->cvss_version != NULL && f->cvss_version[0] == '3' && f->affected != NULL;
}

static void
csaf_notes(JsonBuilder *b, const Facts *f)
{
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	csaf_note(b, "description", "Description", f->description);
	if (f->vector != NULL && !csaf_score_fits(f)) {
		g_autofree char *title = f->cvss_version != NULL
		                                 ? g_strdup_printf("CVSS v%s", f->cvss_version)
		                                 : g_strdup("CVSS");
		g_autofree char *text = g_strdup_printf("Base score %.1f (%s): %s", f->c->cvss_score,
		                                        f->rating, f->vector);
		csaf_note(b, "other", title, text);
	}
	json_builder_end_array(b);
}

static void
csaf_product_status(JsonBuilder *b, const Facts *f)
{
	static const char *const affected[] = { CSAF_AFFECTED, NULL };
	static const char *const fixed[] = { CSAF_FIXED, NULL };

	if (f->affected == NULL && f->fixed_in == NULL)
		return;
	json_builder_set_member_name(b, "product_status");
	json_builder_begin_object(b);
	if (f->affected != NULL)
		add_string_array(b, "known_affected", affected);
	if (f->fixed_in != NULL)
		add_string_array(b, "fixed", fixed);
	json_builder_end_object(b);
}

/* The cvss_v3 object of FIRST's CVSS 3.x JSON schema: its required
 * members, the severity in the schema's upper case. */
static void
csaf_scores(JsonBuilder *b, const Facts *f)
{
	static const char *const affected[] = { CSAF_AFFECTED, NULL };
	g_autofree char *severity = g_ascii_strup(f->rating, -1);

	json_builder_set_member_name(b, "scores");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	add_string_array(b, "products", affected);
	json_builder_set_member_name(b, "cvss_v3");
	json_builder_begin_object(b);
	add_string(b, "version", f->cvss_version);
	add_string(b, "vectorString", f->vector);
	json_builder_set_member_name(b, "baseScore");
	json_builder_add_double_value(b, f->c->cvss_score);
	add_string(b, "baseSeverity", severity);
	json_builder_end_object(b);
	json_builder_end_object(b);
	json_builder_end_array(b);
}

/* The fix applies to the affected versions; when the team named only the
 * fixed version, to that (a remediation must name a product, CSAF test
 * 6.1.29). */
static void
csaf_remediations(JsonBuilder *b, const Facts *f)
{
	static const char *const affected[] = { CSAF_AFFECTED, NULL };
	static const char *const fixed[] = { CSAF_FIXED, NULL };
	g_autofree char *details = g_strdup_printf("Fixed in %s.", f->fixed_in);

	json_builder_set_member_name(b, "remediations");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	add_string(b, "category", "vendor_fix");
	add_string(b, "details", details);
	add_string_array(b, "product_ids", f->affected != NULL ? affected : fixed);
	json_builder_end_object(b);
	json_builder_end_array(b);
}

/* One vulnerability: for CVE (NULL when the case has none). */
static void
csaf_vulnerability(JsonBuilder *b, const Facts *f, const char *cve)
{
	json_builder_begin_object(b);
	add_string(b, "cve", cve);
	json_builder_set_member_name(b, "ids");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	add_string(b, "system_name", f->list->name != NULL ? f->list->name : f->list->address);
	add_string(b, "text", f->c->id);
	json_builder_end_object(b);
	json_builder_end_array(b);
	add_string(b, "title", f->title);
	csaf_notes(b, f);
	add_string(b, "release_date", f->released);
	csaf_product_status(b, f);
	if (csaf_score_fits(f))
		csaf_scores(b, f);
	if (f->credit != NULL) {
		const char *names[] = { f->credit, NULL };
		json_builder_set_member_name(b, "acknowledgments");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		add_string_array(b, "names", names);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	if (f->fixed_in != NULL)
		csaf_remediations(b, f);
	json_builder_end_object(b);
}

/* One vulnerability per CVE id, since a CSAF vulnerability carries one CVE
 * and several ids on a case are several vulnerabilities fixed together;
 * one without a CVE id when the case has none. */
static char *
render_csaf(const Facts *f)
{
	g_autoptr(JsonBuilder) b = json_builder_new();
	gboolean has_products = f->affected != NULL || f->fixed_in != NULL;

	json_builder_begin_object(b);
	csaf_document(b, f, has_products);
	if (has_products)
		csaf_product_tree(b, f);
	json_builder_set_member_name(b, "vulnerabilities");
	json_builder_begin_array(b);
	if (f->cves[0] == NULL)
		csaf_vulnerability(b, f, NULL);
	for (guint i = 0; f->cves[i] != NULL; i++)
		csaf_vulnerability(b, f, f->cves[i]);
	json_builder_end_array(b);
	json_builder_end_object(b);
	return json_text(b, TRUE);
}

char *
advisory_render(Db *db, const EmbargoConfig *config, const EmbargoList *list, const Case *c,
                AdvisoryFormat format, GDateTime *now, GError **error)
{
	g_auto(Facts) f = { 0 };

	if (!facts_gather(&f, db, list, c, now, error))
		return NULL;
	switch (format) {
	case ADVISORY_OSV:
		return render_osv(&f);
	case ADVISORY_CSAF:
		return render_csaf(&f);
	case ADVISORY_MARKDOWN:
		break;
	}
	return render_markdown(&f);
}
