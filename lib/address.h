/* address.h - mail addresses as embargo meets them: envelope, header, list and case addresses. */
#ifndef EMBARGO_ADDRESS_H
#define EMBARGO_ADDRESS_H

#include <glib.h>

gboolean address_split(const char *address, char **local, char **ext, char **domain);
char *address_normalize(const char *address);
char *address_base(const char *address);
gboolean address_rcpt_canonical(const char *arg, char **local, char **domain);
gboolean address_is_null(const char *address);
gboolean address_is_role(const char *address);

#endif
