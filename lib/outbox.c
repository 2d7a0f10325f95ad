/* outbox.c - the outbox: each outgoing mail is a row written in the same
 * transaction as the message that caused it, with its Message-ID fixed, and
 * sent afterwards. A row is marked sent only after sendmail accepted it, so
 * a crash in between sends it again with the same Message-ID (the one
 * duplicate mail clients fold); anything else stays pending for a later
 * flush. One flusher at a time, serialised by a lock file, so two
 * processes never send the same row.
 *
 * Each row is retried on its own: one mail that can never be sent (larger
 * than the MTA takes) must not hold back the others. A flush tries every
 * row that is due, fresh rows first; a row sendmail refuses by name
 * (sendmail.c) waits 5 minutes, then twice as long after each further
 * failure, 4 hours at most; a failure of the MTA as a whole leaves the row
 * due, so that mail goes out as soon as the MTA is back. A row still
 * failing outbox_give_up after its first failure is given up, and the team
 * is told in the same transaction (undelivered.c). */
#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "calendar.h"
#include "log.h"
#include "sendmail.h"
#include "undelivered.h"

/* Mails submitted side by side; a delivery usually has two. */
#define OUTBOX_BATCH 8
#define OUTBOX_BATCH_BYTES (8 * 1024 * 1024)

char *
outbox_new_message_id(const char *domain)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%d%H%M%S");

	return g_strdup_printf("embargo.%s.%08x%08x@%s", stamp, g_random_int(), g_random_int(),
	                       domain);
}

gboolean
outbox_add(Db *db, const OutMail *mail, const char *now, GError **error)
{
	g_autofree char *rcpts = g_strjoinv("\n", mail->recipients);
	sqlite3_stmt *st = db_query(db,
	                            "INSERT INTO outbox (list, case_id, kind, envelope_from, "
	                            "recipients, message_id, subject, created_at, cause) VALUES "
	                            "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	                            DB_TEXTS(mail->list, mail->case_id, mail->kind,
	                                     mail->envelope_from, rcpts, mail->message_id,
	                                     mail->subject, now),
	                            error);
	gsize size = g_bytes_get_size(mail->body);
	sqlite3_int64 id;

	if (st == NULL)
		return FALSE;
	if (mail->cause > 0)
		sqlite3_bind_int64(st, 9, mail->cause);
	else
		sqlite3_bind_null(st, 9);
	if (!db_step_done(db, st, error))
		return FALSE;
	id = db_last_rowid(db);
	st = db_stmt(db, "INSERT INTO outbox_bodies (id, body) VALUES (?1, zeroblob(?2))", error);
	if (st == NULL)
		return FALSE;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)size);
	if (!db_step_done(db, st, error))
		return FALSE;
	return db_write_blob(db, "outbox_bodies", "body", id, mail->body, error);
}

int
outbox_count_recent(Db *db, const char *kind, const char *recipient, const char *since,
                    GError **error)
{
	sqlite3_int64 n;

	if (!db_one_int64(db,
	                  db_query(db,
	                           "SELECT count(*) FROM outbox WHERE kind = ?1 AND recipients = ?2 "
	                           "AND created_at >= ?3",
	                           DB_TEXTS(kind, recipient, since), error),
	                  NULL, &n, error))
		return -1;
	return (int)n;
}

/* The outbox rows that are automatic replies: ours, from the null return
 * path, to one address. A team notice to a team of one is counted too,
 * which only ever makes the limits stricter. */
#define AUTOREPLY_ROWS                                                                          \
	"FROM outbox WHERE kind IN ('ack', 'notice') AND envelope_from = '' AND "                   \
	"instr(recipients, char(10)) = 0 AND created_at >= ?1"

/* PATTERN for LIKE, with its wildcards in TEXT escaped by '\'. */
static char *
outbox_like_escape(const char *text)
{
	GString *s = g_string_new(NULL);

	for (const char *p = text; *p != '\0'; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			g_string_append_c(s, '\\');
		g_string_append_c(s, *p);
	}
	return g_string_free(s, FALSE);
}

