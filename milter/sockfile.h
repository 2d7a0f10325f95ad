/* sockfile.h - the file of embargo-milter's unix socket, from start to exit. */
#ifndef EMBARGO_MILTER_SOCKFILE_H
#define EMBARGO_MILTER_SOCKFILE_H

#include <glib.h>

typedef struct SockFile SockFile;

SockFile *sockfile_claim(const char *conn, GError **error);
void sockfile_note(SockFile *sf);
void sockfile_release(SockFile *sf);

#endif
