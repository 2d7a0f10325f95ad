/* spf-worker.h - the process that runs libspf2 for embargo-milter, and its wire format. */
#ifndef EMBARGO_MILTER_SPF_WORKER_H
#define EMBARGO_MILTER_SPF_WORKER_H

#include <glib.h>

/* argv[1] of the milter's own binary when it runs as a worker */
#define SPF_WORKER_ARG "--spf-worker"

/* The most a request or a reply may hold; more is a broken peer. */
#define SPF_WIRE_MAX 4096

/* The worker's address space: libspf2 and the resolver need a few MiB. */
#define SPF_WORKER_MEMORY (256u * 1024 * 1024)

/* TRUE when the test zone file PATH can be read; FALSE with ERROR set. */
gboolean spf_zone_check(const char *path, GError **error);
/* Sends MSG (borrowed) with its length in front. FALSE: the peer is gone. */
gboolean spf_wire_write(int fd, const GByteArray *msg);
/* The NUL-terminated fields of the N bytes at BUF; caller g_strfreev's.
 * NULL: empty, too long, or not ending with a NUL. */
GStrv spf_wire_fields(const guint8 *buf, size_t n);
/* A worker's reply: *TOKEN static ("" for its internal error), *WHY for the
 * caller to g_free. FALSE (both NULL): a broken reply. */
gboolean spf_reply_parse(const guint8 *buf, size_t n, const char **token, char **why);
/* The worker process's main: a sysexits status. */
int spf_worker_main(int argc, char **argv);

#endif
