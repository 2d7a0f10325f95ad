/* casecmd.h - applies a member's commands to a case, in the delivery's transaction. */
#ifndef EMBARGO_CASECMD_H
#define EMBARGO_CASECMD_H

#include "canned.h"
#include "cases.h"
#include "config.h"
#include "db.h"

typedef struct {
	Db *db;
	const EmbargoConfig *config;
	const EmbargoList *list;
	const char *case_id;
	const char *actor;          /* the member who wrote */
	sqlite3_int64 message;      /* the message that carried the commands */
	GDateTime *now;
	const char *now_iso;
} CmdCtx;

typedef struct {
	GString *applied;           /* one line per change: "stage: received -> triaged" */
	GString *refused;           /* one line per refusal: "#cve CVE-26-1: why" */
	guint napplied;
	guint nrefused;
	char *reached;              /* the released or closed stage, when the case reached it now */
	char **notify;              /* pre-release lists to send the advisory draft to */
	const CannedAnswer *reply;  /* the canned answer #reply sends the reporter (borrowed
	                             * from the list), or NULL */
	gboolean reply_closed;      /* the case was closed as that answer says */
	GString *sent;              /* what the commands sent, for the confirmation; NULL: nothing */
} CmdResult;

/* Applies COMMANDS (Command *) to ctx->case_id, each applied or refused
 * with the reason in RES (which the caller clears with cmdresult_clear).
 * FALSE with ERROR set only on an error of the store: a refusal is none. */
gboolean casecmd_apply(const CmdCtx *ctx, GPtrArray *commands, CmdResult *res, GError **error);
/* Refuses every one of COMMANDS for WHY, logged on the case; FALSE with ERROR set. */
gboolean casecmd_refuse_all(const CmdCtx *ctx, GPtrArray *commands, const char *why,
                            CmdResult *res, GError **error);
/* Frees what RES holds (not RES itself). */
void cmdresult_clear(CmdResult *res);

#endif
