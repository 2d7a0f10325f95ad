/* context.h - what embargo-milter keeps per SMTP connection (ConnCtx) and
 * per message (MsgCtx) between libmilter's callbacks. */
#ifndef EMBARGO_MILTER_CONTEXT_H
#define EMBARGO_MILTER_CONTEXT_H

#include <glib.h>

#include "runtime.h"
#include "spf-check.h"

typedef struct {
	char *sender;         /* without brackets; "" for the null sender */
	guint64 size_param;   /* MAIL FROM's SIZE=, 0 when not given */
	guint list_rcpts;     /* list recipients accepted so far */
	guint64 max_size;     /* the smallest limit among them; 0: none */
	guint64 seen;         /* bytes of headers and body seen */
	gboolean rate_taken;  /* this message is counted in its client's rate */
	gboolean rate_refused;
	const char *spf;      /* result token, NULL until checked */
	char *spf_why;
	GArray *forged;       /* int: 1-based indexes of AR fields claiming our authserv-id, in any message */
	int ar_seen;          /* AR fields seen so far */
	gboolean bad_header;  /* a header callback failed; answered at end of headers */
} MsgCtx;

typedef struct {
	Runtime *rt;          /* the configuration this connection is judged by */
	SpfClient client;
	char *addr;           /* printable client address, for logs and the rate limit */
	char *helo;
	MsgCtx *msg;
	unsigned long proto;  /* the SMFIP_* steps and no-reply flags agreed at negotiation */
} ConnCtx;

/* A connection judged by the configuration in force now (it holds a
 * reference to it); NULL before there is one. Freed with conn_free. */
ConnCtx *conn_new(void);
/* Frees CONN, its message and its reference to the configuration; NULL is none. */
void conn_free(ConnCtx *conn);
/* Frees MSG and what it holds; NULL is none. */
void msg_free(MsgCtx *msg);

#endif
