/* address.h - mail addresses as embargo meets them: envelope, header, list and case addresses. */
#ifndef EMBARGO_ADDRESS_H
#define EMBARGO_ADDRESS_H

#include <glib.h>

/* Splits ADDRESS (NULL allowed) into lower-case parts, each for the caller
 * to g_free; *EXT NULL without a +extension. FALSE (all three NULL) when it
 * is not an address. */
gboolean address_split(const char *address, char **local, char **ext, char **domain);
/* The address in lower case, extension kept; caller g_frees. NULL: not an address. */
char *address_normalize(const char *address);
/* The address in lower case without its +extension; caller g_frees. NULL: not an address. */
char *address_base(const char *address);
/* An envelope recipient as the MTA resolves it; *LOCAL and *DOMAIN for the
 * caller to g_free. FALSE (both NULL): a spelling that may reach any address. */
gboolean address_rcpt_canonical(const char *arg, char **local, char **domain);
/* TRUE for the null sender ("", "<>", MAILER-DAEMON) and for NULL. */
gboolean address_is_null(const char *address);
/* TRUE for a program's address (RFC 3834), the null sender, or a non-address. */
gboolean address_is_role(const char *address);

#endif
