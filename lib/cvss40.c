/* cvss40.c - the CVSS v4.0 metrics and score exactly as FIRST's calculator
 * computes it (github.com/FIRSTdotorg/cvss-v4-calculator, which comes from
 * Red Hat's cvss-v4-calculator: the macrovector lookup table of
 * cvss_lookup.js, max_composed.js, max_severity.js, and cvss_score.js's
 * interpolation towards the next lower macrovector, cvss40.js in Red Hat's
 * newer layout), for the reader in cvss.c.
 *
 * Floating point: the 4.0 score repeats the calculator's operations in the
 * calculator's order on IEEE doubles, as JavaScript computes, so a score on
 * a rounding boundary rounds the same way here as there. That matters: for
 * 522 of the 104,976 base vectors (and their kin with threat and
 * environmental metrics) the exact score is a tie like 8.55 that doubles
 * carry as 8.549999999999999. FIRST's calculator (FIRSTdotorg's
 * cvss-v4-calculator, and the reference scores FIRST publishes with it)
 * rounds those down, and so do we. Red Hat's upstream of that calculator
 * added 1e-6 before rounding in November 2024 (cvss-v4-calculator PR #67)
 * and rounds them up; FIRST has not taken that change. To follow it, round
 * value + 1e-6 in v4_score(); tests/unit/test-cvss.c pins one such vector.
 * No libm is used (Math.pow and Math.round are written out), so libembargo
 * needs no -lm. */
#include "cvss-version.h"

#include <string.h>

enum {
	V4_AV, V4_AC, V4_AT, V4_PR, V4_UI, V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA,
	V4_E,
	V4_CR, V4_IR, V4_AR, V4_MAV, V4_MAC, V4_MAT, V4_MPR, V4_MUI,
	V4_MVC, V4_MVI, V4_MVA, V4_MSC, V4_MSI, V4_MSA,
	V4_S, V4_AU, V4_R, V4_V, V4_RE, V4_U,
	V4_N
};

/* The specification's order (base, threat, environmental, supplemental)
 * and the calculator's values. */
static const Metric v4_metrics[] = {
	[V4_AV] = { "AV", { "N", "A", "L", "P" }, TRUE },
	[V4_AC] = { "AC", { "L", "H" }, TRUE },
	[V4_AT] = { "AT", { "N", "P" }, TRUE },
	[V4_PR] = { "PR", { "N", "L", "H" }, TRUE },
	[V4_UI] = { "UI", { "N", "P", "A" }, TRUE },
	[V4_VC] = { "VC", { "H", "L", "N" }, TRUE },
	[V4_VI] = { "VI", { "H", "L", "N" }, TRUE },
	[V4_VA] = { "VA", { "H", "L", "N" }, TRUE },
	[V4_SC] = { "SC", { "H", "L", "N" }, TRUE },
	[V4_SI] = { "SI", { "H", "L", "N" }, TRUE },
	[V4_SA] = { "SA", { "H", "L", "N" }, TRUE },
	[V4_E] = { "E", { "X", "A", "P", "U" }, FALSE },
	[V4_CR] = { "CR", { "X", "H", "M", "L" }, FALSE },
	[V4_IR] = { "IR", { "X", "H", "M", "L" }, FALSE },
	[V4_AR] = { "AR", { "X", "H", "M", "L" }, FALSE },
	[V4_MAV] = { "MAV", { "X", "N", "A", "L", "P" }, FALSE },
	[V4_MAC] = { "MAC", { "X", "L", "H" }, FALSE },
	[V4_MAT] = { "MAT", { "X", "N", "P" }, FALSE },
	[V4_MPR] = { "MPR", { "X", "N", "L", "H" }, FALSE },
	[V4_MUI] = { "MUI", { "X", "N", "P", "A" }, FALSE },
	[V4_MVC] = { "MVC", { "X", "H", "L", "N" }, FALSE },
	[V4_MVI] = { "MVI", { "X", "H", "L", "N" }, FALSE },
	[V4_MVA] = { "MVA", { "X", "H", "L", "N" }, FALSE },
	[V4_MSC] = { "MSC", { "X", "H", "L", "N" }, FALSE },
	[V4_MSI] = { "MSI", { "X", "S", "H", "L", "N" }, FALSE },
	[V4_MSA] = { "MSA", { "X", "S", "H", "L", "N" }, FALSE },
	[V4_S] = { "S", { "X", "N", "P" }, FALSE },
	[V4_AU] = { "AU", { "X", "N", "Y" }, FALSE },
	[V4_R] = { "R", { "X", "A", "U", "I" }, FALSE },
	[V4_V] = { "V", { "X", "D", "C" }, FALSE },
	[V4_RE] = { "RE", { "X", "L", "M", "H" }, FALSE },
	[V4_U] = { "U", { "X", "Clear", "Green", "Amber", "Red" }, FALSE },
};
G_STATIC_ASSERT(G_N_ELEMENTS(v4_metrics) == V4_N);

