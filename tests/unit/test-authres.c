/* test-authres.c - reading and writing Authentication-Results fields. */
#include "authres.h"

static AuthRes *
parse(const char *value)
{
	AuthRes *ar = authres_parse(value);

	g_assert_nonnull(ar);
	return ar;
}

static void
test_ours(void)
{
	g_autoptr(AuthRes) ar = parse("mx.example.org; spf=pass smtp.mailfrom=jane@example.net");

	g_assert_cmpstr(ar->authserv_id, ==, "mx.example.org");
	g_assert_cmpstr(ar->spf, ==, "pass");
	g_assert_cmpstr(ar->mailfrom, ==, "jane@example.net");
	g_assert_null(ar->helo);
}

static void
test_syntax(void)
{
	/* version, comments, folding, upper case, quoted values, several methods */
	g_autoptr(AuthRes) a = parse(" (c) MX.Example.ORG 1 (v);\r\n\tdkim=pass (good) header.d=example.net;\r\n"
	                             "\tSPF = FAIL (not allowed) reason=\"x; y\" smtp . mailfrom = \"j;ane\"@example.net;"
	                             " spf=pass smtp.mailfrom=late@example.net");
	g_autoptr(AuthRes) b = parse("\"mx.example.org\"; spf/1=softfail smtp.helo=helo.example policy.x=1");
	g_autoptr(AuthRes) c = parse("mx.example.org; none");
	g_autoptr(AuthRes) d = parse("mx.example.org; spf=neutral smtp.mailfrom=@example.net");
	g_autoptr(AuthRes) e = parse("mx.example.org; spf=pass smtp.mailfrom=a@b (comment \\) still ( nested ) comment)");
	g_autoptr(AuthRes) f = parse("mx.example.org");

	g_assert_cmpstr(a->authserv_id, ==, "MX.Example.ORG");
	g_assert_true(authres_id_equal(a->authserv_id, "mx.example.org"));
	g_assert_cmpstr(a->spf, ==, "fail");
	g_assert_cmpstr(a->mailfrom, ==, "j;ane@example.net");
	g_assert_cmpstr(b->authserv_id, ==, "mx.example.org");
	g_assert_cmpstr(b->spf, ==, "softfail");
	g_assert_cmpstr(b->helo, ==, "helo.example");
	g_assert_null(b->mailfrom);
	g_assert_null(c->spf);
	g_assert_cmpstr(d->mailfrom, ==, "@example.net");
	g_assert_cmpstr(e->spf, ==, "pass");
	g_assert_cmpstr(e->mailfrom, ==, "a@b");
	g_assert_null(f->spf);
}

static void
test_not_spf(void)
{
	/* the spf result hides nowhere but in an spf resinfo */
	g_autoptr(AuthRes) a = parse("mx.example.org (spf=pass); dkim=pass header.d=spf.example");
	g_autoptr(AuthRes) b = parse("mx.example.org; dkim=pass reason=\"spf=pass\"");
	g_autoptr(AuthRes) c = parse("mx.example.org; spfx=pass");

	g_assert_null(a->spf);
	g_assert_null(b->spf);
	g_assert_null(c->spf);
}

static void
test_damaged(void)
{
	const char *none[] = { "", "   ", "(only a comment)", "; spf=pass", "\"unterminated; spf=pass", NULL };
	g_autoptr(AuthRes) a = parse("mx.example.org; spf");
	g_autoptr(AuthRes) b = parse("mx.example.org; spf=fail smtp.mailfrom");
	g_autoptr(AuthRes) c = parse("mx.example.org; dkim=pass header.d=x; garbage here; spf=pass");

	for (int i = 0; none[i] != NULL; i++)
		g_assert_null(authres_parse(none[i]));
	g_assert_null(authres_parse(NULL));
	g_assert_cmpstr(a->authserv_id, ==, "mx.example.org");
	g_assert_null(a->spf);
	g_assert_cmpstr(b->spf, ==, "fail"); /* the result stands; the property is damaged */
	g_assert_null(b->mailfrom);
	g_assert_null(c->spf);               /* nothing is read past damage */
}

static void
test_ids(void)
{
	g_assert_true(authres_id_valid("mx.example.org"));
	g_assert_true(authres_id_valid("mx-1_a"));
	g_assert_false(authres_id_valid(""));
	g_assert_false(authres_id_valid("a;b"));
	g_assert_false(authres_id_valid("a b"));
	g_assert_false(authres_id_valid(NULL));
	g_assert_false(authres_id_equal("mx.example.org", "mx.example.org."));
	g_assert_false(authres_id_equal(NULL, "x"));
	g_assert_true(authres_spf_result_valid("temperror"));
	g_assert_false(authres_spf_result_valid("tempfail"));
}

static void
test_format(void)
{
	g_autofree char *a = authres_format_spf("mx.example.org", "pass", "mailfrom", "jane@example.net");
	g_autofree char *b = authres_format_spf("mx.example.org", "fail", "helo", "helo.example");
	g_autofree char *c = authres_format_spf("mx.example.org", "none", "helo", "");
	g_autofree char *d = authres_format_spf("mx.example.org", "pass", "mailfrom", "a=b\"c@example.net");
	g_autofree char *e = authres_format_spf("mx.example.org", "none", "helo", "[192.0.2.1]");

	g_assert_cmpstr(a, ==, "mx.example.org; spf=pass smtp.mailfrom=jane@example.net");
	g_assert_cmpstr(b, ==, "mx.example.org; spf=fail smtp.helo=helo.example");
	g_assert_cmpstr(c, ==, "mx.example.org; spf=none");
	g_assert_cmpstr(d, ==, "mx.example.org; spf=pass smtp.mailfrom=\"a=b\\\"c@example.net\"");
	g_assert_cmpstr(e, ==, "mx.example.org; spf=none smtp.helo=\"[192.0.2.1]\"");

	/* what we write, we read back */
	const char *written[] = { a, b, d, e, NULL };
	const char *identity[] = { "jane@example.net", "helo.example", "a=b\"c@example.net", "[192.0.2.1]" };
	for (int i = 0; written[i] != NULL; i++) {
		g_autoptr(AuthRes) ar = parse(written[i]);
		g_assert_cmpstr(ar->authserv_id, ==, "mx.example.org");
		g_assert_cmpstr(ar->mailfrom != NULL ? ar->mailfrom : ar->helo, ==, identity[i]);
	}
}

