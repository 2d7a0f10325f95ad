/* config-source.h - reading typed values from embargo.conf with errors
 * that name file, line and key. Internal to config.c and config-list.c. */
#ifndef EMBARGO_CONFIG_SOURCE_H
#define EMBARGO_CONFIG_SOURCE_H

#include "config.h"

/* The group name of a list starts with it: [list security@example.org]. */
#define LIST_GROUP_PREFIX "list "

/* One configuration file: its path, its text (for line numbers) and its
 * parse; all borrowed from the loader. */
typedef struct {
	const char *path;
	const char *text;
	GKeyFile *kf;
} Source;

/* The line of KEY in GROUP of TEXT (of the group header when KEY is NULL); 0: not found. */
int config_line_of(const char *text, const char *group, const char *key);
/* Sets ERROR to "PATH:LINE: [GROUP] KEY: why" and returns FALSE. */
gboolean config_fail(GError **error, const Source *src, const char *group, const char *key,
                     const char *fmt, ...) G_GNUC_PRINTF(5, 6);
/* KEY's value without a trailing " # comment" (caller g_frees); NULL when absent. */
char *config_get(const Source *src, const char *group, const char *key);
/* The getters below leave *OUT alone when KEY is absent (its default) and
 * return FALSE with ERROR set (config_fail) for a bad value. */
gboolean config_get_uint(const Source *src, const char *group, const char *key, guint min,
                         guint max, guint *out, GError **error);
gboolean config_get_duration(const Source *src, const char *group, const char *key, guint64 min,
                             guint64 max, guint64 *out, GError **error);
gboolean config_get_size(const Source *src, const char *group, const char *key, guint64 *out,
                         GError **error);
gboolean config_get_bool(const Source *src, const char *group, const char *key, gboolean *out,
                         GError **error);

/* config-list.c: the [list ADDRESS] group GROUP of SRC added to CONFIG's
 * lists; FALSE with ERROR set. */
gboolean config_load_list(EmbargoConfig *config, const Source *src, const char *group,
                          GError **error);
/* Frees an EmbargoList (a GDestroyNotify for CONFIG->lists). */
void config_list_free(gpointer list);

#endif
