/* ctl.h - what embargoctl's commands share (ctl.c): the loaded
 * configuration, the database, option parsing, the mapping of errors to
 * exit statuses, terminal-safe text and JSON output. Every command file
 * depends on this header and lib/ only, never on another command's file. */
#ifndef EMBARGO_CTL_H
#define EMBARGO_CTL_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <sysexits.h>

#include "config.h"
#include "db.h"
#include "keyring.h"
#include "outboxrows.h"

typedef struct {
	EmbargoConfig *config;
	Db *db;
} Ctl;

/* Prints ERROR's message; its exit status (78 configuration, 65 a key gpg
 * refused, 75 otherwise). ERROR stays the caller's. */
int ctl_error(GError *error);
/* Prints "embargoctl: " FMT (when not NULL) and the usage; always 64. */
int ctl_usage(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
/* Parses COMMAND's options into ENTRIES, removing them from *ARGC and *ARGV;
 * EX_OK, or 64 after printing why and the usage. */
int ctl_options(const char *command, const GOptionEntry *entries, int *argc, char ***argv);
/* ctl_options for --list LIST (*LIST, caller frees; stays NULL when not
 * given) and --json (*JSON). */
int ctl_list_json_options(const char *command, int *argc, char ***argv, char **list,
                          gboolean *json);
/* Opens CTL->db after checking the state directory; EX_OK or an exit status
 * (the message printed). */
int ctl_open_db(Ctl *ctl);
/* The configured list ADDRESS (borrowed from the configuration), or NULL
 * after saying it is no list. */
const EmbargoList *ctl_list(Ctl *ctl, const char *address);
/* The addresses of every configured list, NULL-terminated; the caller
 * frees the array with g_free, the strings are the configuration's. */
const char **ctl_list_addresses(const EmbargoConfig *config);
/* Prints NODE as pretty JSON and a newline. */
void ctl_print_json(JsonNode *node);
/* TEXT made safe for the terminal, "" for NULL; borrowed: valid until 32
 * more calls, or ctl_safe_clear(). */
const char *ctl_safe(const char *text);
/* Frees what ctl_safe() returned. */
void ctl_safe_clear(void);
/* Member NAME: VALUE, or null when VALUE is NULL. */
void ctl_json_string(JsonBuilder *b, const char *name, const char *value);
/* Imports ADDR's key from KEY_FILE into LIST's KIND home when it is fit, or
 * FORCE says so. EX_OK with *FPR and *EXPIRES set (caller frees; *EXPIRES
 * NULL: never), or an exit status with the message printed. */
int ctl_key_import(Ctl *ctl, const EmbargoList *list, KeyringKind kind, const char *addr,
                   const char *key_file, gboolean force, char **fpr, char **expires);

/* Member "recipients": ROW's recipients as an array. */
void ctl_outbox_recipients(JsonBuilder *b, const OutboxRow *row);
/* Members next_attempt, first_failure, given_up_at and given_up of ROW. */
void ctl_outbox_retry_fields(JsonBuilder *b, const OutboxRow *row);
/* An unsent row's retry state in words, from the JSON object E written
 * with ctl_outbox_retry_fields and "attempts"; the caller frees it. */
char *ctl_outbox_retry_text(JsonObject *e);

#endif
