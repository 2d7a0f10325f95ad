/* embargoctl - the postmaster's tool: sets up the state directory and
 * database, manages members, shows cases, flushes the outbox, reminds the
 * team of deadlines, prints the meeting's agenda and the handling times.
 *
 * Exit statuses follow sysexits(3): 64 usage, 65 bad argument (unknown
 * list or case, malformed address), 75 temporary failure (database busy,
 * mail left pending), 78 configuration error. */
#include "ctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "address.h"
#include "gpg.h"
#include "keyring.h"
#include "opencases.h"
#include "log.h"
#include "outbox.h"
#include "privilege.h"
#include "statedir.h"
#include "termsafe.h"

static const char usage_text[] =
	"usage: embargoctl [-c FILE] COMMAND\n"
	"  init\n"
	"  member add LIST ADDRESS [--name NAME] [--key FILE [--force]]\n"
	"  member remove LIST ADDRESS\n"
	"  member list LIST [--json]\n"
	"  key generate LIST\n"
	"  key export LIST\n"
	"  key prerelease LIST ADDRESS FILE [--force]\n"
	"  case list [--list LIST] [--json]\n"
	"  case show CASE-ID [--json]\n"
	"  case advisory CASE-ID [--format markdown|osv|csaf]\n"
	"  outbox flush [--all]\n"
	"  outbox list [--json]\n"
	"  remind [--now TIME]\n"
	"  agenda LIST [--mail] [--now TIME]\n"
	"  stats [--list LIST] [--json]\n";

int
ctl_usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt != NULL) {
		fputs("embargoctl: ", stderr);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	fputs(usage_text, stderr);
	return EX_USAGE;
}

int
ctl_error(GError *error)
{
	fprintf(stderr, "embargoctl: %s\n", error->message);
	if (error->domain == EMBARGO_CONFIG_ERROR)
		return EX_CONFIG;
	if (error->domain == EMBARGO_DB_ERROR && error->code == DB_ERROR_NOT_READY)
		return EX_CONFIG;
	if (error->domain == G_FILE_ERROR && error->code == G_FILE_ERROR_PERM)
		return EX_CONFIG;
	if (error->domain == EMBARGO_GPG_ERROR && error->code == GPG_ERROR_FAILED)
		return EX_DATAERR;
	return EX_TEMPFAIL;
}

/* The addresses of every configured list, NULL-terminated; the strings are the configuration's. */
static const char **
ctl_list_addresses(const EmbargoConfig *config)
{
	const char **addresses = g_new0(const char *, config->lists->len + 1);

	for (guint i = 0; i < config->lists->len; i++)
		addresses[i] = ((const EmbargoList *)config->lists->pdata[i])->address;
	return addresses;
}

/* Every command but init opens the database here, once the state
 * directory has passed its checks: one that others could change is a
 * configuration error (78), whatever went wrong in it. */
int
ctl_open_db(Ctl *ctl)
{
	g_autoptr(GError) err = NULL;
	g_autofree const char **lists = ctl_list_addresses(ctl->config);

	if (!statedir_check_tree(ctl->config->state_dir, lists, &err)) {
		fprintf(stderr, "embargoctl: %s\n", err->message);
		return EX_CONFIG;
	}
	ctl->db = db_open(ctl->config->state_dir, FALSE, &err);
	return ctl->db != NULL ? EX_OK : ctl_error(err);
}

const EmbargoList *
ctl_list(Ctl *ctl, const char *address)
{
	const EmbargoList *list = config_find_list(ctl->config, address);

	if (list == NULL)
		fprintf(stderr, "embargoctl: %s is not a list in %s\n", address, ctl->config->path);
	return list;
}

/* TEXT safe for the terminal (termsafe.c), for one printf: the result
 * lives until CTL_SAFE_SLOTS later calls, so a line may wrap several
 * strings without a variable for each. "" for NULL. */
#define CTL_SAFE_SLOTS 32
static char *ctl_safe_slots[CTL_SAFE_SLOTS];
static guint ctl_safe_next;

const char *
ctl_safe(const char *text)
{
	char **slot = &ctl_safe_slots[ctl_safe_next++ % CTL_SAFE_SLOTS];

	g_free(*slot);
	*slot = text != NULL ? termsafe(text) : g_strdup("");
	return *slot;
}

static void
ctl_safe_clear(void)
{
	for (guint i = 0; i < CTL_SAFE_SLOTS; i++)
		g_clear_pointer(&ctl_safe_slots[i], g_free);
}

/* NAME: VALUE, or null when VALUE is NULL. */
void
ctl_json_string(JsonBuilder *b, const char *name, const char *value)
{
	json_builder_set_member_name(b, name);
	if (value != NULL)
		json_builder_add_string_value(b, value);
	else
		json_builder_add_null_value(b);
}

void
ctl_print_json(JsonNode *node)
{
	g_autoptr(JsonGenerator) gen = json_generator_new();
	g_autofree char *text = NULL;

	json_generator_set_pretty(gen, TRUE);
	json_generator_set_root(gen, node);
	text = json_generator_to_data(gen, NULL);
	puts(text);
}

/* Creates the state directory, or makes what it holds private again
 * (0700, files 0600): the one place that repairs modes. */
static int
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
		status = cmd_key(&ctl, argc - 1, argv + 1);
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
	else
		status = ctl_usage("unknown command '%s'", argv[1]);
	db_close(ctl.db);
	config_free(ctl.config);
	ctl_safe_clear();
	return status;
}
