/* spool.c - writes a message durably: a new file in spool/tmp, written to
 * EOF, fsync'd, renamed into spool/new, and the directory fsync'd, before
 * anyone parses it. Reading all of stdin matters too: pipe(8) ignores
 * EPIPE, so exiting early would count as delivered.
 *
 * The digest that detects redelivery is taken from the file afterwards,
 * without the trace fields MTAs prepend (see spool_digest).
 *
 * A file no committed row names is an orphan: the process that wrote it
 * removes it when it defers (even from its time-limit handler, see
 * spool_remove_pending), and spool_sweep removes what a crash left. */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* The file this process is writing or has written and not yet handed to a
 * commit, in both of its places (spool/tmp, then spool/new), for
 * spool_remove_pending to unlink from a signal handler. The paths are
 * copied while pending_armed is 0, so the handler never reads half of one. */
static char pending_tmp[PATH_MAX];
static char pending_new[PATH_MAX];
static volatile sig_atomic_t pending_armed;

static void
pending_set(const char *tmp, const char *final)
{
	pending_armed = 0;
	/* A path too long for the buffer stays unarmed: spool_sweep gets it. */
	if (g_strlcpy(pending_tmp, tmp, sizeof pending_tmp) < sizeof pending_tmp &&
	    g_strlcpy(pending_new, final, sizeof pending_new) < sizeof pending_new) {
		atomic_signal_fence(memory_order_seq_cst);
		pending_armed = 1;
	}
}

void
spool_remove_pending(void)
{
	if (!pending_armed)
		return;
	(void)unlink(pending_new);
	(void)unlink(pending_tmp);
}

void
spool_keep(const SpoolEntry *entry)
{
	g_return_if_fail(entry != NULL);
	pending_armed = 0;
}

static gboolean
spool_io_error(GError **error, const char *what, const char *path)
{
	int e = errno;

	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "spool: %s %s: %s", what, path,
	            g_strerror(e));
	return FALSE;
}

static gboolean
write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return FALSE;
		}
		buf += w;
		n -= (size_t)w;
	}
	return TRUE;
}

static gboolean
fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	gboolean ok;

	if (fd < 0)
		return FALSE;
	ok = fsync(fd) == 0;
	close(fd);
	return ok;
}

/* The fields an MTA prepends on its way in: they differ between two
 * deliveries of the same message (a new queue id, a new time), so the
 * digest that recognises a redelivery leaves the leading block of them out,
 * and a leading mbox "From " line too. */
static const char *const trace_fields[] = {
	"Return-Path", "Received", "Delivered-To", "X-Original-To",
	"Authentication-Results", "Received-SPF", NULL,
};

static gboolean
is_trace_field(const char *line)
{
	const char *colon = strchr(line, ':');

	if (colon == NULL)
		return FALSE;
	for (int i = 0; trace_fields[i] != NULL; i++)
		if ((size_t)(colon - line) == strlen(trace_fields[i]) &&
		    g_ascii_strncasecmp(line, trace_fields[i], strlen(trace_fields[i])) == 0)
			return TRUE;
	return FALSE;
}

/* SHA-256 of the spooled file, its leading trace block left out. */
static char *
spool_digest(const char *path, GError **error)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	gboolean first = TRUE, skipping = FALSE;
	char buf[65536];
	size_t got;

	if (f == NULL) {
		spool_io_error(error, "reading back", path);
		return NULL;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		gboolean skip = (first && n >= 5 && memcmp(line, "From ", 5) == 0) ||
		                (skipping && (line[0] == ' ' || line[0] == '\t')) ||
		                (memchr(line, '\0', (size_t)n) == NULL && is_trace_field(line));
		first = FALSE;
		if (!skip) {
			g_checksum_update(sum, (const guchar *)line, n);
			break;
		}
		skipping = TRUE;
	}
	free(line);
	while ((got = fread(buf, 1, sizeof buf, f)) > 0)
		g_checksum_update(sum, (const guchar *)buf, (gssize)got);
	if (ferror(f)) {
		fclose(f);
		spool_io_error(error, "reading back", path);
		return NULL;
	}
	fclose(f);
	return g_strdup(g_checksum_get_string(sum));
}

/* Copies IN_FD to FD. */
static gboolean
spool_copy(int in_fd, int fd, SpoolEntry *entry, GError **error, const char *tmp)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(in_fd, buf, sizeof buf);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return spool_io_error(error, "reading the message for", tmp);
		}
		if (n == 0)
			break;
		if (!write_all(fd, buf, (size_t)n))
			return spool_io_error(error, "writing", tmp);
		if (!entry->has_nul && memchr(buf, '\0', (size_t)n) != NULL)
			entry->has_nul = TRUE;
		entry->size += n;
	}
	return TRUE;
}

