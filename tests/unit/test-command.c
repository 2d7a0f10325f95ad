/* test-command.c - the command lines at the top of a member's mail
 * (lib/command.c), table-driven: each row is a text, the commands expected
 * from it and the text left to fan out; and a table of CVE ids. Each row is
 * a test case of its own (/command/parse/NAME, /command/cve/NAME). */
#include <string.h>

#include "command.h"

typedef struct {
	const char *name;
	const char *text;
	gssize len;          /* -1: strlen(text); else the length (a NUL inside) */
	const char *want;    /* "name=arg" per command, '|' between, '?' before an unknown one */
	const char *rest;    /* what is left after the commands: TEXT + *rest */
} ParseCase;

static const ParseCase parse_cases[] = {
	{ "empty", "", -1, "", "" },
	{ "plain-text", "Hello team,\n#status closed\n", -1, "", "Hello team,\n#status closed\n" },
	{ "one", "#status triaged\nText.\n", -1, "status=triaged", "Text.\n" },
	{ "no-newline", "#status triaged", -1, "status=triaged", "" },
	{ "two", "#severity high\n#cve CVE-2026-1234\n\nText.\n", -1,
	  "severity=high|cve=CVE-2026-1234", "\nText.\n" },
	{ "blank-lines-first", "\n  \n\t\n#status triaged\nText", -1, "status=triaged", "Text" },
	{ "blank-line-ends-block", "#status triaged\n\n#status closed\n", -1, "status=triaged",
	  "\n#status closed\n" },
	{ "upper-case", "#STATUS Closed\n", -1, "status=Closed", "" },
	{ "mixed-case", "#Fixed-In 1.2.3\n", -1, "fixed-in=1.2.3", "" },
	{ "colon", "#status: closed\n", -1, "status=closed", "" },
	{ "colon-no-space", "#status:closed\n", -1, "status=closed", "" },
	{ "tab", "#status\tclosed\n", -1, "status=closed", "" },
	{ "no-argument", "#close\n", -1, "close=", "" },
	{ "argument-trimmed", "#summary   A  parser bug  \t\n", -1, "summary=A  parser bug", "" },
	{ "crlf", "#status closed\r\n#cve CVE-2026-1234\r\nText\r\n", -1,
	  "status=closed|cve=CVE-2026-1234", "Text\r\n" },
	{ "unknown-last-stays", "#status triaged\n#include <stdio.h>\nint main;\n", -1,
	  "status=triaged|?include=<stdio.h>", "#include <stdio.h>\nint main;\n" },
	{ "unknown-only", "#include <stdio.h>\n#define X 1\n", -1, "?include=<stdio.h>|?define=X 1",
	  "#include <stdio.h>\n#define X 1\n" },
	{ "unknown-then-known", "#frobnicate\n#status closed\nText", -1,
	  "?frobnicate=|status=closed", "Text" },
	{ "underscore-unknown", "#fixed_in 1.2\n", -1, "?fixed_in=1.2", "#fixed_in 1.2\n" },
	{ "fixteam", "#fixteam add a@example.org b@example.org\n", -1,
	  "fixteam=add a@example.org b@example.org", "" },
	/* hostile and near-miss spellings: none is a command, the block ends */
	{ "space-after-hash", "# status closed\n", -1, "", "# status closed\n" },
	{ "leading-space", " #status closed\n", -1, "", " #status closed\n" },
	{ "quoted", "> #status closed\n", -1, "", "> #status closed\n" },
	{ "digit-first", "#1 first\n", -1, "", "#1 first\n" },
	{ "hash-only", "#\n", -1, "", "#\n" },
	{ "equals", "#status=closed\n", -1, "", "#status=closed\n" },
	{ "cyrillic-s", "#\xd1\x95tatus closed\n", -1, "", "#\xd1\x95tatus closed\n" },
	{ "soft-hyphen", "#sta\xc2\xadtus closed\n", -1, "", "#sta\xc2\xadtus closed\n" },
	{ "fullwidth-hash", "\xef\xbc\x83status closed\n", -1, "", "\xef\xbc\x83status closed\n" },
	{ "nul-in-argument", "#status closed\0 and more\nText", 29, "", "#status closed" },
	{ "nul-after-command", "#status triaged\n#cve CVE-2026-1\0\n", 33, "status=triaged",
	  "#cve CVE-2026-1" },
	{ "split-name", "#sta tus closed\n", -1, "?sta=tus closed", "#sta tus closed\n" },
	{ "reply", "#reply no-bounty\n", -1, "reply=no-bounty", "" },
	{ "reply-colon-case", "#Reply: No-Bounty\nText", -1, "reply=No-Bounty", "Text" },
	{ "reply-all-unknown", "#reply-all x\n", -1, "?reply-all=x", "#reply-all x\n" },
	{ "text-between", "#status triaged\nThanks\n#status closed\n", -1, "status=triaged",
	  "Thanks\n#status closed\n" },
};

