/* deliver.c - the delivery agent's path for one message: spool, parse, the
 * spam filter's verdict (spam.c), duplicate check, route, one transaction
 * with everything, then the outbox.
 *
 * The exit status is decided here and only here: 0 once the message is on
 * disk and the transaction committed, EX_TEMPFAIL (75) for anything that
 * went wrong before that, so that Postfix keeps the message and retries.
 * Sending happens after the commit; a failure there leaves rows pending,
 * which is not a reason to defer: the mail is already safe. */
#include "deliver.h"
#include "job.h"

#include "crypto-out.h"
#include "gpg.h"
#include "keystore.h"

#include <errno.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "address.h"
#include "autoreply.h"
#include "calendar.h"
#include "cases.h"
#include "compose.h"
#include "deadline.h"
#include "db.h"
#include "helditems.h"
#include "inmsg.h"
#include "keynotice.h"
#include "leakcheck.h"
#include "lifecycle.h"
#include "log.h"
#include "members.h"
#include "messages.h"
#include "outbox.h"
#include "protect.h"
#include "route.h"
#include "spam.h"
#include "spool.h"
#include "unquote.h"

volatile sig_atomic_t deliver_committed;



static const char *
job_event_name(RouteKind kind)
{
	static const char *const names[] = {
		"report-received", "followup-received", "discussion", "answer-received",
		"autoreply-received", "bounce-received", "loop-dropped", "refused", "command-received",
	};

	return names[kind];
}

/* Mail held back (route.held): a held item instead of a case, no case
 * number used, nothing sent; its raw copy stays for a release. */
static gboolean
job_hold(Job *job, GError **error)
{
	const InMessage *in = job->in;
	HeldRecord r = {
		.list = job->d->list->address,
		.received_at = job->now_iso,
		.envelope_from = job->d->envelope_from,
		.recipient = job->d->recipient,
		.from_addr = in->from_addr,
		.from_name = in->from_name,
		.subject = in->subject,
		.size = job->spool->size,
		.message_id = in->message_id,
		.digest = job->spool->digest,
		.spool_path = job->spool->path,
		.why = job->route.why != NULL ? job->route.why : "held",
		.spam = &job->spam,
	};

	job->held_id = held_item_insert(job->db, &r, g_date_time_get_year(job->now), error);
	return job->held_id != NULL;
}

