/* ctl.h - what embargoctl's commands share: the loaded configuration, the
 * database, and the mapping of errors to exit statuses. */
#ifndef EMBARGO_CTL_H
#define EMBARGO_CTL_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sysexits.h>

#include "config.h"
#include "db.h"
#include "keyring.h"

typedef struct {
	EmbargoConfig *config;
	Db *db;
} Ctl;

int ctl_error(GError *error);
int ctl_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
int ctl_open_db(Ctl *ctl);
const EmbargoList *ctl_list(Ctl *ctl, const char *address);
void ctl_print_json(JsonNode *node);
const char *ctl_safe(const char *text);
void ctl_json_string(JsonBuilder *b, const char *name, const char *value);
int ctl_key_import(Ctl *ctl, const EmbargoList *list, KeyringKind kind, const char *addr,
                   const char *key_file, gboolean force, char **fpr, char **expires);

int cmd_member(Ctl *ctl, int argc, char **argv);
int cmd_case(Ctl *ctl, int argc, char **argv);
int cmd_key(Ctl *ctl, int argc, char **argv);
int cmd_outbox(Ctl *ctl, int argc, char **argv);
void ctl_outbox_retry_fields(JsonBuilder *b, sqlite3_stmt *st, int col);
char *ctl_outbox_retry_text(JsonObject *e);

#endif
