/* config.c - reads and checks embargo.conf with GLib's GKeyFile.
 *
 * Every error names the file, the line and the key, because the postmaster
 * fixes it from the log line alone while reports wait in Postfix's queue. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "address.h"
#include "authres.h"
#include "canned.h"
#include "keyfile.h"

G_DEFINE_QUARK(embargo-config-error-quark, embargo_config_error)

#define LIST_GROUP_PREFIX "list "

const char *
config_default_path(void)
{
	const char *env = g_getenv("EMBARGO_CONFIG");

	if (env != NULL && *env != '\0')
		return env;
	return SYSCONFDIR "/embargo/embargo.conf";
}

/* Finds the line of KEY in GROUP (or of the group header when KEY is NULL). */
static int
config_line_of(const char *text, const char *group, const char *key)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	gboolean in_group = FALSE;

	for (int i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));

		if (line[0] == '[') {
			g_autofree char *name = g_strndup(line + 1, strcspn(line + 1, "]"));
			in_group = group != NULL && strcmp(name, group) == 0;
			if (in_group && key == NULL)
				return i + 1;
			continue;
		}
		if (!in_group || key == NULL)
			continue;
		size_t n = strlen(key);
		if (strncmp(line, key, n) == 0 && (line[n] == '=' || line[n] == ' ' || line[n] == '\t'))
			return i + 1;
	}
	return 0;
}

/* Finds the first line GKeyFile would refuse, for its parse errors, which carry no line. */
static int
config_bad_line(const char *text)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i] != NULL; i++) {
		g_autofree char *line = g_strstrip(g_strdup(lines[i]));

		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (line[0] == '[' ? strchr(line, ']') == NULL : strchr(line, '=') == NULL)
			return i + 1;
	}
	return 0;
}

typedef struct {
	const char *path;
	const char *text;
	GKeyFile *kf;
} Source;

static gboolean
config_fail(GError **error, const Source *src, const char *group, const char *key,
            const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static gboolean
config_fail(GError **error, const Source *src, const char *group, const char *key,
            const char *fmt, ...)
{
	va_list ap;
	g_autofree char *why = NULL;
	int line = config_line_of(src->text, group, key);
	if (line == 0 && key != NULL)
		line = config_line_of(src->text, group, NULL);

	va_start(ap, fmt);
	why = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(error, EMBARGO_CONFIG_ERROR, 0, "%s:%d: [%s] %s: %s", src->path, line,
	            group, key != NULL ? key : "(section)", why);
	return FALSE;
}

/* A value with its trailing " # comment" removed; NULL when the key is absent. */
static char *
config_get(const Source *src, const char *group, const char *key)
{
	return keyfile_strip_comment(g_key_file_get_string(src->kf, group, key, NULL));
}

static gboolean
config_get_uint(const Source *src, const char *group, const char *key, guint min, guint max,
                guint *out, GError **error)
{
	g_autofree char *value = config_get(src, group, key);
	guint64 n;

	if (value == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, min, max, &n, NULL))
		return config_fail(error, src, group, key, "'%s' is not a number from %u to %u",
		                   value, min, max);
	*out = (guint)n;
	return TRUE;
}

/* A duration: a number of seconds, or a number with a unit s, m, h, d or w
 * (as Postfix writes its queue lifetimes: 5d), from MIN to MAX seconds. */
/* decrypt_time_limit: the processor seconds one gpg operation may take.
 * It must leave embargo-mda time to store the message and tell the team
 * before time_limit defers it (a message may take a few operations): set,
 * it must be below time_limit; unset, 60, or a fifth of a shorter
 * time_limit. */