/* cvss_lookup.js: the score of the highest-severity vector of each
 * macrovector (EQ1..EQ6), as FIRST's experts ranked them. Copied as the
 * calculator has it; 270 entries. */
static const struct {
	char mv[7];
	double score;
} v4_lookup[] = {
	{ "000000", 10 }, { "000001", 9.9 }, { "000010", 9.8 }, { "000011", 9.5 },
	{ "000020", 9.5 }, { "000021", 9.2 }, { "000100", 10 }, { "000101", 9.6 },
	{ "000110", 9.3 }, { "000111", 8.7 }, { "000120", 9.1 }, { "000121", 8.1 },
	{ "000200", 9.3 }, { "000201", 9 }, { "000210", 8.9 }, { "000211", 8 },
	{ "000220", 8.1 }, { "000221", 6.8 }, { "001000", 9.8 }, { "001001", 9.5 },
	{ "001010", 9.5 }, { "001011", 9.2 }, { "001020", 9 }, { "001021", 8.4 },
	{ "001100", 9.3 }, { "001101", 9.2 }, { "001110", 8.9 }, { "001111", 8.1 },
	{ "001120", 8.1 }, { "001121", 6.5 }, { "001200", 8.8 }, { "001201", 8 },
	{ "001210", 7.8 }, { "001211", 7 }, { "001220", 6.9 }, { "001221", 4.8 },
	{ "002001", 9.2 }, { "002011", 8.2 }, { "002021", 7.2 }, { "002101", 7.9 },
	{ "002111", 6.9 }, { "002121", 5 }, { "002201", 6.9 }, { "002211", 5.5 },
	{ "002221", 2.7 }, { "010000", 9.9 }, { "010001", 9.7 }, { "010010", 9.5 },
	{ "010011", 9.2 }, { "010020", 9.2 }, { "010021", 8.5 }, { "010100", 9.5 },
	{ "010101", 9.1 }, { "010110", 9 }, { "010111", 8.3 }, { "010120", 8.4 },
	{ "010121", 7.1 }, { "010200", 9.2 }, { "010201", 8.1 }, { "010210", 8.2 },
	{ "010211", 7.1 }, { "010220", 7.2 }, { "010221", 5.3 }, { "011000", 9.5 },
	{ "011001", 9.3 }, { "011010", 9.2 }, { "011011", 8.5 }, { "011020", 8.5 },
	{ "011021", 7.3 }, { "011100", 9.2 }, { "011101", 8.2 }, { "011110", 8 },
	{ "011111", 7.2 }, { "011120", 7 }, { "011121", 5.9 }, { "011200", 8.4 },
	{ "011201", 7 }, { "011210", 7.1 }, { "011211", 5.2 }, { "011220", 5 },
	{ "011221", 3 }, { "012001", 8.6 }, { "012011", 7.5 }, { "012021", 5.2 },
	{ "012101", 7.1 }, { "012111", 5.2 }, { "012121", 2.9 }, { "012201", 6.3 },
	{ "012211", 2.9 }, { "012221", 1.7 }, { "100000", 9.8 }, { "100001", 9.5 },
	{ "100010", 9.4 }, { "100011", 8.7 }, { "100020", 9.1 }, { "100021", 8.1 },
	{ "100100", 9.4 }, { "100101", 8.9 }, { "100110", 8.6 }, { "100111", 7.4 },
	{ "100120", 7.7 }, { "100121", 6.4 }, { "100200", 8.7 }, { "100201", 7.5 },
	{ "100210", 7.4 }, { "100211", 6.3 }, { "100220", 6.3 }, { "100221", 4.9 },
	{ "101000", 9.4 }, { "101001", 8.9 }, { "101010", 8.8 }, { "101011", 7.7 },
	{ "101020", 7.6 }, { "101021", 6.7 }, { "101100", 8.6 }, { "101101", 7.6 },
	{ "101110", 7.4 }, { "101111", 5.8 }, { "101120", 5.9 }, { "101121", 5 },
	{ "101200", 7.2 }, { "101201", 5.7 }, { "101210", 5.7 }, { "101211", 5.2 },
	{ "101220", 5.2 }, { "101221", 2.5 }, { "102001", 8.3 }, { "102011", 7 },
	{ "102021", 5.4 }, { "102101", 6.5 }, { "102111", 5.8 }, { "102121", 2.6 },
	{ "102201", 5.3 }, { "102211", 2.1 }, { "102221", 1.3 }, { "110000", 9.5 },
	{ "110001", 9 }, { "110010", 8.8 }, { "110011", 7.6 }, { "110020", 7.6 },
	{ "110021", 7 }, { "110100", 9 }, { "110101", 7.7 }, { "110110", 7.5 },
	{ "110111", 6.2 }, { "110120", 6.1 }, { "110121", 5.3 }, { "110200", 7.7 },
	{ "110201", 6.6 }, { "110210", 6.8 }, { "110211", 5.9 }, { "110220", 5.2 },
	{ "110221", 3 }, { "111000", 8.9 }, { "111001", 7.8 }, { "111010", 7.6 },
	{ "111011", 6.7 }, { "111020", 6.2 }, { "111021", 5.8 }, { "111100", 7.4 },
	{ "111101", 5.9 }, { "111110", 5.7 }, { "111111", 5.7 }, { "111120", 4.7 },
	{ "111121", 2.3 }, { "111200", 6.1 }, { "111201", 5.2 }, { "111210", 5.7 },
	{ "111211", 2.9 }, { "111220", 2.4 }, { "111221", 1.6 }, { "112001", 7.1 },
	{ "112011", 5.9 }, { "112021", 3 }, { "112101", 5.8 }, { "112111", 2.6 },
	{ "112121", 1.5 }, { "112201", 2.3 }, { "112211", 1.3 }, { "112221", 0.6 },
	{ "200000", 9.3 }, { "200001", 8.7 }, { "200010", 8.6 }, { "200011", 7.2 },
	{ "200020", 7.5 }, { "200021", 5.8 }, { "200100", 8.6 }, { "200101", 7.4 },
	{ "200110", 7.4 }, { "200111", 6.1 }, { "200120", 5.6 }, { "200121", 3.4 },
	{ "200200", 7 }, { "200201", 5.4 }, { "200210", 5.2 }, { "200211", 4 },
	{ "200220", 4 }, { "200221", 2.2 }, { "201000", 8.5 }, { "201001", 7.5 },
	{ "201010", 7.4 }, { "201011", 5.5 }, { "201020", 6.2 }, { "201021", 5.1 },
	{ "201100", 7.2 }, { "201101", 5.7 }, { "201110", 5.5 }, { "201111", 4.1 },
	{ "201120", 4.6 }, { "201121", 1.9 }, { "201200", 5.3 }, { "201201", 3.6 },
	{ "201210", 3.4 }, { "201211", 1.9 }, { "201220", 1.9 }, { "201221", 0.8 },
	{ "202001", 6.4 }, { "202011", 5.1 }, { "202021", 2 }, { "202101", 4.7 },
	{ "202111", 2.1 }, { "202121", 1.1 }, { "202201", 2.4 }, { "202211", 0.9 },
	{ "202221", 0.4 }, { "210000", 8.8 }, { "210001", 7.5 }, { "210010", 7.3 },
	{ "210011", 5.3 }, { "210020", 6 }, { "210021", 5 }, { "210100", 7.3 },
	{ "210101", 5.5 }, { "210110", 5.9 }, { "210111", 4 }, { "210120", 4.1 },
	{ "210121", 2 }, { "210200", 5.4 }, { "210201", 4.3 }, { "210210", 4.5 },
	{ "210211", 2.2 }, { "210220", 2 }, { "210221", 1.1 }, { "211000", 7.5 },
	{ "211001", 5.5 }, { "211010", 5.8 }, { "211011", 4.5 }, { "211020", 4 },
	{ "211021", 2.1 }, { "211100", 6.1 }, { "211101", 5.1 }, { "211110", 4.8 },
	{ "211111", 1.8 }, { "211120", 2 }, { "211121", 0.9 }, { "211200", 4.6 },
	{ "211201", 1.8 }, { "211210", 1.7 }, { "211211", 0.7 }, { "211220", 0.8 },
	{ "211221", 0.2 }, { "212001", 5.3 }, { "212011", 2.4 }, { "212021", 1.4 },
	{ "212101", 2.4 }, { "212111", 1.2 }, { "212121", 0.5 }, { "212201", 1 },
	{ "212211", 0.3 }, { "212221", 0.1 },
};
G_STATIC_ASSERT(G_N_ELEMENTS(v4_lookup) == 270);

