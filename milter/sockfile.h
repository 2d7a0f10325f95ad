/* sockfile.h - the file of embargo-milter's unix socket, from start to exit. */
#ifndef EMBARGO_MILTER_SOCKFILE_H
#define EMBARGO_MILTER_SOCKFILE_H

#include <glib.h>
#include <sys/types.h>

typedef struct SockFile SockFile;

/* Before binding CONN (libmilter's form): the claim on its socket file,
 * freed by sockfile_release. NULL with ERROR set when the file is no
 * socket or another process listens on it. */
SockFile *sockfile_claim(const char *conn, GError **error);
/* Once bound: remembers which file is ours. */
void sockfile_note(SockFile *sf);
/* Removes our socket file if it is still ours, and frees SF (NULL is fine). */
void sockfile_release(SockFile *sf);
/* Whether CONN's socket must be made after dropping to UID (*AS_USER) or
 * now (*DIR_FD its directory, the caller closes it; -1 for inet:). FALSE
 * with ERROR set for a directory others could write. */
gboolean sockfile_dir(const char *conn, uid_t uid, gid_t gid, gboolean *as_user, int *dir_fd,
                      GError **error);
/* Gives our socket in DIR_FD to UID and GID. FALSE with ERROR set when
 * the file there is not the one we bound, or chown fails. */
gboolean sockfile_give(SockFile *sf, int dir_fd, uid_t uid, gid_t gid, GError **error);

#endif
