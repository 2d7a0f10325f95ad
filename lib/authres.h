/* authres.h - Authentication-Results header fields (RFC 8601): the SPF part
 * embargo-milter writes and embargo-mda reads. */
#ifndef EMBARGO_AUTHRES_H
#define EMBARGO_AUTHRES_H

#include <glib.h>

#define AUTHRES_HEADER "Authentication-Results"

typedef struct {
	char *authserv_id; /* as written (unquoted); compare with authres_id_equal() */
	char *spf;         /* the first spf result, lower case ("pass", "fail", ...); NULL when none */
	char *mailfrom;    /* its smtp.mailfrom property, unquoted; NULL when absent */
	char *helo;        /* its smtp.helo property; NULL when absent */
} AuthRes;

AuthRes *authres_parse(const char *value);
void authres_free(AuthRes *ar);
gboolean authres_id_equal(const char *a, const char *b);
gboolean authres_id_valid(const char *id);
gboolean authres_spf_result_valid(const char *result);
char *authres_format_spf(const char *authserv_id, const char *result, const char *property,
                         const char *identity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuthRes, authres_free)

#endif
