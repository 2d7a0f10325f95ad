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
 * so a mail opening with "#include <stdio.h>" keeps its code. */
GPtrArray *command_parse(const char *text, gsize len, gsize *rest);
void command_free(Command *c);
gboolean command_is_known(const char *name);
gboolean command_cve_valid(const char *cve, int max_year, char **why);

#endif