/* A row's commands as the table writes them. */
static char *
parse_result(GPtrArray *cmds)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; i < cmds->len; i++) {
		const Command *c = cmds->pdata[i];
		g_string_append_printf(s, "%s%s%s=%s", i > 0 ? "|" : "", c->known ? "" : "?", c->name,
		                       c->arg);
		g_assert_true(c->known == command_is_known(c->name));
	}
	return g_string_free(s, FALSE);
}

static void
test_parse(gconstpointer data)
{
	const ParseCase *pc = data;
	gsize len = pc->len < 0 ? strlen(pc->text) : (gsize)pc->len;
	gsize rest = G_MAXSIZE;
	g_autoptr(GPtrArray) cmds = command_parse(pc->text, len, &rest);
	g_autofree char *got = parse_result(cmds);
	g_autofree char *left = NULL;

	g_assert_cmpuint(rest, <=, len);
	left = g_strndup(pc->text + rest, len - rest);
	g_assert_cmpstr(got, ==, pc->want);
	g_assert_cmpstr(left, ==, pc->rest);
}

/* The bounds: a line over COMMAND_MAX_LINE is not a command, and no more
 * than COMMAND_MAX_LINES commands are read. */
static void
test_bounds(void)
{
	g_autoptr(GString) t = g_string_new("#summary ");
	g_autoptr(GString) many = g_string_new(NULL);
	g_autoptr(GPtrArray) a = NULL, b = NULL;
	gsize rest;

	while (t->len < COMMAND_MAX_LINE)
		g_string_append_c(t, 'x');
	a = command_parse(t->str, t->len, &rest);
	g_assert_cmpuint(a->len, ==, 1);
	g_string_append(t, "x\n");
	g_clear_pointer(&a, g_ptr_array_unref);
	a = command_parse(t->str, t->len, &rest);
	g_assert_cmpuint(a->len, ==, 0);
	g_assert_cmpuint(rest, ==, 0);

	for (int i = 0; i < COMMAND_MAX_LINES + 5; i++)
		g_string_append_printf(many, "#credit person %d\n", i);
	b = command_parse(many->str, many->len, &rest);
	g_assert_cmpuint(b->len, ==, COMMAND_MAX_LINES);
	g_assert_true(g_str_has_prefix(many->str + rest, "#credit person 64\n"));
}

typedef struct {
	const char *name;
	const char *cve;
	gboolean valid;
} CveCase;

static const CveCase cve_cases[] = {
	{ "four-digits", "CVE-2026-1234", TRUE },
	{ "five-digits", "CVE-2026-12345", TRUE },
	{ "leading-zero-four", "CVE-2026-0001", TRUE },
	{ "first-year", "CVE-1999-0001", TRUE },
	{ "max-year", "CVE-2027-0001", TRUE },
	{ "year-too-late", "CVE-2028-0001", FALSE },
	{ "year-too-early", "CVE-1998-0001", FALSE },
	{ "three-digits", "CVE-2026-123", FALSE },
	{ "leading-zero-five", "CVE-2026-01234", FALSE },
	{ "short-year", "CVE-26-1234", FALSE },
	{ "lower-case", "cve-2026-1234", FALSE },
	{ "trailing-text", "CVE-2026-1234x", FALSE },
	{ "trailing-space", "CVE-2026-1234 ", FALSE },
	{ "sign", "CVE-2026-+1234", FALSE },
	{ "year-letters", "CVE-20x6-1234", FALSE },
	{ "twenty-digits", "CVE-2026-12345678901234567890", FALSE },
	{ "nineteen-digits", "CVE-2026-1234567890123456789", TRUE },
	{ "empty", "", FALSE },
};

static void
test_cve(gconstpointer data)
{
	const CveCase *cc = data;
	g_autofree char *why = NULL;
	gboolean valid = command_cve_valid(cc->cve, 2027, &why);

	g_assert_cmpint(valid, ==, cc->valid);
	/* a refusal always says why, an acceptance never does */
	if (valid)
		g_assert_null(why);
	else
		g_assert_nonnull(why);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	/* every row is checked and reported, a failing one too */
	g_test_set_nonfatal_assertions();
	for (gsize i = 0; i < G_N_ELEMENTS(parse_cases); i++) {
		g_autofree char *path = g_strdup_printf("/command/parse/%s", parse_cases[i].name);
		g_test_add_data_func(path, &parse_cases[i], test_parse);
	}
	g_test_add_func("/command/bounds", test_bounds);
	for (gsize i = 0; i < G_N_ELEMENTS(cve_cases); i++) {
		g_autofree char *path = g_strdup_printf("/command/cve/%s", cve_cases[i].name);
		g_test_add_data_func(path, &cve_cases[i], test_cve);
	}
	return g_test_run();
}
