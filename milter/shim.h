/* shim.h - the only calls into libmilter's per-message API (smfi_*). */
#ifndef EMBARGO_MILTER_SHIM_H
#define EMBARGO_MILTER_SHIM_H

#include <glib.h>
#include <libmilter/mfapi.h>

void *shim_getpriv(SMFICTX *ctx);
gboolean shim_setpriv(SMFICTX *ctx, void *priv);
const char *shim_getsymval(SMFICTX *ctx, const char *name);
gboolean shim_setreply(SMFICTX *ctx, const char *rcode, const char *xcode, const char *text);
gboolean shim_insheader(SMFICTX *ctx, int index, const char *name, const char *value);
gboolean shim_delheader(SMFICTX *ctx, const char *name, int index);
gboolean shim_setsymlist(SMFICTX *ctx, int stage, const char *macros);

#endif
