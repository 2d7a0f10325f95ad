/* policy.c - loads a disclosure policy preset.
 *
 * The five presets are data files in contrib/policies/, compiled into the
 * programs as a GResource so that an installation cannot lose them; a
 * policy_dir may hold edited copies. A list overrides single values in its
 * own section as "policy.KEY", "deadline.NAME.KEY" or "stage.NAME.KEY". */
#include "policy.h"

#include <gio/gio.h>
#include <string.h>

#include "embedded.h"
#include "keyfile.h"

static GKeyFile *
policy_file(const char *id, const char *policy_dir, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autofree char *res_path = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) err = NULL;

	for (const char *p = id; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_') {
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "'%s' is not a policy name", id);
			return NULL;
		}
	if (policy_dir != NULL) {
		g_autofree char *base = g_strconcat(id, ".conf", NULL);
		g_autofree char *path = g_build_filename(policy_dir, base, NULL);
		if (g_file_test(path, G_FILE_TEST_EXISTS)) {
			if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err)) {
				g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "%s: %s",
				            path, err->message);
				return NULL;
			}
			return g_steal_pointer(&kf);
		}
	}
	embedded_init();
	res_path = g_strdup_printf("/org/embargo/policies/%s.conf", id);
	bytes = g_resources_lookup_data(res_path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
	if (bytes == NULL) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_NOT_FOUND,
		            "no policy preset named '%s' (built in: spinnaker, cncf, osm, codegate, signalen)",
		            id);
		return NULL;
	}
	if (!g_key_file_load_from_bytes(kf, bytes, G_KEY_FILE_NONE, &err)) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_PARSE, "preset %s: %s", id,
		            err->message);
		return NULL;
	}
	return g_steal_pointer(&kf);
}

/* Copies "policy.KEY" and "deadline.NAME.KEY" values of the list's section into the preset. */
static void
policy_apply_overrides(GKeyFile *kf, GKeyFile *overrides, const char *group)
{
	g_auto(GStrv) keys = NULL;

	if (overrides == NULL || group == NULL)
		return;
	keys = g_key_file_get_keys(overrides, group, NULL, NULL);
	for (char **k = keys; k != NULL && *k != NULL; k++) {
		g_autofree char *value =
			keyfile_strip_comment(g_key_file_get_value(overrides, group, *k, NULL));
		if (g_str_has_prefix(*k, "policy.")) {
			g_key_file_set_value(kf, "policy", *k + strlen("policy."), value);
		} else if (g_str_has_prefix(*k, "deadline.") || g_str_has_prefix(*k, "stage.")) {
			gboolean deadline = g_str_has_prefix(*k, "deadline.");
			const char *rest = strchr(*k, '.') + 1;
			const char *dot = strrchr(rest, '.');
			if (dot == NULL || dot == rest)
				continue;
			g_autofree char *name = g_strndup(rest, dot - rest);
			g_autofree char *dgroup =
				g_strconcat(deadline ? "deadline " : "stage ", name, NULL);
			g_key_file_set_value(kf, dgroup, dot + 1, value);
		}
	}
}

static void
deadline_free(gpointer data)
{
	PolicyDeadline *d = data;

	g_free(d->name);
	g_free(d->from);
	g_free(d->met_by);
	g_free(d->met_from);
	g_free(d->promise);
	g_free(d);
}