static gboolean
config_get_decrypt_time(const Source *src, const char *group, EmbargoConfig *config,
                        GError **error)
{
	g_autofree char *value = config_get(src, group, "decrypt_time_limit");

	config->decrypt_time_limit = MIN(60, MAX(1, config->time_limit / 5));
	if (!config_get_uint(src, group, "decrypt_time_limit", 1, 86400, &config->decrypt_time_limit,
	                     error))
		return FALSE;
	if (value != NULL && config->decrypt_time_limit >= config->time_limit)
		return config_fail(error, src, group, "decrypt_time_limit",
		                   "%u is not below time_limit (%u)", config->decrypt_time_limit,
		                   config->time_limit);
	return TRUE;
}

static gboolean
config_get_duration(const Source *src, const char *group, const char *key, guint64 min,
                    guint64 max, guint64 *out, GError **error)
{
	static const struct {
		char unit;
		guint64 seconds;
	} units[] = { { 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }, { 'w', 604800 } };
	g_autofree char *value = config_get(src, group, key);
	g_autofree char *number = NULL;
	guint64 n, scale = 1;
	gsize len;

	if (value == NULL)
		return TRUE;
	len = strlen(value);
	number = g_strdup(value);
	for (guint i = 0; len > 0 && i < G_N_ELEMENTS(units); i++)
		if (value[len - 1] == units[i].unit) {
			scale = units[i].seconds;
			number[len - 1] = '\0';
		}
	if (!g_ascii_string_to_unsigned(number, 10, 1, max, &n, NULL) || n > max / scale ||
	    n * scale < min || n * scale > max)
		return config_fail(error, src, group, key,
		                   "'%s' is not a duration from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
		                   " seconds (a number with s, m, h, d or w)",
		                   value, min, max);
	*out = n * scale;
	return TRUE;
}

/* Exactly YYYY-MM-DD, and a real day: holidays are compared as text. */
static gboolean
config_date_valid(const char *text)
{
	int y, m, d;

	if (strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return FALSE;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !g_ascii_isdigit(text[i]))
			return FALSE;
	if (sscanf(text, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return FALSE;
	return g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y);
}

/* Checks the list's "deadline.NAME.KEY" overrides here, where the error can
 * name their own line and key, before the policy loader sees them. */
static gboolean
config_check_overrides(const Source *src, const char *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(src->kf, group, NULL, NULL);

	for (char **k = keys; k != NULL && *k != NULL; k++) {
		const char *field = strrchr(*k, '.');
		g_autofree char *value = NULL;
		guint64 n;

		if (!g_str_has_prefix(*k, "deadline.") || field == NULL)
			continue;
		field++;
		value = config_get(src, group, *k);
		if (value == NULL)
			continue;
		if ((strcmp(field, "days") == 0 || strcmp(field, "urgent_days") == 0) &&
		    !g_ascii_string_to_unsigned(value, 10, 0, 3650, &n, NULL))
			return config_fail(error, src, group, *k, "'%s' is not a number of days", value);
		if (strcmp(field, "unit") == 0 && strcmp(value, "business") != 0 &&
		    strcmp(value, "calendar") != 0)
			return config_fail(error, src, group, *k, "'%s' must be business or calendar", value);
	}
	return TRUE;
}

/* A size in bytes (0: no limit); at most 1 TiB, which is no limit either. */
static gboolean
config_get_size(const Source *src, const char *group, const char *key, guint64 *out,
                GError **error)
{
	g_autofree char *value = config_get(src, group, key);

	if (value == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(value, 10, 0, G_GUINT64_CONSTANT(1) << 40, out, NULL))
		return config_fail(error, src, group, key, "'%s' is not a size in bytes", value);
	return TRUE;
}

static void
list_free(gpointer data)
{
	EmbargoList *list = data;

	g_free(list->address);
	g_free(list->local);
	g_free(list->domain);
	g_free(list->name);
	g_free(list->prefix);
	if (list->prerelease != NULL)
		g_hash_table_unref(list->prerelease);
	if (list->answers != NULL)
		g_hash_table_unref(list->answers);
	g_free(list->policy_name);
	policy_free(list->policy);
	g_free(list);
}

static gboolean
prefix_valid(const char *prefix)
{
	size_t n = strlen(prefix);

	if (n == 0 || n > 16 || !g_ascii_isupper(prefix[0]))
		return FALSE;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isupper(prefix[i]) && !g_ascii_isdigit(prefix[i]))
			return FALSE;
	return TRUE;
}

