/* member_cmd.c - "embargoctl member": adding, removing and listing a list's
 * team; the listing names keys that expire soon and has the team told once. */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "calendar.h"
#include "commands.h"
#include "ctl.h"
#include "gpg.h"
#include "keynotice.h"
#include "keyring.h"
#include "keystore.h"
#include "members.h"
#include "outbox.h"

static int
member_add_cmd(Ctl *ctl, const EmbargoList *list, const char *address, const char *name,
               const char *key_file, gboolean force)
{
	g_autofree char *addr = address_normalize(address);
	g_autoptr(GError) err = NULL;
	g_autofree char *fpr = NULL, *expires = NULL;
	gboolean existed;
	int status;

	if (addr == NULL || strchr(addr, '+') != NULL) {
		fprintf(stderr, "embargoctl: '%s' is not a usable member address\n", address);
		return EX_DATAERR;
	}
	if (config_is_own_address(ctl->config, addr)) {
		fprintf(stderr, "embargoctl: %s is a list address, not a member\n", addr);
		return EX_DATAERR;
	}
	if (key_file != NULL &&
	    (status = ctl_key_import(ctl, list, KEYRING_MEMBERS, addr, key_file, force, &fpr,
	                             &expires)) != EX_OK)
		return status;
	if (!db_begin(ctl->db, &err) ||
	    !member_add(ctl->db, list->address, addr, name, &existed, &err) ||
	    (fpr != NULL && !keystore_set_member_key(ctl->db, list->address, addr, fpr, expires, &err)) ||
	    !db_commit(ctl->db, &err)) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	printf("%s %s %s\n", addr, existed ? "was already a member of" : "added to", list->address);
	if (fpr != NULL)
		printf("%s: key %s, %s%s\n", addr, fpr, expires != NULL ? "expires " : "does not expire",
		       expires != NULL ? expires : "");
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

/* Tells the team, once per key, of members' keys that expire soon. Only
 * warns on failure: listing the members must work regardless. */
static void
member_key_notices(Ctl *ctl, const EmbargoList *list, GDateTime *now)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;
	int queued;

	if (!db_begin(ctl->db, &err)) {
		fprintf(stderr, "embargoctl: warning: key expiry notices not checked: %s\n", err->message);
		return;
	}
	queued = keynotice_queue(ctl->db, list, now, 0, &err);
	if (queued < 0 || !db_commit(ctl->db, &err)) {
		db_rollback(ctl->db);
		fprintf(stderr, "embargoctl: warning: key expiry notices not queued: %s\n", err->message);
		return;
	}
	if (queued == 0)
		return;
	fprintf(stderr, "embargoctl: %d key expiry notice(s) queued for the team\n", queued);
	if (!outbox_flush(ctl->db, ctl->config, 0, OUTBOX_SEND_TIMEOUT_S, &r, &err))
		fprintf(stderr, "embargoctl: warning: outbox not sent now (%s); 'embargoctl outbox flush' "
		        "will retry\n", err->message);
	else if (r.failed > 0)
		fprintf(stderr, "embargoctl: warning: outbox: %u failed; 'embargoctl outbox flush' will "
		        "retry\n", r.failed);
}

static void
member_list_json(GPtrArray *members, GDateTime *now)
{
	g_autoptr(JsonBuilder) b = json_builder_new();

	json_builder_begin_array(b);
	for (guint i = 0; i < members->len; i++) {
		const Member *m = members->pdata[i];
		json_builder_begin_object(b);
		ctl_json_string(b, "address", m->address);
		ctl_json_string(b, "name", m->name);
		ctl_json_string(b, "added_at", m->added_at);
		ctl_json_string(b, "fingerprint", m->fingerprint);
		ctl_json_string(b, "expires", m->expires);
		json_builder_set_member_name(b, "expires_soon");
		json_builder_add_boolean_value(
			b, m->fingerprint != NULL && keynotice_expires_soon(m->expires, now));
		json_builder_end_object(b);
	}
	json_builder_end_array(b);
	g_autoptr(JsonNode) root = json_builder_get_root(b);
	ctl_print_json(root);
}

static void
member_list_text(GPtrArray *members, GDateTime *now)
{
	for (guint i = 0; i < members->len; i++) {
		const Member *m = members->pdata[i];
		g_autofree char *soon = NULL;
		if (m->fingerprint != NULL && keynotice_expires_soon(m->expires, now)) {
			int days = keynotice_days_left(m->expires, now);
			soon = g_strdup_printf("  key expires %.10s (in %d day%s)", m->expires, days,
			                       days == 1 ? "" : "s");
		}
		printf("%s%s%s%s%s%s%s%s\n", ctl_safe(m->address), m->name != NULL ? "  " : "",
		       ctl_safe(m->name), m->fingerprint != NULL ? "  key " : "",
		       ctl_safe(m->fingerprint), m->expires != NULL ? " expires " : "",
		       ctl_safe(m->expires), soon != NULL ? soon : "");
	}
}

static int
member_list_cmd(Ctl *ctl, const EmbargoList *list, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autoptr(GPtrArray) members = member_list(ctl->db, list->address, &err);

	if (members == NULL)
		return ctl_error(err);
	if (json)
		member_list_json(members, now);
	else
		member_list_text(members, now);
	member_key_notices(ctl, list, now);
	return EX_OK;
}

int
cmd_member(Ctl *ctl, int argc, char **argv)
{
	g_autofree char *name = NULL;
	g_autofree char *key_file = NULL;
	gboolean json = FALSE, force = FALSE;
	GOptionEntry entries[] = {
		/* FILENAME: bytes as typed, which a STRING option would convert from
		 * the locale's charset (C here: privilege.c sets LC_ALL) and refuse
		 * when not ASCII; checked for UTF-8 below. */
		{ "name", 0, 0, G_OPTION_ARG_FILENAME, &name, "the member's name", "NAME" },
		{ "key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, "the member's OpenPGP public key", "FILE" },
		{ "force", 0, 0, G_OPTION_ARG_NONE, &force, "accept a key that fails the checks", NULL },
		{ "json", 0, 0, G_OPTION_ARG_NONE, &json, "print JSON", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	const EmbargoList *list;
	int status;

	if ((status = ctl_options("member", entries, &argc, &argv)) != EX_OK)
		return status;
	if (name != NULL && !g_utf8_validate(name, -1, NULL))
		return ctl_usage("member: --name is not valid UTF-8");
	if (argc < 3)
		return ctl_usage("member: expected add, remove or list, and a list");
	list = ctl_list(ctl, argv[2]);
	if (list == NULL)
		return EX_DATAERR;
	status = ctl_open_db(ctl);
	if (status != EX_OK)
		return status;
	if (strcmp(argv[1], "add") == 0 && argc == 4)
		return member_add_cmd(ctl, list, argv[3], name, key_file, force);
	if (strcmp(argv[1], "remove") == 0 && argc == 4)
		return member_remove_cmd(ctl, list, argv[3]);
	if (strcmp(argv[1], "list") == 0 && argc == 3)
		return member_list_cmd(ctl, list, json);
	return ctl_usage("member: wrong arguments");
}
