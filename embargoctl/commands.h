/* commands.h - the commands embargoctl.c dispatches to, each defined in
 * its own file. ARGV starts at the command's name (ARGV[0] "member", ...;
 * for cmd_case_advisory "advisory"); each returns an exit status
 * (sysexits(3)). Command files never call each other through this header:
 * what two of them share is in ctl.c or opencases.c. */
#ifndef EMBARGO_CTL_COMMANDS_H
#define EMBARGO_CTL_COMMANDS_H

#include "ctl.h"

int cmd_init(Ctl *ctl);                              /* init_cmd.c */
int cmd_member(Ctl *ctl, int argc, char **argv);     /* member_cmd.c */
int cmd_keys(Ctl *ctl, int argc, char **argv);       /* key_cmd.c (mda/cmd.h has cmd_key) */
int cmd_case(Ctl *ctl, int argc, char **argv);       /* case_cmd.c: list, show */
int cmd_case_advisory(Ctl *ctl, int argc, char **argv); /* advisory_cmd.c */
int cmd_outbox(Ctl *ctl, int argc, char **argv);     /* outbox_cmd.c */
int cmd_remind(Ctl *ctl, int argc, char **argv);     /* remind_cmd.c */
int cmd_agenda(Ctl *ctl, int argc, char **argv);     /* agenda_cmd.c */
int cmd_stats(Ctl *ctl, int argc, char **argv);      /* stats_cmd.c */
int cmd_held(Ctl *ctl, int argc, char **argv);       /* held_cmd.c, helddigest.c */

#endif