/* The lookup table's score for macrovector eq[0..5], FALSE when the table
 * has none (the calculator's undefined, which turns a distance into NaN).
 * An eq that stepped past its last level has no entry either. */
static gboolean
v4_lookup_score(const int eq[6], double *score)
{
	char mv[7];

	for (int i = 0; i < 6; i++) {
		if (eq[i] < 0 || eq[i] > 9)
			return FALSE;
		mv[i] = (char)('0' + eq[i]);
	}
	mv[6] = '\0';
	for (gsize i = 0; i < G_N_ELEMENTS(v4_lookup); i++) {
		if (strcmp(v4_lookup[i].mv, mv) == 0) {
			*score = v4_lookup[i].score;
			return TRUE;
		}
	}
	return FALSE;
}

/* The calculator's getEffectiveMetricValue(): an environmental Modified
 * metric, when given and not X, replaces its base metric; E and the
 * security requirements, when not given, take their worst case (E:A,
 * CR/IR/AR:H). */
static char
v4_eff(const char *const *vals, int m)
{
	static const int modified[] = {
		[V4_AV] = V4_MAV, [V4_AC] = V4_MAC, [V4_AT] = V4_MAT, [V4_PR] = V4_MPR,
		[V4_UI] = V4_MUI, [V4_VC] = V4_MVC, [V4_VI] = V4_MVI, [V4_VA] = V4_MVA,
		[V4_SC] = V4_MSC, [V4_SI] = V4_MSI, [V4_SA] = V4_MSA,
	};
	char v = val(vals, m);

	if (m == V4_E)
		return v == 'X' ? 'A' : v;
	if (m == V4_CR || m == V4_IR || m == V4_AR)
		return v == 'X' ? 'H' : v;
	if (m <= V4_SA && val(vals, modified[m]) != 'X')
		return val(vals, modified[m]);
	return v;
}

