/* cmd-reply.c - "#reply NAME": one of the list's canned answers (canned.h)
 * for the case's reporter. Here the name is checked and the answer chosen;
 * the mail itself is written by effects.c after the commands, like every
 * mail a command causes, and the close the answer asks for is applied by
 * casecmd.c as "#close RESOLUTION" once the other commands ran. */
#include "cmd.h"

#include <string.h>

#include "canned.h"

gboolean
cmd_reply(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
          GError **error)
{
	g_autofree char *name = g_ascii_strdown(arg, -1);
	GHashTable *answers = ctx->list->answers;
	const CannedAnswer *a = answers != NULL ? g_hash_table_lookup(answers, name) : NULL;

	(void)error;
	if (a == NULL) {
		g_autofree char *known = canned_names(answers);
		*why = *name == '\0'
		               ? g_strdup_printf("name the canned answer: #reply NAME (%s has: %s)",
		                                 ctx->list->address, known)
		               : g_strdup_printf("%s has no canned answer '%s' (it has: %s)",
		                                 ctx->list->address, arg, known);
		return TRUE;
	}
	/* Two canned answers in one mail are a slip, not a conversation. */
	if (res->reply != NULL) {
		*why = g_strdup_printf("one canned answer per mail: %s goes already",
		                       res->reply->name);
		return TRUE;
	}
	res->reply = a;
	if (a->close != NULL)
		cmd_applied(res, "reply: the canned answer %s to the reporter %s, then #close %s",
		            a->name, c->reporter, a->close);
	else
		cmd_applied(res, "reply: the canned answer %s to the reporter %s", a->name,
		            c->reporter);
	return TRUE;
}
