/* member_cmd.c - "embargoctl member": adding, removing and listing a list's team. */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "ctl.h"
#include "members.h"

static int
member_add_cmd(Ctl *ctl, const EmbargoList *list, const char *address, const char *name)
{
	g_autofree char *addr = address_normalize(address);
	g_autoptr(GError) err = NULL;
	gboolean existed;

	if (addr == NULL || strchr(addr, '+') != NULL) {
		fprintf(stderr, "embargoctl: '%s' is not a usable member address\n", address);
		return EX_DATAERR;
	}
	if (config_is_own_address(ctl->config, addr)) {
		fprintf(stderr, "embargoctl: %s is a list address, not a member\n", addr);
		return EX_DATAERR;
	}
	if (!db_begin(ctl->db, &err) ||
	    !member_add(ctl->db, list->address, addr, name, &existed, &err) ||
	    !db_commit(ctl->db, &err)) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	printf("%s %s %s\n", addr, existed ? "was already a member of" : "added to", list->address);
	return EX_OK;
}

static int
member_remove_cmd(Ctl *ctl, const EmbargoList *list, const char *address)
{
	g_autofree char *addr = address_normalize(address);
	g_autoptr(GError) err = NULL;
	gboolean existed;

	if (addr == NULL) {
		fprintf(stderr, "embargoctl: '%s' is not an address\n", address);
		return EX_DATAERR;
	}
	if (!db_begin(ctl->db, &err) || !member_remove(ctl->db, list->address, addr, &existed, &err) ||
	    !db_commit(ctl->db, &err)) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	if (!existed) {
		fprintf(stderr, "embargoctl: %s is not a member of %s\n", addr, list->address);
		return EX_DATAERR;
	}
	printf("%s removed from %s\n", addr, list->address);
	return EX_OK;
}

static int
member_list_cmd(Ctl *ctl, const EmbargoList *list, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) members = member_list(ctl->db, list->address, &err);

	if (members == NULL)
		return ctl_error(err);
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_array(b);
		for (guint i = 0; i < members->len; i++) {
			const Member *m = members->pdata[i];
			json_builder_begin_object(b);
			json_builder_set_member_name(b, "address");
			json_builder_add_string_value(b, m->address);
			json_builder_set_member_name(b, "name");
			if (m->name != NULL)
				json_builder_add_string_value(b, m->name);
			else
				json_builder_add_null_value(b);
			json_builder_set_member_name(b, "added_at");
			json_builder_add_string_value(b, m->added_at);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		g_autoptr(JsonNode) root = json_builder_get_root(b);
		ctl_print_json(root);
		return EX_OK;
	}
	for (guint i = 0; i < members->len; i++) {
		const Member *m = members->pdata[i];
		printf("%s%s%s\n", m->address, m->name != NULL ? "  " : "", m->name != NULL ? m->name : "");
	}
	return EX_OK;
}

int
cmd_member(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *name = NULL;
	gboolean json = FALSE;
	GOptionEntry entries[] = {
		{ "name", 0, 0, G_OPTION_ARG_STRING, &name, "the member's name", "NAME" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("add|remove|list LIST [ADDRESS]");
	g_autoptr(GError) err = NULL;
	const EmbargoList *list;
	int status;

	g_option_context_add_main_entries(opts, entries, NULL);
	g_option_context_set_help_enabled(opts, FALSE);
	if (!g_option_context_parse(opts, &argc, &argv, &err))
		return ctl_usage("member: %s", err->message);
	if (argc < 3)
		return ctl_usage("member: expected add, remove or list, and a list");
	list = ctl_list(ctl, argv[2]);
	if (list == NULL)
		return EX_DATAERR;
	status = ctl_open_db(ctl);
	if (status != EX_OK)
		return status;
	if (strcmp(argv[1], "add") == 0 && argc == 4)
		return member_add_cmd(ctl, list, argv[3], name);
	if (strcmp(argv[1], "remove") == 0 && argc == 4)
		return member_remove_cmd(ctl, list, argv[3]);
	if (strcmp(argv[1], "list") == 0 && argc == 3)
		return member_list_cmd(ctl, list, json);
	return ctl_usage("member: wrong arguments");
}
