/* init_cmd.c - "embargoctl init": creates the state directory and the
 * database, or repairs the modes of what they hold. */
#include <stdio.h>

#include "commands.h"
#include "ctl.h"
#include "keyring.h"
#include "statedir.h"

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
	printf("state directory %s ready, database schema version %d\n", ctl->config->state_dir,
	       db_schema_version());
	return EX_OK;
}
