/* cmd-fixteam.c - #fixteam: the members who form a case's fix team
 * ("identify relevant engineers ... these selected developers become the
 * Fix Team"), added and removed by name; the handler of #assign stays one
 * person beside them. */
#include "cmd.h"

#include <string.h>

#include "address.h"
#include "fixteam.h"
#include "members.h"

/* The addresses of ARG after its verb, normalized, NULL-terminated (caller
 * g_strfreevs); NULL with *WHY set when one is no address or none given. */
static char **
fixteam_addresses(const char *words, char **why)
{
	g_auto(GStrv) parts = g_strsplit_set(words, " \t,", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);

	for (char **p = parts; *p != NULL; p++) {
		char *addr;
		if (**p == '\0')
			continue;
		addr = address_normalize(*p);
		if (addr == NULL) {
			*why = g_strdup_printf("'%s' is not a mail address", *p);
			return NULL;
		}
		g_ptr_array_add(out, addr);
	}
	if (out->len == 0) {
		*why = g_strdup("expected #fixteam add ADDRESS... or #fixteam remove ADDRESS...");
		return NULL;
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(g_steal_pointer(&out), FALSE);
}

/* Every one of ADDRS added; refused whole when one is not a member. */
static gboolean
fixteam_cmd_add(const CmdCtx *ctx, char **addrs, CmdResult *res, char **why, GError **error)
{
	for (char **a = addrs; *a != NULL; a++) {
		int member = member_is(ctx->db, ctx->list->address, *a, error);
		if (member < 0)
			return FALSE;
		if (member == 0) {
			*why = g_strdup_printf(
				"%s is not a member of %s: only members join a fix team", *a,
				ctx->list->address);
			return TRUE;
		}
	}
	for (char **a = addrs; *a != NULL; a++) {
		gboolean added;
		if (!fixteam_add(ctx->db, ctx->case_id, *a, ctx->now_iso, ctx->actor, &added,
		                 error))
			return FALSE;
		cmd_applied(res, "fix team: %s %s", *a, added ? "added" : "was on it already");
	}
	return TRUE;
}

/* Every one of ADDRS taken off; refused whole when one is not on the team. */
static gboolean
fixteam_cmd_remove(const CmdCtx *ctx, char **addrs, CmdResult *res, char **why, GError **error)
{
	for (char **a = addrs; *a != NULL; a++) {
		gboolean removed;
		if (!fixteam_remove(ctx->db, ctx->case_id, *a, &removed, error))
			return FALSE;
		/* casecmd.c rolls back what the refused command already removed */
		if (!removed) {
			*why = g_strdup_printf("%s is not on the fix team of %s", *a, ctx->case_id);
			return TRUE;
		}
		cmd_applied(res, "fix team: %s removed", *a);
	}
	return TRUE;
}

gboolean
cmd_fixteam(const CmdCtx *ctx, const Case *c, const char *arg, CmdResult *res, char **why,
            GError **error)
{
	gsize verb = strcspn(arg, " \t");
	g_auto(GStrv) addrs = NULL;

	(void)c;
	if (verb == 3 && strncmp(arg, "add", 3) == 0) {
		if ((addrs = fixteam_addresses(arg + verb, why)) == NULL)
			return TRUE;
		return fixteam_cmd_add(ctx, addrs, res, why, error);
	}
	if (verb == 6 && strncmp(arg, "remove", 6) == 0) {
		if ((addrs = fixteam_addresses(arg + verb, why)) == NULL)
			return TRUE;
		return fixteam_cmd_remove(ctx, addrs, res, why, error);
	}
	*why = g_strdup("expected #fixteam add ADDRESS... or #fixteam remove ADDRESS...");
	return TRUE;
}
