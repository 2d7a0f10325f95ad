/* advisory.c - the advisory of a case, written from what the team set on
 * it: Markdown release notes, an OSV document, a CSAF 2.0 document. Owns
 * the facts of a case every format is written from and which format is
 * asked for; each format is written by its own file (advisory-md.c,
 * advisory-osv.c, advisory-csaf.c; the JSON text in advisory-json.c).
 * Never writes the reporter's address or anything of the case's mail: only
 * fields the team set for publication, the report's subject (as a title
 * when no summary is set) and dates. */
#include "advisory.h"

#include <string.h>

#include "advisory-facts.h"
#include "calendar.h"
#include "fixteam.h"

static void
facts_clear(Facts *f)
{
	g_strfreev(f->cves);
	g_free(f->cve_none);
	g_free(f->title);
	g_free(f->description);
	g_free(f->body);
	g_free(f->severity);
	g_free(f->vector);
	g_free(f->rating);
	g_free(f->affected);
	g_free(f->fixed_in);
	g_free(f->credit);
	g_strfreev(f->fix_team);
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
	if (f->cves[0] == NULL)
		f->cve_none = one_line(c->cve_none);
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
	f->fix_team = fixteam_credits(db, list->address, c->id, error);
	if (f->fix_team == NULL)
		return FALSE;
	f->embargo_until = one_line(c->embargo_until);
	f->reported = rfc3339(c->created_at);
	f->now = calendar_iso(now);
	if (f->reported == NULL)
		f->reported = g_strdup(f->now);
	return facts_release(f, db, list, c, error);
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
		return advisory_osv(&f);
	case ADVISORY_CSAF:
		return advisory_csaf(&f);
	case ADVISORY_MARKDOWN:
		break;
	}
	return advisory_markdown(&f);
}