/* dkim and dmarc passes, and what they prove about a From address */
static void
test_dkim_dmarc(void)
{
	g_autoptr(AuthRes) a = parse("mx.example.org; dkim=pass (2048-bit key; unprotected) header.d=Example.ORG."
	                             " header.i=@example.org header.b=\"abc\"; dkim=fail header.d=evil.example;"
	                             " dkim=pass header.i=@x.example; dmarc=pass (p=reject dis=none) header.from=example.net");
	g_autoptr(AuthRes) b = parse("mx.example.org; dkim=pass header.d=\"a b\" header.d=second.example;"
	                             " dmarc=none header.from=example.org; dkim=pass header.d=jane@example.org");
	g_autoptr(AuthRes) c = parse("mx.example.org (dkim=pass header.d=example.org); dmarc=pass reason=\"header.from=example.org\"");

	g_assert_cmpuint(a->dkim_pass->len, ==, 1);
	g_assert_cmpstr(a->dkim_pass->pdata[0], ==, "example.org");
	g_assert_cmpuint(a->dmarc_pass->len, ==, 1);
	g_assert_cmpstr(a->dmarc_pass->pdata[0], ==, "example.net");
	/* one claim per result: a bad header.d is not made up for by a second one */
	g_assert_cmpuint(b->dkim_pass->len, ==, 0);
	g_assert_cmpuint(b->dmarc_pass->len, ==, 0);
	g_assert_cmpuint(c->dkim_pass->len, ==, 0);
	g_assert_cmpuint(c->dmarc_pass->len, ==, 0);
}

static AuthRes *
merged(const char *first, ...)
{
	AuthRes *into = NULL;
	va_list ap;

	va_start(ap, first);
	for (const char *v = first; v != NULL; v = va_arg(ap, const char *)) {
		g_autoptr(AuthRes) ar = parse(v);
		into = authres_merge(into, ar);
	}
	va_end(ap);
	return into;
}

static void
test_vouches(void)
{
	g_autoptr(AuthRes) spf = merged("mx.example.org; spf=pass smtp.mailfrom=Alice@Example.org", NULL);
	g_autoptr(AuthRes) fail = merged("mx.example.org; spf=fail smtp.mailfrom=alice@example.org",
	                                 "mx.example.org; spf=pass smtp.mailfrom=alice@example.org", NULL);
	g_autoptr(AuthRes) helo = merged("mx.example.org; spf=pass smtp.helo=example.org", NULL);
	g_autoptr(AuthRes) dmarc = merged("mx.example.org; spf=fail smtp.mailfrom=x@fwd.example",
	                                  "mx.example.org; dmarc=pass header.from=example.org", NULL);
	g_autoptr(AuthRes) dkim = merged("mx.example.org; dkim=pass header.d=example.org", NULL);
	g_autoptr(AuthRes) sub = merged("mx.example.org; dkim=pass header.d=lists.example.org", NULL);
	g_autoptr(AuthRes) tld = merged("mx.example.org; dkim=pass header.d=org; dmarc=pass header.from=org", NULL);
	g_autoptr(AuthRes) like = merged("mx.example.org; dkim=pass header.d=ample.org", NULL);

	g_assert_cmpint(authres_vouches(spf, "alice@example.org", "alice@example.org"), ==, AUTHRES_SPF);
	g_assert_cmpint(authres_vouches(spf, "alice@example.org", "bob@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(spf, "bob@example.org", "bob@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(spf, NULL, "alice@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(NULL, "alice@example.org", "alice@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(fail, "alice@example.org", "alice@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(helo, "alice@example.org", "alice@example.org"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(dmarc, "alice@example.org", "x@fwd.example"), ==, AUTHRES_DMARC);
	g_assert_cmpint(authres_vouches(dmarc, "alice@sub.example.org", "x@fwd.example"), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(dkim, "alice@example.org", "x@fwd.example"), ==, AUTHRES_DKIM);
	g_assert_cmpint(authres_vouches(dkim, "alice@mail.example.org", ""), ==, AUTHRES_DKIM);
	g_assert_cmpint(authres_vouches(dkim, "alice@badexample.org", ""), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(sub, "alice@example.org", ""), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(tld, "alice@example.org", ""), ==, AUTHRES_NONE);
	g_assert_cmpint(authres_vouches(tld, "alice@org", ""), ==, AUTHRES_DMARC);
	g_assert_cmpint(authres_vouches(like, "alice@example.org", ""), ==, AUTHRES_NONE);
	g_assert_cmpstr(authres_proof_name(AUTHRES_DKIM), ==, "dkim");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/authres/ours", test_ours);
	g_test_add_func("/authres/syntax", test_syntax);
	g_test_add_func("/authres/not-spf", test_not_spf);
	g_test_add_func("/authres/damaged", test_damaged);
	g_test_add_func("/authres/ids", test_ids);
	g_test_add_func("/authres/format", test_format);
	g_test_add_func("/authres/dkim-dmarc", test_dkim_dmarc);
	g_test_add_func("/authres/vouches", test_vouches);
	return g_test_run();
}
