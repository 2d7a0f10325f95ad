/* sockfile.h - the file of embargo-milter's unix socket, from start to exit. */
#ifndef EMBARGO_MILTER_SOCKFILE_H
#define EMBARGO_MILTER_SOCKFILE_H

#include <glib.h>
#include <sys/types.h>

typedef struct SockFile SockFile;

SockFile *sockfile_claim(const char *conn, GError **error);
void sockfile_note(SockFile *sf);
void sockfile_release(SockFile *sf);
gboolean sockfile_dir(const char *conn, uid_t uid, gid_t gid, gboolean *as_user, int *dir_fd,
                      GError **error);
gboolean sockfile_give(SockFile *sf, int dir_fd, uid_t uid, gid_t gid, GError **error);

#endif