static gboolean
config_get_bool(const Source *src, const char *group, const char *key, gboolean *out,
                GError **error)
{
	g_autofree char *value = config_get(src, group, key);

	*out = FALSE;
	if (value == NULL)
		return TRUE;
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0)
		*out = TRUE;
	else if (strcmp(value, "no") != 0 && strcmp(value, "false") != 0)
		return config_fail(error, src, group, key, "'%s' must be yes or no", value);
	return TRUE;
}

/* "prerelease.NAME = a@example.org, b@example.net": who a pre-release
 * notification list NAME (#notify NAME) reaches. */
static gboolean
config_load_prerelease(EmbargoList *list, const Source *src, const char *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(src->kf, group, NULL, NULL);

	list->prerelease =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_strfreev);
	for (char **k = keys; k != NULL && *k != NULL; k++) {
		g_autofree char *value = NULL;
		g_auto(GStrv) parts = NULL;
		GPtrArray *addrs;
		const char *name = *k + strlen("prerelease.");

		if (!g_str_has_prefix(*k, "prerelease."))
			continue;
		if (*name == '\0')
			return config_fail(error, src, group, *k, "needs a name: prerelease.NAME");
		value = config_get(src, group, *k);
		parts = g_strsplit_set(value != NULL ? value : "", ",;", -1);
		addrs = g_ptr_array_new_with_free_func(g_free);
		for (char **p = parts; *p != NULL; p++) {
			char *a;
			if (*g_strstrip(*p) == '\0')
				continue;
			a = address_normalize(*p);
			if (a == NULL) {
				g_ptr_array_free(addrs, TRUE);
				return config_fail(error, src, group, *k, "'%s' is not a mail address", *p);
			}
			g_ptr_array_add(addrs, a);
		}
		g_ptr_array_add(addrs, NULL);
		g_ptr_array_set_free_func(addrs, NULL);
		g_hash_table_replace(list->prerelease, g_strdup(name),
		                     g_ptr_array_free(addrs, FALSE));
	}
	return TRUE;
}

/* "answer.NAME = /ABSOLUTE/PATH": the canned answer #reply NAME sends,
 * read now so that a bad file stops the configuration, not an answer. */
static gboolean
config_load_answers(EmbargoList *list, const Source *src, const char *group, GError **error)
{
	g_auto(GStrv) keys = g_key_file_get_keys(src->kf, group, NULL, NULL);

	list->answers =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)canned_free);
	for (char **k = keys; k != NULL && *k != NULL; k++) {
		g_autofree char *path = NULL;
		g_autoptr(GError) err = NULL;
		CannedAnswer *a;

		if (!g_str_has_prefix(*k, "answer."))
			continue;
		path = config_get(src, group, *k);
		a = canned_load(*k + strlen("answer."), path != NULL ? path : "", &err);
		if (a == NULL)
			return config_fail(error, src, group, *k, "%s", err->message);
		g_hash_table_replace(list->answers, g_strdup(a->name), a);
	}
	return TRUE;
}

/* spam_action = hold|tag|off; hold where a filter is configured, else off. */
static gboolean
config_get_spam_action(const EmbargoConfig *config, const Source *src, const char *group,
                       EmbargoList *list, GError **error)
{
	static const char *const names[] = { "off", "hold", "tag" };
	g_autofree char *value = config_get(src, group, "spam_action");

	list->spam_action = config->spam.rspamd ? SPAM_ACTION_HOLD : SPAM_ACTION_OFF;
	if (value == NULL)
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		if (strcmp(value, names[i]) == 0) {
			list->spam_action = config->spam.rspamd ? (SpamAction)i : SPAM_ACTION_OFF;
			return TRUE;
		}
	return config_fail(error, src, group, "spam_action", "'%s' must be hold, tag or off", value);
}