char **
outbox_autoreplies_to(Db *db, const char *suffix, const char *since, GError **error)
{
	g_autofree char *escaped = outbox_like_escape(suffix);
	g_autofree char *pattern = g_strconcat("%", escaped, NULL);

	return db_all_text(db,
	                   db_query(db, "SELECT recipients " AUTOREPLY_ROWS
	                            " AND recipients LIKE ?2 ESCAPE '\\'",
	                            DB_TEXTS(since, pattern), error),
	                   error);
}

gboolean
outbox_count_autoreplies(Db *db, const char *since, guint *count, GError **error)
{
	sqlite3_int64 n;

	*count = 0;
	if (!db_one_int64(db, db_query(db, "SELECT count(*) " AUTOREPLY_ROWS, DB_TEXTS(since), error),
	                  NULL, &n, error))
		return FALSE;
	*count = (guint)n;
	return TRUE;
}

typedef struct {
	sqlite3_int64 id;
	char *envelope_from;
	char **recipients;
	gint64 size;
	guint attempts;
	char *first_failure;
	GBytes *body;   /* loaded for its batch only */
} PendingRow;

static void
pending_free(gpointer data)
{
	PendingRow *row = data;

	g_free(row->envelope_from);
	g_strfreev(row->recipients);
	g_free(row->first_failure);
	if (row->body != NULL)
		g_bytes_unref(row->body);
	g_free(row);
}

/* The rows due at NOW (caused by CAUSE, or all when 0; written after
 * AFTER_ID), the fewest failed attempts first: fresh mail never queues
 * behind a row that keeps failing. Given-up rows are never sent. */
static GPtrArray *
outbox_pending(Db *db, sqlite3_int64 cause, sqlite3_int64 after_id, const char *now,
               GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(pending_free);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT o.id, o.envelope_from, o.recipients, length(b.body), "
	                           "o.attempts, o.first_failure "
	                           "FROM outbox o JOIN outbox_bodies b ON b.id = o.id WHERE "
	                           "o.state = 'pending' AND o.given_up_at IS NULL AND "
	                           "(o.next_attempt IS NULL OR o.next_attempt <= ?3) AND "
	                           "(?1 IS NULL OR o.cause = ?1) AND o.id > ?2 "
	                           "ORDER BY o.attempts, o.id",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	if (cause > 0)
		sqlite3_bind_int64(st, 1, cause);
	sqlite3_bind_int64(st, 2, after_id);
	db_bind_text(st, 3, now);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		PendingRow *row = g_new0(PendingRow, 1);
		row->id = sqlite3_column_int64(st, 0);
		row->envelope_from = g_strdup(db_col_text(st, 1));
		row->recipients = g_strsplit(db_col_text(st, 2), "\n", -1);
		row->size = sqlite3_column_int64(st, 3);
		row->attempts = (guint)sqlite3_column_int(st, 4);
		row->first_failure = g_strdup(db_col_text(st, 5));
		g_ptr_array_add(rows, row);
	}
	return rc == SQLITE_DONE ? g_steal_pointer(&rows) : NULL;
}

/* How long a refused row waits after its ATTEMPTS-th failure. */
static gint64
outbox_backoff_s(guint attempts)
{
	gint64 delay = OUTBOX_RETRY_FIRST_S;

	for (guint i = 1; i < attempts && delay < OUTBOX_RETRY_MAX_S; i++)
		delay *= 2;
	return MIN(delay, OUTBOX_RETRY_MAX_S);
}

typedef struct {
	GPtrArray *rows;
	SendmailJob *jobs;
	guint first, n;
	guint64 give_up_s;   /* 0: no row is given up by this flush */
	GArray *expired;     /* out: ids of rows failing for longer than give_up_s */
} Batch;

static gboolean outbox_record_rows(Db *db, Batch *batch, GDateTime *now, GError **error);

/* Records the outcome of one batch in one transaction: each row sent, or
 * its attempt, the error that kept it pending and when it is due again. */
static gboolean
outbox_record(Db *db, Batch *batch, GError **error)
{
	g_autoptr(GDateTime) now = calendar_now();
	gboolean ok;

	/* This commit alone may skip its sync (WAL with synchronous=NORMAL stays
	 * consistent): losing it to a power cut only sends these mails once
	 * more, with the same Message-IDs, the duplicate clients fold. */
	if (!db_exec(db, "PRAGMA synchronous=NORMAL", error))
		return FALSE;
	ok = outbox_record_rows(db, batch, now, error);
	if (!db_exec(db, "PRAGMA synchronous=FULL", ok ? error : NULL))
		return FALSE;
	return ok;
}

