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
 * Started as root, the milter gives the socket to [milter] user, and
 * nothing root does may follow a name that someone else can change: in a
 * directory the user can write (the queue directory layout for a chrooted
 * smtpd), the user could swap the socket for a symbolic link between the
 * bind and a chown by name, and be given any file. So the socket's
 * directory decides (sockfile_dir): one that only root can write gets the
 * socket from root, which then hands it over by a chown relative to the
 * directory's descriptor that follows no link (sockfile_give); one the
 * user can write gets it only once the milter is that user, from the user
 * itself, so no chown is needed; and one that others can write as well is
 * refused, since whoever can write there can replace the socket.
 *
 * An inet: socket has no file; for it all of this does nothing. */
#include "sockfile.h"

#include <errno.h>
#include <fcntl.h>
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

/* As root, about to become UID (group GID): whether the socket of CONN
 * must be made after the privilege drop (*AS_USER), or now (then *DIR_FD
 * is its directory, for sockfile_give; -1 for an inet: socket). FALSE,
 * with ERROR set, for a directory that someone other than root and UID
 * can write, or that is not one. */
gboolean
sockfile_dir(const char *conn, uid_t uid, gid_t gid, gboolean *as_user, int *dir_fd, GError **error)
{
	const char *path;
	g_autofree char *dir = NULL;
	struct stat st;
	int fd;

	g_return_val_if_fail(conn != NULL && as_user != NULL && dir_fd != NULL, FALSE);
	path = unix_path(conn);
	*as_user = FALSE;
	*dir_fd = -1;
	if (path == NULL)
		return TRUE;
	dir = g_path_get_dirname(path);
	/* the directory itself is no link either: its checks must be of the one we bind in */
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno),
		            "the socket's directory %s: %s", dir, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return FALSE;
	}
	if (st.st_uid == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) == 0) {
		*dir_fd = fd;
		return TRUE;
	}
	close(fd);
	if ((st.st_mode & S_IWOTH) != 0 || (st.st_uid != 0 && st.st_uid != uid) ||
	    ((st.st_mode & S_IWGRP) != 0 && st.st_gid != gid)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
		            "the socket's directory %s (owner %u, group %u, mode %04o) can be written by "
		            "others than root and [milter] user, who could replace the socket: use a "
		            "directory that only root can write, or one of [milter] user's",
		            dir, (unsigned)st.st_uid, (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
		return FALSE;
	}
	*as_user = TRUE;
	return TRUE;
}

/* Gives our socket (bound by root in DIR_FD, which only root can write)
 * to UID and GID, without following a link. */
gboolean
sockfile_give(SockFile *sf, int dir_fd, uid_t uid, gid_t gid, GError **error)
{
	g_autofree char *name = NULL;
	struct stat st;

	g_return_val_if_fail(sf != NULL, FALSE);
	if (sf->path == NULL || dir_fd < 0)
		return TRUE;
	name = g_path_get_basename(sf->path);
	if (!sf->noted || fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    !S_ISSOCK(st.st_mode) || st.st_dev != sf->dev || st.st_ino != sf->ino) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
		            "%s is not the socket just bound; it is left alone", sf->path);
		return FALSE;
	}
	if (fchownat(dir_fd, name, uid, gid, AT_SYMLINK_NOFOLLOW) != 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "chown %s: %s",
		            sf->path, g_strerror(errno));
		return FALSE;
	}
	return TRUE;
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
	const char *path;
	struct stat st;
	SockFile *sf;

	g_return_val_if_fail(conn != NULL, NULL);
	path = unix_path(conn);
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

	g_return_if_fail(sf != NULL);
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