static gboolean
config_load_list(EmbargoConfig *config, const Source *src, const char *group, GError **error)
{
	const char *address = group + strlen(LIST_GROUP_PREFIX);
	g_autofree char *local = NULL, *ext = NULL, *domain = NULL;
	EmbargoList *list;
	g_autoptr(GError) perr = NULL;

	while (*address == ' ')
		address++;
	if (!address_split(address, &local, &ext, &domain) || ext != NULL)
		return config_fail(error, src, group, NULL,
		                   "'%s' is not a list address (local@domain, without '+')", address);
	list = g_new0(EmbargoList, 1);
	g_ptr_array_add(config->lists, list);
	list->local = g_steal_pointer(&local);
	list->domain = g_steal_pointer(&domain);
	list->address = g_strdup_printf("%s@%s", list->local, list->domain);
	for (guint i = 0; i + 1 < config->lists->len; i++)
		if (strcmp(((EmbargoList *)config->lists->pdata[i])->address, list->address) == 0)
			return config_fail(error, src, group, NULL, "list %s is defined twice",
			                   list->address);

	list->name = config_get(src, group, "name");
	if (list->name == NULL || *list->name == '\0') {
		g_free(list->name);
		list->name = g_strdup(list->address);
	}
	list->prefix = config_get(src, group, "prefix");
	if (list->prefix == NULL)
		return config_fail(error, src, group, "prefix", "missing (case ids need a prefix, e.g. SEC)");
	if (!prefix_valid(list->prefix))
		return config_fail(error, src, group, "prefix",
		                   "'%s' must be 1-16 upper-case letters and digits, starting with a letter",
		                   list->prefix);
	for (guint i = 0; i + 1 < config->lists->len; i++)
		if (strcmp(((EmbargoList *)config->lists->pdata[i])->prefix, list->prefix) == 0)
			return config_fail(error, src, group, "prefix",
			                   "'%s' is already the prefix of another list", list->prefix);

	list->policy_name = config_get(src, group, "policy");
	if (list->policy_name == NULL)
		list->policy_name = g_strdup("cncf");
	if (!config_check_overrides(src, group, error))
		return FALSE;
	list->policy = policy_load(list->policy_name, config->policy_dir, src->kf, group, &perr);
	if (list->policy == NULL)
		return config_fail(error, src, group, "policy", "%s", perr->message);

	list->ack_limit = 3;
	if (!config_get_uint(src, group, "ack_limit", 0, 1000, &list->ack_limit, error))
		return FALSE;
	g_autofree char *keyless = config_get(src, group, "keyless_members");
	if (keyless != NULL && strcmp(keyless, "plain") != 0 && strcmp(keyless, "skip") != 0)
		return config_fail(error, src, group, "keyless_members", "'%s' must be skip or plain",
		                   keyless);
	list->keyless_plain = keyless != NULL && strcmp(keyless, "plain") == 0;
	if (!config_get_bool(src, group, "signed_commands", &list->signed_commands, error) ||
	    !config_load_prerelease(list, src, group, error) ||
	    !config_load_answers(list, src, group, error) ||
	    !config_get_spam_action(config, src, group, list, error))
		return FALSE;
	return config_get_size(src, group, "max_message_size", &list->max_message_size, error);
}

/* spam_check, rspamd_url, spam_timeout. The check must end well before
 * time_limit defers the delivery: a slow filter may cost time, never the
 * message, so a set timeout must be below half of time_limit. */
