/* helditems.h - held items: mail kept back from the team instead of
 * opening a case (automatic mail on no case, spam the filter holds), with
 * their own ids HELD-YYYY-NNNN and their raw copies in the spool. */
#ifndef EMBARGO_HELDITEMS_H
#define EMBARGO_HELDITEMS_H

#include "db.h"
#include "spamverdict.h"

#define HELD_PREFIX "HELD"

/* What a delivery knows of the mail it holds; every pointer borrowed. */
typedef struct {
	const char *list;
	const char *received_at;
	const char *envelope_from;
	const char *recipient;
	const char *from_addr; /* NULL: no usable From */
	const char *from_name;
	const char *subject;
	gint64 size;
	const char *message_id; /* "" when the message had none */
	const char *digest;
	const char *spool_path;
	const char *why;         /* the automatic-mail marker, or the spam reason */
	const SpamVerdict *spam; /* NULL or unchecked: no score, no symbols */
} HeldRecord;

typedef struct {
	char *id, *list, *received_at, *envelope_from, *recipient, *from_addr, *from_name;
	char *subject, *message_id, *spool_path, *why;
	gint64 size;
	gboolean scored; /* FALSE: no spam verdict, spam_score meaningless */
	double spam_score;
	char *spam_symbols;
	char *state;   /* held, released, dropped */
	char *case_id; /* the case a release made, or NULL */
	char *decided_by, *decided_at, *digested_at;
} HeldItem;

/* Frees ITEM and what it owns; NULL is a no-op. */
void held_item_free(HeldItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HeldItem, held_item_free)

/* TRUE when TEXT is a held item's id (any case of the prefix); *NORM (may
 * be NULL) the normalised id, caller g_frees. */
gboolean held_item_id_parse(const char *text, char **norm);

/* Stores R as a new held item numbered in YEAR's sequence, inside the
 * caller's transaction. The new id (caller g_frees), or NULL with ERROR. */
char *held_item_insert(Db *db, const HeldRecord *r, int year, GError **error);
/* TRUE with *ID the held item (any state) of LIST with MESSAGE_ID and
 * DIGEST, caller g_frees, NULL when none; FALSE with ERROR set. */
gboolean held_item_find(Db *db, const char *list, const char *message_id, const char *digest,
                        char **id, GError **error);
/* TRUE with *OUT the item ID (caller frees) or NULL when there is none;
 * FALSE with ERROR set. */
gboolean held_item_get(Db *db, const char *id, HeldItem **out, GError **error);
/* TRUE with *OUT the items of LIST (NULL: every list) in STATE (NULL: any),
 * received in [SINCE, UNTIL) (either NULL: open), oldest first (HeldItem *,
 * caller unrefs; empty: none); FALSE with ERROR set. */
gboolean held_item_list(Db *db, const char *list, const char *state, const char *since,
                        const char *until, GPtrArray **out, GError **error);
/* What the team watches of LIST's held mail (stats, agenda). */
typedef struct {
	gint64 held;      /* held now, whenever received */
	gint64 received;  /* items received in the period, whatever became of them */
	gint64 released;  /* released in the period: mail that should not have been held */
	gint64 dropped;   /* dropped (by a person or by expiry) in the period */
} HeldTally;

/* TRUE with *OUT LIST's tally for [SINCE, UNTIL) (either NULL: open);
 * FALSE with ERROR set. */
gboolean held_item_tally(Db *db, const char *list, const char *since, const char *until,
                         HeldTally *out, GError **error);
/* Moves the held item ID to STATE (released with CASE_ID, or dropped; its
 * spool_path cleared), decided by BY at AT, inside the caller's
 * transaction. TRUE with *DONE FALSE when ID is no longer held (nothing
 * changes); FALSE with ERROR set. */
gboolean held_item_decide(Db *db, const char *id, const char *state, const char *case_id,
                          const char *by, const char *at, gboolean *done, GError **error);
/* TRUE with *OUT LIST's held items no digest has listed yet, oldest first
 * (caller unrefs); FALSE with ERROR set. */
gboolean held_item_undigested(Db *db, const char *list, GPtrArray **out, GError **error);
/* Marks every item of ITEMS (from held_item_undigested) listed AT, inside
 * the caller's transaction. FALSE with ERROR set. */
gboolean held_item_digested(Db *db, GPtrArray *items, const char *at, GError **error);
/* Drops every item still held that was received before BEFORE (ISO UTC),
 * decided by "expiry", in one transaction, then removes their raw copies.
 * *REMOVED (may be NULL) counts them. FALSE with ERROR set (nothing
 * changed). */
gboolean held_item_expire(Db *db, const char *before, const char *now_iso, guint *removed,
                          GError **error);

#endif
