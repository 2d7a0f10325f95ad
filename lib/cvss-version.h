/* cvss-version.h - private to the CVSS reader (cvss.c) and its scorers
 * (cvss30.c, cvss31.c, cvss40.c): what one CVSS version is to the reader (its prefix,
 * its metrics and values in the specification's order, its score), and the
 * rounding both versions share. Not part of libembargo's interface. */
#ifndef EMBARGO_CVSS_VERSION_H
#define EMBARGO_CVSS_VERSION_H

#include <glib.h>

/* The most metrics a version has (4.0's 32): the reader's vals[] size. */
#define CVSS_MAX_METRICS 32

typedef struct {
	const char *name;
	const char *values[6]; /* in the specification's order, NULL-terminated */
	gboolean base;         /* mandatory */
} Metric;

typedef struct Version Version;
struct Version {
	const char *version;
	const char *prefix;
	const Metric *metrics;
	guint n_metrics;
	/* what the scorers need to know of the version (3.x: its Cvss3Rules),
	 * passed to them as rules */
	const void *rules;
	/* vals[i] is metrics[i]'s value, one of its values[] strings, or NULL */
	double (*score)(const void *rules, const char *const *vals);
	/* 3.x's temporal and environmental scores; NULL where the version has
	 * one score only (4.0: score already takes every metric in) */
	double (*temporal)(const void *rules, const char *const *vals);
	double (*environmental)(const void *rules, const char *const *vals);
};

/* The versions the reader accepts, in cvss30.c, cvss31.c and cvss40.c. */
extern const Version cvss_v30;
extern const Version cvss_v31;
extern const Version cvss_v40;

/* A metric's value as one character, 'X' when not given: every value that
 * takes part in scoring is one letter. */
static inline char
val(const char *const *vals, int m)
{
	return vals[m] != NULL ? vals[m][0] : 'X';
}

/* JavaScript's Math.round, which both FIRST calculators use, for x >= 0:
 * the nearest integer, halves up. x - trunc(x) is exact, so this is right
 * even where x + 0.5 would itself round up. */
static inline double
js_round(double x)
{
	double r = (double)(long long)x;

	return x - r >= 0.5 ? r + 1 : r;
}

#endif
