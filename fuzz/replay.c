/* replay.c - a main() for the fuzz harnesses where libFuzzer is not linked:
 * feeds LLVMFuzzerTestOneInput each file named on the command line, and each
 * file of each directory named (not recursively), once. Arguments starting
 * with '-' (libFuzzer's options) are ignored, so a test can call a harness
 * the same way in either build. A crash or sanitizer report ends the
 * program as it would under libFuzzer; otherwise it exits 0, having said on
 * stderr how many inputs it ran. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a harness, as in libFuzzer: weak, NULL when absent. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

/* Runs the harness on the file PATH; FALSE when it cannot be read. */
static gboolean
replay_file(const char *path)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *text = NULL;
	uint8_t *copy;
	gsize len;

	if (!g_file_get_contents(path, &text, &len, &err)) {
		fprintf(stderr, "replay: %s\n", err->message);
		return FALSE;
	}
	/* An exact-size copy, so that ASan sees a read one byte too far. */
	copy = malloc(len > 0 ? len : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, text, len);
	fprintf(stderr, "replay: %s (%zu bytes)\n", path, (size_t)len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	return TRUE;
}

static int
replay_name_cmp(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(int argc, char **argv)
{
	guint runs = 0, unreadable = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		g_autoptr(GDir) dir = NULL;
		g_autoptr(GPtrArray) names = NULL;
		const char *name;

		if (argv[i][0] == '-')
			continue;
		if (!g_file_test(argv[i], G_FILE_TEST_IS_DIR)) {
			if (replay_file(argv[i]))
				runs++;
			else
				unreadable++;
			continue;
		}
		dir = g_dir_open(argv[i], 0, NULL);
		if (dir == NULL) {
			unreadable++;
			continue;
		}
		/* in name order, so that a failing run is the same run again */
		names = g_ptr_array_new_with_free_func(g_free);
		while ((name = g_dir_read_name(dir)) != NULL)
			g_ptr_array_add(names, g_build_filename(argv[i], name, NULL));
		g_ptr_array_sort(names, replay_name_cmp);
		for (guint j = 0; j < names->len; j++) {
			if (!g_file_test(names->pdata[j], G_FILE_TEST_IS_REGULAR))
				continue;
			if (replay_file(names->pdata[j]))
				runs++;
			else
				unreadable++;
		}
	}
	fprintf(stderr, "replay: %u inputs run, %u unreadable\n", runs, unreadable);
	return unreadable == 0 ? 0 : 1;
}
