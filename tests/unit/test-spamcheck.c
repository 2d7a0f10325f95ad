/* test-spamcheck.c - spamcheck_parse: rspamd's /checkv2 answers, one test
 * case per row: which actions are spam, the score, the top symbols, and
 * every answer that is no verdict. */
#include <string.h>

#include "spamcheck.h"

typedef struct {
	const char *name;
	const char *json;
	gboolean ok;            /* a verdict */
	gboolean spam;
	double score;
	const char *action;
	const char *symbols;    /* NULL: none */
	const char *why;        /* for !ok: part of the reason */
} Row;

static const Row rows[] = {
	{ "gtube",
	  "{\"is_skipped\":true,\"score\":15.0,\"required_score\":15.0,\"action\":\"reject\","
	  "\"symbols\":{\"GTUBE\":{\"name\":\"GTUBE\",\"score\":0.0,\"metric_score\":0.0}},"
	  "\"messages\":{\"smtp_message\":\"Gtube pattern\"},\"message-id\":\"1@b\"}",
	  TRUE, TRUE, 15.0, "reject", "GTUBE(0.00)", NULL },
	{ "no-action", "{\"score\":0.0,\"action\":\"no action\",\"symbols\":{}}",
	  TRUE, FALSE, 0, "no action", NULL, NULL },
	{ "greylist", "{\"score\":4.5,\"action\":\"greylist\"}", TRUE, FALSE, 4.5, "greylist", NULL, NULL },
	{ "add-header", "{\"score\":7,\"action\":\"add header\"}", TRUE, TRUE, 7, "add header", NULL, NULL },
	{ "rewrite-subject", "{\"score\":9.25,\"action\":\"rewrite subject\"}",
	  TRUE, TRUE, 9.25, "rewrite subject", NULL, NULL },
	{ "soft-reject", "{\"score\":1,\"action\":\"soft reject\"}", TRUE, FALSE, 1, "soft reject", NULL, NULL },
	{ "unknown-action", "{\"action\":\"Reject\"}", TRUE, FALSE, 0, "Reject", NULL, NULL },
	{ "top-five",
	  "{\"action\":\"add header\",\"score\":8,\"symbols\":{"
	  "\"A\":{\"score\":1},\"B\":{\"score\":3.5},\"C\":{\"score\":-2},\"D\":{\"score\":2},"
	  "\"E\":{\"score\":0.1},\"F\":{\"score\":2},\"G\":{}}}",
	  TRUE, TRUE, 8, "add header", "B(3.50) D(2.00) F(2.00) A(1.00) E(0.10)", NULL },
	{ "odd-symbol-names",
	  "{\"action\":\"reject\",\"score\":20,\"symbols\":{\"X Y(z)\\n\":{\"score\":1}}}",
	  TRUE, TRUE, 20, "reject", "X_Y_z__(1.00)", NULL },
	{ "score-as-string", "{\"action\":\"reject\",\"score\":\"lots\"}", TRUE, TRUE, 0, "reject", NULL, NULL },
	{ "not-json", "<html>Bad gateway</html>", FALSE, FALSE, 0, NULL, NULL, "not JSON" },
	{ "empty", "", FALSE, FALSE, 0, NULL, NULL, "not JSON" },
	{ "array", "[\"reject\"]", FALSE, FALSE, 0, NULL, NULL, "not a JSON object" },
	{ "no-action-member", "{\"score\":30}", FALSE, FALSE, 0, NULL, NULL, "names no action" },
	{ "action-not-string", "{\"action\":1}", FALSE, FALSE, 0, NULL, NULL, "names no action" },
	{ "action-null", "{\"action\":null}", FALSE, FALSE, 0, NULL, NULL, "names no action" },
	/* json-glib would leak what it built of this one: refused before it */
	{ "scalar-then-object", "0{\"action\":\"reject\"}", FALSE, FALSE, 0, NULL, NULL, "not JSON" },
	{ "truncated", "{\"action\":\"reject\",\"sco", FALSE, FALSE, 0, NULL, NULL, "not JSON" },
};

static void
test_row(gconstpointer data)
{
	const Row *r = data;
	SpamVerdict v = { 0 };
	g_autofree char *why = NULL;
	gboolean ok = spamcheck_parse(r->json, strlen(r->json), &v, &why);

	g_assert_cmpint(ok, ==, r->ok);
	g_assert_cmpint(v.checked, ==, r->ok);
	g_assert_cmpint(v.spam, ==, r->spam);
	g_assert_cmpfloat_with_epsilon(v.score, r->score, 1e-9);
	g_assert_cmpstr(v.action, ==, r->action);
	g_assert_cmpstr(v.symbols, ==, r->symbols);
	if (r->ok)
		g_assert_null(why);
	else
		g_assert_nonnull(strstr(why != NULL ? why : "", r->why));
	spam_verdict_clear(&v);
}

/* A verdict read twice into the same SpamVerdict does not keep the first. */
static void
test_reuse(void)
{
	SpamVerdict v = { 0 };
	g_autofree char *why1 = NULL, *why2 = NULL;
	const char *spam = "{\"action\":\"reject\",\"score\":16,\"symbols\":{\"S\":{\"score\":16}}}";

	g_assert_true(spamcheck_parse(spam, strlen(spam), &v, &why1));
	g_assert_false(spamcheck_parse("nope", 4, &v, &why2));
	g_assert_false(v.checked);
	g_assert_false(v.spam);
	g_assert_null(v.action);
	g_assert_null(v.symbols);
}

/* An over-long action is cut, and stays valid UTF-8. */
static void
test_long_action(void)
{
	g_autofree char *json = g_strdup_printf("{\"action\":\"%s\"}", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                        "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	                                        "\xc3\xa9\xc3\xa9\xc3\xa9x");
	SpamVerdict v = { 0 };
	g_autofree char *why = NULL;

	g_assert_true(spamcheck_parse(json, strlen(json), &v, &why));
	g_assert_cmpuint(strlen(v.action), <=, 64);
	g_assert_true(g_utf8_validate(v.action, -1, NULL));
	g_assert_false(v.spam);
	spam_verdict_clear(&v);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	for (guint i = 0; i < G_N_ELEMENTS(rows); i++) {
		g_autofree char *path = g_strdup_printf("/spamcheck/parse/%s", rows[i].name);
		g_test_add_data_func(path, &rows[i], test_row);
	}
	g_test_add_func("/spamcheck/reuse", test_reuse);
	g_test_add_func("/spamcheck/long-action", test_long_action);
	return g_test_run();
}
