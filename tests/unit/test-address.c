/* test-address.c - address splitting, normalising and role detection. */
#include "address.h"

static void
test_split(void)
{
	g_autofree char *l = NULL, *e = NULL, *d = NULL;

	g_assert_true(address_split("<Security+SEC-2026-0001@Example.ORG>", &l, &e, &d));
	g_assert_cmpstr(l, ==, "security");
	g_assert_cmpstr(e, ==, "sec-2026-0001");
	g_assert_cmpstr(d, ==, "example.org");
}

static void
test_reject(void)
{
	const char *bad[] = { "", "nobody", "@example.org", "a@", "-oQ/tmp@x.org", "a b@x.org",
		              "a@b@c", "\"q\"@x.org", "a\n@x.org", "+x@y.org", NULL };

	for (int i = 0; bad[i] != NULL; i++) {
		g_autofree char *l = NULL, *e = NULL, *d = NULL;
		g_assert_false(address_split(bad[i], &l, &e, &d));
		g_assert_null(address_normalize(bad[i]));
	}
}

/* One person, one quota: what the auto-reply limits count by. */
static void
test_base(void)
{
	const char *same[] = { "jane@example.net", "Jane@Example.NET", "jane+1@example.net",
		               "<JANE+x.y@example.net>", "jane+@example.net", NULL };

	for (int i = 0; same[i] != NULL; i++) {
		g_autofree char *base = address_base(same[i]);
		g_assert_cmpstr(base, ==, "jane@example.net");
	}
	g_assert_null(address_base("+x@example.net"));
	g_assert_null(address_base("not an address"));
	g_assert_null(address_base(NULL));
}

static void
test_null_and_role(void)
{
	g_assert_true(address_is_null(""));
	g_assert_true(address_is_null("<>"));
	g_assert_true(address_is_null("MAILER-DAEMON"));
	g_assert_false(address_is_null("jane@example.net"));
	g_assert_true(address_is_role("postmaster@example.net"));
	g_assert_true(address_is_role("oss-security-bounces@lists.example"));
	g_assert_true(address_is_role("noreply@github.example"));
	g_assert_true(address_is_role("owner-list@example.net"));
	g_assert_false(address_is_role("jane@example.net"));
}

/* Envelope recipients as Postfix resolves them; FALSE where it may rewrite
 * them in ways the milter cannot follow. */
static void
test_rcpt_canonical(void)
{
	static const struct {
		const char *arg, *local, *domain;
	} good[] = {
		{ "<security@example.org>", "security", "example.org" },
		{ "SECURITY+SEC-1@Example.ORG", "security+sec-1", "example.org" },
		{ "<\"security+SEC-1\"@example.org>", "security+sec-1", "example.org" },
		{ "<\"sec\\urity\"@example.org>", "security", "example.org" },
		{ "<\"a b\"@example.org>", "a b", "example.org" },
		{ "<security@example.org.>", "security", "example.org" },
		{ "<security@example.org..>", "security", "example.org" },
		{ "<@relay.example,@r2.example:security@example.org>", "security", "example.org" },
		{ " <security@example.org> ", "security", "example.org" },
	};
	static const char *const unsure[] = {
		NULL, "", "<>", "<security>", "security", "<security@>", "<@example.org>",
		"<security@[127.0.0.1]>", "<security%example.org@example.org>", "<example.org!security@x.example>",
		"<\"security@example.org>", "<\"security\"x@example.org>", "<@relay.example security@example.org>",
		"<\"a@b\"@example.org>", "<sec\001urity@example.org>", "<security@exa mple.org>", "<security@.>",
	};

	for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
		g_autofree char *local = NULL, *domain = NULL;
		g_assert_true(address_rcpt_canonical(good[i].arg, &local, &domain));
		g_assert_cmpstr(local, ==, good[i].local);
		g_assert_cmpstr(domain, ==, good[i].domain);
	}
	for (guint i = 0; i < G_N_ELEMENTS(unsure); i++) {
		g_autofree char *local = NULL, *domain = NULL;
		if (address_rcpt_canonical(unsure[i], &local, &domain))
			g_error("'%s' read as %s @ %s", unsure[i], local, domain);
		g_assert_null(local);
		g_assert_null(domain);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/address/split", test_split);
	g_test_add_func("/address/reject", test_reject);
	g_test_add_func("/address/null-and-role", test_null_and_role);
	g_test_add_func("/address/base", test_base);
	g_test_add_func("/address/rcpt-canonical", test_rcpt_canonical);
	return g_test_run();
}
