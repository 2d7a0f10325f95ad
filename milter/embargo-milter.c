/* embargo-milter - the SMTP-time guard of the list addresses (SPF,
 * Authentication-Results, size and rate limits) on libmilter.
 *
 * Not built out yet: this program only checks the configuration it would
 * run with and says that it does not filter yet, so that nobody wires an
 * unfinished filter into Postfix by mistake. */
#include <libmilter/mfapi.h>
#include <stdio.h>
#include <sysexits.h>

#include "config.h"
#include "log.h"

int
main(int argc, char **argv)
{
	g_autofree char *config_path = NULL;
	gboolean foreground = FALSE;
	GOptionEntry entries[] = {
		{ "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "configuration file", "FILE" },
		{ "foreground", 'f', 0, G_OPTION_ARG_NONE, &foreground, "stay in the foreground", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_autoptr(GOptionContext) opts = g_option_context_new("- embargo's SMTP-time filter");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) config = NULL;

	g_option_context_add_main_entries(opts, entries, NULL);
	if (!g_option_context_parse(opts, &argc, &argv, &err)) {
		fprintf(stderr, "embargo-milter: %s\n", err->message);
		return EX_USAGE;
	}
	log_open("embargo-milter", TRUE);
	config = config_load(config_path, &err);
	if (config == NULL) {
		log_error("%s", err->message);
		return EX_CONFIG;
	}
	log_error("the milter does not filter yet (libmilter %d); do not list it in smtpd_milters",
	          SMFI_VERSION);
	return EX_UNAVAILABLE;
}
