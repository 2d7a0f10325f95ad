/* advisory_cmd.h - "embargoctl case advisory", called from case_cmd.c. */
#ifndef EMBARGO_ADVISORY_CMD_H
#define EMBARGO_ADVISORY_CMD_H

#include "ctl.h"

/* ARGV: "advisory" CASE-ID [--format markdown|osv|csaf]. */
int cmd_case_advisory(Ctl *ctl, int argc, char **argv);

#endif
