/* canned.h - a list's canned answers: named texts a member sends the
 * reporter with "#reply NAME", each read from its own file when the
 * configuration is loaded. */
#ifndef EMBARGO_CANNED_H
#define EMBARGO_CANNED_H

#include <glib.h>

/* The largest template file read, in bytes: an answer, not an attachment. */
#define CANNED_MAX_SIZE (64 * 1024)

typedef struct {
	char *name;   /* as #reply spells it: lower case, letters, digits, '-', '_' */
	char *path;   /* the file it was read from */
	char *close;  /* the resolution the case is closed with after it (#close
	               * RESOLUTION: fixed or invalid); NULL: the case stays open */
	char *text;   /* the body, UTF-8, ending with a newline, {case} and {list} unreplaced */
} CannedAnswer;

/* TRUE when NAME may name a canned answer (1-64 of a-z, 0-9, '-', '_',
 * starting with a letter or digit). */
gboolean canned_name_valid(const char *name);
/* Reads the canned answer NAME from PATH (absolute): an optional header
 * block ("Close: invalid") ended by a blank line, then the text. Caller
 * frees with canned_free. NULL with ERROR set (a message without the file's
 * name: the caller names the key) when the file is missing, unreadable,
 * too large, not UTF-8, empty, has an unknown header or placeholder. */
CannedAnswer *canned_load(const char *name, const char *path, GError **error);
/* A's text with {case} replaced by CASE_ID and {list} by LIST_NAME. Caller
 * frees with g_free. */
char *canned_render(const CannedAnswer *a, const char *case_id, const char *list_name);
/* The names in ANSWERS (NAME -> CannedAnswer *, may be NULL), sorted and
 * joined with ", "; "none" when there are none. Caller frees with g_free. */
char *canned_names(GHashTable *answers);
/* Frees A; NULL is fine. */
void canned_free(CannedAnswer *a);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(CannedAnswer, canned_free)

#endif
