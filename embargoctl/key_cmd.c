/* key_cmd.c - "embargoctl key": making the list's own key pair and printing
 * its public key. The key is made without a prompt and without a passphrase
 * (embargo-mda must use it unattended) and never leaves the list's home. */
#include <stdio.h>
#include <string.h>

#include "address.h"
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

int
cmd_key(Ctl *ctl, int argc, char **argv)
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
	if (argc != 3 || (strcmp(argv[1], "generate") != 0 && strcmp(argv[1], "export") != 0))
		return ctl_usage("key: expected 'key generate LIST', 'key export LIST' or "
		                 "'key prerelease LIST ADDRESS FILE [--force]'");
	list = ctl_list(ctl, argv[2]);
	if (list == NULL)
		return EX_DATAERR;
	if ((status = ctl_open_db(ctl)) != EX_OK)
		return status;
	return strcmp(argv[1], "generate") == 0 ? key_generate_cmd(ctl, list) : key_export_cmd(ctl, list);
}