static gboolean
config_load_spam(EmbargoSpamConfig *spam, guint time_limit, const Source *src, GError **error)
{
	const char *g = "embargo";
	g_autofree char *check = config_get(src, g, "spam_check");
	g_autofree char *timeout = config_get(src, g, "spam_timeout");

	if (check != NULL && strcmp(check, "rspamd") != 0 && strcmp(check, "none") != 0)
		return config_fail(error, src, g, "spam_check", "'%s' must be rspamd or none", check);
	spam->rspamd = check != NULL && strcmp(check, "rspamd") == 0;
	spam->rspamd_url = config_get(src, g, "rspamd_url");
	if (spam->rspamd_url == NULL)
		spam->rspamd_url = g_strdup("http://127.0.0.1:11333");
	if ((!g_str_has_prefix(spam->rspamd_url, "http://") &&
	     !g_str_has_prefix(spam->rspamd_url, "https://")) ||
	    strpbrk(spam->rspamd_url, " \t\r\n") != NULL)
		return config_fail(error, src, g, "rspamd_url", "'%s' is not an http:// or https:// URL",
		                   spam->rspamd_url);
	while (g_str_has_suffix(spam->rspamd_url, "/"))
		spam->rspamd_url[strlen(spam->rspamd_url) - 1] = '\0';
	spam->timeout = MIN(10, MAX(1, time_limit / 4));
	if (!config_get_uint(src, g, "spam_timeout", 1, 3600, &spam->timeout, error))
		return FALSE;
	if (timeout != NULL && spam->timeout * 2 >= time_limit)
		return config_fail(error, src, g, "spam_timeout", "%u is not below half of time_limit (%u)",
		                   spam->timeout, time_limit);
	return TRUE;
}

static gboolean
config_load_main(EmbargoConfig *config, const Source *src, GError **error)
{
	const char *g = "embargo";
	g_autofree char *sendmail = NULL, *holidays = NULL;
	g_autoptr(GError) err = NULL;

	config->state_dir = config_get(src, g, "state_dir");
	if (config->state_dir == NULL)
		config->state_dir = g_strdup("/var/lib/embargo");
	if (!g_path_is_absolute(config->state_dir))
		return config_fail(error, src, g, "state_dir", "'%s' is not an absolute path",
		                   config->state_dir);

	sendmail = config_get(src, g, "sendmail");
	if (sendmail == NULL)
		sendmail = g_strdup("/usr/sbin/sendmail -i");
	if (!g_shell_parse_argv(sendmail, NULL, &config->sendmail_argv, &err))
		return config_fail(error, src, g, "sendmail", "cannot split '%s': %s", sendmail,
		                   err->message);

	config->time_limit = 300;
	if (!config_get_uint(src, g, "time_limit", 5, 86400, &config->time_limit, error))
		return FALSE;
	/* Postfix's maximal_queue_lifetime */
	config->outbox_give_up = 5 * 86400;
	if (!config_get_duration(src, g, "outbox_give_up", 600, 365 * 86400,
	                         &config->outbox_give_up, error))
		return FALSE;
	config->autoreply_global_limit = 1000;
	if (!config_get_uint(src, g, "autoreply_global_limit", 0, 100000,
	                     &config->autoreply_global_limit, error))
		return FALSE;
	config->held_days = 30;
	if (!config_get_uint(src, g, "held_days", 0, 3650, &config->held_days, error))
		return FALSE;

	config->timezone = config_get(src, g, "timezone");
	if (config->timezone == NULL)
		config->timezone = g_strdup("UTC");
	config->tz = g_time_zone_new_identifier(config->timezone);
	if (config->tz == NULL)
		return config_fail(error, src, g, "timezone", "unknown time zone '%s'", config->timezone);

	holidays = config_get(src, g, "holidays");
	config->holidays = g_strsplit(holidays != NULL ? holidays : "", ";", -1);
	for (char **h = config->holidays; *h != NULL; h++) {
		g_strstrip(*h);
		if (**h != '\0' && !config_date_valid(*h))
			return config_fail(error, src, g, "holidays", "'%s' is not a YYYY-MM-DD date", *h);
	}

	config->policy_dir = config_get(src, g, "policy_dir");
	if (!config_get_decrypt_time(src, g, config, error) ||
	    !config_load_spam(&config->spam, config->time_limit, src, error))
		return FALSE;
	return config_get_size(src, g, "max_decrypted_size", &config->max_decrypted_size, error);
}