/* The calculator's equivalentClasses: the macrovector, as six levels. */
static void
v4_macrovector(const char *const *vals, int eq[6])
{
	char av = v4_eff(vals, V4_AV), pr = v4_eff(vals, V4_PR), ui = v4_eff(vals, V4_UI);
	char ac = v4_eff(vals, V4_AC), at = v4_eff(vals, V4_AT);
	char vc = v4_eff(vals, V4_VC), vi = v4_eff(vals, V4_VI), va = v4_eff(vals, V4_VA);
	char sc = v4_eff(vals, V4_SC), si = v4_eff(vals, V4_SI), sa = v4_eff(vals, V4_SA);
	char e = v4_eff(vals, V4_E);
	char cr = v4_eff(vals, V4_CR), ir = v4_eff(vals, V4_IR), ar = v4_eff(vals, V4_AR);

	/* EQ1: 0 AV:N and PR:N and UI:N; 1 one of them N, not AV:P; 2 otherwise */
	if (av == 'N' && pr == 'N' && ui == 'N')
		eq[0] = 0;
	else if ((av == 'N' || pr == 'N' || ui == 'N') && av != 'P')
		eq[0] = 1;
	else
		eq[0] = 2;
	/* EQ2: 0 AC:L and AT:N; 1 otherwise */
	eq[1] = ac == 'L' && at == 'N' ? 0 : 1;
	/* EQ3: 0 VC:H and VI:H; 1 one of VC, VI, VA H; 2 none */
	if (vc == 'H' && vi == 'H')
		eq[2] = 0;
	else if (vc == 'H' || vi == 'H' || va == 'H')
		eq[2] = 1;
	else
		eq[2] = 2;
	/* EQ4: 0 MSI:S or MSA:S (only they reach S); 1 one of SC, SI, SA H; 2 none */
	if (si == 'S' || sa == 'S')
		eq[3] = 0;
	else if (sc == 'H' || si == 'H' || sa == 'H')
		eq[3] = 1;
	else
		eq[3] = 2;
	/* EQ5: E:A 0, E:P 1, E:U 2 */
	eq[4] = e == 'A' ? 0 : e == 'P' ? 1 : 2;
	/* EQ6: 0 a high requirement on a high impact; 1 otherwise */
	eq[5] = (cr == 'H' && vc == 'H') || (ir == 'H' && vi == 'H') || (ar == 'H' && va == 'H') ? 0 : 1;
}

