/* cvss.h - CVSS scoring: reads a CVSS v3.0, v3.1 or v4.0 vector string,
 * strictly, and gives its normalised form, its scores as FIRST's
 * calculator for that version computes them, and the qualitative rating
 * of its score. */
#ifndef EMBARGO_CVSS_H
#define EMBARGO_CVSS_H

#include <glib.h>

#define CVSS_ERROR (cvss_error_quark())
GQuark cvss_error_quark(void);

/* The only error code: the vector is not one we accept; the message says
 * which metric or value, or what else, is wrong. */
typedef enum {
	CVSS_ERROR_INVALID,
} CvssError;

typedef struct {
	char *version;   /* "3.0", "3.1" or "4.0" */
	char *vector;    /* normalised: the prefix and the base metrics in the specification's order (for 3.x: CVSS:3.x/AV:../AC:../PR:../UI:../S:../C:../I:../A:..; for 4.0: CVSS:4.0/AV/AC/AT/PR/UI/VC/VI/VA/SC/SI/SA), plus any valid temporal/environmental/supplemental metrics the input had, in spec order */
	double score;    /* base score, one decimal (for 4.0: the CVSS-B/BT/BE/BTE score the vector's metrics give, as FIRST's calculator computes it) */
	char *rating;    /* of score: "None" "Low" "Medium" "High" "Critical" */
	/* 3.x: the temporal and environmental scores (equal to score when the
	 * vector has no such metrics), each by the version's own formula and
	 * Roundup; 4.0: both equal to score, which takes every metric in */
	double temporal_score;
	double environmental_score;
} CvssScore;

/* Fills *out (its old contents are not freed) and returns TRUE, or returns
 * FALSE with a message naming the bad metric or value, or what else is
 * wrong, and leaves *out as it was. Free a filled *out with cvss_clear().
 * The message quotes the input escaped and cut short, never raw. */
gboolean cvss_parse(const char *vector, CvssScore *out, GError **error);
void cvss_clear(CvssScore *s);
/* The qualitative severity rating scale: 0.0 None, 0.1-3.9 Low,
 * 4.0-6.9 Medium, 7.0-8.9 High, 9.0-10.0 Critical. */
const char *cvss_rating(double score);

/* g_auto(CvssScore) s = { 0 }; clears it when it goes out of scope. */
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(CvssScore, cvss_clear)

#endif
