/* key_cmd.c - "embargoctl key": making the list's own key pair and printing
 * its public key. The key is made without a prompt and without a passphrase
 * (embargo-mda must use it unattended) and never leaves the list's home. */
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "agentsock.h"
#include "calendar.h"
#include "commands.h"
#include "ctl.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"
#include "pendingkey.h"

static int
key_generate_cmd(Ctl *ctl, const EmbargoList *list)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *have = NULL;
	g_autofree char *home = keyring_home(ctl->config->state_dir, list->address, KEYRING_LIST);
	g_autofree char *fpr = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *at = calendar_iso(now);

	if (!keystore_list_key(ctl->db, list->address, &have, &err))
		return ctl_error(err);
	if (have != NULL) {
		fprintf(stderr, "embargoctl: %s already has a key (%s); not making another\n",
		        list->address, have);
		return EX_DATAERR;
	}
	if (!keyring_ensure_home(home, &err))
		return ctl_error(err);
	/* Made here, a key whose agent cannot start would fail every signature. */
	if (!agentsock_fits(home, TRUE, &err)) {
		if (g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG)) {
			fprintf(stderr, "embargoctl: %s: no key made: %s\n", list->address,
			        err->message);
			return EX_CONFIG;
		}
		/* gpgconf could not tell: gpg itself will say what is wrong, if anything. */
		g_clear_error(&err);
	}
	fpr = keyring_generate(home, list->name, list->address, &err);
	if (fpr == NULL)
		return ctl_error(err);
	if (!db_begin(ctl->db, &err) || !keystore_set_list_key(ctl->db, list->address, fpr, at, &err) ||
	    !db_commit(ctl->db, &err)) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	printf("%s: key %s made in %s\n", list->address, fpr, home);
	return EX_OK;
}

static int
key_export_cmd(Ctl *ctl, const EmbargoList *list)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *fpr = NULL;
	g_autofree char *home = keyring_home(ctl->config->state_dir, list->address, KEYRING_LIST);
	g_autoptr(GBytes) key = NULL;

	if (!keystore_list_key(ctl->db, list->address, &fpr, &err))
		return ctl_error(err);
	if (fpr == NULL) {
		fprintf(stderr, "embargoctl: %s has no key yet: run 'embargoctl key generate %s'\n",
		        list->address, list->address);
		return EX_DATAERR;
	}
	key = keyring_export(home, fpr, &err);
	if (key == NULL)
		return ctl_error(err);
	fwrite(g_bytes_get_data(key, NULL), 1, g_bytes_get_size(key), stdout);
	return EX_OK;
}

/* The key of a reader of one of the list's pre-release lists (#notify):
 * kept in a home of its own, apart from members and reporters. */
static int
key_prerelease_cmd(Ctl *ctl, const EmbargoList *list, const char *address, const char *file,
                   gboolean force)
{
	g_autofree char *addr = address_normalize(address);
	g_autofree char *fpr = NULL, *expires = NULL;
	GHashTableIter it;
	gpointer name, readers;
	const char *on = NULL;
	int status;

	if (addr == NULL) {
		fprintf(stderr, "embargoctl: '%s' is not a mail address\n", address);
		return EX_DATAERR;
	}
	g_hash_table_iter_init(&it, list->prerelease);
	while (on == NULL && g_hash_table_iter_next(&it, &name, &readers))
		if (g_strv_contains((const char *const *)readers, addr))
			on = name;
	if (on == NULL) {
		fprintf(stderr,
		        "embargoctl: %s is on no pre-release list of %s (prerelease.NAME in the list's "
		        "section of embargo.conf)\n",
		        addr, list->address);
		return EX_DATAERR;
	}
	status = ctl_key_import(ctl, list, KEYRING_PRERELEASE, addr, file, force, &fpr, &expires);
	if (status != EX_OK)
		return status;
	printf("%s: key %s of %s (pre-release list %s) imported\n", list->address, fpr, addr,
	       (const char *)on);
	return EX_OK;
}

