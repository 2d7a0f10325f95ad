/* test-cvss.c - CVSS v3.0, v3.1 and v4.0 vectors: scores against published
 * values, normalisation, and every way a vector is refused. */
#include "cvss.h"

#include <string.h>

typedef struct {
	const char *vector;
	double score;
} Scored;

/* CVSS v3.1 base scores. The named ones are worked examples in FIRST's
 * "CVSS v3.1: Examples" document; every value is also what the section 7.1
 * formula with Appendix A's Roundup gives. */
static const Scored v31[] = {
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5 },  /* CVE-2014-0160 Heartbleed */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8 },  /* CVE-2014-6271 Shellshock */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1 },  /* CVE-2013-1937 phpMyAdmin XSS */
	{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4 },  /* CVE-2013-0375 MySQL SQL injection */
	{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1 },  /* CVE-2014-3566 POODLE */
	{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9 },  /* CVE-2012-1516 VMware guest to host */
	{ "CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2 },  /* CVE-2009-0783 Tomcat XML parser */
	{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 8.8 },  /* CVE-2012-0384 Cisco IOS */
	{ "CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8 },  /* CVE-2015-1098 Apple iWork */
	{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8 },  /* CVE-2008-1447 DNS Kaminsky */
	{ "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8 },  /* CVE-2014-2005 Sophos login bypass */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N", 5.8 },  /* CVE-2010-0467 Joomla traversal */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:L/A:N", 5.8 },  /* CVE-2012-1342 Cisco ACL bypass */
	{ "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3 },  /* CVE-2013-6014 Juniper proxy ARP */
	{ "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 5.4 },  /* CVE-2014-9253 DokuWiki XSS */
	{ "CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8 },  /* CVE-2011-1265 Windows Bluetooth */
	{ "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:N/I:H/A:N", 4.6 },  /* CVE-2014-2019 iOS passcode */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8 },  /* CVE-2015-0970 SearchBlox CSRF */
	{ "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:N", 7.4 },  /* CVE-2014-0224 OpenSSL CCS */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H", 9.6 },  /* CVE-2012-5376 Chrome IPC */
	/* the top and bottom of the scale */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0 },
	{ "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0 },  /* no impact: 0 whatever else */
	/* 1.08 * (impact + exploitability) is 10.85: Minimum(..., 10) caps it */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:L", 10.0 },
	/* the unrounded score is 5.29999597...: Roundup takes it to the integer
	 * 530000 first, which is a whole tenth, so 5.3 and not 5.4 */
	{ "CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N", 5.3 },
	/* temporal and environmental metrics are kept but never change it */
	{ "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:U/MC:N/MI:N/MA:N",
	  7.5 },
};

typedef struct {
	const char *vector;
	double base, temporal, environmental;
} Scored3;

/* CVSS v3.0 base, temporal and environmental scores. Every value is what
 * FIRST's own 3.0 calculator (cvsscalc30.js, FIRST.ORG, last revised
 * 2018-02-15) shows for the vector; the CVE-named vectors are FIRST's worked
 * examples, as in the 3.1 table. */
static const Scored3 v30[] = {
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, 7.5, 7.5 },  /* CVE-2014-0160 */
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, 9.8, 9.8 },  /* CVE-2014-6271 */
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, 6.1, 6.1 },  /* CVE-2013-1937 */
	{ "CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, 6.4, 6.4 },  /* CVE-2013-0375 */
	{ "CVSS:3.0/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, 3.1, 3.1 },  /* CVE-2014-3566 */
	{ "CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L", 4.2, 4.2, 4.2 },  /* CVE-2009-0783 */
	{ "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N", 6.8, 6.8, 6.8 },  /* CVE-2008-1447 */
	{ "CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, 6.8, 6.8 },  /* CVE-2014-2005 */
	{ "CVSS:3.0/AV:A/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:H", 9.3, 9.3, 9.3 },  /* CVE-2013-6014 */
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, 10.0, 10.0 },
	{ "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N", 0.0, 0.0, 0.0 },
	{ "CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N", 5.3, 5.3, 5.3 },
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:P/RL:O/RC:C", 7.5, 6.7, 6.7 },
	/* every temporal and environmental metric, scope changed by MS */
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:L/MI:L/MA:L",
	  10.0, 8.0, 2.0 },
	/* every impact modified to None: the environmental score is 0 */
	{ "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MC:N/MI:N/MA:N", 9.8, 9.8, 0.0 },
	/* and the other way: no base impact, a modified one */
	{ "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:N/MC:H/MAV:N", 0.0, 0.0, 6.5 },
};

/* The same metrics under 3.0 and 3.1, where the two calculators disagree:
 * the first three by 3.0's Roundup (Math.ceil on a double: 10 x 0.92 is
 * 9.200000000000001, so 9.3; 3.1's Roundup gives 9.2), the last two by the
 * scope-changed Modified Impact, which 3.1 changed. The 3.0 values are
 * FIRST's 3.0 calculator's, the 3.1 ones FIRST's 3.1 calculator's
 * (cvsscalc31.js). */
static const struct {
	const char *metrics;
	Scored3 v30, v31;
} v30_v31[] = {
	{ "/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U", { NULL, 10.0, 9.3, 9.3 }, { NULL, 10.0, 9.2, 9.2 } },
	{ "/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N/RC:U", { NULL, 5.0, 4.7, 4.7 }, { NULL, 5.0, 4.6, 4.6 } },
	{ "/AV:L/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N/RC:U", { NULL, 2.5, 2.4, 2.4 }, { NULL, 2.5, 2.3, 2.3 } },
	/* no environmental metric at all, yet 3.1's formula gives 10.0 */
	{ "/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", { NULL, 9.9, 9.9, 9.9 }, { NULL, 9.9, 9.9, 10.0 } },
	{ "/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N/CR:H/IR:M/AR:M/MS:C/MC:H/MI:H/MA:H",
	  { NULL, 1.8, 1.8, 7.2 }, { NULL, 1.8, 1.8, 7.3 } },
};

/* CVSS v4.0 scores as FIRST's calculator gives them. */
static const Scored v40[] = {
	/* Cases from FIRST's calculator (first.org/cvss/calculator/4-0 links in
	 * the us.springett cvss-calculator tests), environmental ones first. */
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/CR:M/IR:M/AR:M/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 7.7 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:U/CR:M/IR:M/AR:M/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 5.5 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:M/IR:M/AR:M/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 6.6 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:M/AR:M/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 7.5 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:L/MVA:H/MSC:L/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 7.4 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:H/MVA:H/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 8.6 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVC:H/MVI:H/MVA:N/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 8.5 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:L/MUI:N/MVI:L/MVA:N/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 5.9 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:L/MUI:P/MVA:N/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 6.5 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:H/MAT:N/MPR:N/MUI:N/MVA:N/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 8.4 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:H/VA:L/SC:N/SI:N/SA:N/E:P/CR:H/IR:L/AR:L/MAV:N/MAC:L/MAT:N/MPR:N/MUI:N/MVA:N/MSC:H/MSI:S/MSA:S/AU:Y/R:I/V:C/RE:L/U:Amber", 9.1 },
	{ "CVSS:4.0/AV:L/AC:H/AT:N/PR:L/UI:P/VC:L/VI:L/VA:L/SC:L/SI:L/SA:L/E:P/CR:H/IR:L/AR:L/MAV:L/MAC:L/MAT:N/MPR:N/MUI:N/MVA:N/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:A/V:C/RE:L/U:Clear", 6.9 },
	{ "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:A/VC:H/VI:L/VA:L/SC:L/SI:L/SA:L/E:P/CR:H/IR:L/AR:L/MAV:L/MAC:L/MAT:N/MPR:N/MUI:N/MVA:N/MSC:H/MSI:S/MSA:S/S:P/AU:Y/R:A/V:C/RE:L/U:Clear", 8.6 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:H/AR:L", 9.3 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:L/IR:M/AR:L", 8.9 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVI:N/MVA:H/MSC:N/MSI:N/MSA:N", 8.8 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVC:N/MVI:N/MVA:H/MSC:N/MSI:N/MSA:N", 8.7 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MVC:N/MVI:N/MVA:L/MSC:N/MSI:N/MSA:N", 6.9 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MUI:A/MVC:N/MVI:N/MVA:L/MSC:N/MSI:N/MSA:N", 5.1 },
	/* every impact modified to None: 0.0 though the base impacts are High */
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MUI:A/MVC:N/MVI:N/MVA:N/MSC:N/MSI:N/MSA:N", 0.0 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MUI:P/MVC:N/MVI:H/MVA:N/MSC:N/MSI:N/MSA:N", 7.1 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0 },
	{ "CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 9.0 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 5.4 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.6 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H", 7.9 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3 },
	{ "CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.3 },
	{ "CVSS:4.0/AV:P/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.0 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N", 6.9 },
	/* Regression cases of pandatix/go-cvss, checked against the calculator
	 * before its publication (one found a typo in it). */
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0 },
	{ "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L", 5.2 },
	{ "CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:P/VC:N/VI:H/VA:H/SC:N/SI:L/SA:L/E:P/CR:H/IR:M/AR:H/MAV:A/MAT:P/MPR:N/MVI:H/MVA:N/MSI:H/MSA:N/S:N/V:C/U:Amber", 4.7 },
	{ "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:N/VC:N/VI:N/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.8 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 9.1 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S", 9.8 },
	/* RedHatProductSecurity/cvss test vectors: vectors_threat4,
	 * vectors_security4, vectors_supplemental4 and vectors_simple4 */
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:A", 7.3 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P", 5.9 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U", 4.1 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N/E:U", 0.0 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M", 7.2 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:H/IR:M/AR:L", 7.1 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:M/IR:M/AR:M", 5.5 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/CR:L/IR:L/AR:L", 5.4 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:N/AU:N/R:A/V:D/RE:L/U:Clear", 7.3 },
	{ "CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:N/AU:Y/R:I/V:C/RE:H/U:Red", 7.3 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:H/VA:L/SC:N/SI:H/SA:L", 9.2 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:H/SI:N/SA:L", 7.8 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:L/VI:N/VA:N/SC:L/SI:N/SA:L", 5.3 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:L/VA:L/SC:N/SI:L/SA:H", 8.3 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:N/SC:H/SI:L/SA:L", 6.4 },
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:N/SC:L/SI:N/SA:N", 4.8 },
	{ "CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:N/SA:N", 2.1 },
	{ "CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:L/VA:L/SC:L/SI:N/SA:N", 1.8 },
	{ "CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:L/SI:H/SA:L", 9.4 },
	{ "CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:N/VI:N/VA:N/SC:N/SI:H/SA:N", 4.0 },
	{ "CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:L/VA:N/SC:L/SI:L/SA:H", 9.1 },
	/* An exact tie: the interpolated score is 8.55, which doubles carry as
	 * 8.549999999999999. FIRST's calculator rounds it down to 8.5; Red Hat's
	 * calculator since its November 2024 epsilon change (cvss-v4-calculator
	 * PR #67) shows 8.6. We follow FIRST's (see lib/cvss40.c). */
	{ "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H", 8.5 },
};

static void
assert_scores(const Scored *table, gsize n, const char *version)
{
	for (gsize i = 0; i < n; i++) {
		g_auto(CvssScore) s = { 0 };
		g_auto(CvssScore) again = { 0 };
		g_autoptr(GError) error = NULL;

		g_test_message("%s", table[i].vector);
		g_assert_true(cvss_parse(table[i].vector, &s, &error));
		g_assert_no_error(error);
		g_assert_cmpstr(s.version, ==, version);
		/* exact: a score is k / 10.0, the same double as the literal */
		g_assert_cmpfloat(s.score, ==, table[i].score);
		g_assert_cmpstr(s.rating, ==, cvss_rating(table[i].score));
		if (strcmp(version, "4.0") == 0) /* one score takes every metric in */
			g_assert_true(s.temporal_score == s.score && s.environmental_score == s.score);
		/* the normalised vector reads back to itself and the same score */
		g_assert_true(cvss_parse(s.vector, &again, &error));
		g_assert_cmpstr(again.vector, ==, s.vector);
		g_assert_cmpfloat(again.score, ==, s.score);
	}
}

static void
test_v31_scores(void)
{
	assert_scores(v31, G_N_ELEMENTS(v31), "3.1");
}

/* One 3.x vector's three scores, and its normalised form reading back to
 * the same. */
static void
assert_scores3(const char *vector, const Scored3 *want, const char *version)
{
	g_auto(CvssScore) s = { 0 };
	g_auto(CvssScore) again = { 0 };
	g_autoptr(GError) error = NULL;

	g_test_message("%s", vector);
	g_assert_true(cvss_parse(vector, &s, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(s.version, ==, version);
	g_assert_cmpfloat(s.score, ==, want->base);
	g_assert_cmpfloat(s.temporal_score, ==, want->temporal);
	g_assert_cmpfloat(s.environmental_score, ==, want->environmental);
	g_assert_cmpstr(s.rating, ==, cvss_rating(want->base));
	g_assert_true(g_str_has_prefix(s.vector, "CVSS:3.0/") == (strcmp(version, "3.0") == 0));
	g_assert_true(cvss_parse(s.vector, &again, &error));
	g_assert_cmpstr(again.vector, ==, s.vector);
	g_assert_cmpfloat(again.environmental_score, ==, s.environmental_score);
}

static void
test_v30_scores(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(v30); i++)
		assert_scores3(v30[i].vector, &v30[i], "3.0");
}

static void
test_v30_v31_differ(void)
{
	for (gsize i = 0; i < G_N_ELEMENTS(v30_v31); i++) {
		g_autofree char *as30 = g_strconcat("CVSS:3.0", v30_v31[i].metrics, NULL);
		g_autofree char *as31 = g_strconcat("CVSS:3.1", v30_v31[i].metrics, NULL);

		assert_scores3(as30, &v30_v31[i].v30, "3.0");
		assert_scores3(as31, &v30_v31[i].v31, "3.1");
	}
}

static void
test_v40_scores(void)
{
	assert_scores(v40, G_N_ELEMENTS(v40), "4.0");
}

/* The score and normalised vector of a vector that must parse. */
static void
parse_ok(const char *vector, double score, const char *normalised)
{
	g_auto(CvssScore) s = { 0 };
	g_autoptr(GError) error = NULL;

	g_test_message("%s", vector);
	g_assert_true(cvss_parse(vector, &s, &error));
	g_assert_no_error(error);
	g_assert_cmpfloat(s.score, ==, score);
	g_assert_cmpstr(s.vector, ==, normalised);
}

static void
test_normalise(void)
{
	/* order, surrounding whitespace, X left out */
	parse_ok("\t CVSS:3.1/A:N/I:N/C:H/S:U/UI:N/PR:N/AC:L/AV:N \r\n", 7.5,
	         "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N");
	parse_ok("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/MA:H/E:X/RC:R/CR:X/RL:O", 7.5,
	         "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/RL:O/RC:R/MA:H");
	parse_ok(" CVSS:3.0/A:N/I:N/C:H/S:U/UI:N/PR:N/AC:L/AV:N/MA:H/E:X/RC:R/CR:X/RL:O", 7.5,
	         "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/RL:O/RC:R/MA:H");
	parse_ok("CVSS:4.0/U:Red/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:N/PR:N/AT:N/AC:L/AV:N/E:X/MSI:S/CR:M", 10.0,
	         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/CR:M/MSI:S/U:Red");
	/* every metric of 4.0 at once, in order, keeps its order */
	parse_ok("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/IR:H/AR:L/MAV:A"
	         "/MAC:H/MAT:N/MPR:N/MUI:P/MVC:H/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/S:N/AU:N/R:I/V:C/RE:H/U:Green",
	         4.4,
	         "CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/IR:H/AR:L/MAV:A"
	         "/MAC:H/MAT:N/MPR:N/MUI:P/MVC:H/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/S:N/AU:N/R:I/V:C/RE:H/U:Green");
}

/* Threat and environmental metrics move the 4.0 score; supplemental ones
 * never do; X is the same as leaving a metric out. */
static void
test_v40_metric_groups(void)
{
	const char *base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
	const char *same[] = {
		"/E:A", "/E:X", "/CR:H/IR:H/AR:H", "/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X",
		"/MVC:X/MVI:X/MVA:X/MSC:X/MSI:X/MSA:X", "/MAV:N/MVC:H", "/S:P/AU:Y/R:I/V:C/RE:H/U:Red",
		"/S:X/AU:X/R:X/V:X/RE:X/U:X", "/S:N/AU:N/R:A/V:D/RE:L/U:Clear", NULL,
	};

	for (int i = 0; same[i] != NULL; i++) {
		g_autofree char *v = g_strconcat(base, same[i], NULL);
		g_auto(CvssScore) s = { 0 };

		g_assert_true(cvss_parse(v, &s, NULL));
		g_assert_cmpfloat(s.score, ==, 9.3);
	}
	parse_ok("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P", 8.9,
	         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P");
	parse_ok("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:P", 7.0,
	         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MAV:P");
	/* a modified metric can raise it too: Safety on the subsequent system */
	parse_ok("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S", 10.0,
	         "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSI:S");
}

static void
test_rating(void)
{
	static const struct {
		double score;
		const char *rating;
	} scale[] = {
		{ 0.0, "None" },   { 0.1, "Low" },     { 3.9, "Low" },  { 4.0, "Medium" },
		{ 6.9, "Medium" }, { 7.0, "High" },    { 8.9, "High" }, { 9.0, "Critical" },
		{ 10.0, "Critical" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(scale); i++)
		g_assert_cmpstr(cvss_rating(scale[i].score), ==, scale[i].rating);
}

/* Parsing fails with exactly this message, and leaves the result alone. */
static void
parse_fails(const char *vector, const char *message)
{
	CvssScore s = { .version = NULL, .vector = NULL, .score = -1.0, .rating = NULL };
	g_autoptr(GError) error = NULL;

	g_test_message("%s", vector != NULL ? vector : "(null)");
	g_assert_false(cvss_parse(vector, &s, &error));
	g_assert_error(error, CVSS_ERROR, CVSS_ERROR_INVALID);
	g_assert_cmpstr(error->message, ==, message);
	g_assert_null(s.version);
	g_assert_null(s.vector);
	g_assert_null(s.rating);
	g_assert_cmpfloat(s.score, ==, -1.0);
}

static void
test_bad_values(void)
{
	parse_fails("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "AV:Q is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "AV:n is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:A",
	            "E:A is not a valid value for E (X, H, F, P, U)");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/AV:", "metric AV given twice");
	parse_fails("CVSS:3.1/AV:/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "AV: is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:3.1/AV:NN/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "AV:NN is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "AV:N:L is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:red",
	            "U:red is not a valid value for U (X, Clear, Green, Amber, Red)");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",
	            "SI:S is not a valid value for SI (H, L, N)"); /* S is for MSI only */
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S",
	            "MSC:S is not a valid value for MSC (X, H, L, N)");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:R/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	            "UI:R is not a valid value for UI (N, P, A)"); /* 3.1's value */
	parse_fails("CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
	            "AV:X is not a valid value for AV (N, A, L, P)"); /* base metrics have no X */
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/S:U",
	            "S:U is not a valid value for S (X, N, P)"); /* 4.0's S is Safety */
}

static void
test_bad_metrics(void)
{
	parse_fails("CVSS:3.1/AV:N/AC:L/UI:N/S:U/C:H/I:N/A:N", "missing base metric PR");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/C:L", "metric C given twice");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:X/E:X", "metric E given twice");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/SC:N/SI:N/SA:N", "missing base metric VA");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:A/E:X",
	            "metric E given twice");
	parse_fails("CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:N/A:N", "unknown metric AT in CVSS 3.1");
	parse_fails("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O",
	            "unknown metric RL in CVSS 4.0");
	parse_fails("CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "unknown metric av in CVSS 3.1 (metric names are case-sensitive: AV)");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/Au:N", "unknown metric Au in CVSS 3.1");
	parse_fails("CVSS:3.0/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:N/A:N", "unknown metric AT in CVSS 3.0");
	parse_fails("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N", "missing base metric A");
	parse_fails("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/MS:X/MS:C", "metric MS given twice");
	parse_fails("CVSS:3.1/AV:N/ AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "unknown metric  AC in CVSS 3.1");
	parse_fails("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "empty metric (a stray \"/\")");
	parse_fails("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/", "empty metric (a stray \"/\")");
	parse_fails("CVSS:3.1/AVN/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "AVN is not a metric (expected NAME:VALUE)");
	parse_fails("CVSS:3.1/:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", ":N has no metric name (expected NAME:VALUE)");
	parse_fails("CVSS:3.1", "missing base metric AV");
	parse_fails("CVSS:4.0/", "missing base metric AV");
}

static void
test_bad_versions(void)
{
	parse_fails("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "unsupported version 3.2 (CVSS 3.0, 3.1 and 4.0 are accepted)");
	parse_fails("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",
	            "unsupported version 2.0 (CVSS 3.0, 3.1 and 4.0 are accepted)");
	parse_fails("CVSS:3.10/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "unsupported version 3.10 (CVSS 3.0, 3.1 and 4.0 are accepted)");
	parse_fails("CVSS:4/AV:N", "unsupported version 4 (CVSS 3.0, 3.1 and 4.0 are accepted)");
	parse_fails("AV:N/AC:L/Au:N/C:P/I:P/A:P",
	            "not a CVSS vector: it must begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/");
	parse_fails("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "not a CVSS vector: it must begin with CVSS:3.0/, CVSS:3.1/ or CVSS:4.0/");
	parse_fails("CVSS:3.1AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
	            "unsupported version 3.1AV:N (CVSS 3.0, 3.1 and 4.0 are accepted)");
}

static void
test_bad_input(void)
{
	const char *v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";
	g_autofree char *padded = g_strdup_printf("%*s%s", (int)(512 - strlen(v)), "", v);
	g_autofree char *too_long = g_strdup_printf(" %s", padded);

	parse_fails(NULL, "no CVSS vector");
	parse_fails("", "empty CVSS vector");
	parse_fails(" \t\r\n", "empty CVSS vector");
	/* 512 bytes is read, 513 is not, whatever they hold */
	g_assert_cmpuint(strlen(padded), ==, 512);
	parse_ok(padded, 7.5, v);
	parse_fails(too_long, "CVSS vector longer than 512 bytes");
	/* what is quoted back is escaped and cut short */
	parse_fails("CVSS:3.1/AV:\x1b[31m/AC:L", "AV:\\033[31m is not a valid value for AV (N, A, L, P)");
	parse_fails("CVSS:3.1/AV:N/\xc3\xa9:N", "unknown metric \\303\\251 in CVSS 3.1");
	parse_fails("CVSS:3.1/AV:NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN",
	            "AV:NNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNNN... is not a valid value for AV (N, A, L, P)"); /* its first 40 bytes */
	parse_fails("CVSS:3.1/AV:N\nAC:L/PR:N", "AV:N\\nAC:L is not a valid value for AV (N, A, L, P)");
}

static void
test_clear(void)
{
	CvssScore s = { 0 };

	g_assert_true(cvss_parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", &s, NULL));
	cvss_clear(&s);
	g_assert_null(s.version);
	g_assert_null(s.vector);
	g_assert_null(s.rating);
	g_assert_cmpfloat(s.score, ==, 0.0);
	g_assert_cmpfloat(s.temporal_score, ==, 0.0);
	g_assert_cmpfloat(s.environmental_score, ==, 0.0);
	cvss_clear(&s); /* twice is harmless */
	cvss_clear(NULL);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cvss/v31-scores", test_v31_scores);
	g_test_add_func("/cvss/v30-scores", test_v30_scores);
	g_test_add_func("/cvss/v30-v31-differ", test_v30_v31_differ);
	g_test_add_func("/cvss/v40-scores", test_v40_scores);
	g_test_add_func("/cvss/normalise", test_normalise);
	g_test_add_func("/cvss/v40-metric-groups", test_v40_metric_groups);
	g_test_add_func("/cvss/rating", test_rating);
	g_test_add_func("/cvss/bad-values", test_bad_values);
	g_test_add_func("/cvss/bad-metrics", test_bad_metrics);
	g_test_add_func("/cvss/bad-versions", test_bad_versions);
	g_test_add_func("/cvss/bad-input", test_bad_input);
	g_test_add_func("/cvss/clear", test_clear);
	return g_test_run();
}
