/* init_cmd.c - "embargoctl init": creates the state directory and the
 * database, or repairs the modes of what they hold. */
#include <stdio.h>

#include "agentsock.h"
#include "commands.h"
#include "ctl.h"
#include "keyring.h"
#include "keystore.h"
#include "statedir.h"

/* Whether each list's agent can start at the depth of its home (see
 * agentsock.c), its socket directory made under /run/user/UID where it
 * must and can be. A list with a key that could not sign is an error; one
 * without is told before 'embargoctl key generate' refuses. */
static gboolean
init_check_agents(Ctl *ctl, const char **lists)
{
	gboolean ok = TRUE;

	for (guint i = 0; lists[i] != NULL; i++) {
		g_autofree char *home =
			keyring_home(ctl->config->state_dir, lists[i], KEYRING_LIST);
		g_autofree char *fpr = NULL;
		g_autoptr(GError) err = NULL;

		if (agentsock_fits(home, TRUE, &err))
			continue;
		if (!g_error_matches(err, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG)) {
			fprintf(stderr, "embargoctl: warning: %s: %s\n", lists[i], err->message);
			continue;
		}
		if (!keystore_list_key(ctl->db, lists[i], &fpr, NULL) || fpr != NULL) {
			fprintf(stderr, "embargoctl: %s: its key cannot be used: %s\n", lists[i],
			        err->message);
			ok = FALSE;
		} else {
			fprintf(stderr, "embargoctl: warning: %s: no key can be made for it: %s\n",
			        lists[i], err->message);
		}
	}
	return ok;
}

/* Creates the state directory, or makes what it holds private again
 * (0700, files 0600): the one place that repairs modes. */
int
cmd_init(Ctl *ctl)
{
	g_autoptr(GError) err = NULL;
	g_autofree const char **lists = ctl_list_addresses(ctl->config);

	if (!statedir_create(ctl->config->state_dir, &err) ||
	    !statedir_repair(ctl->config->state_dir, lists, &err))
		return ctl_error(err);
	ctl->db = db_open(ctl->config->state_dir, TRUE, &err);
	if (ctl->db == NULL)
		return ctl_error(err);
	if (!db_migrate(ctl->db, &err))
		return ctl_error(err);
	/* A list's home made before keyring_generate wrote gpg-agent.conf (an
	 * agent already running reads it when it next starts). */
	for (guint i = 0; lists[i] != NULL; i++) {
		g_autofree char *home = keyring_home(ctl->config->state_dir, lists[i], KEYRING_LIST);
		if (g_file_test(home, G_FILE_TEST_IS_DIR) && !keyring_quiet_agent(home, &err))
			return ctl_error(err);
	}
	if (!init_check_agents(ctl, lists))
		return EX_CONFIG;
	printf("state directory %s ready, database schema version %d\n", ctl->config->state_dir,
	       db_schema_version());
	return EX_OK;
}