static char **
policy_get_list(GKeyFile *kf, const char *key)
{
	g_autofree char *value = g_key_file_get_string(kf, "policy", key, NULL);
	g_auto(GStrv) parts = g_strsplit(value != NULL ? value : "", ";", -1);
	GPtrArray *out = g_ptr_array_new();

	for (char **p = parts; *p != NULL; p++) {
		g_strstrip(*p);
		if (**p != '\0')
			g_ptr_array_add(out, g_strdup(*p));
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

/* received, first_answer or one of the policy's stages */
static gboolean
policy_is_event(const Policy *policy, const char *event)
{
	return strcmp(event, "received") == 0 || strcmp(event, "first_answer") == 0 ||
	       policy_has_stage(policy, event);
}

static gboolean
policy_load_deadline(Policy *policy, GKeyFile *kf, const char *group, GError **error)
{
	PolicyDeadline *d = g_new0(PolicyDeadline, 1);
	g_autofree char *unit = NULL;
	g_autoptr(GError) err = NULL;
	gint64 days, urgent;

	g_ptr_array_add(policy->deadlines, d);
	d->name = g_strdup(group + strlen("deadline "));
	d->from = g_key_file_get_string(kf, group, "from", NULL);
	if (d->from == NULL || !policy_is_event(policy, g_strstrip(d->from))) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s, deadline %s: 'from' must be received, first_answer or a stage",
		            policy->id, d->name);
		return FALSE;
	}
	d->met_by = g_key_file_get_string(kf, group, "met_by", NULL);
	if (d->met_by == NULL)
		d->met_by = g_strdup(policy->closed_stage != NULL ? policy->closed_stage : "closed");
	if (!policy_is_event(policy, g_strstrip(d->met_by)) || strcmp(d->met_by, "received") == 0) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s, deadline %s: 'met_by' must be first_answer or a stage",
		            policy->id, d->name);
		return FALSE;
	}
	/* "met_from = triaged": a first answer counts only once the report was
	 * validated, for a policy that confirms receipt after validating it */
	d->met_from = g_key_file_get_string(kf, group, "met_from", NULL);
	if (d->met_from != NULL && !policy_has_stage(policy, g_strstrip(d->met_from))) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s, deadline %s: 'met_from' must be a stage", policy->id,
		            d->name);
		return FALSE;
	}
	days = g_key_file_get_int64(kf, group, "days", &err);
	if (err != NULL || days < 0 || days > 3650) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s, deadline %s: 'days' must be a number of days", policy->id, d->name);
		return FALSE;
	}
	d->days = (guint)days;
	unit = g_key_file_get_string(kf, group, "unit", NULL);
	if (unit != NULL)
		g_strstrip(unit);
	if (unit != NULL && strcmp(unit, "business") != 0 && strcmp(unit, "calendar") != 0) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s, deadline %s: 'unit' must be business or calendar", policy->id,
		            d->name);
		return FALSE;
	}
	d->business = unit != NULL && strcmp(unit, "business") == 0;
	urgent = g_key_file_get_int64(kf, group, "urgent_days", NULL);
	d->urgent_days = urgent > 0 && urgent <= 3650 ? (guint)urgent : 0;
	d->promise = g_key_file_get_string(kf, group, "promise", NULL);
	if (d->promise == NULL)
		d->promise = g_strdup(d->name);
	return TRUE;
}

static gboolean
policy_load_stage(Policy *policy, GKeyFile *kf, const char *group, GError **error)
{
	static const char *const known[] = { POLICY_REQUIREMENTS, NULL };
	const char *stage = group + strlen("stage ");
	g_autofree char *value = g_key_file_get_string(kf, group, "requires", NULL);
	g_auto(GStrv) parts = g_strsplit(value != NULL ? value : "", ";", -1);
	GPtrArray *req = g_ptr_array_new();

	if (!policy_has_stage(policy, stage)) {
		g_ptr_array_free(req, TRUE);
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s: [stage %s] names no stage of the policy", policy->id, stage);
		return FALSE;
	}
	for (char **p = parts; *p != NULL; p++) {
		g_strstrip(*p);
		if (**p == '\0')
			continue;
		if (!g_strv_contains(known, *p)) {
			g_ptr_array_free(req, TRUE);
			g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
			            "policy %s, stage %s: cannot require '%s' (known: severity, cvss, cve, "
			            "assignee, affected, fixed_in, credit, summary, embargo, notified)",
			            policy->id, stage, *p);
			return FALSE;
		}
		g_ptr_array_add(req, g_strdup(*p));
	}
	g_ptr_array_add(req, NULL);
	g_hash_table_replace(policy->requires, g_strdup(stage), g_ptr_array_free(req, FALSE));
	return TRUE;
}

