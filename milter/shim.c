/* shim.c - one-line wrappers around the smfi_* calls the callbacks make.
 *
 * They keep libmilter's char * (non-const) signatures and MI_SUCCESS codes
 * out of the callbacks, make reply texts safe for libmilter (which drops a
 * text with a lone '%' and refuses CR or LF), and give a test mode or a
 * debugger one place to see every action the milter takes. */
#include "shim.h"

void *
shim_getpriv(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

gboolean
shim_setpriv(SMFICTX *ctx, void *priv)
{
	return smfi_setpriv(ctx, priv) == MI_SUCCESS;
}

const char *
shim_getsymval(SMFICTX *ctx, const char *name)
{
	return smfi_getsymval(ctx, (char *)name);
}

gboolean
shim_setreply(SMFICTX *ctx, const char *rcode, const char *xcode, const char *text)
{
	GString *safe;
	int rc;

	g_return_val_if_fail(text != NULL, FALSE);
	safe = g_string_new(NULL);
	for (const char *p = text; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			g_string_append_c(safe, ' ');
		else if (*p == '%')
			g_string_append(safe, "%%");
		else
			g_string_append_c(safe, *p);
	}
	rc = smfi_setreply(ctx, (char *)rcode, (char *)xcode, safe->str);
	g_string_free(safe, TRUE);
	return rc == MI_SUCCESS;
}

gboolean
shim_insheader(SMFICTX *ctx, int index, const char *name, const char *value)
{
	return smfi_insheader(ctx, index, (char *)name, (char *)value) == MI_SUCCESS;
}

/* Deletes the INDEXth (from 1) header field called NAME. */
gboolean
shim_delheader(SMFICTX *ctx, const char *name, int index)
{
	return smfi_chgheader(ctx, (char *)name, index, NULL) == MI_SUCCESS;
}

/* Asks the MTA for only MACROS (names separated by spaces) at
 * STAGE (SMFIM_*); only from the negotiate callback. */
gboolean
shim_setsymlist(SMFICTX *ctx, int stage, const char *macros)
{
	return smfi_setsymlist(ctx, stage, (char *)macros) == MI_SUCCESS;
}
