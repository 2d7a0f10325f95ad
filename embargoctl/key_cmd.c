/* key_cmd.c - "embargoctl key": making the list's own key pair and printing
 * its public key. The key is made without a prompt and without a passphrase
 * (embargo-mda must use it unattended) and never leaves the list's home. */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "ctl.h"
#include "gpg.h"
#include "keyring.h"
#include "keystore.h"

static int
key_generate_cmd(Ctl *ctl, const EmbargoList *list)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *have = keystore_list_key(ctl->db, list->address, &err);
	g_autofree char *home = keyring_home(ctl->config->state_dir, list->address, KEYRING_LIST);
	g_autofree char *fpr = NULL;
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *at = calendar_iso(now);

	if (err != NULL)
		return ctl_error(err);
	if (have != NULL) {
		fprintf(stderr, "embargoctl: %s already has a key (%s); not making another\n",
		        list->address, have);
		return EX_DATAERR;
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
	g_autofree char *fpr = keystore_list_key(ctl->db, list->address, &err);
	g_autofree char *home = keyring_home(ctl->config->state_dir, list->address, KEYRING_LIST);
	g_autoptr(GBytes) key = NULL;

	if (err != NULL)
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

int
cmd_key(Ctl *ctl, int argc, char **argv)
{
	const EmbargoList *list;
	int status;

	if (argc != 3 || (strcmp(argv[1], "generate") != 0 && strcmp(argv[1], "export") != 0))
		return ctl_usage("key: expected 'key generate LIST' or 'key export LIST'");
	list = ctl_list(ctl, argv[2]);
	if (list == NULL)
		return EX_DATAERR;
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return strcmp(argv[1], "generate") == 0 ? key_generate_cmd(ctl, list) : key_export_cmd(ctl, list);
}
