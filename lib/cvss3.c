/* cvss3.c - what CVSS 3.0 and 3.1 share (cvss3.h): the metric table,
 * the weights of the specifications' section 7.4 (8.4 in 3.0), and the
 * base, temporal and environmental formulas (7.1-7.3; 8.1-8.3), written
 * once with the version's Roundup and scope-changed Modified Impact
 * passed in. The operations follow FIRST's calculators (cvsscalc30.js,
 * cvsscalc31.js) in their order, so the doubles are the same as there;
 * only Math.pow is multiplied out (cvss3_pow), which changed no score of
 * every base x temporal vector, nor of 600,000 random full vectors, when
 * compared with the calculators themselves. */
#include "cvss3.h"

/* Table 15 of the v3.1 specification (Table 12 of 3.0), in its order. */
const Metric cvss3_metrics[] = {
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
G_STATIC_ASSERT(G_N_ELEMENTS(cvss3_metrics) == V3_N);

double
cvss3_pow(double x, int n)
{
	double r = 1.0;

	for (int i = 0; i < n; i++)
		r *= x;
	return r;
}

/* The weights. */
static double
w_cia(char v)
{
	return v == 'H' ? 0.56 : v == 'L' ? 0.22 : 0.0;
}

static double
w_av(char v)
{
	return v == 'N' ? 0.85 : v == 'A' ? 0.62 : v == 'L' ? 0.55 : 0.2;
}

static double
w_ac(char v)
{
	return v == 'L' ? 0.77 : 0.44;
}

/* Privileges Required weighs more when the scope changes. */
static double
w_pr(char v, gboolean changed)
{
	if (v == 'N')
		return 0.85;
	if (v == 'L')
		return changed ? 0.68 : 0.62;
	return changed ? 0.5 : 0.27;
}

static double
w_ui(char v)
{
	return v == 'N' ? 0.85 : 0.62;
}

/* E x RL x RC, X (Not Defined) weighing 1. */
static double
w_e(char v)
{
	return v == 'F' ? 0.97 : v == 'P' ? 0.94 : v == 'U' ? 0.91 : 1.0;
}

static double
w_rl(char v)
{
	return v == 'W' ? 0.97 : v == 'T' ? 0.96 : v == 'O' ? 0.95 : 1.0;
}

static double
w_rc(char v)
{
	return v == 'R' ? 0.96 : v == 'U' ? 0.92 : 1.0;
}

/* CR, IR, AR. */
static double
w_req(char v)
{
	return v == 'H' ? 1.5 : v == 'L' ? 0.5 : 1.0;
}

/* The modified metric's value, or the base metric's where it is X. */
static char
modified(const char *const *vals, int m, int base)
{
	char v = val(vals, m);

	return v != 'X' ? v : val(vals, base);
}

/* The base Impact when the scope changes: the same in 3.0 and 3.1. */
static double
changed_impact(double iss)
{
	return 7.52 * (iss - 0.029) - 3.25 * cvss3_pow(iss - 0.02, 15);
}

double
cvss3_base(const void *version_rules, const char *const *vals)
{
	const Cvss3Rules *rules = version_rules;
	gboolean changed = val(vals, V3_S) == 'C';
	double iss = 1 - ((1 - w_cia(val(vals, V3_C))) * (1 - w_cia(val(vals, V3_I))) *
	                  (1 - w_cia(val(vals, V3_A))));
	double impact = changed ? changed_impact(iss) : 6.42 * iss;
	double exploitability = 8.22 * w_av(val(vals, V3_AV)) * w_ac(val(vals, V3_AC)) *
	                        w_pr(val(vals, V3_PR), changed) * w_ui(val(vals, V3_UI));

	if (impact <= 0)
		return 0.0;
	if (changed)
		return rules->roundup(MIN(1.08 * (exploitability + impact), 10));
	return rules->roundup(MIN(exploitability + impact, 10));
}

double
cvss3_temporal(const void *version_rules, const char *const *vals)
{
	const Cvss3Rules *rules = version_rules;
	return rules->roundup(cvss3_base(rules, vals) * w_e(val(vals, V3_E)) *
	                      w_rl(val(vals, V3_RL)) * w_rc(val(vals, V3_RC)));
}

double
cvss3_environmental(const void *version_rules, const char *const *vals)
{
	const Cvss3Rules *rules = version_rules;
	gboolean changed = modified(vals, V3_MS, V3_S) == 'C';
	double miss = MIN(1 - ((1 - w_cia(modified(vals, V3_MC, V3_C)) * w_req(val(vals, V3_CR))) *
	                       (1 - w_cia(modified(vals, V3_MI, V3_I)) * w_req(val(vals, V3_IR))) *
	                       (1 - w_cia(modified(vals, V3_MA, V3_A)) * w_req(val(vals, V3_AR)))),
	                  0.915);
	double impact = changed ? rules->changed_modified_impact(miss) : 6.42 * miss;
	double exploitability = 8.22 * w_av(modified(vals, V3_MAV, V3_AV)) *
	                        w_ac(modified(vals, V3_MAC, V3_AC)) *
	                        w_pr(modified(vals, V3_MPR, V3_PR), changed) *
	                        w_ui(modified(vals, V3_MUI, V3_UI));
	double modified_base;

	if (impact <= 0)
		return 0.0;
	modified_base = rules->roundup(changed ? MIN(1.08 * (impact + exploitability), 10)
	                                       : MIN(impact + exploitability, 10));
	/* multiplied one by one, as the calculators do: (E x RL x RC) first
	 * would round differently */
	return rules->roundup(modified_base * w_e(val(vals, V3_E)) * w_rl(val(vals, V3_RL)) *
	                      w_rc(val(vals, V3_RC)));
}