/* Everything that is written for one message, inside the open transaction. */
static gboolean
job_store(Job *job, GError **error)
{
	const Delivery *d = job->d;
	const InMessage *in = job->in;
	const char *kind = route_kind_name(job->route.kind);
	g_autofree char *env = address_normalize(d->envelope_from);
	const char *reporter = in->from_addr != NULL ? in->from_addr : env != NULL ? env : "unknown";
	g_autoptr(Case) c = NULL;
	g_autoptr(GDateTime) created = NULL;
	g_autofree char *reporter_text = NULL;
	MessageRecord rec;

	if (job->route.held)
		return job_hold(job, error);
	if (job->route.kind == ROUTE_REPORT) {
		job->route.case_id =
			case_create(job->db, d->list->address, d->list->prefix, d->list->policy->stages[0],
			            in->subject, reporter, in->from_name, job->now, error);
		if (job->route.case_id == NULL)
			return FALSE;
	}
	rec = (MessageRecord){
		.list = d->list->address,
		.case_id = job->route.case_id,
		.message_id = in->message_id,
		.digest = job->spool->digest,
		.envelope_from = d->envelope_from,
		.recipient = d->recipient,
		.from_addr = in->from_addr,
		.subject = in->subject,
		.kind = kind,
		.problem = in->problem,
		.spool_path = job->spool->path,
		.size = job->spool->size,
		.received_at = job->now_iso,
	};
	job->msg_row = message_insert(job->db, &rec, error);
	if (job->msg_row == 0)
		return FALSE;
	if (!protect_store(job->db, d->list, in, &job->protect, job->msg_row, job->now_iso, error) ||
	    !protect_keep_key(job->db, d->config, d->list, in, &job->protect,
	                      job->route.kind == ROUTE_REPORT, job->route.case_id, job->msg_row,
	                      job->now, &job->queued, error))
		return FALSE;
	if (job->route.kind == ROUTE_COMMAND)
		return job_list_commands(job, error);
	if (job->route.case_id == NULL)
		return TRUE;

	if (!event_add(job->db, job->route.case_id, job->now_iso, reporter,
	               job_event_name(job->route.kind),
	               in->problem != NULL ? in->problem : job->route.why, job->msg_row, error) ||
	    !case_touch(job->db, job->route.case_id, job->now_iso, error))
		return FALSE;
	if (!case_get_known(job->db, job->route.case_id, &c, error))
		return FALSE;
	created = calendar_parse_iso(c->created_at);
	reporter_text = c->reporter_name != NULL && *c->reporter_name != '\0'
	                    ? g_strdup_printf("%s <%s>", c->reporter_name, c->reporter)
	                    : g_strdup(c->reporter);
	g_autofree char *released = d->release != NULL ? g_strdup_printf("%s, released by %s",
	                                                                 d->release, d->released_by)
	                                               : NULL;
	ComposeCtx ctx = {
		.config = d->config,
		.list = d->list,
		.in = in,
		.route = &job->route,
		.released = released,
		.case_id = c->id,
		.stage = c->status,
		.reporter = reporter_text,
		.case_created = created != NULL ? created : job->now,
		.now = job->now,
		.envelope_from = d->envelope_from,
		.spool_path = job->spool->path,
		.spam = job->spam_mark,
	};
	protect_ctx(&job->protect, &ctx);

	switch (job->route.kind) {
	case ROUTE_REPORT:
		return (job->spam_mark != NULL ? job_spam_no_ack(job, error)
		                               : job_ack(job, &ctx, error)) &&
		       job_team_copy(job, &ctx, NULL, error);
	case ROUTE_FOLLOWUP:
		return job_outsider_commands(job, &ctx, c, error) &&
		       job_team_copy(job, &ctx, NULL, error);
	case ROUTE_DISCUSSION:
		if (!job_commands(job, &ctx, c, error))
			return FALSE;
		return (job->cmds != NULL && job->cmds->empty) ||
		       job_team_copy(job, &ctx, in->from_addr, error);
	case ROUTE_ANSWER:
		if (job->protect.in.decrypt_error != NULL)
			return job_answer_undecryptable(job, &ctx, c, error) &&
			       job_team_copy(job, &ctx, in->from_addr, error);
		if (!job_commands(job, &ctx, c, error))
			return FALSE;
		if (job->cmds != NULL && job->cmds->empty)
			return TRUE;
		return job_answer(job, &ctx, c, error) &&
		       (job->answer_withheld || job_first_answer(job, c, error)) &&
		       job_team_copy(job, &ctx, in->from_addr, error);
	case ROUTE_BOUNCE:
		return job_bounce_notice(job, &ctx, c, error);
	case ROUTE_REFUSED:
		return job_refusal(job, &ctx, error);
	case ROUTE_AUTOREPLY:
	case ROUTE_LOOP:
	case ROUTE_COMMAND:
		return TRUE;
	}
	return TRUE;
}

static int
job_refused_without_case(Job *job, GError **error)
{
	ComposeCtx ctx = {
		.config = job->d->config,
		.list = job->d->list,
		.in = job->in,
		.route = &job->route,
		.now = job->now,
		.envelope_from = job->d->envelope_from,
		.spool_path = job->spool->path,
	};

	return job_refusal(job, &ctx, error);
}

/* The cheap check, on every delivery: members' keys that expire soon are
 * told to the team once (keynotice.c). */
static gboolean
job_key_notices(Job *job, GError **error)
{
	int queued = keynotice_queue(job->db, job->d->list, job->now, job->msg_row, error);

	if (queued < 0)
		return FALSE;
	job->queued += (guint)queued;
	return TRUE;
}

static void
job_flush(Job *job, sqlite3_int64 cause)
{
	g_autoptr(GError) err = NULL;
	FlushResult r;

	if (!outbox_flush(job->db, job->d->config, cause, job->d->send_timeout, &r, &err))
		log_warn("outbox not sent now (%s); 'embargoctl outbox flush' will retry", err->message);
	else if (r.failed > 0)
		log_warn("outbox: %u sent, %u failed; 'embargoctl outbox flush' will retry", r.sent,
		         r.failed);
}

static int
job_defer(Job *job, const char *what, GError *err)
{
	log_error("deferred (%s): %s", what, err != NULL ? err->message : "unknown error");
	if (job->db != NULL)
		db_rollback(job->db);
	/* After a failed COMMIT the transaction may still have reached the disk
	 * (its WAL frames were written, only their sync failed), and its row
	 * names this spool file: keep it. */
	if (!job->commit_attempted)
		spool_discard(job->spool);
	return EX_TEMPFAIL;
}