/* libmilter's socket forms; anything else would only fail once the milter starts. */
static gboolean
config_socket_valid(const char *socket)
{
	const char *at;

	if (g_str_has_prefix(socket, "unix:") || g_str_has_prefix(socket, "local:"))
		return g_path_is_absolute(strchr(socket, ':') + 1);
	if (!g_str_has_prefix(socket, "inet:") && !g_str_has_prefix(socket, "inet6:"))
		return FALSE;
	at = strchr(socket, '@');
	return at != NULL && at[1] != '\0' && at > strchr(socket, ':') + 1;
}

/* [milter]: read by embargo-milter, and by embargo-mda for the authserv-id it trusts. */
static gboolean
config_load_milter(EmbargoMilterConfig *m, const Source *src, GError **error)
{
	const char *g = "milter";
	g_autofree char *spf_fail = NULL, *rate = NULL;
	g_auto(GStrv) parts = NULL;
	guint64 max, secs;

	m->socket = config_get(src, g, "socket");
	if (m->socket == NULL)
		m->socket = g_strdup("unix:/run/embargo/milter.sock");
	if (!config_socket_valid(m->socket))
		return config_fail(error, src, g, "socket",
		                   "'%s' is not unix:/ABSOLUTE/PATH or inet:PORT@HOST", m->socket);
	m->user = config_get(src, g, "user");
	if (m->user != NULL && *m->user == '\0')
		g_clear_pointer(&m->user, g_free);
	m->authserv_id = config_get(src, g, "authserv_id");
	if (m->authserv_id != NULL && !authres_id_valid(m->authserv_id))
		return config_fail(error, src, g, "authserv_id",
		                   "'%s' must be a host name (letters, digits, '.', '-', '_')",
		                   m->authserv_id);

	spf_fail = config_get(src, g, "spf_fail");
	if (spf_fail != NULL && strcmp(spf_fail, "tag") != 0 && strcmp(spf_fail, "reject") != 0)
		return config_fail(error, src, g, "spf_fail", "'%s' must be tag or reject", spf_fail);
	m->spf_reject = spf_fail != NULL && strcmp(spf_fail, "reject") == 0;

	m->rate_max = 20;
	m->rate_seconds = 600;
	rate = config_get(src, g, "rate_limit");
	if (rate != NULL && strcmp(rate, "none") == 0) {
		m->rate_max = m->rate_seconds = 0;
	} else if (rate != NULL) {
		parts = g_strsplit(rate, "/", 3);
		if (g_strv_length(parts) != 2 ||
		    !g_ascii_string_to_unsigned(g_strstrip(parts[0]), 10, 1, 1000000, &max, NULL) ||
		    !g_ascii_string_to_unsigned(g_strstrip(parts[1]), 10, 1, 86400 * 7, &secs, NULL))
			return config_fail(error, src, g, "rate_limit",
			                   "'%s' must be MESSAGES/SECONDS (e.g. 20/600) or none", rate);
		m->rate_max = (guint)max;
		m->rate_seconds = (guint)secs;
	}
	m->spf_test_zone = config_get(src, g, "spf_test_zone");
	m->spf_timeout = 20;
	m->rate_ipv6_prefix = 64;
	if (!config_get_uint(src, g, "spf_timeout", 1, 300, &m->spf_timeout, error) ||
	    !config_get_uint(src, g, "rate_ipv6_prefix", 1, 128, &m->rate_ipv6_prefix, error))
		return FALSE;

	/* Where a milter is configured, a sender without its proof is a
	 * stranger: mail that did not pass it (another path into the MTA, a
	 * spelling it did not judge) must not fall back to trusting From. */
	if (g_key_file_has_key(src->kf, g, "required", NULL))
		return config_get_bool(src, g, "required", &m->required, error);
	m->required = g_key_file_has_group(src->kf, g);
	return TRUE;
}

