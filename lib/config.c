/* config.c - reads and checks embargo.conf with GLib's GKeyFile.
 *
 * Every error names the file, the line and the key, because the postmaster
 * fixes it from the log line alone while reports wait in Postfix's queue. */
#include "config.h"
#include "config-source.h"

#include <stdio.h>
#include <string.h>

#include "address.h"
#include "authres.h"
#include "keyfile.h"

G_DEFINE_QUARK(embargo-config-error-quark, embargo_config_error)


const char *
config_default_path(void)
{
	const char *env = g_getenv("EMBARGO_CONFIG");

	if (env != NULL && *env != '\0')
		return env;
	return SYSCONFDIR "/embargo/embargo.conf";
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
	config->lists = g_ptr_array_new_with_free_func(config_list_free);
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
