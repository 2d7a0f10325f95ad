/* ctl.c - what embargoctl's commands share, so that no command calls
 * another's internals: the usage text and option parsing, the mapping of
 * errors to exit statuses, opening the database, finding a list, text safe
 * for the terminal, JSON printing, importing a key, and the outbox row
 * fields both "outbox list" and "case show" print.
 *
 * Exit statuses follow sysexits(3): 64 usage, 65 bad argument (unknown
 * list or case, malformed address), 75 temporary failure (database busy,
 * mail left pending), 78 configuration error. */
#include "ctl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gpg.h"
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

const char **
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

void
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

/* Parses the options of COMMAND in *ARGC and *ARGV into ENTRIES, GLib's help
 * off: --help is an unknown option like any other. */
int
ctl_options(const char *command, const GOptionEntry *entries, int *argc, char ***argv)
{
	g_autoptr(GOptionContext) opts = g_option_context_new(NULL);
	g_autoptr(GError) err = NULL;

	g_option_context_add_main_entries(opts, entries, NULL);
	g_option_context_set_help_enabled(opts, FALSE);
	if (!g_option_context_parse(opts, argc, argv, &err))
		return ctl_usage("%s: %s", command, err->message);
	return EX_OK;
}

/* The options of the listing commands (case, stats). */
int
ctl_list_json_options(const char *command, int *argc, char ***argv, char **list, gboolean *json)
{
	GOptionEntry entries[] = {
		/* FILENAME: an address is bytes, as LIST is where it is no option */
		{ "list", 0, 0, G_OPTION_ARG_FILENAME, list, "only this list", "LIST" },
		{ "json", 0, 0, G_OPTION_ARG_NONE, json, "print JSON", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};

	return ctl_options(command, entries, argc, argv);
}

/* Examines the key of ADDR in KEY_FILE; imports it into the list's KIND
 * home when it is fit, or when FORCE says so (saying what was overridden).
 * Sets *FPR and *EXPIRES (NULL: never). An exit status. */
int
ctl_key_import(Ctl *ctl, const EmbargoList *list, KeyringKind kind, const char *addr,
               const char *key_file, gboolean force, char **fpr, char **expires)
{
	g_autoptr(GError) err = NULL;
	g_autofree char *data = NULL;
	gsize len;
	g_autofree char *home = keyring_home(ctl->config->state_dir, list->address, kind);
	g_autoptr(GBytes) bytes = NULL;
	g_autofree char *problems = NULL;
	KeyCheck check;

	if (!g_file_get_contents(key_file, &data, &len, &err)) {
		fprintf(stderr, "embargoctl: %s\n", err->message);
		return EX_NOINPUT;
	}
	bytes = g_bytes_new_take(g_steal_pointer(&data), len);
	if (!keyring_check(home, bytes, addr, &check, &err)) {
		fprintf(stderr, "embargoctl: %s: %s\n", key_file, err->message);
		return err->code == GPG_ERROR_TRANSIENT ? EX_TEMPFAIL : EX_DATAERR;
	}
	problems = keycheck_problems(&check);
	if (problems != NULL && !force) {
		fprintf(stderr, "embargoctl: key %s refused for %s: %s (use --force to add it anyway)\n",
		        check.fingerprint, addr, problems);
		keycheck_clear(&check);
		return EX_DATAERR;
	}
	if (problems != NULL)
		fprintf(stderr, "embargoctl: warning: --force: adding key %s for %s although %s\n",
		        check.fingerprint, addr, problems);
	if (!keyring_import(home, bytes, &err)) {
		keycheck_clear(&check);
		return ctl_error(err);
	}
	*fpr = g_steal_pointer(&check.fingerprint);
	*expires = gpg_expiry_iso(check.expires);
	return EX_OK;
}

/* "recipients": the row's recipients, an array. */
void
ctl_outbox_recipients(JsonBuilder *b, const OutboxRow *row)
{
	json_builder_set_member_name(b, "recipients");
	json_builder_begin_array(b);
	for (char **r = row->recipients; *r != NULL; r++)
		json_builder_add_string_value(b, *r);
	json_builder_end_array(b);
}

/* The retry fields of a row, shared by "outbox list" and "case show". */
void
ctl_outbox_retry_fields(JsonBuilder *b, const OutboxRow *row)
{
	ctl_json_string(b, "next_attempt", row->next_attempt);
	ctl_json_string(b, "first_failure", row->first_failure);
	ctl_json_string(b, "given_up_at", row->given_up_at);
	json_builder_set_member_name(b, "given_up");
	json_builder_add_boolean_value(b, row->given_up_at != NULL);
}

/* One unsent row's state in words: "waiting", "3 attempts, next ...", "GIVEN UP ...". */
char *
ctl_outbox_retry_text(JsonObject *e)
{
	gint64 attempts = json_object_get_int_member(e, "attempts");
	const char *next = json_object_get_string_member(e, "next_attempt");
	const char *since = json_object_get_string_member(e, "first_failure");
	const char *given_up = json_object_get_string_member(e, "given_up_at");

	if (given_up != NULL)
		return g_strdup_printf("GIVEN UP %s after %" G_GINT64_FORMAT " attempts since %s",
		                       ctl_safe(given_up), attempts, ctl_safe(since));
	if (attempts == 0)
		return g_strdup("not tried yet");
	return g_strdup_printf("%" G_GINT64_FORMAT " attempt%s, failing since %s, next %s", attempts,
	                       attempts == 1 ? "" : "s", ctl_safe(since),
	                       next != NULL ? ctl_safe(next) : "at the next flush");
}
