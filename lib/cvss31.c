/* cvss31.c - CVSS v3.1 for the reader in cvss.c: the two rules in which it
 * differs from 3.0 (FIRST's v3.1 specification, Appendix A's Roundup and
 * section 7.3's scope-changed Modified Impact); everything else is the
 * shared 3.x part, cvss3.c. */
#include "cvss3.h"

/* Appendix A: rounds up to one decimal through an integer, so that a
 * value like 4.000000000000001 (meant as 4.0) is not taken up to 4.1. */
static double
v31_roundup(double input)
{
	long long int_input = (long long)js_round(input * 100000);

	if (int_input % 10000 == 0)
		return int_input / 100000.0;
	return (double)(int_input / 10000 + 1) / 10.0;
}

/* 3.1 changed this formula from 3.0's (the factor 0.9731 and the
 * exponent 13; its section 7.3), so the same vector can score
 * differently: tests/unit/test-cvss.c pins such vectors. */
static double
v31_changed_modified_impact(double miss)
{
	return 7.52 * (miss - 0.029) - 3.25 * cvss3_pow(miss * 0.9731 - 0.02, 13);
}

static const Cvss3Rules v31 = { v31_roundup, v31_changed_modified_impact };

const Version cvss_v31 = { "3.1", "CVSS:3.1/", cvss3_metrics, V3_N, &v31,
	                   cvss3_base, cvss3_temporal, cvss3_environmental };