/* A duplicate's raw copy is dropped, unless the stored one is missing. */
static void
job_keep_or_drop_spool(Job *job, sqlite3_int64 dup)
{
	g_autoptr(GError) err = NULL;
	sqlite3_stmt *st = db_stmt(job->db, "SELECT spool_path FROM messages WHERE id = ?1", &err);
	g_autofree char *stored = NULL;

	if (st != NULL) {
		sqlite3_bind_int64(st, 1, dup);
		if (db_step(job->db, st, &err) == SQLITE_ROW)
			stored = g_strdup(db_col_text(st, 0));
		sqlite3_reset(st);
	}
	if (stored == NULL || g_file_test(stored, G_FILE_TEST_EXISTS)) {
		spool_discard(job->spool);
		return;
	}
	st = db_stmt(job->db, "UPDATE messages SET spool_path = ?2 WHERE id = ?1", &err);
	if (st == NULL || !db_begin(job->db, &err)) {
		log_warn("message %" G_GINT64_FORMAT ": raw copy %s is missing and could not be replaced: %s",
		         (gint64)dup, stored, err != NULL ? err->message : "?");
		spool_discard(job->spool);
		return;
	}
	sqlite3_bind_int64(st, 1, dup);
	db_bind_text(st, 2, job->spool->path);
	if (!db_step_done(job->db, st, &err))
		spool_discard(job->spool);
	else
		spool_keep(job->spool);   /* the COMMIT may reach the disk even if it fails */
	if (err != NULL || !db_commit(job->db, &err)) {
		db_rollback(job->db);
		log_warn("message %" G_GINT64_FORMAT ": could not record its new raw copy: %s", (gint64)dup,
		         err->message);
		return;
	}
	log_warn("message %" G_GINT64_FORMAT ": raw copy %s was missing; kept %s", (gint64)dup, stored,
	         job->spool->path);
}

/* A redelivered copy of mail already held (or dropped): nothing new. FALSE
 * when it was (the transaction rolled back, the new copy gone) or on an
 * error (ERROR set). */
static gboolean
job_held_before(Job *job, GError **error)
{
	g_autofree char *id = NULL;

	if (!held_item_find(job->db, job->d->list->address, job->in->message_id, job->spool->digest,
	                    &id, error))
		return FALSE;
	if (id == NULL)
		return TRUE;
	db_rollback(job->db);
	spool_discard(job->spool);
	deliver_committed = 1;
	log_info("duplicate of the held item %s (Message-ID <%s>): nothing new", id,
	         job->in->message_id);
	return FALSE;
}

/* Inside the transaction: the item to release is still held on this list
 * (EX_OK), or nothing changes (EX_DATAERR; 75 on a store error). */
static int
job_release_check(Job *job, GError **error)
{
	g_autoptr(HeldItem) h = NULL;

	if (!held_item_get(job->db, job->d->release, &h, error))
		return job_defer(job, "database", *error);
	if (h == NULL || strcmp(h->state, "held") != 0 ||
	    strcmp(h->list, job->d->list->address) != 0) {
		db_rollback(job->db);
		spool_discard(job->spool);
		log_error("%s: not released, it is %s", job->d->release,
		          h == NULL                       ? "no held item"
		          : strcmp(h->state, "held") != 0 ? h->state
		                                          : "on another list");
		return EX_DATAERR;
	}
	job->release_path = g_steal_pointer(&h->spool_path);
	return EX_OK;
}

/* The released item recorded: the case it became, who, when. */
static gboolean
job_release_record(Job *job, GError **error)
{
	const Delivery *d = job->d;
	g_autofree char *detail = NULL;
	gboolean done;

	if (job->route.case_id == NULL) {
		g_set_error(error, EMBARGO_DB_ERROR, DB_ERROR_FAILED,
		            "%s would not make a case (%s): left held", d->release,
		            route_kind_name(job->route.kind));
		return FALSE;
	}
	detail = g_strdup_printf("released from %s by %s", d->release, d->released_by);
	if (!event_add(job->db, job->route.case_id, job->now_iso, d->released_by, "held-released",
	               detail, job->msg_row, error) ||
	    !held_item_decide(job->db, d->release, "released", job->route.case_id, d->released_by,
	                      job->now_iso, &done, error))
		return FALSE;
	g_assert(done); /* checked under the same write lock */
	return TRUE;
}

