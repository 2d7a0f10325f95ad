/* config-list.c - one [list ADDRESS] group of embargo.conf: the list's
 * address and case prefix, its policy with the list's own changes, its
 * members' rules, pre-release lists, canned answers and spam action. */
#include "config-source.h"

#include <string.h>

#include "address.h"
#include "canned.h"
#include "keyfile.h"

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

void
config_list_free(gpointer data)
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

gboolean
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
