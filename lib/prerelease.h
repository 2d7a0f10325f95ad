/* prerelease.h - who of a pre-release list a #notify can reach, what each
 * reader was queued, and whether a list counts as told. */
#ifndef EMBARGO_PRERELEASE_H
#define EMBARGO_PRERELEASE_H

#include "config.h"
#include "db.h"

typedef struct {
	char *name;        /* the pre-release list; NULL until recorded */
	char *at;          /* when the #notify was applied; NULL until recorded */
	char *reader;      /* the reader's address */
	char *fingerprint; /* the key the draft is sealed to; NULL: the reader gets nothing */
	char *reason;      /* why the reader gets nothing; NULL when fingerprint is set */
} PrereleaseReader;

/* Each of READERS (NULL-terminated) of LIST's pre-release lists with the key
 * of theirs that can encrypt now in the list's pre-release keyring under
 * STATE_DIR, or the reason they cannot be sent the draft (the list has no
 * key of its own, or the reader none that can encrypt). An array of
 * PrereleaseReader * (caller unrefs), in the order of READERS; NULL with
 * ERROR set when the store or gpg fails. */
GPtrArray *prerelease_reach(Db *db, const char *state_dir, const EmbargoList *list, char **readers,
                            GError **error);

/* The number of READERS (PrereleaseReader *) that have a key. */
guint prerelease_reachable(const GPtrArray *readers);

/* Records what each of READERS is queued by the #notify NAME of CASE_ID at
 * AT (MESSAGE: the team's mail, 0 for none), inside the caller's
 * transaction. FALSE with ERROR set. */
gboolean prerelease_record(Db *db, const char *case_id, const char *name, const GPtrArray *readers,
                           const char *at, sqlite3_int64 message, GError **error);

/* The readers recorded by the #notify NAME of CASE_ID at AT that have a key:
 * *READERS their addresses and *FPRS their fingerprints, NULL-terminated
 * and in the same order (caller g_strfreevs both; empty when none). FALSE
 * with ERROR set. */
gboolean prerelease_queued(Db *db, const char *case_id, const char *name, const char *at,
                           char ***readers, char ***fprs, GError **error);

/* The #notify NAME of CASE_ID at AT queued nothing after all (the mail
 * could not be sealed): its readers are recorded as sent nothing, for
 * REASON, and the list as not told by it. FALSE with ERROR set. */
gboolean prerelease_unqueue(Db *db, const char *case_id, const char *name, const char *at,
                            const char *reason, GError **error);

/* Every reader recorded for CASE_ID's #notify commands, oldest first
 * (PrereleaseReader *, name and at set; caller unrefs); empty when none,
 * NULL only on an error (ERROR set). */
GPtrArray *prerelease_history(Db *db, const char *case_id, GError **error);

/* *TOLD: whether the pre-release list NAME was told about CASE_ID, that is,
 * at least one of its readers was queued the draft (a notification is
 * recorded only then). FALSE with ERROR set. */
gboolean prerelease_told(Db *db, const char *case_id, const char *name, gboolean *told,
                         GError **error);

/* NULL is a no-op. */
void prerelease_reader_free(PrereleaseReader *r);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(PrereleaseReader, prerelease_reader_free)

#endif