/* The reporters' keys that came by mail and wait for a member (pendingkey.c). */
static int
key_pending_cmd(Ctl *ctl, const EmbargoList *list, gboolean json)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GPtrArray) held = pendingkey_list(ctl->db, list->address, NULL, &err);

	if (held == NULL)
		return ctl_error(err);
	if (json) {
		g_autoptr(JsonBuilder) b = json_builder_new();
		json_builder_begin_array(b);
		for (guint i = 0; i < held->len; i++) {
			const PendingKey *k = held->pdata[i];
			json_builder_begin_object(b);
			ctl_json_string(b, "address", k->address);
			ctl_json_string(b, "fingerprint", k->fingerprint);
			ctl_json_string(b, "case", k->case_id);
			ctl_json_string(b, "reason", k->reason);
			ctl_json_string(b, "offered_at", k->offered_at);
			json_builder_end_object(b);
		}
		json_builder_end_array(b);
		g_autoptr(JsonNode) root = json_builder_get_root(b);
		ctl_print_json(root);
		return EX_OK;
	}
	for (guint i = 0; i < held->len; i++) {
		const PendingKey *k = held->pdata[i];
		printf("%s  %s  %s  %s\n    %s\n", k->offered_at, k->address, k->fingerprint,
		       k->case_id != NULL ? k->case_id : "-", k->reason);
	}
	return EX_OK;
}

/* "key accept|drop LIST FINGERPRINT [ADDRESS]", as the member's #key command. */
static int
key_decide_cmd(Ctl *ctl, const EmbargoList *list, const char *verb, const char *fpr,
               const char *address)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *at = calendar_iso(now);
	g_autofree char *arg = g_strjoin(" ", verb, fpr, address, NULL);
	g_autofree char *done = NULL, *why = NULL;

	if (!db_begin(ctl->db, &err) ||
	    !pendingkey_command(ctl->db, ctl->config->state_dir, list->address, arg, at, &done, &why,
	                        &err) ||
	    (why == NULL && !db_commit(ctl->db, &err))) {
		db_rollback(ctl->db);
		return ctl_error(err);
	}
	if (why != NULL) {
		db_rollback(ctl->db);
		fprintf(stderr, "embargoctl: %s\n", why);
		return EX_DATAERR;
	}
	printf("%s: %s\n", list->address, done);
	return EX_OK;
}

int
cmd_keys(Ctl *ctl, int argc, char **argv)
{
	const EmbargoList *list;
	gboolean force = FALSE;
	int status;

	if (argc == 6 && strcmp(argv[5], "--force") == 0) {
		force = TRUE;
		argc--;
	}
	if (argc == 5 && strcmp(argv[1], "prerelease") == 0) {
		list = ctl_list(ctl, argv[2]);
		if (list == NULL)
			return EX_DATAERR;
		if ((status = ctl_open_db(ctl)) != EX_OK)
			return status;
		return key_prerelease_cmd(ctl, list, argv[3], argv[4], force);
	}
	if ((argc == 3 || (argc == 4 && strcmp(argv[3], "--json") == 0)) &&
	    strcmp(argv[1], "pending") == 0) {
		list = ctl_list(ctl, argv[2]);
		if (list == NULL)
			return EX_DATAERR;
		if ((status = ctl_open_db(ctl)) != EX_OK)
			return status;
		return key_pending_cmd(ctl, list, argc == 4);
	}
	if ((argc == 4 || argc == 5) &&
	    (strcmp(argv[1], "accept") == 0 || strcmp(argv[1], "drop") == 0)) {
		list = ctl_list(ctl, argv[2]);
		if (list == NULL)
			return EX_DATAERR;
		if ((status = ctl_open_db(ctl)) != EX_OK)
			return status;
		return key_decide_cmd(ctl, list, argv[1], argv[3], argc == 5 ? argv[4] : NULL);
	}
	if (argc != 3 || (strcmp(argv[1], "generate") != 0 && strcmp(argv[1], "export") != 0))
		return ctl_usage("key: expected 'key generate LIST', 'key export LIST', "
		                 "'key prerelease LIST ADDRESS FILE [--force]', 'key pending LIST "
		                 "[--json]' or 'key accept|drop LIST FINGERPRINT [ADDRESS]'");
	list = ctl_list(ctl, argv[2]);
	if (list == NULL)
		return EX_DATAERR;
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return strcmp(argv[1], "generate") == 0 ? key_generate_cmd(ctl, list) : key_export_cmd(ctl, list);
}
