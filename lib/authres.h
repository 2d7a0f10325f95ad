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

/* The parts of a field VALUE (NULL allowed) embargo uses; caller frees with
 * authres_free. NULL: no authserv-id could be read (or VALUE was NULL). */
AuthRes *authres_parse(const char *value);
/* Frees AR and all it holds; NULL is fine. */
void authres_free(AuthRes *ar);
/* Adds FROM (borrowed) to INTO and returns INTO; INTO NULL: a new copy of
 * FROM, which the caller frees with authres_free. Never NULL. */
AuthRes *authres_merge(AuthRes *into, const AuthRes *from);
/* How TRUSTED (NULL: nothing trusted) vouches for FROM_ADDR; AUTHRES_NONE
 * when it does not, or FROM_ADDR is no address. */
AuthResProof authres_vouches(const AuthRes *trusted, const char *from_addr, const char *envelope);
/* "none", "spf", "dmarc" or "dkim"; static, never NULL. */
const char *authres_proof_name(AuthResProof proof);
/* Same authserv-id without regard to case; FALSE when either is NULL. */
gboolean authres_id_equal(const char *a, const char *b);
/* TRUE for an authserv-id we may write as our own; FALSE for NULL. */
gboolean authres_id_valid(const char *id);
/* TRUE for an RFC 8601 SPF result token; FALSE for NULL. */
gboolean authres_spf_result_valid(const char *result);
/* The value of our SPF field; caller g_frees. PROPERTY and IDENTITY are left
 * out when IDENTITY is NULL or empty. Never NULL. */
char *authres_format_spf(const char *authserv_id, const char *result, const char *property,
                         const char *identity);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(AuthRes, authres_free)

#endif
