/* keyfile.c - trailing comments in key files. GKeyFile only knows comment
 * lines, but postmasters write "key = value   # why", as the documented
 * examples do; a '#' after whitespace ends the value. */
#include "keyfile.h"

/* Cuts VALUE at a whitespace-preceded '#', strips it, and returns it. */
char *
keyfile_strip_comment(char *value)
{
	if (value == NULL)
		return NULL;
	for (char *p = value; *p; p++) {
		if (*p == '#' && p > value && (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	}
	return g_strstrip(value);
}
