/* cvss3.h - private to the CVSS reader's 3.x scorers (cvss30.c, cvss31.c):
 * what CVSS 3.0 and 3.1 share - the metrics, their weights and the shape
 * of the base, temporal and environmental formulas - and the two places
 * where the specifications differ, which each version supplies as its
 * Cvss3Rules. Not part of libembargo's interface. */
#ifndef EMBARGO_CVSS3_H
#define EMBARGO_CVSS3_H

#include "cvss-version.h"

enum {
	V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
	V3_E, V3_RL, V3_RC,
	V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI, V3_MA,
	V3_N
};
G_STATIC_ASSERT(V3_N <= CVSS_MAX_METRICS);

/* The metrics of both versions (3.1 changed none), V3_N of them, in the
 * specifications' order. */
extern const Metric cvss3_metrics[];

typedef struct {
	/* Round up to one decimal, as the version defines Roundup. */
	double (*roundup)(double x);
	/* The environmental Modified Impact when the (modified) scope is
	 * Changed, from the Modified Impact Sub-Score. */
	double (*changed_modified_impact)(double miss);
} Cvss3Rules;

/* The base, temporal and environmental scores of a 3.x vector under the
 * version's rules (a Cvss3Rules); vals[] as Version.score takes it. Each
 * score has one decimal and is computed in the order of FIRST's
 * calculators, so that floating point rounds the same way as there. */
double cvss3_base(const void *rules, const char *const *vals);
double cvss3_temporal(const void *rules, const char *const *vals);
double cvss3_environmental(const void *rules, const char *const *vals);

/* x to the nth, multiplied out so that libembargo needs no -lm. */
double cvss3_pow(double x, int n);

#endif
