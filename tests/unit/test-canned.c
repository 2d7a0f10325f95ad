/* test-canned.c - a canned answer's template file (lib/canned.c),
 * table-driven: each row is a file's bytes and either what is read from it
 * (its Close: and its text) or the error it must give; then the filling in
 * of placeholders and the list of names. Each row is a test case of its
 * own (/canned/load/NAME). */
#include <glib/gstdio.h>
#include <string.h>

#include "canned.h"
#include "testdir.h"

static char *tmpdir;

typedef struct {
	const char *name;
	const char *bytes;
	gssize len;        /* -1: strlen(bytes) */
	const char *close; /* the Close: read, NULL: none */
	const char *text;  /* the text read; NULL: an error is wanted ... */
	const char *error; /* ... whose message holds this */
} LoadCase;

static const LoadCase load_cases[] = {
	{ "plain", "Hello,\nno bounty.\n", -1, NULL, "Hello,\nno bounty.\n", NULL },
	{ "no-final-newline", "Hello", -1, NULL, "Hello\n", NULL },
	{ "close-invalid", "Close: invalid\n\nNot a bug: {case}.\n", -1, "invalid",
	  "Not a bug: {case}.\n", NULL },
	{ "close-fixed-case", "close:   FIXED  \n\nFixed.\n", -1, "fixed", "Fixed.\n", NULL },
	{ "crlf", "Close: invalid\r\n\r\nA\r\nB\r\n", -1, "invalid", "A\nB\n", NULL },
	{ "blank-first-line", "\nNote: this is text.\n", -1, NULL, "Note: this is text.\n", NULL },
	{ "indented-text-kept", "\n    code\n", -1, NULL, "    code\n", NULL },
	{ "braces-not-placeholders", "Use {} or { case } or {Case}: {list}\n", -1, NULL,
	  "Use {} or { case } or {Case}: {list}\n", NULL },
	{ "unknown-header", "Subject: money\n\nText\n", -1, NULL, NULL,
	  "unknown header line 'Subject: money'" },
	{ "close-rejected", "Close: rejected\n\nText\n", -1, NULL, NULL,
	  "'rejected' is not invalid or fixed" },
	{ "close-twice", "Close: invalid\nClose: fixed\n\nText\n", -1, NULL, NULL, "given twice" },
	{ "header-without-blank", "Close: invalid\n", -1, NULL, NULL,
	  "must end with a blank line" },
	{ "only-headers", "Close: invalid\n\n  \n", -1, NULL, NULL, "holds no text" },
	{ "empty", "", -1, NULL, NULL, "holds no text" },
	{ "unknown-placeholder", "Dear {reporter},\n", -1, NULL, NULL,
	  "unknown placeholder {reporter}" },
	{ "latin1",
	  "Gr\xfc\xdf"
	  "e\n",
	  -1, NULL, NULL, "is not UTF-8 text" },
	{ "nul", "Hi\0there\n", 9, NULL, NULL, "is not UTF-8 text" },
};

static void
test_load(gconstpointer data)
{
	const LoadCase *lc = data;
	g_autofree char *path = g_build_filename(tmpdir, lc->name, NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(CannedAnswer) a = NULL;

	g_assert_true(g_file_set_contents(path, lc->bytes, lc->len, NULL));
	a = canned_load("x", path, &err);
	if (lc->text != NULL) {
		g_assert_no_error(err);
		g_assert_nonnull(a);
		if (a == NULL)
			return;
		g_assert_cmpstr(a->close, ==, lc->close);
		g_assert_cmpstr(a->text, ==, lc->text);
		return;
	}
	g_assert_null(a);
	g_assert_nonnull(err);
	if (err != NULL && strstr(err->message, lc->error) == NULL) {
		g_test_message("error '%s' should hold '%s'", err->message, lc->error);
		g_test_fail();
	}
}

static void
test_file_errors(void)
{
	g_autofree char *big_path = g_build_filename(tmpdir, "big", NULL);
	g_autofree char *big = g_strnfill(CANNED_MAX_SIZE + 1, 'a');
	g_autoptr(GError) err = NULL;

	g_assert_null(canned_load("x", "/nonexistent/embargo/answer.txt", &err));
	g_assert_error(err, G_FILE_ERROR, G_FILE_ERROR_NOENT);
	g_clear_error(&err);
	g_assert_null(canned_load("x", "relative.txt", &err));
	g_assert_nonnull(err);
	g_clear_error(&err);
	g_assert_true(g_file_set_contents(big_path, big, -1, NULL));
	g_assert_null(canned_load("x", big_path, &err));
	g_assert_true(err != NULL && strstr(err->message, "larger than") != NULL);
	g_clear_error(&err);
	/* a device could block or never end */
	g_assert_null(canned_load("x", "/dev/zero", &err));
	g_assert_true(err != NULL && strstr(err->message, "not a regular file") != NULL);
	g_clear_error(&err);
	g_assert_null(canned_load("x", tmpdir, &err));
	g_assert_nonnull(err);
	g_clear_error(&err);
	/* a name #reply could not spell */
	g_assert_null(canned_load("No_Bounty", big_path, &err));
	g_assert_true(err != NULL && strstr(err->message, "no name for an answer") != NULL);
	g_assert_false(canned_name_valid(""));
	g_assert_false(canned_name_valid("-x"));
	g_assert_false(canned_name_valid("a b"));
	g_assert_true(canned_name_valid("out-of-scope"));
	g_assert_true(canned_name_valid("2fa_bypass"));
}

static void
test_render_and_names(void)
{
	CannedAnswer a = { .name = "n", .text = "{case} on {list}: {case}; {x} {Case} {\n" };
	g_autofree char *out = canned_render(&a, "SEC-2026-0001", "Security {case}");
	g_autoptr(GHashTable) answers = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree char *none = canned_names(NULL), *empty = canned_names(answers), *names = NULL;

	/* A value is not filled in again: a list name holding "{case}" stays. */
	g_assert_cmpstr(out, ==, "SEC-2026-0001 on Security {case}: SEC-2026-0001; {x} {Case} {\n");
	g_assert_cmpstr(none, ==, "none");
	g_assert_cmpstr(empty, ==, "none");
	g_hash_table_insert(answers, "out-of-scope", &a);
	g_hash_table_insert(answers, "known-issue", &a);
	g_hash_table_insert(answers, "no-bounty", &a);
	names = canned_names(answers);
	g_assert_cmpstr(names, ==, "known-issue, no-bounty, out-of-scope");
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	tmpdir = g_dir_make_tmp("embargo-test-canned.XXXXXX", &err);
	g_assert_no_error(err);
	for (gsize i = 0; i < G_N_ELEMENTS(load_cases); i++) {
		g_autofree char *name = g_strdup_printf("/canned/load/%s", load_cases[i].name);
		g_test_add_data_func(name, &load_cases[i], test_load);
	}
	g_test_add_func("/canned/file-errors", test_file_errors);
	g_test_add_func("/canned/render-and-names", test_render_and_names);
	status = g_test_run();
	testdir_rm_rf(tmpdir);
	g_free(tmpdir);
	return status;
}