static gboolean
outbox_record_rows(Db *db, Batch *batch, GDateTime *now, GError **error)
{
	g_autofree char *at = calendar_iso(now);
	g_autoptr(GDateTime) limit = g_date_time_add_seconds(now, -(gdouble)batch->give_up_s);
	g_autofree char *expired_before = calendar_iso(limit);

	if (!db_begin(db, error))
		return FALSE;
	for (guint i = 0; i < batch->n; i++) {
		const PendingRow *row = batch->rows->pdata[batch->first + i];
		const SendmailJob *job = &batch->jobs[i];
		const char *since = row->first_failure != NULL ? row->first_failure : at;
		g_autofree char *next = NULL;
		sqlite3_stmt *st;

		if (job->error == NULL) {
			st = db_stmt(db,
			             "UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1, "
			             "last_error = NULL, next_attempt = NULL WHERE id = ?1",
			             error);
			if (st == NULL)
				goto fail;
			sqlite3_bind_int64(st, 1, row->id);
			db_bind_text(st, 2, at);
			if (!db_step_done(db, st, error))
				goto fail;
			continue;
		}
		if (job->refused) {
			g_autoptr(GDateTime) due =
				g_date_time_add_seconds(now, (gdouble)outbox_backoff_s(row->attempts + 1));
			next = calendar_iso(due);
		}
		st = db_stmt(db,
		             "UPDATE outbox SET attempts = attempts + 1, last_error = ?2, "
		             "first_failure = ?3, next_attempt = ?4 WHERE id = ?1",
		             error);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, row->id);
		db_bind_text(st, 2, job->error->message);
		db_bind_text(st, 3, since);
		db_bind_text(st, 4, next);
		if (!db_step_done(db, st, error))
			goto fail;
		if (batch->give_up_s > 0 && strcmp(since, expired_before) <= 0)
			g_array_append_val(batch->expired, row->id);
	}
	return db_commit(db, error);
fail:
	db_rollback(db);
	return FALSE;
}

static int
outbox_lock(const EmbargoConfig *config, GError **error)
{
	g_autofree char *path = g_build_filename(config->state_dir, "outbox.lock", NULL);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0 || flock(fd, LOCK_EX) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "outbox lock %s: %s", path,
		            g_strerror(e));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* Rows still to be sent: pending and not given up. */
static int
outbox_count_pending(Db *db, GError **error)
{
	sqlite3_int64 n;

	if (!db_one_int64(db,
	                  db_query(db,
	                           "SELECT count(*) FROM outbox WHERE state = 'pending' AND "
	                           "given_up_at IS NULL",
	                           0, NULL, error),
	                  NULL, &n, error))
		return -1;
	return (int)n;
}

/* Sends ROWS a batch at a time, each sendmail run bounded by TIMEOUT_S,
 * and records each batch. A failure does not end the walk: the next rows
 * may well go out. Only a batch that ran into the time limit does (a
 * hung MTA would cost every further batch as long again); the rows after
 * it are tried at the next flush. */