/* The calculator's METRIC_LEVELS: how far below the highest value a value
 * is, in steps of 0.1. Exactly the calculator's doubles, so the sums below
 * carry the same rounding. E is left out: its distance to the highest
 * vector of its own macrovector is always 0. */
static double
v4_level(int m, char v)
{
	switch (m) {
	case V4_AV:
		return v == 'N' ? 0.0 : v == 'A' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	case V4_PR:
		return v == 'N' ? 0.0 : v == 'L' ? 0.1 : 0.2;
	case V4_UI:
		return v == 'N' ? 0.0 : v == 'P' ? 0.1 : 0.2;
	case V4_AC:
		return v == 'L' ? 0.0 : 0.1;
	case V4_AT:
		return v == 'N' ? 0.0 : 0.1;
	case V4_VC:
	case V4_VI:
	case V4_VA:
		return v == 'H' ? 0.0 : v == 'L' ? 0.1 : 0.2;
	case V4_SC:
		return v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	case V4_SI:
	case V4_SA:
		return v == 'S' ? 0.0 : v == 'H' ? 0.1 : v == 'L' ? 0.2 : 0.3;
	default: /* CR, IR, AR */
		return v == 'H' ? 0.0 : v == 'M' ? 0.1 : 0.2;
	}
}

/* max_composed.js: the highest-severity vectors of each EQ level, in the
 * calculator's order (the first that dominates the scored vector is used).
 * Each string gives the values of the metrics in max_metrics[] below. */
