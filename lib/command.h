/* command.h - the command lines at the top of a team member's mail. */
#ifndef EMBARGO_COMMAND_H
#define EMBARGO_COMMAND_H

#include <glib.h>

#define COMMAND_MAX_LINES 64
#define COMMAND_MAX_LINE 1000

typedef struct {
	char *name;      /* lower case, without '#': status, cve, fixed-in, ... */
	char *arg;       /* the rest of the line, trimmed; "" when none */
	gboolean known;  /* one of the commands embargo knows */
} Command;

/* The commands at the top of TEXT: lines "#name args", after any blank
 * lines, up to the first line that is not one. *REST is the offset in TEXT
 * of what follows them: the text to fan out. Lines of unknown names are
 * returned (known = FALSE) but not counted into *REST when they come last,
 * so a mail opening with "#include <stdio.h>" keeps its code. The array is
 * new and never NULL (empty: no commands); the caller unrefs it, which
 * frees its Commands. TEXT may hold NUL bytes (LEN counts them): a line
 * with one is not a command, and ends the block. */
GPtrArray *command_parse(const char *text, gsize len, gsize *rest);
/* Frees C; NULL is allowed. */
void command_free(Command *c);
/* TRUE when NAME (lower case, without '#') is a command embargo knows. */
gboolean command_is_known(const char *name);
/* TRUE when CVE is a CVE id of a year from 1999 to MAX_YEAR; FALSE with a
 * new *WHY (the caller frees it) saying what is wrong. */
gboolean command_cve_valid(const char *cve, int max_year, char **why);

#endif
