/* advisory-md.c - the advisory as Markdown release notes, from the facts
 * advisory.c gathered. */
#include "advisory-facts.h"

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

char *
advisory_markdown(const Facts *f)
{
	GString *out = g_string_new(NULL);
	g_autofree char *cves = g_strjoinv(", ", f->cves);
	g_autofree char *cvss = NULL;
	g_autofree char *reported = day(f->reported);
	g_autofree char *released = f->released != NULL ? day(f->released) : NULL;
	g_autofree char *no_cve =
		f->cve_none != NULL ? g_strdup_printf("none (%s)", f->cve_none) : NULL;
	g_autofree char *team = f->fix_team[0] != NULL ? g_strjoinv(", ", f->fix_team) : NULL;

	if (f->vector != NULL)
		cvss = g_strdup_printf("%.1f (%s), `%s`", f->c->cvss_score, f->rating, f->vector);
	g_string_append_printf(out, "# [%s] %s\n\n", f->c->id, f->title);
	md_item(out, "CVE", *cves != '\0' ? cves : no_cve);
	md_item(out, "Severity", f->severity);
	md_item(out, "CVSS", cvss);
	md_item(out, "Affected versions", f->affected);
	md_item(out, "Fixed in", f->fixed_in);
	md_item(out, "Credit", f->credit);
	md_item(out, "Fix team", team);
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