static const char *const v4_max_eq1[3][4] = { /* AV PR UI */
	{ "NNN" }, { "ANN", "NLN", "NNP" }, { "PNN", "ALP" },
};
static const char *const v4_max_eq2[2][3] = { /* AC AT */
	{ "LN" }, { "HN", "LP" },
};
static const char *const v4_max_eq3eq6[3][2][6] = { /* VC VI VA CR IR AR */
	{ { "HHHHHH" }, { "HHLMMH", "HHHMMM" } },
	{ { "LHHHHH", "HLHHHH" }, { "LHLHMH", "LHHHMM", "HLHMHM", "HLLMHH", "LLHHHM" } },
	{ { NULL }, { "LLLHHH" } },
};
static const char *const v4_max_eq4[3][2] = { /* SC SI SA */
	{ "HSS" }, { "HHH" }, { "LLL" },
};

/* max_severity.js: the depth of each EQ level, in steps of 0.1. */
static const int v4_depth_eq1[3] = { 1, 4, 5 };
static const int v4_depth_eq2[2] = { 1, 2 };
static const int v4_depth_eq3eq6[3][2] = { { 7, 6 }, { 8, 8 }, { 0, 10 } };
static const int v4_depth_eq4[3] = { 6, 5, 4 };

/* The metrics of a composed highest vector, in the order of its string:
 * EQ1's, EQ2's, EQ3+EQ6's, EQ4's. */
enum { D_AV, D_PR, D_UI, D_AC, D_AT, D_VC, D_VI, D_VA, D_CR, D_IR, D_AR, D_SC, D_SI, D_SA, D_N };
static const int max_metrics[D_N] = {
	V4_AV, V4_PR, V4_UI, V4_AC, V4_AT, V4_VC, V4_VI, V4_VA, V4_CR, V4_IR, V4_AR, V4_SC, V4_SI, V4_SA,
};

/* The scored vector's distance, metric by metric, from one highest vector
 * (given as the concatenated values of max_metrics[]); TRUE when no
 * distance is negative, i.e. that highest vector dominates it. */
static gboolean
v4_distances(const char *const *vals, const char *max, double d[D_N])
{
	gboolean dominated = TRUE;

	for (int i = 0; i < D_N; i++) {
		d[i] = v4_level(max_metrics[i], v4_eff(vals, max_metrics[i])) - v4_level(max_metrics[i], max[i]);
		if (d[i] < 0)
			dominated = FALSE;
	}
	return dominated;
}

/* Finds the severity distances from the first composed highest vector
 * that dominates the scored one, trying them in the calculator's nested
 * order; when none does, the calculator keeps the last one tried, and so
 * do we. */
static void
v4_severity_distances(const char *const *vals, const int eq[6], double d[D_N])
{
	const char *const *m1 = v4_max_eq1[eq[0]], *const *m2 = v4_max_eq2[eq[1]];
	const char *const *m36 = v4_max_eq3eq6[eq[2]][eq[5]], *const *m4 = v4_max_eq4[eq[3]];

	for (int a = 0; a < 4 && m1[a] != NULL; a++)
		for (int b = 0; b < 3 && m2[b] != NULL; b++)
			for (int c = 0; c < 6 && m36[c] != NULL; c++)
				for (int e = 0; e < 2 && m4[e] != NULL; e++) {
					char max[D_N + 1];

					g_snprintf(max, sizeof max, "%s%s%s%s", m1[a], m2[b], m36[c], m4[e]);
					if (v4_distances(vals, max, d))
						return;
				}
}

/* One EQ's share of the interpolation: the available distance to the next
 * lower macrovector (none when it does not exist, the calculator's NaN),
 * times the proportion of that EQ's depth the scored vector lies below its
 * highest vector. */
static void
v4_step(double value, gboolean lower_exists, double lower, double distance, double depth,
        double *sum, int *n)
{
	if (!lower_exists)
		return;
	*n += 1;
	*sum += (value - lower) * (distance / depth);
}

