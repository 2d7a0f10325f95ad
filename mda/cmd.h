/* cmd.h - what the files that apply the team's commands share: the shape
 * of a command function, the helpers that record a change, and the
 * commands themselves (cmd-fields.c, cmd-stage.c, cmd-reply.c,
 * cmd-fixteam.c), which casecmd.c's table dispatches. Private to
 * embargo-mda. */
#ifndef EMBARGO_CMD_H
#define EMBARGO_CMD_H

#include "casecmd.h"

/* A command applied to C (the case as it is now) with its argument ARG:
 * TRUE and *WHY NULL when applied (lines added to RES), TRUE and *WHY set
 * (g_free) when refused, FALSE with ERROR set on an error of the store. */
#define CMD_ARGS                                                                   \
	const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why, \
		GError **error
typedef gboolean (*CmdFunc)(CMD_ARGS);

/* One line "FMT..." added to RES's applied changes. */
void cmd_applied(CmdResult *res, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
/* COLUMN of ctx's case set to VALUE (NULL clears); FALSE with ERROR set. */
gboolean cmd_set_field(const CmdCtx *ctx, const char *column, const char *value, GError **error);
/* TRUE when ARG is one bounded line of text; FALSE with *WHY set (naming WHAT). */
gboolean cmd_text_arg(const char *arg, const char *what, char **why);

/* cmd-fields.c */
gboolean cmd_affected(CMD_ARGS);
gboolean cmd_fixed_in(CMD_ARGS);
gboolean cmd_credit(CMD_ARGS);
gboolean cmd_summary(CMD_ARGS);
gboolean cmd_severity(CMD_ARGS);
gboolean cmd_cvss(CMD_ARGS);
gboolean cmd_cve(CMD_ARGS);
gboolean cmd_assign(CMD_ARGS);
gboolean cmd_embargo(CMD_ARGS);
gboolean cmd_urgent(CMD_ARGS);
gboolean cmd_key(CMD_ARGS);

/* cmd-stage.c */
gboolean cmd_notify(CMD_ARGS);
gboolean cmd_status(CMD_ARGS);
gboolean cmd_close(CMD_ARGS);
gboolean cmd_reject(CMD_ARGS);
gboolean cmd_duplicate(CMD_ARGS);

/* cmd-reply.c */
gboolean cmd_reply(CMD_ARGS);

/* cmd-fixteam.c */
gboolean cmd_fixteam(CMD_ARGS);

#endif
