/* compose.h - the mails only embargo-mda writes: acknowledgement, team copy, answer. */
#ifndef EMBARGO_COMPOSE_H
#define EMBARGO_COMPOSE_H

#include <gmime/gmime.h>

#include "outmail.h"
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
	const char *released;      /* a released held item: "ID, released by WHO", or NULL */
	const char *spam;          /* the spam verdict the team's copy is marked with; NULL: none */
} ComposeCtx;

/* SealBuild (seal.h) writers, DATA being the ComposeCtx; each returns a new
 * message the caller unrefs, never NULL. The acknowledgement (H's subject
 * as it is, the report never quoted): */
GMimeMessage *compose_ack(gpointer data, const OutHead *h, char **to, gboolean sealed,
                          GError **error);
/* The team's copy: the summary (with a note for each defect read past),
 * then what came in (CTX->body, or the incoming message's body; when it
 * could not be processed, its text/plain parts as new UTF-8 parts and the
 * raw message attached), from "SENDER via LIST". */
GMimeMessage *compose_team_copy(gpointer data, const OutHead *h, char **to, gboolean sealed,
                                GError **error);
/* A member's answer to the reporter: CTX->body, or the incoming message's
 * body, without the member's own signature. */
GMimeMessage *compose_answer(gpointer data, const OutHead *h, char **to, gboolean sealed,
                             GError **error);
/* About how large a copy of the incoming message is: its size on disk. */
gsize compose_size_hint(const ComposeCtx *ctx);

#endif