/* The calculator's calculateScore(). */
static double
v4_score(const void *rules, const char *const *vals)
{
	static const int impacts[] = { V4_VC, V4_VI, V4_VA, V4_SC, V4_SI, V4_SA };
	const double step = 0.1;
	int eq[6], next[6];
	double value, d[D_N], lower[5] = { 0 }, normalized[5] = { 0 };
	gboolean exists[5];
	int n = 0;

	(void)rules; /* 4.0 has one set of rules */

	/* no impact on any system: 0, whatever else */
	gboolean none = TRUE;
	for (gsize i = 0; i < G_N_ELEMENTS(impacts); i++)
		if (v4_eff(vals, impacts[i]) != 'N')
			none = FALSE;
	if (none)
		return 0.0;

	v4_macrovector(vals, eq);
	if (!v4_lookup_score(eq, &value))
		g_return_val_if_reached(0.0); /* every reachable macrovector has an entry */

	/* the next lower macrovector of each EQ, and its score if it exists */
	memcpy(next, eq, sizeof next);
	next[0]++;
	exists[0] = v4_lookup_score(next, &lower[0]);
	memcpy(next, eq, sizeof next);
	next[1]++;
	exists[1] = v4_lookup_score(next, &lower[1]);
	/* EQ3 and EQ6 move together: 00 has two lower neighbours, 01 and 10,
	 * and the higher scoring one counts (Math.max, NaN if either is
	 * missing); 01 and 11 go to 11 and 21; 10 goes to 11; 21 to nothing */
	memcpy(next, eq, sizeof next);
	if (eq[2] == 0 && eq[5] == 0) {
		double left, right;
		int l[6], r[6];

		memcpy(l, eq, sizeof l);
		memcpy(r, eq, sizeof r);
		l[5]++;
		r[2]++;
		exists[2] = v4_lookup_score(l, &left) && v4_lookup_score(r, &right);
		if (exists[2])
			lower[2] = MAX(left, right);
	} else {
		if (eq[2] == 1 && eq[5] == 0)
			next[5]++;
		else if (eq[2] == 2)
			next[2]++, next[5]++;
		else
			next[2]++;
		exists[2] = v4_lookup_score(next, &lower[2]);
	}
	memcpy(next, eq, sizeof next);
	next[3]++;
	exists[3] = v4_lookup_score(next, &lower[3]);
	memcpy(next, eq, sizeof next);
	next[4]++;
	exists[4] = v4_lookup_score(next, &lower[4]);

	v4_severity_distances(vals, eq, d);

	/* The calculator's variables, same operations, same order. EQ5's
	 * proportion is always 0: E only moves between macrovectors. */
	double eq1_dist = d[D_AV] + d[D_PR] + d[D_UI];
	double eq2_dist = d[D_AC] + d[D_AT];
	double eq3eq6_dist = d[D_VC] + d[D_VI] + d[D_VA] + d[D_CR] + d[D_IR] + d[D_AR];
	double eq4_dist = d[D_SC] + d[D_SI] + d[D_SA];
	double sum;

	v4_step(value, exists[0], lower[0], eq1_dist, v4_depth_eq1[eq[0]] * step, &normalized[0], &n);
	v4_step(value, exists[1], lower[1], eq2_dist, v4_depth_eq2[eq[1]] * step, &normalized[1], &n);
	v4_step(value, exists[2], lower[2], eq3eq6_dist, v4_depth_eq3eq6[eq[2]][eq[5]] * step,
	        &normalized[2], &n);
	v4_step(value, exists[3], lower[3], eq4_dist, v4_depth_eq4[eq[3]] * step, &normalized[3], &n);
	if (exists[4]) {
		n++;
		normalized[4] = (value - lower[4]) * 0;
	}
	sum = normalized[0] + normalized[1] + normalized[2] + normalized[3] + normalized[4];
	value -= n == 0 ? 0 : sum / n;
	value = MAX(0, MIN(10, value));
	return js_round(value * 10) / 10; /* Math.round(value * 10) / 10, no epsilon: see the top */
}

const Version cvss_v40 = { "4.0", "CVSS:4.0/", v4_metrics, V4_N, NULL, v4_score, NULL, NULL };
G_STATIC_ASSERT(V4_N <= CVSS_MAX_METRICS);
