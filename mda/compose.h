/* compose.h - the mails embargo-mda writes: acknowledgement, team copy, answer, notice. */
#ifndef EMBARGO_COMPOSE_H
#define EMBARGO_COMPOSE_H

#include <gmime/gmime.h>

#include "composed.h"
#include "config.h"
#include "inmsg.h"
#include "route.h"

typedef struct {
	const EmbargoConfig *config;
	const EmbargoList *list;
	const InMessage *in;
	const Route *route;
	const char *case_id;
	const char *stage;
	const char *reporter;        /* "Name <addr>" or the address */
	GDateTime *case_created;
	GDateTime *now;
	const char *envelope_from;
	const char *spool_path;
	/* OpenPGP (crypto-in.c): what the team sees in place of the incoming
	 * body (the decrypted entity), and the summary's two lines; NULL: none. */
	GMimeObject *body;
	const char *encryption;
	const char *signature;
	const char *ack_note;      /* an extra paragraph for the acknowledgement */
} ComposeCtx;

Composed *compose_ack(const ComposeCtx *ctx, const char *to);
Composed *compose_team_copy(const ComposeCtx *ctx, char **recipients);
Composed *compose_answer(const ComposeCtx *ctx, const char *to, const char *in_reply_to);
Composed *compose_notice(const ComposeCtx *ctx, char **recipients, const char *subject,
                         const char *text);
char *compose_tagged_subject(const char *case_id, const char *prefix, const char *subject);

#endif
