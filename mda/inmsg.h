/* inmsg.h - an incoming message as embargo-mda reads it. */
#ifndef EMBARGO_INMSG_H
#define EMBARGO_INMSG_H

#include "authres.h"
#include "gmime-autoptr.h"

typedef struct {
	GMimeMessage *message;   /* NULL when nothing could be parsed */
	char *message_id;        /* without brackets; "" when none */
	char *from_addr;         /* normalised; NULL when absent, several or invalid */
	char *from_name;         /* display name, one line */
	char *subject;           /* decoded, one line, bounded; "" when none */
	GPtrArray *references;   /* In-Reply-To then References, newest first */
	char *loop;              /* value of our loop header, when present */
	char *automatic;         /* why it looks automatic (RFC 3834), or NULL */
	gboolean is_report;      /* multipart/report: a delivery status notification */
	gboolean suppress_reply; /* X-Auto-Response-Suppress asks for no auto-reply */
	char *problem;           /* why it could not be processed cleanly, or NULL */
	GPtrArray *notes;        /* defects read past (mimedefects.c), one line each; set by inmsg_parse */
	char *date;              /* the Date header, as written */
	char *spf;               /* SPF result of a trusted Authentication-Results field, or NULL */
	char *spf_identity;      /* the address (smtp.mailfrom) or HELO name (smtp.helo) it judged */
	gboolean spf_helo;       /* spf_identity is the HELO name */
	AuthRes *authres;        /* every trusted Authentication-Results field, merged; NULL: none */
} InMessage;

/* A new InMessage (free with inmsg_free) for the file SPOOL_PATH, also for
 * mail that cannot be parsed (->message NULL, ->problem says why); HAS_NUL:
 * the raw message held NUL bytes (a problem, though parsed). NULL only when
 * the file cannot be read, *ERROR set. */
InMessage *inmsg_parse(const char *spool_path, gboolean has_nul, GError **error);
/* Sets IN's authres, spf and spf_identity from the Authentication-Results
 * fields of AUTHSERV_ID; AUTHSERV_ID NULL (none configured): trusts none. */
void inmsg_read_authres(InMessage *in, const char *authserv_id);
/* Frees IN and all it holds; NULL is allowed. */
void inmsg_free(InMessage *in);
/* A new string (g_free) of TEXT on one line, valid UTF-8, at most MAX_CHARS
 * characters; TEXT NULL gives "". Never NULL. */
char *inmsg_one_line(const char *text, glong max_chars);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(InMessage, inmsg_free)

#endif
