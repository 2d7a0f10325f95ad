/* cvss.c - CVSS scoring (cvss.h): the strict reader of CVSS v3.0, v3.1 and
 * v4.0 vector strings, their normalised form and rating. The scores are
 * computed by each version's own file: cvss30.c and cvss31.c (the 3.x
 * formulas, sharing cvss3.c) and cvss40.c (the v4.0 score as FIRST's calculator computes it).
 *
 * Strict means: the prefix, metric names and values are case-sensitive as
 * the specifications write them, every base metric must be there, none may
 * come twice, an unknown metric or value is refused with a message naming
 * it, and input over CVSS_MAX_INPUT bytes is refused unread. Only
 * surrounding whitespace is forgiven. The order of metrics is not enforced:
 * the specifications recommend their order, but advisories in the wild do
 * not all follow it and the order changes no score; the normalised vector
 * puts the metrics in the specification's order.
 *
 * CVSS 3.0 vectors are scored by 3.0's own rules (cvss30.c), never by 3.1's:
 * 3.0 rounds up differently, so the score is the one the reporter's 3.0
 * calculator showed.
 *
 * Metrics given as X (Not Defined) are accepted and left out of the
 * normalised vector, as FIRST's calculators write it: X means the same as
 * leaving the metric out. */
#include "cvss.h"
#include "cvss-version.h"

#include <string.h>

/* Longer input is refused before it is looked at: the longest valid v4.0
 * vector, every metric given, is under 200 bytes. */
#define CVSS_MAX_INPUT 512

G_DEFINE_QUARK(cvss-error-quark, cvss_error)


/* ------------------------------------------------------------------ */
/* Reading */

/* The input as it may be quoted in a message: escaped, and cut short, so
 * that no control character or long junk from a report reaches a log or a
 * reply. */
static char *
show(const char *text, gsize len)
{
	g_autofree char *cut = g_strndup(text, MIN(len, 40));
	g_autofree char *escaped = g_strescape(cut, NULL);

	return len > 40 ? g_strconcat(escaped, "...", NULL) : g_steal_pointer(&escaped);
}

