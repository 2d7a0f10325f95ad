/* listcmd.c - a member's commands to the list itself rather than to a case:
 * "#release HELD-YYYY-NNNN" makes a held item a case. Such a mail opens no
 * case; it is stored (kind "command") and its commands are checked in the
 * delivery's transaction under the same rule as a case's commands (the
 * sender proven a member by routing, and with signed_commands signed by
 * that member's key: job_command_refusal). A release itself is a delivery
 * of the held copy (release.c), which needs the write lock this delivery
 * holds: it runs after the commit, and its team copy is the confirmation.
 * What is refused is told to the team at once. */
#include "job.h"

#include <string.h>

#include "command.h"
#include "helditems.h"
#include "log.h"
#include "members.h"
#include "release.h"

static GMimeObject *
job_command_body(Job *job)
{
	if (job->protect.in.body != NULL)
		return job->protect.in.body;
	return job->in->message != NULL ? g_mime_message_get_mime_part(job->in->message) : NULL;
}

gboolean
job_is_list_command(Job *job)
{
	if (job->in->problem != NULL || job->protect.in.decrypt_error != NULL || job->cmds != NULL)
		return FALSE;
	job->cmds = lifecycle_extract(job_command_body(job), TRUE);
	if (job->cmds == NULL)
		return FALSE;
	for (guint i = 0; i < job->cmds->commands->len; i++)
		if (strcmp(((const Command *)job->cmds->commands->pdata[i])->name, "release") == 0)
			return TRUE;
	return FALSE;
}

/* Why #release ARG cannot be done now (caller g_frees), or NULL with *ID
 * the item to release. NULL and *ID NULL: an error, ERROR set. */
static char *
job_release_check_arg(Job *job, const char *arg, char **id, GError **error)
{
	g_autoptr(HeldItem) h = NULL;
	g_autofree char *norm = NULL;

	*id = NULL;
	if (!held_item_id_parse(arg, &norm))
		return g_strdup_printf("'%s' is no held item id (%s-YYYY-NNNN)", arg, HELD_PREFIX);
	if (!held_item_get(job->db, norm, &h, error))
		return NULL;
	if (h == NULL || strcmp(h->list, job->d->list->address) != 0)
		return g_strdup_printf("there is no held item %s on %s", norm,
		                       job->d->list->address);
	if (strcmp(h->state, "released") == 0)
		return g_strdup_printf("%s was released already, as %s", norm, h->case_id);
	if (strcmp(h->state, "held") != 0)
		return g_strdup_printf("%s was dropped", norm);
	*id = g_steal_pointer(&norm);
	return NULL;
}

static gboolean
job_list_refused(Job *job, const char *text, GError **error)
{
	g_auto(GStrv) team = member_addresses(job->db, job->d->list->address, NULL, error);
	g_autofree char *body = NULL;

	if (team == NULL)
		return FALSE;
	body = g_strdup_printf("%s wrote to %s with commands that were not applied:\n\n%s\n"
	                       "Nothing was changed by them.\n",
	                       job->in->from_addr, job->d->list->address, text);
	return job_notice(job, AUDIENCE_TEAM, OUT_WRITTEN, "confirm", NULL, team,
	                  "Commands not applied", body, error) ||
	       job_seal_failed(job, "the refusal of list commands", error);
}

gboolean
job_list_commands(Job *job, GError **error)
{
	g_autofree char *refusal = job_command_refusal(job, error);
	g_autoptr(GString) refused = g_string_new(NULL);

	if (refusal == NULL && error != NULL && *error != NULL)
		return FALSE;
	for (guint i = 0; i < job->cmds->commands->len; i++) {
		const Command *cmd = job->cmds->commands->pdata[i];
		g_autofree char *why = NULL, *id = NULL;

		if (!cmd->known)
			continue;
		if (refusal != NULL)
			why = g_strdup(refusal);
		else if (strcmp(cmd->name, "release") != 0)
			why = g_strdup_printf("#%s is about a case: write to the case's address",
			                      cmd->name);
		else if ((why = job_release_check_arg(job, cmd->arg, &id, error)) == NULL &&
		         id == NULL)
			return FALSE;
		if (why != NULL) {
			g_string_append_printf(refused, "#%s %s: %s\n", cmd->name, cmd->arg, why);
			continue;
		}
		if (job->releases == NULL)
			job->releases = g_ptr_array_new_with_free_func(g_free);
		if (!g_ptr_array_find_with_equal_func(job->releases, id, g_str_equal, NULL))
			g_ptr_array_add(job->releases, g_steal_pointer(&id));
	}
	if (refused->len > 0) {
		log_warn("%s: list commands from %s not applied: %s", job->d->list->address,
		         job->in->from_addr, refused->str);
		return job_list_refused(job, refused->str, error);
	}
	return TRUE;
}

void
job_release_requested(Job *job)
{
	for (guint i = 0; job->releases != NULL && i < job->releases->len; i++) {
		const char *id = job->releases->pdata[i];
		g_autoptr(GError) err = NULL;
		g_autofree char *case_id = NULL;

		if (release_held(job->d->config, job->db, id, job->in->from_addr, &case_id, &err) ==
		    0)
			log_info("%s: released as %s by %s", id, case_id != NULL ? case_id : "?",
			         job->in->from_addr);
		else
			log_warn("%s: not released (asked by %s): %s; it stays held", id,
			         job->in->from_addr, err->message);
	}
}
