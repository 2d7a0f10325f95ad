/* shim.h - the only calls into libmilter's per-message API (smfi_*). */
#ifndef EMBARGO_MILTER_SHIM_H
#define EMBARGO_MILTER_SHIM_H

#include <glib.h>
#include <libmilter/mfapi.h>

/* libmilter's smfi_* calls: each gboolean is TRUE when libmilter said
 * MI_SUCCESS, FALSE otherwise; nothing passed in is taken. */
/* The connection's private pointer (the callbacks' own); NULL: none set. */
void *shim_getpriv(SMFICTX *ctx);
gboolean shim_setpriv(SMFICTX *ctx, void *priv);
/* A macro's value, borrowed from libmilter for this callback; NULL: not sent. */
const char *shim_getsymval(SMFICTX *ctx, const char *name);
/* TEXT (copied, controls made spaces, '%' doubled) as the SMTP reply. */
gboolean shim_setreply(SMFICTX *ctx, const char *rcode, const char *xcode, const char *text);
gboolean shim_insheader(SMFICTX *ctx, int index, const char *name, const char *value);
/* Deletes the INDEXth (from 1) header field called NAME. */
gboolean shim_delheader(SMFICTX *ctx, const char *name, int index);
/* Asks for only MACROS at STAGE; only from the negotiate callback. */
gboolean shim_setsymlist(SMFICTX *ctx, int stage, const char *macros);

#endif
