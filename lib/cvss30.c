/* cvss30.c - CVSS v3.0 for the reader in cvss.c: the two rules in which it
 * differs from 3.1 (FIRST's v3.0 specification, section 8.1's Roundup and
 * section 8.3's scope-changed Modified Impact); everything else is the
 * shared 3.x part, cvss3.c.
 *
 * 3.0 scores are what FIRST's 3.0 calculator (cvsscalc30.js) shows, floating
 * point included: its Roundup is Math.ceil(x * 10) / 10 on the double, so
 * where the exact value is a whole tenth but the double lies just above it
 * (1 - 0.58 is 0.42000000000000004), 3.0 goes up a tenth where 3.1's
 * Appendix A Roundup does not. That is the score a reporter's 3.0
 * calculator gave, so it is the one we keep. */
#include "cvss3.h"

/* Section 8.1 of 3.0: the smallest number, to one decimal, equal to or
 * higher than the input - on doubles, as the calculator computes it.
 * ceil() is written out so that libembargo needs no -lm; scores lie in
 * [0, 10.8], where the cast is exact. */
static double
v30_roundup(double input)
{
	double tenths = input * 10;
	double whole = (double)(long long)tenths;

	return (tenths > whole ? whole + 1 : whole) / 10;
}

static double
v30_changed_modified_impact(double miss)
{
	return 7.52 * (miss - 0.029) - 3.25 * cvss3_pow(miss - 0.02, 15);
}

static const Cvss3Rules v30 = { v30_roundup, v30_changed_modified_impact };

const Version cvss_v30 = { "3.0", "CVSS:3.0/", cvss3_metrics, V3_N, &v30,
	                   cvss3_base, cvss3_temporal, cvss3_environmental };
