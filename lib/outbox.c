/* outbox.c - the outbox: each outgoing mail is a row written in the same
 * transaction as the message that caused it, with its Message-ID fixed, and
 * sent afterwards. A row is marked sent only after sendmail accepted it, so
 * a crash in between sends it again with the same Message-ID (the one
 * duplicate mail clients fold); anything else stays pending for a later
 * flush. One flusher at a time, serialised by a lock file, so two
 * processes never send the same row. */
#include "outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "calendar.h"
#include "log.h"
#include "sendmail.h"

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
	sqlite3_stmt *st = db_stmt(db,
	                           "INSERT INTO outbox (list, case_id, cause, kind, envelope_from, "
	                           "recipients, message_id, subject, created_at) VALUES "
	                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10)",
	                           error);
	gsize size = g_bytes_get_size(mail->body);
	sqlite3_int64 id;

	if (st == NULL)
		return FALSE;
	db_bind_text(st, 1, mail->list);
	db_bind_text(st, 2, mail->case_id);
	if (mail->cause > 0)
		sqlite3_bind_int64(st, 3, mail->cause);
	else
		sqlite3_bind_null(st, 3);
	db_bind_text(st, 4, mail->kind);
	db_bind_text(st, 5, mail->envelope_from);
	db_bind_text(st, 6, rcpts);
	db_bind_text(st, 7, mail->message_id);
	db_bind_text(st, 8, mail->subject);
	db_bind_text(st, 10, now);
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

/* How many mails of KIND went to RECIPIENT since SINCE, for rate limits; -1 on error. */
int
outbox_count_recent(Db *db, const char *kind, const char *recipient, const char *since,
                    GError **error)
{
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT count(*) FROM outbox WHERE kind = ?1 AND recipients = ?2 "
	                           "AND created_at >= ?3",
	                           error);
	int n;

	if (st == NULL)
		return -1;
	db_bind_text(st, 1, kind);
	db_bind_text(st, 2, recipient);
	db_bind_text(st, 3, since);
	if (db_step(db, st, error) != SQLITE_ROW)
		return -1;
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

typedef struct {
	sqlite3_int64 id;
	char *envelope_from;
	char **recipients;
	gint64 size;
	GBytes *body;   /* loaded for its batch only */
} PendingRow;

static void
pending_free(gpointer data)
{
	PendingRow *row = data;

	g_free(row->envelope_from);
	g_strfreev(row->recipients);
	if (row->body != NULL)
		g_bytes_unref(row->body);
	g_free(row);
}

static GPtrArray *
outbox_pending(Db *db, sqlite3_int64 cause, GError **error)
{
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func(pending_free);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT o.id, o.envelope_from, o.recipients, length(b.body) "
	                           "FROM outbox o JOIN outbox_bodies b ON b.id = o.id WHERE "
	                           "o.state = 'pending' AND (?1 IS NULL OR o.cause = ?1) ORDER BY o.id",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	if (cause > 0)
		sqlite3_bind_int64(st, 1, cause);
	while ((rc = db_step(db, st, error)) == SQLITE_ROW) {
		PendingRow *row = g_new0(PendingRow, 1);
		row->id = sqlite3_column_int64(st, 0);
		row->envelope_from = g_strdup(db_col_text(st, 1));
		row->recipients = g_strsplit(db_col_text(st, 2), "\n", -1);
		row->size = sqlite3_column_int64(st, 3);
		g_ptr_array_add(rows, row);
	}
	return rc == SQLITE_DONE ? g_steal_pointer(&rows) : NULL;
}

static gboolean outbox_record_rows(Db *db, GPtrArray *rows, SendmailJob *jobs, guint first,
                                   guint n, const char *at, GError **error);

/* Records the outcome of one batch in one transaction: each row sent, or
 * its attempt and the error that kept it pending. */
static gboolean
outbox_record(Db *db, GPtrArray *rows, SendmailJob *jobs, guint first, guint n, GError **error)
{
	g_autoptr(GDateTime) now = calendar_now();
	g_autofree char *at = calendar_iso(now);
	gboolean ok;

	/* This commit alone may skip its sync (WAL with synchronous=NORMAL stays
	 * consistent): losing it to a power cut only sends these mails once
	 * more, with the same Message-IDs, the duplicate clients fold. */
	if (!db_exec(db, "PRAGMA synchronous=NORMAL", error))
		return FALSE;
	ok = outbox_record_rows(db, rows, jobs, first, n, at, error);
	if (!db_exec(db, "PRAGMA synchronous=FULL", ok ? error : NULL))
		return FALSE;
	return ok;
}

static gboolean
outbox_record_rows(Db *db, GPtrArray *rows, SendmailJob *jobs, guint first, guint n,
                   const char *at, GError **error)
{
	if (!db_begin(db, error))
		return FALSE;
	for (guint i = 0; i < n; i++) {
		const PendingRow *row = rows->pdata[first + i];
		const GError *failed = jobs[i].error;
		sqlite3_stmt *st =
			failed == NULL
				? db_stmt(db,
				          "UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1, "
				          "last_error = NULL WHERE id = ?1",
				          error)
				: db_stmt(db,
				          "UPDATE outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1",
				          error);
		if (st == NULL)
			goto fail;
		sqlite3_bind_int64(st, 1, row->id);
		db_bind_text(st, 2, failed == NULL ? at : failed->message);
		if (!db_step_done(db, st, error))
			goto fail;
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

static int
outbox_count_pending(Db *db, GError **error)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM outbox WHERE state = 'pending'", error);
	int n;

	if (st == NULL || db_step(db, st, error) != SQLITE_ROW)
		return -1;
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

/* Sends the pending rows caused by CAUSE (all rows when CAUSE is 0), a
 * batch at a time, each sendmail run bounded by TIMEOUT_S. Rows are marked
 * after their batch: a crash in between sends them again with the same
 * Message-ID, which mail clients fold. A batch with a failure ends the
 * flush: the MTA is then likely down for the rest too. */
gboolean
outbox_flush(Db *db, const EmbargoConfig *config, sqlite3_int64 cause, guint timeout_s,
             FlushResult *result, GError **error)
{
	g_autoptr(GPtrArray) rows = NULL;
	int lock, pending;
	gboolean ok = TRUE;

	*result = (FlushResult){ 0 };
	lock = outbox_lock(config, error);
	if (lock < 0)
		return FALSE;
	rows = outbox_pending(db, cause, error);
	if (rows == NULL) {
		close(lock);
		return FALSE;
	}
	for (guint first = 0, n = 0; first < rows->len && ok && result->failed == 0; first += n) {
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
			jobs[n] = (SendmailJob){ row->envelope_from, row->recipients, row->body, NULL };
		}
		if (!ok)
			break;
		sendmail_run(config->sendmail_argv, jobs, n, timeout_s);
		for (guint i = 0; i < n; i++) {
			if (jobs[i].error == NULL) {
				result->sent++;
				continue;
			}
			log_warn("outbox %" G_GINT64_FORMAT ": %s; left pending",
			         (gint64)((PendingRow *)rows->pdata[first + i])->id, jobs[i].error->message);
			result->failed++;
		}
		ok = outbox_record(db, rows, jobs, first, n, error);
		for (guint i = 0; i < n; i++) {
			PendingRow *row = rows->pdata[first + i];
			g_clear_error(&jobs[i].error);
			g_clear_pointer(&row->body, g_bytes_unref);
		}
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
