/* spool.c - writes a message durably: a new file in spool/tmp, written to
 * EOF, fsync'd, renamed into spool/new, and the directory fsync'd, before
 * anyone parses it. Reading all of stdin matters too: pipe(8) ignores
 * EPIPE, so exiting early would count as delivered.
 *
 * The digest that detects redelivery is taken from the file afterwards,
 * without the trace fields MTAs prepend (see spool_digest). */
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
	entry->digest = spool_digest(entry->path, error);
	if (entry->digest == NULL) {
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