static gboolean
outbox_send(Db *db, const EmbargoConfig *config, GPtrArray *rows, guint timeout_s,
            guint64 give_up_s, GArray *expired, FlushResult *result, GError **error)
{
	gboolean ok = TRUE, hung = FALSE;

	for (guint first = 0, n = 0; first < rows->len && ok && !hung; first += n) {
		SendmailJob jobs[OUTBOX_BATCH] = { 0 };
		gint64 bytes = 0;

		/* A batch holds its bodies in memory: a few mails, or one large one. */
		for (n = 0; first + n < rows->len && n < OUTBOX_BATCH; n++) {
			PendingRow *row = rows->pdata[first + n];
			if (n > 0 && bytes + row->size > OUTBOX_BATCH_BYTES)
				break;
			bytes += row->size;
			row->body = db_read_blob(db, "outbox_bodies", "body", row->id, error);
			if (row->body == NULL) {
				ok = FALSE;
				break;
			}
			jobs[n] = (SendmailJob){ row->envelope_from, row->recipients, row->body, NULL, FALSE };
		}
		if (ok) {
			Batch batch = { rows, jobs, first, n, give_up_s, expired };
			sendmail_run(config->sendmail_argv, jobs, n, timeout_s);
			for (guint i = 0; i < n; i++) {
				if (jobs[i].error == NULL) {
					result->sent++;
					continue;
				}
				log_warn("outbox %" G_GINT64_FORMAT ": %s; left pending%s",
				         (gint64)((PendingRow *)rows->pdata[first + i])->id,
				         jobs[i].error->message, jobs[i].refused ? ", retried later" : "");
				result->failed++;
				hung = hung || g_error_matches(jobs[i].error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
			}
			ok = outbox_record(db, &batch, error);
		}
		for (guint i = 0; i < n; i++) {
			PendingRow *row = rows->pdata[first + i];
			g_clear_error(&jobs[i].error);
			g_clear_pointer(&row->body, g_bytes_unref);
		}
	}
	return ok;
}

/* Sends the rows caused by CAUSE (all rows when CAUSE is 0) that are due
 * (every row not given up when EVERY), each sendmail run bounded by
 * TIMEOUT_S. Rows are marked after their batch: a crash in between sends
 * them again with the same Message-ID, which mail clients fold. A flush of
 * all rows also gives up the rows failing for longer than outbox_give_up
 * and sends the notice that tells the team. */
static gboolean
outbox_flush_rows(Db *db, const EmbargoConfig *config, sqlite3_int64 cause, gboolean every,
                  guint timeout_s, FlushResult *result, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;
	g_autoptr(GArray) expired = g_array_new(FALSE, FALSE, sizeof(sqlite3_int64));
	g_autoptr(GDateTime) now = calendar_now();
	/* ISO 8601 UTC times compare as text; every row is due by the year 9999 */
	g_autofree char *now_iso = every ? g_strdup("9999-12-31T23:59:59Z") : calendar_iso(now);
	guint64 give_up_s = cause == 0 ? config->outbox_give_up : 0;
	sqlite3_int64 last_id = 0;
	int lock, pending;
	gboolean ok;

	*result = (FlushResult){ 0 };
	lock = outbox_lock(config, error);
	if (lock < 0)
		return FALSE;
	rows = outbox_pending(db, cause, 0, now_iso, error);
	ok = rows != NULL &&
	     outbox_send(db, config, rows, timeout_s, give_up_s, expired, result, error);
	if (ok && expired->len > 0) {
		guint given_up = 0;
		for (guint i = 0; i < rows->len; i++)
			last_id = MAX(last_id, ((PendingRow *)rows->pdata[i])->id);
		if (!undelivered_give_up(db, config, expired, now, &given_up, error)) {
			/* the rows stay as they are: given up, and the team told, at a later flush */
			log_error("outbox: could not give up %u row(s): %s", expired->len, (*error)->message);
			g_clear_error(error);
		}
		result->given_up = given_up;
		/* the notices just queued, and nothing a dead row could hold back */
		g_clear_pointer(&rows, g_ptr_array_unref);
		rows = outbox_pending(db, 0, last_id, now_iso, error);
		ok = rows != NULL && outbox_send(db, config, rows, timeout_s, 0, expired, result, error);
	}
	close(lock);
	if (!ok)
		return FALSE;
	pending = outbox_count_pending(db, error);
	if (pending < 0)
		return FALSE;
	result->pending = (guint)pending;
	return TRUE;
}

gboolean
outbox_flush(Db *db, const EmbargoConfig *config, sqlite3_int64 cause, guint timeout_s,
             FlushResult *result, GError **error)
{
	return outbox_flush_rows(db, config, cause, FALSE, timeout_s, result, error);
}

/* As outbox_flush of all rows, but every row not given up is tried now,
 * whenever it is due: for the postmaster who has just repaired the MTA. */
gboolean
outbox_flush_all(Db *db, const EmbargoConfig *config, guint timeout_s, FlushResult *result,
                 GError **error)
{
	return outbox_flush_rows(db, config, 0, TRUE, timeout_s, result, error);
}
