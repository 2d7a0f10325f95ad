/* fuzz-command.c - libFuzzer harness: the command lines at the top of a
 * member's mail, and the CVE ids they carry. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "command.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	g_autoptr(GPtrArray) cmds = NULL;
	gsize rest = 0;

	cmds = command_parse(text, size, &rest);
	if (rest > size || cmds->len > COMMAND_MAX_LINES)
		abort();
	for (guint i = 0; i < cmds->len; i++) {
		const Command *c = cmds->pdata[i];
		g_autofree char *why = NULL;
		if (*c->name == '\0' || strchr(c->arg, '\n') != NULL || strlen(c->arg) > COMMAND_MAX_LINE)
			abort();
		if (c->known != command_is_known(c->name))
			abort();
		if (command_cve_valid(c->arg, 2027, &why) == (why != NULL))
			abort();
	}
	/* What follows the commands starts at a line boundary. */
	if (rest > 0 && text[rest - 1] != '\n' && rest != size)
		abort();
	return 0;
}