static gboolean
fail(GError **error, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
fail(GError **error, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	g_autofree char *message = g_strdup_vprintf(format, ap);
	va_end(ap);
	g_set_error_literal(error, CVSS_ERROR, CVSS_ERROR_INVALID, message);
	return FALSE;
}

/* "N, A, L, P", for the message about a bad value. */
static char *
value_list(const Metric *m)
{
	g_autoptr(GString) s = g_string_new(NULL);

	for (int i = 0; i < 6 && m->values[i] != NULL; i++)
		g_string_append_printf(s, "%s%s", i > 0 ? ", " : "", m->values[i]);
	return g_string_free(g_steal_pointer(&s), FALSE);
}

/* Which version the prefix names, or an error saying what was found. */
static const Version *
read_prefix(const char *text, const char **rest, GError **error)
{
	static const Version *const versions[] = { &cvss_v30, &cvss_v31, &cvss_v40 };

	for (gsize i = 0; i < G_N_ELEMENTS(versions); i++) {
		gsize n = strlen(versions[i]->prefix);

		/* the bare prefix, with or without its "/", has no metrics: the
		 * first base metric is then reported missing */
		if (strncmp(text, versions[i]->prefix, n - 1) == 0 &&
		    (text[n - 1] == '\0' || (text[n - 1] == '/' && text[n] == '\0'))) {
			*rest = NULL;
			return versions[i];
		}
		if (strncmp(text, versions[i]->prefix, n) == 0) {
			*rest = text + n;
			return versions[i];
		}
	}
	if (strncmp(text, "CVSS:", 5) != 0) {
		fail(error, "not a CVSS vector: it must begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/");
		return NULL;
	}
	gsize len = strcspn(text + 5, "/");
	g_autofree char *version = show(text + 5, len);
	fail(error, "unsupported version %s (CVSS 3.0, 3.1 and 4.0 are accepted)", version);
	return NULL;
}

/* Reads one NAME:VALUE into vals[]. */
static gboolean
read_metric(const Version *v, const char *text, gsize len, const char **vals, GError **error)
{
	const char *colon = memchr(text, ':', len);

	if (len == 0)
		return fail(error, "empty metric (a stray \"/\")");
	if (colon == NULL) {
		g_autofree char *shown = show(text, len);
		return fail(error, "%s is not a metric (expected NAME:VALUE)", shown);
	}

	gsize name_len = (gsize)(colon - text);
	const char *value = colon + 1;
	gsize value_len = len - name_len - 1;
	if (name_len == 0) {
		g_autofree char *shown = show(text, len);
		return fail(error, "%s has no metric name (expected NAME:VALUE)", shown);
	}
	for (guint m = 0; m < v->n_metrics; m++) {
		const Metric *metric = &v->metrics[m];

		if (strlen(metric->name) != name_len || strncmp(metric->name, text, name_len) != 0)
			continue;
		if (vals[m] != NULL)
			return fail(error, "metric %s given twice", metric->name);
		for (int i = 0; i < 6 && metric->values[i] != NULL; i++) {
			if (strlen(metric->values[i]) == value_len &&
			    strncmp(metric->values[i], value, value_len) == 0) {
				vals[m] = metric->values[i];
				return TRUE;
			}
		}
		g_autofree char *shown = show(text, len);
		g_autofree char *allowed = value_list(metric);
		return fail(error, "%s is not a valid value for %s (%s)", shown, metric->name, allowed);
	}

	g_autofree char *name = show(text, name_len);
	for (guint m = 0; m < v->n_metrics; m++)
		if (strlen(v->metrics[m].name) == name_len &&
		    g_ascii_strncasecmp(v->metrics[m].name, text, name_len) == 0)
			return fail(error, "unknown metric %s in CVSS %s (metric names are case-sensitive: %s)",
			            name, v->version, v->metrics[m].name);
	return fail(error, "unknown metric %s in CVSS %s", name, v->version);
}

/* The prefix, then every metric given, in the specification's order;
 * X (Not Defined) is the same as absent and is left out. */
static char *
normalise(const Version *v, const char *const *vals)
{
	GString *s = g_string_new(v->prefix);

	g_string_truncate(s, s->len - 1); /* the prefix's "/" comes before each metric */
	for (guint m = 0; m < v->n_metrics; m++)
		if (vals[m] != NULL && strcmp(vals[m], "X") != 0)
			g_string_append_printf(s, "/%s:%s", v->metrics[m].name, vals[m]);
	return g_string_free(s, FALSE);
}

gboolean
cvss_parse(const char *vector, CvssScore *out, GError **error)
{
	const char *vals[CVSS_MAX_METRICS] = { NULL };
	const char *rest;

	g_return_val_if_fail(out != NULL, FALSE);
	if (vector == NULL)
		return fail(error, "no CVSS vector");
	if (strnlen(vector, CVSS_MAX_INPUT + 1) > CVSS_MAX_INPUT)
		return fail(error, "CVSS vector longer than %d bytes", CVSS_MAX_INPUT);

	g_autofree char *text = g_strstrip(g_strdup(vector));
	if (*text == '\0')
		return fail(error, "empty CVSS vector");
	const Version *v = read_prefix(text, &rest, error);
	if (v == NULL)
		return FALSE;

	/* each metric up to the next "/", to the end */
	while (rest != NULL) {
		const char *slash = strchr(rest, '/');
		gsize len = slash != NULL ? (gsize)(slash - rest) : strlen(rest);

		if (!read_metric(v, rest, len, vals, error))
			return FALSE;
		rest = slash != NULL ? slash + 1 : NULL;
	}
	for (guint m = 0; m < v->n_metrics; m++)
		if (v->metrics[m].base && vals[m] == NULL)
			return fail(error, "missing base metric %s", v->metrics[m].name);

	out->score = v->score(v->rules, vals);
	out->temporal_score = v->temporal != NULL ? v->temporal(v->rules, vals) : out->score;
	out->environmental_score =
		v->environmental != NULL ? v->environmental(v->rules, vals) : out->score;
	out->version = g_strdup(v->version);
	out->vector = normalise(v, vals);
	out->rating = g_strdup(cvss_rating(out->score));
	return TRUE;
}

void
cvss_clear(CvssScore *s)
{
	if (s == NULL)
		return;
	g_clear_pointer(&s->version, g_free);
	g_clear_pointer(&s->vector, g_free);
	g_clear_pointer(&s->rating, g_free);
	s->score = 0.0;
	s->temporal_score = 0.0;
	s->environmental_score = 0.0;
}

const char *
cvss_rating(double score)
{
	/* scores have one decimal, so 3.9 < x < 4.0 does not occur; the
	 * boundaries are taken at the next band's start. NaN is None. */
	if (!(score > 0.0))
		return "None";
	if (score < 4.0)
		return "Low";
	if (score < 7.0)
		return "Medium";
	if (score < 9.0)
		return "High";
	return "Critical";
}