static int
job_run(Job *job, int in_fd)
{
	const Delivery *d = job->d;
	g_autoptr(GError) err = NULL;
	sqlite3_int64 dup;

	job->db = db_open(d->config->state_dir, FALSE, &err);
	if (job->db == NULL)
		return job_defer(job, "database", err);
	job->spool = spool_write(d->config->state_dir, in_fd, &err);
	if (job->spool == NULL)
		return job_defer(job, "spool", err);
	job->in = inmsg_parse(job->spool->path, job->spool->has_nul, &err);
	if (job->in == NULL)
		return job_defer(job, "parse", err);
	inmsg_read_authres(job->in, d->config->milter.authserv_id);
	/* Before the transaction: gpg may take a while, and must not hold the write lock. */
	if (!protect_open(job->db, d->config, d->list, job->in, d->envelope_from, &job->protect, &err))
		return job_defer(job, "OpenPGP", err);
	job_spam_check(job);
	if (!db_begin(job->db, &err))
		return job_defer(job, "database", err);

	if (d->release != NULL) {
		int status = job_release_check(job, &err);
		if (status != EX_OK)
			return status;
	} else if (!job_held_before(job, &err)) {
		return err != NULL ? job_defer(job, "database", err) : EX_OK;
	}
	/* A released item was stored as a held one, never as a message. */
	dup = d->release != NULL ? 0
	                         : message_find(job->db, d->list->address, job->in->message_id,
	                                        job->spool->digest, &err);
	if (dup < 0)
		return job_defer(job, "database", err);
	if (dup > 0) {
		db_rollback(job->db);
		job_keep_or_drop_spool(job, dup);
		deliver_committed = 1;
		log_info("duplicate of message %" G_GINT64_FORMAT " (Message-ID <%s>): nothing new",
		         (gint64)dup, job->in->message_id);
		job_flush(job, dup);
		return EX_OK;
	}
	if (!route_decide(job->db, d->config, d->list, job->in, d->envelope_from, d->ext, &job->route,
	                  &err))
		return job_defer(job, "routing", err);
	job_spam_apply(job);
	/* Last before storing, after every check that may hold the mail: a
	 * person's release is the final word. */
	if (d->release != NULL)
		job->route.held = FALSE;
	if (job->route.kind == ROUTE_REPORT && job->route.from_member && !job->route.held &&
	    job_is_list_command(job))
		job->route.kind = ROUTE_COMMAND;
	if (!job_store(job, &err))
		return job_defer(job, "storing", err);
	if (d->release != NULL && !job_release_record(job, &err))
		return job_defer(job, "storing", err);
	if (job->route.kind == ROUTE_REFUSED && job->route.case_id == NULL &&
	    !job_refused_without_case(job, &err))
		return job_defer(job, "storing", err);
	if (!job_key_notices(job, &err))
		return job_defer(job, "storing", err);
	job->commit_attempted = TRUE;
	spool_keep(job->spool);
	if (!db_commit(job->db, &err))
		return job_defer(job, "commit", err);
	deliver_committed = 1;
	if (job->release_path != NULL && unlink(job->release_path) != 0 && errno != ENOENT)
		log_warn("%s: could not remove its raw copy %s: %s", d->release, job->release_path,
		         g_strerror(errno));

	if (job->held_id != NULL)
		log_info("held as %s: mail from %s to %s (%s); nothing sent", job->held_id,
		         job->in->from_addr != NULL ? job->in->from_addr : "(no From)",
		         d->recipient, job->route.why != NULL ? job->route.why : "held");
	else
		log_info("%s: %s from %s to %s stored as message %" G_GINT64_FORMAT
		         "%s%s%s; %u mail(s) queued",
		         job->route.case_id != NULL ? job->route.case_id : "no case",
		         route_kind_name(job->route.kind),
		         job->in->from_addr != NULL ? job->in->from_addr : "(no From)",
		         d->recipient, (gint64)job->msg_row, job->route.why != NULL ? " (" : "",
		         job->route.why != NULL ? job->route.why : "",
		         job->route.why != NULL ? ")" : "", job->queued);
	if (job->in->problem != NULL)
		log_warn("message %" G_GINT64_FORMAT ": %s", (gint64)job->msg_row, job->in->problem);
	if (job->queued > 0)
		job_flush(job, job->msg_row);
	job_release_requested(job);
	return EX_OK;
}

int
deliver(const Delivery *d, int in_fd)
{
	Job job = { .d = d };
	int status;

	job.now = calendar_now();
	job.now_iso = calendar_iso(job.now);
	status = job_run(&job, in_fd);
	route_clear(&job.route);
	mail_commands_free(job.cmds);
	protect_clear(&job.protect);
	spam_verdict_clear(&job.spam);
	g_free(job.held_id);
	g_free(job.release_path);
	g_clear_pointer(&job.releases, g_ptr_array_unref);
	g_free(job.spam_mark);
	inmsg_free(job.in);
	spool_entry_free(job.spool);
	db_close(job.db);
	g_date_time_unref(job.now);
	g_free(job.now_iso);
	return status;
}
