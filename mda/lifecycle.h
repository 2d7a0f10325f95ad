/* lifecycle.h - the commands in one delivered message, and the mails they cause. */
#ifndef EMBARGO_LIFECYCLE_H
#define EMBARGO_LIFECYCLE_H

#include "casecmd.h"
#include "gmime-autoptr.h"

typedef struct {
	GPtrArray *commands;    /* Command *, as found at the top of the text */
	gboolean any_known;     /* at least one command embargo knows */
	GMimeObject *body;      /* the body with the command lines taken out */
	gboolean empty;         /* nothing but the commands was written */
} MailCommands;

MailCommands *lifecycle_extract(GMimeObject *body, gboolean strip);
void mail_commands_free(MailCommands *mc);

gboolean lifecycle_confirm(const CmdCtx *ctx, const CmdResult *res, guint *queued,
                           GError **error);
gboolean lifecycle_prerelease(const CmdCtx *ctx, const CmdResult *res, guint *queued,
                              GError **error);
char *lifecycle_reporter_text(Db *db, const EmbargoList *list, const char *case_id,
                              GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(MailCommands, mail_commands_free)

#endif