EmbargoConfig *
config_load(const char *path, GError **error)
{
	g_autoptr(EmbargoConfig) config = g_new0(EmbargoConfig, 1);
	g_autofree char *text = NULL;
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) err = NULL;
	g_auto(GStrv) groups = NULL;
	Source src;

	config->path = g_strdup(path != NULL ? path : config_default_path());
	config->lists = g_ptr_array_new_with_free_func(list_free);
	if (!g_file_get_contents(config->path, &text, NULL, &err)) {
		g_set_error(error, EMBARGO_CONFIG_ERROR, 0, "%s:0: cannot read: %s", config->path,
		            err->message);
		return NULL;
	}
	if (!g_key_file_load_from_data(kf, text, -1, G_KEY_FILE_NONE, &err)) {
		g_set_error(error, EMBARGO_CONFIG_ERROR, 0, "%s:%d: %s", config->path,
		            config_bad_line(text), err->message);
		return NULL;
	}
	src = (Source){ config->path, text, kf };

	groups = g_key_file_get_groups(kf, NULL);
	for (char **g = groups; *g != NULL; g++) {
		if (strcmp(*g, "embargo") != 0 && strcmp(*g, "milter") != 0 &&
		    !g_str_has_prefix(*g, LIST_GROUP_PREFIX)) {
			config_fail(error, &src, *g, NULL,
			            "unknown section (expected [embargo], [milter] or [list ADDRESS])");
			return NULL;
		}
	}
	if (!config_load_main(config, &src, error) ||
	    !config_load_milter(&config->milter, &src, error))
		return NULL;
	for (char **g = groups; *g != NULL; g++)
		if (g_str_has_prefix(*g, LIST_GROUP_PREFIX) && !config_load_list(config, &src, *g, error))
			return NULL;
	return g_steal_pointer(&config);
}

void
config_free(EmbargoConfig *config)
{
	if (config == NULL)
		return;
	g_free(config->path);
	g_free(config->state_dir);
	g_strfreev(config->sendmail_argv);
	g_free(config->timezone);
	if (config->tz != NULL)
		g_time_zone_unref(config->tz);
	g_strfreev(config->holidays);
	g_free(config->policy_dir);
	g_free(config->milter.socket);
	g_free(config->milter.user);
	g_free(config->milter.authserv_id);
	g_free(config->milter.spf_test_zone);
	g_free(config->spam.rspamd_url);
	if (config->lists != NULL)
		g_ptr_array_unref(config->lists);
	g_free(config);
}

const EmbargoList *
config_find_list(const EmbargoConfig *config, const char *address)
{
	g_return_val_if_fail(config != NULL && address != NULL, NULL);
	for (guint i = 0; i < config->lists->len; i++) {
		const EmbargoList *list = config->lists->pdata[i];
		if (g_ascii_strcasecmp(list->address, address) == 0)
			return list;
	}
	return NULL;
}

/* True for a list address or any +extension of one: mail we send ourselves. */
gboolean
config_is_own_address(const EmbargoConfig *config, const char *address)
{
	g_autofree char *local = NULL, *ext = NULL, *domain = NULL, *base = NULL;

	g_return_val_if_fail(config != NULL, FALSE);
	if (!address_split(address, &local, &ext, &domain))
		return FALSE;
	base = g_strdup_printf("%s@%s", local, domain);
	return config_find_list(config, base) != NULL;
}

/* What one decryption may produce for LIST: max_decrypted_size, else four
 * times the list's max_message_size (compressed text may well grow that
 * much), else four times Postfix's default message_size_limit (10 MB). */
guint64
config_max_decrypted(const EmbargoConfig *config, const EmbargoList *list)
{
	g_return_val_if_fail(config != NULL, G_GUINT64_CONSTANT(4) * 10240000);
	if (config->max_decrypted_size > 0)
		return config->max_decrypted_size;
	if (list != NULL && list->max_message_size > 0 &&
	    list->max_message_size <= (G_GUINT64_CONSTANT(1) << 40))
		return 4 * list->max_message_size;
	return G_GUINT64_CONSTANT(4) * 10240000;
}
