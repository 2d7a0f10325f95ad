/* sockfile.c - the file of a unix: (or local:) [milter] socket, from start
 * to exit.
 *
 * At start, a file there that is no socket is not ours to remove (libmilter
 * would refuse it too, but say so only in syslog). A socket file that
 * something still accepts connections on
 * belongs to a milter that is running: it is not taken over (libmilter
 * would unlink it and bind a new one, and the running milter would go on
 * listening on a file that nobody can reach any more). One that refuses
 * connections was left by a milter that died; libmilter replaces it
 * (smfi_opensocket(true)). At exit the file is removed if it is still ours
 * (same device and inode: a milter started since may have replaced it).
 * libmilter removes it itself only when not running as root, and not when
 * the milter was stopped otherwise than by its own signal thread.
 *
 * An inet: socket has no file; for it all of this does nothing. */
#include "sockfile.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

struct SockFile {
	char *path;      /* NULL: not a unix socket */
	gboolean noted;  /* dev and ino are those of the socket we bound */
	dev_t dev;
	ino_t ino;
};

static const char *
unix_path(const char *conn)
{
	if (g_str_has_prefix(conn, "unix:") || g_str_has_prefix(conn, "local:"))
		return strchr(conn, ':') + 1;
	return NULL;
}

/* Whether something accepts connections on the socket PATH. A full backlog
 * (EAGAIN, the socket being non-blocking) is someone listening too. */
static gboolean
listening(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	gboolean live;
	int fd;

	if (strlen(path) >= sizeof sa.sun_path)
		return FALSE; /* libmilter refuses such a path, with its own message */
	memcpy(sa.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return FALSE;
	live = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 || errno == EAGAIN;
	close(fd);
	return live;
}

/* Before the socket is opened: NULL, with ERROR set, when CONN's file is
 * no socket or another process listens on it. */
SockFile *
sockfile_claim(const char *conn, GError **error)
{
	const char *path = unix_path(conn);
	struct stat st;
	SockFile *sf;

	if (path != NULL && lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
			            "%s exists and is not a socket; it is left alone", path);
			return NULL;
		}
		if (listening(path)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
			            "%s: another process listens on it (is embargo-milter already running?)",
			            path);
			return NULL;
		}
		log_info("replacing the socket %s, left by a milter that did not stop cleanly", path);
	}
	sf = g_new0(SockFile, 1);
	sf->path = g_strdup(path);
	return sf;
}

/* Once the socket is bound: remembers which file is ours. */
void
sockfile_note(SockFile *sf)
{
	struct stat st;

	if (sf->path != NULL && lstat(sf->path, &st) == 0 && S_ISSOCK(st.st_mode)) {
		sf->noted = TRUE;
		sf->dev = st.st_dev;
		sf->ino = st.st_ino;
	}
}

/* At exit: removes our socket file, if it is still there and still ours, and frees SF. */
void
sockfile_release(SockFile *sf)
{
	struct stat st;

	if (sf == NULL)
		return;
	/* Not removable after dropping privileges when the directory is not the
	 * user's (systemd's RuntimeDirectory=, which systemd empties itself):
	 * worth a line, not a warning at every stop. */
	if (sf->noted && lstat(sf->path, &st) == 0 && st.st_dev == sf->dev && st.st_ino == sf->ino &&
	    unlink(sf->path) != 0)
		log_info("cannot remove the socket %s: %s (the next start replaces it)", sf->path,
		         g_strerror(errno));
	g_free(sf->path);
	g_free(sf);
}
