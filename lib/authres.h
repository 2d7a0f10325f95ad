/* authres.h - Authentication-Results header fields (RFC 8601): the SPF part
 * embargo-milter writes, and the SPF, DKIM and DMARC results embargo-mda
 * reads. */
#ifndef EMBARGO_AUTHRES_H
#define EMBARGO_AUTHRES_H

#include <glib.h>

#define AUTHRES_HEADER "Authentication-Results"

typedef struct {
	char *authserv_id; /* as written (unquoted); compare with authres_id_equal() */
	char *spf;         /* the first spf result, lower case ("pass", "fail", ...); NULL when none */
	char *mailfrom;    /* its smtp.mailfrom property, unquoted; NULL when absent */
	char *helo;        /* its smtp.helo property; NULL when absent */
	GPtrArray *dkim_pass;  /* char *: header.d of each dkim=pass, lower case, no trailing dot */
	GPtrArray *dmarc_pass; /* char *: header.from of each dmarc=pass, likewise */
} AuthRes;

typedef enum {
	AUTHRES_NONE,
	AUTHRES_SPF,
	AUTHRES_DMARC,
	AUTHRES_DKIM,
} AuthResProof;

AuthRes *authres_parse(const char *value);
void authres_free(AuthRes *ar);
AuthRes *authres_merge(AuthRes *into, const AuthRes *from);
AuthResProof authres_vouches(const AuthRes *trusted, const char *from_addr, const char *envelope);
const char *authres_proof_name(AuthResProof proof);
gboolean authres_id_equal(const char *a, const char *b);
gboolean authres_id_valid(const char *id);
gboolean authres_spf_result_valid(const char *result);
char *authres_format_spf(const char *authserv_id, const char *result, const char *property,
                         const char *identity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuthRes, authres_free)

#endif