Policy *
policy_load(const char *id, const char *policy_dir, GKeyFile *overrides,
            const char *override_group, GError **error)
{
	g_autoptr(GKeyFile) kf = NULL;
	g_auto(GStrv) groups = NULL;
	Policy *policy;

	g_return_val_if_fail(id != NULL, NULL);
	kf = policy_file(id, policy_dir, error);
	if (kf == NULL)
		return NULL;
	policy_apply_overrides(kf, overrides, override_group);
	policy = g_new0(Policy, 1);
	policy->id = g_strdup(id);
	policy->deadlines = g_ptr_array_new_with_free_func(deadline_free);
	policy->name = g_key_file_get_string(kf, "policy", "name", NULL);
	if (policy->name == NULL)
		policy->name = g_strdup(id);
	policy->description = g_key_file_get_string(kf, "policy", "description", NULL);
	policy->stages = policy_get_list(kf, "stages");
	policy->prerelease_lists = policy_get_list(kf, "prerelease_lists");
	policy->released_stage = g_key_file_get_string(kf, "policy", "released_stage", NULL);
	policy->closed_stage = g_key_file_get_string(kf, "policy", "closed_stage", NULL);
	policy->ack_text = g_key_file_get_string(kf, "policy", "ack_text", NULL);
	policy->cve_required = g_key_file_get_string(kf, "policy", "cve_required", NULL);
	if (policy->cve_required != NULL && *g_strstrip(policy->cve_required) == '\0')
		g_clear_pointer(&policy->cve_required, g_free);
	if (policy->stages[0] == NULL) {
		g_set_error(error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
		            "policy %s has no stages", id);
		policy_free(policy);
		return NULL;
	}
	groups = g_key_file_get_groups(kf, NULL);
	policy->requires = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	                                         (GDestroyNotify)g_strfreev);
	for (char **g = groups; *g != NULL; g++) {
		if ((g_str_has_prefix(*g, "deadline ") && !policy_load_deadline(policy, kf, *g, error)) ||
		    (g_str_has_prefix(*g, "stage ") && !policy_load_stage(policy, kf, *g, error))) {
			policy_free(policy);
			return NULL;
		}
	}
	return policy;
}

void
policy_free(Policy *policy)
{
	if (policy == NULL)
		return;
	g_free(policy->id);
	g_free(policy->name);
	g_free(policy->description);
	g_strfreev(policy->stages);
	g_strfreev(policy->prerelease_lists);
	g_free(policy->released_stage);
	g_free(policy->closed_stage);
	g_free(policy->ack_text);
	g_free(policy->cve_required);
	g_ptr_array_unref(policy->deadlines);
	if (policy->requires != NULL)
		g_hash_table_unref(policy->requires);
	g_free(policy);
}

gboolean
policy_has_stage(const Policy *policy, const char *stage)
{
	g_return_val_if_fail(policy != NULL && stage != NULL, FALSE);
	return g_strv_contains((const char *const *)policy->stages, stage);
}

/* The position of STAGE in the policy's order, or -1. */
int
policy_stage_index(const Policy *policy, const char *stage)
{
	g_return_val_if_fail(policy != NULL && stage != NULL, -1);
	for (int i = 0; policy->stages[i] != NULL; i++)
		if (strcmp(policy->stages[i], stage) == 0)
			return i;
	return -1;
}

/* What must be set on a case before it reaches STAGE; NULL: nothing. */
char **
policy_stage_requires(const Policy *policy, const char *stage)
{
	g_return_val_if_fail(policy != NULL && stage != NULL, NULL);
	return g_hash_table_lookup(policy->requires, stage);
}
