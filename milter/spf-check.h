/* spf-check.h - SPF (RFC 7208) on the MAIL FROM or HELO identity, with libspf2 in worker processes. */
#ifndef EMBARGO_MILTER_SPF_CHECK_H
#define EMBARGO_MILTER_SPF_CHECK_H

#include <glib.h>
#include <netinet/in.h>

typedef struct SpfChecker SpfChecker;

/* seconds a lookup may take unless [milter] spf_timeout says otherwise */
#define SPF_TIMEOUT_DEFAULT 20

typedef struct {
	int family;              /* AF_INET, AF_INET6, or AF_UNSPEC when unknown */
	struct in_addr v4;
	struct in6_addr v6;
} SpfClient;

/* A checker naming us RECEIVER, TEST_ZONE (NULL: DNS) its records; caller
 * frees with spf_checker_free. NULL with ERROR set for an unreadable zone. */
SpfChecker *spf_checker_new(const char *receiver, const char *test_zone, GError **error);
/* Seconds a lookup may take (at least 1). */
void spf_checker_set_timeout(SpfChecker *checker, guint seconds);
/* Frees CHECKER (NULL is fine) once no lookup runs. */
void spf_checker_free(SpfChecker *checker);
/* The SPF result token for SENDER from CLIENT, static; *WHY (may stay
 * NULL) for the caller to g_free. NULL with ERROR set: an internal error,
 * never to be taken for a result. */
const char *spf_check(SpfChecker *checker, const SpfClient *client, const char *helo,
                      const char *sender, char **why, GError **error);
/* TRUE for a multi-label domain name; FALSE for anything else or NULL. */
gboolean spf_domain_valid(const char *domain);

#endif
