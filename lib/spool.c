/* spool.c - writes a message durably: a new file in spool/tmp, written to
 * EOF, fsync'd, renamed into spool/new, and the directory fsync'd, before
 * anyone parses it. Reading all of stdin matters too: pipe(8) ignores
 * EPIPE, so exiting early would count as delivered.
 *
 * The digest that detects redelivery skips a leading "From sender date"
 * line, which pipe(8)'s F flag writes afresh on each attempt. */
#include "spool.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Hashes the stream but a leading "From " line, however the reads split it. */
typedef struct {
	GChecksum *sum;
	char head[5];     /* the first bytes, until we know whether they start "From " */
	size_t head_len;
	gboolean decided;
	gboolean in_from_line;
} Digest;

static void
digest_feed(Digest *dg, const char *buf, size_t n)
{
	while (!dg->decided && n > 0) {
		dg->head[dg->head_len++] = *buf++;
		n--;
		if (dg->head_len == sizeof dg->head) {
			dg->decided = TRUE;
			dg->in_from_line = memcmp(dg->head, "From ", 5) == 0;
			if (!dg->in_from_line)
				g_checksum_update(dg->sum, (const guchar *)dg->head, (gssize)dg->head_len);
		}
	}
	if (dg->in_from_line && n > 0) {
		const char *nl = memchr(buf, '\n', n);
		size_t skip = nl != NULL ? (size_t)(nl - buf) + 1 : n;
		buf += skip;
		n -= skip;
		dg->in_from_line = nl == NULL;
	}
	if (n > 0)
		g_checksum_update(dg->sum, (const guchar *)buf, (gssize)n);
}

static void
digest_finish(Digest *dg, SpoolEntry *entry)
{
	if (!dg->decided)
		g_checksum_update(dg->sum, (const guchar *)dg->head, (gssize)dg->head_len);
	entry->digest = g_strdup(g_checksum_get_string(dg->sum));
}

/* Copies IN_FD to FD, hashing it as it goes. */
static gboolean
spool_copy(int in_fd, int fd, SpoolEntry *entry, GError **error, const char *tmp)
{
	g_autoptr(GChecksum) sum = g_checksum_new(G_CHECKSUM_SHA256);
	Digest dg = { .sum = sum };
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
		digest_feed(&dg, buf, (size_t)n);
		if (!entry->has_nul && memchr(buf, '\0', (size_t)n) != NULL)
			entry->has_nul = TRUE;
		entry->size += n;
	}
	digest_finish(&dg, entry);
	return TRUE;
}

SpoolEntry *
spool_write(const char *state_dir, int in_fd, GError **error)
{
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
	entry->path = g_build_filename(newdir, name, NULL);
	if (rename(tmp, entry->path) != 0) {
		spool_io_error(error, "renaming", tmp);
		goto fail;
	}
	if (!fsync_dir(newdir)) {
		spool_io_error(error, "fsync of directory", newdir);
		unlink(entry->path);
		return NULL;
	}
	return g_steal_pointer(&entry);

fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return NULL;
}

/* Removes a spooled copy that will not be kept (a duplicate, or a deferred attempt). */
void
spool_discard(SpoolEntry *entry)
{
	if (entry != NULL && entry->path != NULL)
		unlink(entry->path);
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
