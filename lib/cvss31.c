/* cvss31.c - the CVSS v3.1 metrics and base formula (FIRST's v3.1
 * specification, section 7.1 and Appendix A), for the reader in cvss.c.
 *
 * CVSS 3.0 vectors are refused by the reader, not scored with this formula:
 * 3.0 rounds up differently (3.1's Appendix A replaced it to avoid floating
 * point errors), so a "3.0" score from here could differ from the one the
 * reporter's 3.0 calculator showed. */
#include "cvss-version.h"

enum {
	V3_AV, V3_AC, V3_PR, V3_UI, V3_S, V3_C, V3_I, V3_A,
	V3_E, V3_RL, V3_RC,
	V3_CR, V3_IR, V3_AR, V3_MAV, V3_MAC, V3_MPR, V3_MUI, V3_MS, V3_MC, V3_MI, V3_MA,
	V3_N
};

/* Table 15 of the v3.1 specification, in its order. */
static const Metric v3_metrics[] = {
	[V3_AV] = { "AV", { "N", "A", "L", "P" }, TRUE },
	[V3_AC] = { "AC", { "L", "H" }, TRUE },
	[V3_PR] = { "PR", { "N", "L", "H" }, TRUE },
	[V3_UI] = { "UI", { "N", "R" }, TRUE },
	[V3_S] = { "S", { "U", "C" }, TRUE },
	[V3_C] = { "C", { "H", "L", "N" }, TRUE },
	[V3_I] = { "I", { "H", "L", "N" }, TRUE },
	[V3_A] = { "A", { "H", "L", "N" }, TRUE },
	[V3_E] = { "E", { "X", "H", "F", "P", "U" }, FALSE },
	[V3_RL] = { "RL", { "X", "U", "W", "T", "O" }, FALSE },
	[V3_RC] = { "RC", { "X", "C", "R", "U" }, FALSE },
	[V3_CR] = { "CR", { "X", "H", "M", "L" }, FALSE },
	[V3_IR] = { "IR", { "X", "H", "M", "L" }, FALSE },
	[V3_AR] = { "AR", { "X", "H", "M", "L" }, FALSE },
	[V3_MAV] = { "MAV", { "X", "N", "A", "L", "P" }, FALSE },
	[V3_MAC] = { "MAC", { "X", "L", "H" }, FALSE },
	[V3_MPR] = { "MPR", { "X", "N", "L", "H" }, FALSE },
	[V3_MUI] = { "MUI", { "X", "N", "R" }, FALSE },
	[V3_MS] = { "MS", { "X", "U", "C" }, FALSE },
	[V3_MC] = { "MC", { "X", "H", "L", "N" }, FALSE },
	[V3_MI] = { "MI", { "X", "H", "L", "N" }, FALSE },
	[V3_MA] = { "MA", { "X", "H", "L", "N" }, FALSE },
};
G_STATIC_ASSERT(G_N_ELEMENTS(v3_metrics) == V3_N);

/* Appendix A: rounds up to one decimal through an integer, so that a
 * value like 4.000000000000001 (meant as 4.0) is not taken up to 4.1. */
static double
v3_roundup(double input)
{
	long long int_input = (long long)js_round(input * 100000);

	if (int_input % 10000 == 0)
		return int_input / 100000.0;
	return (double)(int_input / 10000 + 1) / 10.0;
}

/* x to the 15th, for the scope-changed impact; written out rather than
 * taken from libm's pow() so the library needs no -lm. */
static double
pow15(double x)
{
	double r = 1.0;

	for (int i = 0; i < 15; i++)
		r *= x;
	return r;
}

/* The weights of section 7.4. */
static double
v3_cia(char v)
{
	return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}

static double
v3_av(char v)
{
	return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
}

/* Privileges Required weighs more when the scope changes. */
static double
v3_pr(char v, gboolean changed)
{
	if (v == 'N')
		return 0.85;
	if (v == 'L')
		return changed ? 0.68 : 0.62;
	return changed ? 0.5 : 0.27;
}

/* Section 7.1, the base score. Temporal and environmental metrics are
 * validated by the parser but do not enter it. */
static double
v3_score(const char *const *vals)
{
	gboolean changed = val(vals, V3_S) == 'C';
	double iss = 1 - ((1 - v3_cia(val(vals, V3_C))) * (1 - v3_cia(val(vals, V3_I))) *
	                  (1 - v3_cia(val(vals, V3_A))));
	double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow15(iss - 0.02) : 6.42 * iss;
	double exploitability = 8.22 * v3_av(val(vals, V3_AV)) * (val(vals, V3_AC) == 'L' ? 0.77 : 0.44) *
	                        v3_pr(val(vals, V3_PR), changed) * (val(vals, V3_UI) == 'N' ? 0.85 : 0.62);

	if (impact <= 0)
		return 0.0;
	if (changed)
		return v3_roundup(MIN(1.08 * (impact + exploitability), 10));
	return v3_roundup(MIN(impact + exploitability, 10));
}

const Version cvss_v31 = { "3.1", "CVSS:3.1/", v3_metrics, V3_N, v3_score };
G_STATIC_ASSERT(V3_N <= CVSS_MAX_METRICS);
