/* advisory-csaf.c - the advisory as a CSAF 2.0 document, from the facts
 * advisory.c gathered. */
#include "advisory-facts.h"

#define CSAF_AFFECTED "CSAFPID-AFFECTED"
#define CSAF_FIXED "CSAFPID-FIXED"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

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
	advisory_add_string(b, "id", f->c->id);
	advisory_add_string(b, "status", status);
	advisory_add_string(b, "version", version);
	advisory_add_string(b, "initial_release_date", date);
	advisory_add_string(b, "current_release_date", date);
	json_builder_set_member_name(b, "revision_history");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	advisory_add_string(b, "date", date);
	advisory_add_string(b, "number", version);
	advisory_add_string(b, "summary", f->released != NULL ? "Initial release." : "Draft, not yet released.");
	json_builder_end_object(b);
	json_builder_end_array(b);
	json_builder_set_member_name(b, "generator");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "engine");
	json_builder_begin_object(b);
	advisory_add_string(b, "name", "embargo");
	advisory_add_string(b, "version", PACKAGE_VERSION);
	json_builder_end_object(b);
	advisory_add_string(b, "date", f->now);
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
	advisory_add_string(b, "category", has_products ? "csaf_security_advisory" : "csaf_base");
	advisory_add_string(b, "csaf_version", "2.0");
	/* Before release the advisory goes only to those told under embargo
	 * (TLP:AMBER, need to know); once released it is public (TLP:WHITE). */
	json_builder_set_member_name(b, "distribution");
	json_builder_begin_object(b);
	json_builder_set_member_name(b, "tlp");
	json_builder_begin_object(b);
	advisory_add_string(b, "label", f->released != NULL ? "WHITE" : "AMBER");
	json_builder_end_object(b);
	json_builder_end_object(b);
	advisory_add_string(b, "lang", "en");
	json_builder_set_member_name(b, "publisher");
	json_builder_begin_object(b);
	advisory_add_string(b, "category", "vendor");
	advisory_add_string(b, "name", f->list->name != NULL ? f->list->name : f->list->address);
	advisory_add_string(b, "namespace", namespace);
	json_builder_end_object(b);
	advisory_add_string(b, "title", title);
	if (f->severity != NULL) {
		json_builder_set_member_name(b, "aggregate_severity");
		json_builder_begin_object(b);
		advisory_add_string(b, "text", f->severity);
		json_builder_end_object(b);
	}
	json_builder_set_member_name(b, "notes");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	advisory_add_string(b, "category", "summary");
	advisory_add_string(b, "title", "Summary");
	advisory_add_string(b, "text", f->title);
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
	advisory_add_string(b, "product_id", id);
	advisory_add_string(b, "name", name);
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
	advisory_add_string(b, "category", category);
	advisory_add_string(b, "title", title);
	advisory_add_string(b, "text", text);
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
	if (f->cve_none != NULL) {
		g_autofree char *text = g_strdup_printf("No CVE id applies: %s", f->cve_none);
		csaf_note(b, "other", "CVE", text);
	}
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
		advisory_add_string_array(b, "known_affected", affected);
	if (f->fixed_in != NULL)
		advisory_add_string_array(b, "fixed", fixed);
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
	advisory_add_string_array(b, "products", affected);
	json_builder_set_member_name(b, "cvss_v3");
	json_builder_begin_object(b);
	advisory_add_string(b, "version", f->cvss_version);
	advisory_add_string(b, "vectorString", f->vector);
	json_builder_set_member_name(b, "baseScore");
	json_builder_add_double_value(b, f->c->cvss_score);
	advisory_add_string(b, "baseSeverity", severity);
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
	advisory_add_string(b, "category", "vendor_fix");
	advisory_add_string(b, "details", details);
	advisory_add_string_array(b, "product_ids", f->affected != NULL ? affected : fixed);
	json_builder_end_object(b);
	json_builder_end_array(b);
}

/* One vulnerability: for CVE (NULL when the case has none). */
static void
csaf_vulnerability(JsonBuilder *b, const Facts *f, const char *cve)
{
	json_builder_begin_object(b);
	advisory_add_string(b, "cve", cve);
	json_builder_set_member_name(b, "ids");
	json_builder_begin_array(b);
	json_builder_begin_object(b);
	advisory_add_string(b, "system_name", f->list->name != NULL ? f->list->name : f->list->address);
	advisory_add_string(b, "text", f->c->id);
	json_builder_end_object(b);
	json_builder_end_array(b);
	advisory_add_string(b, "title", f->title);
	csaf_notes(b, f);
	advisory_add_string(b, "release_date", f->released);
	csaf_product_status(b, f);
	if (csaf_score_fits(f))
		csaf_scores(b, f);
	if (f->credit != NULL || f->fix_team[0] != NULL) {
		const char *names[] = { f->credit, NULL };
		json_builder_set_member_name(b, "acknowledgments");
		json_builder_begin_array(b);
		if (f->credit != NULL) {
			json_builder_begin_object(b);
			advisory_add_string_array(b, "names", names);
			json_builder_end_object(b);
		}
		if (f->fix_team[0] != NULL) {
			json_builder_begin_object(b);
			advisory_add_string_array(b, "names", (const char *const *)f->fix_team);
			advisory_add_string(b, "summary", "the fix team, who developed the fix");
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
	}
	if (f->fixed_in != NULL)
		csaf_remediations(b, f);
	json_builder_end_object(b);
}

/* One vulnerability per CVE id, since a CSAF vulnerability carries one CVE
 * and several ids on a case are several vulnerabilities fixed together;
 * one without a CVE id when the case has none. */
char *
advisory_csaf(const Facts *f)
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
	return advisory_json_text(b, TRUE);
}
