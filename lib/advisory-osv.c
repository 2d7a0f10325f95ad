/* advisory-osv.c - the advisory as an OSV document, from the facts
 * advisory.c gathered. */
#include "advisory-facts.h"

/* The first OSV schema version that defines every field written here:
 * 1.6.2 added the CVSS_V4 severity type (ossf/osv-schema CHANGELOG.md).
 * The schema file itself accepts any string. */
#define OSV_SCHEMA_VERSION "1.6.2"

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
	advisory_add_string(b, "case_id", f->c->id);
	advisory_add_string(b, "severity", f->severity);
	/* OSV has no field for "no CVE id": the team's reason goes here */
	advisory_add_string(b, "cve_none", f->cve_none);
	if (f->vector != NULL) {
		advisory_add_string(b, "cvss_vector", f->vector);
		json_builder_set_member_name(b, "cvss_score");
		json_builder_add_double_value(b, f->c->cvss_score);
		advisory_add_string(b, "cvss_rating", f->rating);
	}
	advisory_add_string(b, "affected_versions", f->affected);
	advisory_add_string(b, "fixed_in", f->fixed_in);
	json_builder_end_object(b);
}

/* OSV's id is the first CVE id. Without one, the case id behind "x_": a
 * case id such as SEC-2026-0001 has no prefix of OSV's registered
 * databases, which the schema requires of an id, and "x_" is the one
 * prefix it allows outside them. The case id is an alias only when the id
 * is a CVE id; every further CVE id is one too. */
char *
advisory_osv(const Facts *f)
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
	advisory_add_string(b, "schema_version", OSV_SCHEMA_VERSION);
	advisory_add_string(b, "id", id);
	advisory_add_string(b, "modified", f->now);
	advisory_add_string(b, "published", f->released != NULL ? f->released : f->now);
	if (aliases->len > 1)
		advisory_add_string_array(b, "aliases", (const char *const *)aliases->pdata);
	advisory_add_string(b, "summary", f->title);
	advisory_add_string(b, "details", details);
	if (f->cvss_version != NULL) {
		json_builder_set_member_name(b, "severity");
		json_builder_begin_array(b);
		json_builder_begin_object(b);
		advisory_add_string(b, "type", f->cvss_version[0] == '4' ? "CVSS_V4" : "CVSS_V3");
		advisory_add_string(b, "score", f->vector);
		json_builder_end_object(b);
		json_builder_end_array(b);
	}
	if (f->credit != NULL || f->fix_team[0] != NULL) {
		json_builder_set_member_name(b, "credits");
		json_builder_begin_array(b);
		if (f->credit != NULL) {
			json_builder_begin_object(b);
			advisory_add_string(b, "name", f->credit);
			json_builder_end_object(b);
		}
		/* the fix team developed the fix */
		for (char **m = f->fix_team; *m != NULL; m++) {
			json_builder_begin_object(b);
			advisory_add_string(b, "name", *m);
			advisory_add_string(b, "type", "REMEDIATION_DEVELOPER");
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	osv_database_specific(b, f);
	json_builder_end_object(b);
	return advisory_json_text(b, FALSE);
}
