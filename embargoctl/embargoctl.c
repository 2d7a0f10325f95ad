/* embargoctl - the postmaster's tool: sets up the state directory and
 * database, manages members, shows cases, flushes the outbox, reminds the
 * team of deadlines, prints the meeting's agenda and the handling times.
 *
 * This file only reads the global options and hands each command to its
 * file (commands.h); what the commands share is in ctl.c. Exit statuses
 * follow sysexits(3): 64 usage, 65 bad argument (unknown list or case,
 * malformed address), 75 temporary failure (database busy, mail left
 * pending), 78 configuration error. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "ctl.h"
#include "log.h"
#include "privilege.h"

int
main(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file", "FILE" },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("COMMAND - manage embargo");
	g_autoptr(GError) err = NULL;
	Ctl ctl = { 0 };
	int status;

	/* First, before GLib or GPGME could start a child with what we were given. */
	privilege_scrub_environment();
	log_open("embargoctl", FALSE);
	g_option_context_add_main_entries(opts, entries, NULL);
	g_option_context_set_strict_posix(opts, TRUE);
	if (!g_option_context_parse(opts, &argc, &argv, &err))
		return ctl_usage("%s", err->message);
	if (argc < 2)
		return ctl_usage(NULL);
	if (!privilege_check(&err)) {
		fprintf(stderr, "embargoctl: %s\n", err->message);
		return EX_NOPERM;
	}
	ctl.config = config_load(config_path, &err);
	if (ctl.config == NULL)
		return ctl_error(err);
	privilege_set_home(ctl.config->state_dir);

	if (strcmp(argv[1], "init") == 0)
		status = argc == 2 ? cmd_init(&ctl) : ctl_usage("init takes no arguments");
	else if (strcmp(argv[1], "member") == 0)
		status = cmd_member(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "key") == 0)
		status = cmd_keys(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "case") == 0 && argc >= 3 && strcmp(argv[2], "advisory") == 0)
		status = cmd_case_advisory(&ctl, argc - 2, argv + 2); /* options of its own */
	else if (strcmp(argv[1], "case") == 0)
		status = cmd_case(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "outbox") == 0)
		status = cmd_outbox(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "remind") == 0)
		status = cmd_remind(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "agenda") == 0)
		status = cmd_agenda(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "stats") == 0)
		status = cmd_stats(&ctl, argc - 1, argv + 1);
	else if (strcmp(argv[1], "held") == 0)
		status = cmd_held(&ctl, argc - 1, argv + 1);
	else
		status = ctl_usage("unknown command '%s'", argv[1]);
	db_close(ctl.db);
	config_free(ctl.config);
	ctl_safe_clear();
	return status;
}
