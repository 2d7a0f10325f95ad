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

SpfChecker *spf_checker_new(const char *receiver, const char *test_zone, GError **error);
void spf_checker_set_timeout(SpfChecker *checker, guint seconds);
void spf_checker_free(SpfChecker *checker);
const char *spf_check(SpfChecker *checker, const SpfClient *client, const char *helo,
                      const char *sender, char **why, GError **error);
gboolean spf_domain_valid(const char *domain);

#endif