SpoolEntry *
spool_write(const char *state_dir, int in_fd, GError **error)
{
	g_return_val_if_fail(state_dir != NULL, NULL);

	g_autoptr(SpoolEntry) entry = g_new0(SpoolEntry, 1);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *tmpdir = g_build_filename(state_dir, "spool", "tmp", NULL);
	g_autofree char *newdir = g_build_filename(state_dir, "spool", "new", NULL);
	g_autofree char *stamp = g_date_time_format(now, "%Y%m%dT%H%M%S");
	g_autofree char *name = NULL, *tmp = NULL;
	int fd = -1;

	for (int tries = 0; fd < 0; tries++) {
		g_free(name);
		g_free(tmp);
		name = g_strdup_printf("%s.%d.%08x", stamp, (int)getpid(), g_random_int());
		tmp = g_build_filename(tmpdir, name, NULL);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && (errno != EEXIST || tries > 10)) {
			spool_io_error(error, "creating", tmp);
			return NULL;
		}
	}
	entry->path = g_build_filename(newdir, name, NULL);
	pending_set(tmp, entry->path);
	if (!spool_copy(in_fd, fd, entry, error, tmp))
		goto fail;
	if (fsync(fd) != 0) {
		spool_io_error(error, "fsync of", tmp);
		goto fail;
	}
	if (close(fd) != 0) {
		fd = -1;
		spool_io_error(error, "closing", tmp);
		goto fail;
	}
	fd = -1;
	if (rename(tmp, entry->path) != 0) {
		spool_io_error(error, "renaming", tmp);
		goto fail;
	}
	if (!fsync_dir(newdir)) {
		spool_io_error(error, "fsync of directory", newdir);
		unlink(entry->path);
		pending_armed = 0;
		return NULL;
	}
	entry->digest = spool_digest(entry->path, error);
	if (entry->digest == NULL) {
		unlink(entry->path);
		pending_armed = 0;
		return NULL;
	}
	return g_steal_pointer(&entry);

fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	pending_armed = 0;
	return NULL;
}

/* Removes a spooled copy that will not be kept (a duplicate, or a deferred attempt). */
void
spool_discard(SpoolEntry *entry)
{
	if (entry != NULL && entry->path != NULL)
		unlink(entry->path);
	pending_armed = 0;
}

void
spool_entry_free(SpoolEntry *entry)
{
	if (entry == NULL)
		return;
	g_free(entry->path);
	g_free(entry->digest);
	g_free(entry);
}

/* A name spool_write makes: STAMP.PID.RANDOM. Anything else in the spool
 * was put there by someone else, and is not the sweep's to remove. */
static gboolean
spool_name_ok(const char *name)
{
	return g_regex_match_simple("^[0-9]{8}T[0-9]{6}\\.[0-9]+\\.[0-9a-f]{8}$", name, 0, 0);
}

/* The file names (not paths) every message row and every held item names:
 * a row written before the state directory moved still protects its file. */
static GHashTable *
spool_named(Db *db, GError **error)
{
	g_autoptr(GHashTable) names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	sqlite3_stmt *st = db_stmt(db,
	                           "SELECT spool_path FROM messages UNION ALL "
	                           "SELECT spool_path FROM held_items WHERE spool_path IS NOT NULL",
	                           error);
	int rc;

	if (st == NULL)
		return NULL;
	while ((rc = db_step(db, st, error)) == SQLITE_ROW)
		g_hash_table_add(names, g_path_get_basename(db_col_text(st, 0)));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? g_steal_pointer(&names) : NULL;
}

static gboolean
spool_sweep_dir(const char *dir, GHashTable *named, time_t before, guint *removed, GError **error)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, error);
	const char *name;

	if (d == NULL)
		return FALSE;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		struct stat st;

		if (g_hash_table_contains(named, name) || !spool_name_ok(name) ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_mtime >= before)
			continue;
		if (unlink(path) != 0) {
			log_warn("spool: could not remove the leftover %s: %s", path, g_strerror(errno));
			continue;
		}
		log_info("spool: removed %s, left by a delivery that never committed it (%" G_GINT64_FORMAT
		         " bytes, last written %" G_GINT64_FORMAT " s ago)",
		         path, (gint64)st.st_size, (gint64)(time(NULL) - st.st_mtime));
		(*removed)++;
	}
	return TRUE;
}

gboolean
spool_sweep(Db *db, const char *state_dir, gint64 older_than, guint *removed, GError **error)
{
	g_autoptr(GError) err = NULL;
	g_autoptr(GHashTable) named = NULL;
	const char *const subdirs[] = { "new", "tmp" };
	time_t before = time(NULL) - (time_t)older_than;
	guint n = 0;
	gboolean ok = TRUE;

	g_return_val_if_fail(db != NULL && state_dir != NULL && older_than > 0, FALSE);
	/* The write lock, held from the query to the last unlink: no delivery
	 * can commit a row naming a file between the two. */
	if (!db_begin(db, &err) || (named = spool_named(db, &err)) == NULL)
		ok = FALSE;
	for (guint i = 0; ok && i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree char *dir = g_build_filename(state_dir, "spool", subdirs[i], NULL);
		ok = spool_sweep_dir(dir, named, before, &n, &err);
	}
	db_rollback(db);
	if (removed != NULL)
		*removed = n;
	if (!ok) {
		log_warn("spool: leftovers not swept: %s", err->message);
		g_propagate_error(error, g_steal_pointer(&err));
	}
	return ok;
}
