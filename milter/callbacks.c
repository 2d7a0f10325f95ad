/* callbacks.c - the libmilter callbacks: which messages embargo-milter
 * judges, and what it answers at each step.
 *
 * A message with a recipient that may reach a list is judged: a list
 * address in any spelling the MTA resolves to it (rcpt_kind: quoted local
 * part, source route, trailing dot, any case, +extension), and, failing
 * closed, any recipient whose spelling we cannot follow with confidence.
 * Every message, judged or not, loses the Authentication-Results fields
 * that claim our authserv-id (RFC 8601 section 5): mail can reach a list
 * by ways no RCPT shows (aliases, virtual maps), and embargo-mda must never
 * find such a field that we did not write. Mail that is not judged skips
 * its body (SMFIS_SKIP) and is accepted at the end of the message, where
 * its forged fields are removed. Everything that can be decided per
 * recipient is decided at RCPT, so a refusal costs the client no DATA and
 * refuses only that recipient:
 * the size from SIZE=, the rate limit, and SPF with spf_fail = reject. The
 * SPF check runs once per message, at its first list recipient.
 *
 * The protocol is cut to what the verdicts need (cb_negotiate), because
 * every step the MTA waits for is a round trip through the milter socket,
 * and every command costs libmilter a few system calls (it polls before
 * each read) and, when it arrives alone, a wake-up of one of its worker
 * threads. Connect, HELO and MAIL FROM never refuse anything here, so the
 * MTA sends them without waiting for a reply, and Postfix then sends them
 * in one write with the RCPT TO that follows; headers are sent without
 * replies; end of headers is not sent (what it judged waits for the body
 * or the end of the message); DATA is never sent, and the body not when
 * no list of the connection's configuration has a max_message_size; and
 * the MTA sends only the macro we read, the queue ID.
 *
 * Contexts: a ConnCtx per SMTP connection (client address, HELO name, and
 * a reference to the configuration in force when it began, runtime.c) made
 * at negotiation or connect and freed at close; a MsgCtx per message made
 * at MAIL FROM and freed at the next MAIL FROM, at abort, after
 * end-of-message or at close. A reload changes nothing for connections
 * already open: everything below reads conn->rt, never the newest.
 *
 * Any internal failure answers a temporary failure: a list message is never
 * let through unjudged, and the client simply tries again. */
#include "callbacks.h"
#include "context.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "address.h"
#include "authres.h"
#include "log.h"
#include "shim.h"


static const char *
queue_id(SMFICTX *ctx)
{
	const char *id = shim_getsymval(ctx, "i");

	return id != NULL && *id != '\0' ? id : "NOQUEUE";
}

/* Sets the SMTP reply and returns STATUS; a reply that cannot be set still
 * refuses (libmilter's default text), it only loses our wording. */
static sfsistat
answer(SMFICTX *ctx, sfsistat status, const char *rcode, const char *xcode, const char *fmt, ...)
	G_GNUC_PRINTF(5, 6);

static sfsistat
answer(SMFICTX *ctx, sfsistat status, const char *rcode, const char *xcode, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *text = NULL;

	va_start(ap, fmt);
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (!shim_setreply(ctx, rcode, xcode, text))
		log_warn("%s: cannot set the reply '%s %s %s'", queue_id(ctx), rcode, xcode, text);
	log_info("%s: %s %s %s", queue_id(ctx), rcode, xcode, text);
	return status;
}

static sfsistat
internal_error(SMFICTX *ctx, const char *what)
{
	log_error("%s: internal error: %s; answering with a temporary failure", queue_id(ctx), what);
	return answer(ctx, SMFIS_TEMPFAIL, "451", "4.3.0", "Temporary local problem, try again later");
}

static ConnCtx *
conn_of(SMFICTX *ctx)
{
	return shim_getpriv(ctx);
}

/* The answer of a step that goes on: none when the MTA was told not to wait
 * for one (NR_STEP, an SMFIP_NR_* flag, was agreed), since libmilter then
 * must send nothing; libmilter itself sends "continue" for us to an MTA
 * that cannot do without a reply. */
static sfsistat
go_on(const ConnCtx *conn, unsigned long nr_step)
{
	return conn != NULL && (conn->proto & nr_step) != 0 ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

typedef enum {
	RCPT_OTHER,  /* surely no list's */
	RCPT_LIST,   /* *LIST's, in some spelling */
	RCPT_MAYBE,  /* a spelling the MTA may resolve to a list: judged, as a list's */
} RcptKind;

/* What the envelope recipient ARG (as the client wrote it) is to the lists
 * of CONFIG, judged the way Postfix resolves it (address_rcpt_canonical):
 * the list's address with or without a +extension is the list's. A local
 * part that starts with a list's own followed by another separator than
 * '+' (a recipient_delimiter of the MTA we cannot see, such as '-') is
 * taken as possibly the list's, and so is anything we cannot parse that
 * has a list's local part in it anywhere (quotes and backslashes aside): a
 * bare <postmaster> is not judged, <security> is. */
static RcptKind
rcpt_kind(const EmbargoConfig *config, const char *arg, const EmbargoList **list)
{
	g_autofree char *local = NULL, *domain = NULL, *base = NULL;
	char *plus;

	*list = NULL;
	if (!address_rcpt_canonical(arg, &local, &domain)) {
		g_autoptr(GString) bare = g_string_new(NULL);
		for (const char *p = arg; *p; p++)
			if (*p != '"' && *p != '\\')
				g_string_append_c(bare, g_ascii_tolower(*p));
		for (guint i = 0; i < config->lists->len; i++)
			if (strstr(bare->str, ((const EmbargoList *)config->lists->pdata[i])->local) != NULL)
				return RCPT_MAYBE;
		return RCPT_OTHER;
	}
	plus = strchr(local, '+');
	base = g_strdup_printf("%.*s@%s", plus != NULL ? (int)(plus - local) : (int)strlen(local), local,
	                       domain);
	*list = config_find_list(config, base);
	if (*list != NULL)
		return RCPT_LIST;
	for (guint i = 0; i < config->lists->len; i++) {
		const EmbargoList *l = config->lists->pdata[i];
		size_t n = strlen(l->local);
		if (strcmp(l->domain, domain) == 0 && strncmp(local, l->local, n) == 0 &&
		    local[n] != '\0' && !g_ascii_isalnum(local[n]))
			return RCPT_MAYBE;
	}
	return RCPT_OTHER;
}

/* Notes the client's address; never refuses (so the MTA need not wait: SMFIP_NR_CONN). */
static sfsistat
cb_connect(SMFICTX *ctx, char *hostname, struct sockaddr *hostaddr)
{
	ConnCtx *conn = conn_of(ctx);
	char text[INET6_ADDRSTRLEN] = "unknown";

	if (conn == NULL) {
		/* Negotiation makes the context; without one (no negotiation took
		 * place), no reply was negotiated away and a refusal reaches the MTA. */
		conn = conn_new();
		if (conn == NULL)
			return internal_error(ctx, "no configuration in force at connect");
		if (!shim_setpriv(ctx, conn)) {
			conn_free(conn);
			return internal_error(ctx, "smfi_setpriv failed");
		}
	}

	conn->client.family = AF_UNSPEC;
	if (hostaddr != NULL && hostaddr->sa_family == AF_INET) {
		conn->client.family = AF_INET;
		conn->client.v4 = ((struct sockaddr_in *)(void *)hostaddr)->sin_addr;
		inet_ntop(AF_INET, &conn->client.v4, text, sizeof text);
	} else if (hostaddr != NULL && hostaddr->sa_family == AF_INET6) {
		const struct in6_addr *a6 = &((struct sockaddr_in6 *)(void *)hostaddr)->sin6_addr;
		if (IN6_IS_ADDR_V4MAPPED(a6)) {
			/* an IPv4 client on a dual-stack socket: SPF checks it as IPv4 */
			conn->client.family = AF_INET;
			memcpy(&conn->client.v4, &a6->s6_addr[12], 4);
			inet_ntop(AF_INET, &conn->client.v4, text, sizeof text);
		} else {
			conn->client.family = AF_INET6;
			conn->client.v6 = *a6;
			inet_ntop(AF_INET6, a6, text, sizeof text);
		}
	}
	g_free(conn->addr);
	conn->addr = g_strdup(text);
	return go_on(conn, SMFIP_NR_CONN);
}

/* Notes the HELO name; never refuses (SMFIP_NR_HELO). A context lost here
 * (it cannot be, see cb_connect) is answered at RCPT TO, like one lost at
 * any step before. */
static sfsistat
cb_helo(SMFICTX *ctx, char *name)
{
	ConnCtx *conn = conn_of(ctx);

	if (conn == NULL)
		return internal_error(ctx, "no connection context at HELO");
	g_free(conn->helo);
	conn->helo = g_strdup(name != NULL ? name : "");
	return go_on(conn, SMFIP_NR_HELO);
}

/* "<a@b>" -> "a@b"; "<>" -> "". */
static char *
strip_brackets(const char *arg)
{
	size_t n = arg != NULL ? strlen(arg) : 0;

	if (n >= 2 && arg[0] == '<' && arg[n - 1] == '>')
		return g_strndup(arg + 1, n - 2);
	return g_strdup(arg != NULL ? arg : "");
}

/* Starts a message; never refuses (SMFIP_NR_MAIL): everything about the
 * sender is judged at its first list recipient. */
static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	ConnCtx *conn = conn_of(ctx);
	MsgCtx *msg;

	if (conn == NULL)
		return internal_error(ctx, "no connection context at MAIL FROM");
	msg_free(conn->msg);
	msg = conn->msg = g_new0(MsgCtx, 1);
	msg->forged = g_array_new(FALSE, FALSE, sizeof(int));
	msg->sender = strip_brackets(argv != NULL ? argv[0] : NULL);
	for (int i = 1; argv != NULL && argv[i] != NULL; i++) {
		guint64 n;
		if (g_ascii_strncasecmp(argv[i], "SIZE=", 5) == 0 &&
		    g_ascii_string_to_unsigned(argv[i] + 5, 10, 0, G_MAXUINT64, &n, NULL))
			msg->size_param = n;
	}
	return go_on(conn, SMFIP_NR_MAIL);
}

/* A client that SPF cannot judge: none known (Postfix's non_smtpd_milters
 * may give none), or this host itself (sendmail(1), a local program). */
static gboolean
client_is_local(const SpfClient *client)
{
	if (client->family == AF_INET)
		return (ntohl(client->v4.s_addr) >> 24) == 127;
	if (client->family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&client->v6);
	return TRUE;
}

static sfsistat
too_big(SMFICTX *ctx, const MsgCtx *msg, guint64 limit)
{
	return answer(ctx, SMFIS_REJECT, "552", "5.3.4",
	              "Message too big for this list (limit %" G_GUINT64_FORMAT " bytes)", limit);
}

static sfsistat
cb_envrcpt(SMFICTX *ctx, char **argv)
{
	ConnCtx *conn = conn_of(ctx);
	MsgCtx *msg = conn != NULL ? conn->msg : NULL;
	const char *rcpt = argv != NULL && argv[0] != NULL ? argv[0] : "";
	const EmbargoList *list;
	g_autoptr(GError) err = NULL;

	if (conn == NULL)
		return internal_error(ctx, "no connection context at RCPT TO");
	if (rcpt_kind(conn->rt->config, rcpt, &list) == RCPT_OTHER)
		return SMFIS_CONTINUE;
	if (msg == NULL)
		return internal_error(ctx, "no message context at RCPT TO");
	if (list == NULL)
		log_info("%s: recipient %s may reach a list: judged as a list's", queue_id(ctx), rcpt);

	if (list != NULL && list->max_message_size > 0 && msg->size_param > list->max_message_size)
		return too_big(ctx, msg, list->max_message_size);

	if (!msg->rate_taken && !msg->rate_refused) {
		if (ratelimit_take(conn->rt->rate, conn->addr, g_get_monotonic_time()))
			msg->rate_taken = TRUE;
		else
			msg->rate_refused = TRUE;
	}
	if (msg->rate_refused)
		return answer(ctx, SMFIS_TEMPFAIL, "451", "4.7.1",
		              "Too many messages to %s from %s, try again later",
		              list != NULL ? list->address : "this list", conn->addr);

	if (msg->spf == NULL && client_is_local(&conn->client)) {
		/* SPF passes the loopback address for any sender (libspf2's
		 * "localhost" rule): there it would vouch for whatever a local
		 * user gives sendmail -f */
		msg->spf = "none";
		msg->spf_why = g_strdup("local client: SPF proves nothing about its sender");
	}
	if (msg->spf == NULL) {
		msg->spf = spf_check(conn->rt->spf, &conn->client, conn->helo, msg->sender, &msg->spf_why, &err);
		if (msg->spf == NULL)
			return internal_error(ctx, err->message);
	}
	if (conn->rt->config->milter.spf_reject && strcmp(msg->spf, "fail") == 0)
		return answer(ctx, SMFIS_REJECT, "550", "5.7.23",
		              "SPF check failed: %s is not allowed to send mail from %s", conn->addr,
		              *msg->sender != '\0' ? msg->sender : conn->helo);

	msg->list_rcpts++;
	if (list != NULL && list->max_message_size > 0 &&
	    (msg->max_size == 0 || list->max_message_size < msg->max_size))
		msg->max_size = list->max_message_size;
	return SMFIS_CONTINUE;
}

/* The message as far as the milter is concerned: NULL when it has no list
 * recipient (the caller accepts it untouched). */
static MsgCtx *
judged(SMFICTX *ctx)
{
	ConnCtx *conn = conn_of(ctx);

	if (conn == NULL || conn->msg == NULL || conn->msg->list_rcpts == 0)
		return NULL;
	return conn->msg;
}

static sfsistat
count_bytes(SMFICTX *ctx, MsgCtx *msg, size_t n)
{
	msg->seen += n;
	if (msg->max_size > 0 && msg->seen > msg->max_size)
		return too_big(ctx, msg, msg->max_size);
	return SMFIS_CONTINUE;
}

/* Every message goes on: its headers are still to be searched for forged fields. */
static sfsistat
cb_data(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

/* Headers are only noted and counted (forged fields in every message); the
 * verdict on them waits for the body or the end of the message, so that the
 * MTA need not wait for a reply to each one (SMFIP_NR_HDR). A header before
 * MAIL FROM cannot be. */
static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	ConnCtx *conn = conn_of(ctx);
	MsgCtx *msg = conn != NULL ? conn->msg : NULL;
	sfsistat quiet = go_on(conn, SMFIP_NR_HDR);

	if (msg == NULL)
		return conn == NULL ? internal_error(ctx, "no connection context at a header") : quiet;
	if (name == NULL || value == NULL) {
		msg->bad_header = TRUE;
		return quiet;
	}
	if (g_ascii_strcasecmp(name, AUTHRES_HEADER) == 0) {
		g_autoptr(AuthRes) ar = authres_parse(value);
		int index = ++msg->ar_seen;
		if (ar != NULL && authres_id_equal(ar->authserv_id, conn->rt->authserv_id))
			g_array_append_val(msg->forged, index);
	}
	msg->seen += strlen(name) + strlen(value) + 4; /* ": " and CRLF */
	return quiet;
}

/* Only from an MTA that cannot skip this step (SMFIP_NOEOH): what it
 * checks is checked again at the body and at the end of the message. */
static sfsistat
cb_eoh(SMFICTX *ctx)
{
	MsgCtx *msg = judged(ctx);

	if (msg == NULL)
		return SMFIS_CONTINUE;
	if (msg->bad_header)
		return internal_error(ctx, "header without a name or value");
	return count_bytes(ctx, msg, 0);
}

/* The MTA's macros that the callbacks read (queue_id()): only the queue ID.
 * An MTA sends by default a dozen others per event (Postfix:
 * milter_*_macros), each looked up, formatted and carried for nothing.
 * Every stage gets a list, and a list that is not empty: Postfix replaces
 * its own lists with the milter's, but takes an empty one to mean its
 * default. Before the queue file exists (at connect, HELO, and with
 * Postfix's smtpd_delay_open_until_valid_rcpt also at MAIL and the first
 * RCPT) "i" is not defined, and the MTA sends an empty list. */
static const int macro_stages[] = {
	SMFIM_CONNECT, SMFIM_HELO, SMFIM_ENVFROM, SMFIM_ENVRCPT, SMFIM_DATA, SMFIM_EOH, SMFIM_EOM,
};

/* Makes the connection's context from the configuration in force, and
 * agrees with the MTA on the steps it sends and waits for (see the top of
 * this file). The MTA offers in F1 the steps it can leave out (SMFIP_NO*)
 * and libmilter adds the replies it can leave out (SMFIP_NR_*), faking them
 * towards an MTA that cannot. Each step cut here must be one that can never
 * refuse or change anything for this connection's configuration:
 *   - connect, HELO, MAIL FROM: never refuse (no reply);
 *   - headers: judged later (no reply);
 *   - end of headers: what it would refuse, the body or the end of the
 *     message refuses (not sent);
 *   - DATA: every message is wanted until its end (its forged fields);
 *   - the body: only counted, against the lists' max_message_size; with no
 *     such limit in this configuration it is not sent at all; with one,
 *     mail for no list skips the rest of it (SMFIP_SKIP, when the MTA can).
 *     A reload that adds a limit applies from the next connection, which
 *     negotiates with the new configuration; this one keeps its own
 *     (runtime.c);
 *   - unknown commands: we have no callback for them (not sent).
 * RCPT TO, DATA when sent, the body when sent, and the end of the message
 * keep their replies. */
static sfsistat
cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1, unsigned long f2, unsigned long f3,
             unsigned long *pf0, unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	ConnCtx *conn;
	unsigned long steps = SMFIP_NR_CONN | SMFIP_NR_HELO | SMFIP_NR_MAIL | SMFIP_NR_HDR |
	                      SMFIP_NOEOH | SMFIP_NOUNKNOWN | SMFIP_NODATA | SMFIP_SKIP;

	(void)f2;
	(void)f3;
	/* SMFIF_SETSYMLIST: the MTA takes our macro lists (Sendmail asks for it; Postfix does not). */
	*pf0 = f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_SETSYMLIST);
	*pf1 = 0;
	*pf2 = 0;
	*pf3 = 0;
	if ((f0 & (SMFIF_ADDHDRS | SMFIF_CHGHDRS)) != (SMFIF_ADDHDRS | SMFIF_CHGHDRS))
		return SMFIS_REJECT;   /* without them we cannot do our job: libmilter fails the connection */
	conn = conn_new();
	if (conn == NULL)
		return SMFIS_REJECT;
	if (!conn->rt->size_limits)
		steps |= SMFIP_NOBODY;
	/* Only what the MTA offers: libmilter refuses a step it cannot leave out. */
	*pf1 = conn->proto = f1 & steps;
	if (!shim_setpriv(ctx, conn)) {
		conn_free(conn);
		return SMFIS_REJECT;
	}
	/* A list that cannot be set only costs bytes: the MTA sends its defaults. */
	for (size_t i = 0; i < G_N_ELEMENTS(macro_stages) && (f0 & SMFIF_SETSYMLIST) != 0; i++)
		shim_setsymlist(ctx, macro_stages[i], "i");
	return SMFIS_CONTINUE;
}

/* Only when some list has a max_message_size (cb_negotiate): a message past
 * it is refused while it arrives, headers counted in. A broken header (end
 * of headers is not sent, cb_negotiate) is answered here or at the end. */
static sfsistat
cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	ConnCtx *conn = conn_of(ctx);
	MsgCtx *msg = judged(ctx);

	if (msg == NULL)
		return conn != NULL && (conn->proto & SMFIP_SKIP) != 0 ? SMFIS_SKIP : SMFIS_CONTINUE;
	if (msg->bad_header)
		return internal_error(ctx, "header without a name or value");
	return count_bytes(ctx, msg, len);
}

/* "; removed ... #1,#3": the indexes of the removed fields, for the log; "" when none. */
static char *
forged_text(GArray *forged)
{
	GString *text = g_string_new(NULL);

	for (guint i = 0; i < forged->len; i++)
		g_string_append_printf(text, "%s#%d",
		                       i == 0 ? "; removed Authentication-Results claiming our authserv-id: " : ",",
		                       g_array_index(forged, int, i));
	return g_string_free(text, FALSE);
}

/* Removes MSG's fields that claim our authserv-id. Last first: deleting a
 * field must not shift the indexes still to delete. The indexes count the
 * fields as the client sent them, which is what the MTA counts when it
 * applies our changes as long as no milter before us in its list added or
 * removed an Authentication-Results field (embargo-milter(8): first in
 * smtpd_milters). */
static gboolean
remove_forged(SMFICTX *ctx, const MsgCtx *msg)
{
	for (guint i = msg->forged->len; i > 0; i--) {
		int index = g_array_index(msg->forged, int, i - 1);
		if (!shim_delheader(ctx, AUTHRES_HEADER, index))
			return FALSE;
	}
	return TRUE;
}

/* A message for no list: accepted, without the fields that claim to be ours. */
static sfsistat
eom_other(SMFICTX *ctx, ConnCtx *conn)
{
	MsgCtx *msg = conn != NULL ? conn->msg : NULL;
	g_autofree char *removed = NULL;

	if (msg != NULL && msg->bad_header) /* a field we could not read may have been one of ours */
		return internal_error(ctx, "header without a name or value");
	if (msg == NULL || msg->forged->len == 0)
		return SMFIS_ACCEPT;
	if (!remove_forged(ctx, msg))
		return internal_error(ctx, "cannot remove a forged Authentication-Results field");
	removed = forged_text(msg->forged);
	log_info("%s: client=%s for no list%s", queue_id(ctx), conn->addr != NULL ? conn->addr : "",
	         removed);
	g_clear_pointer(&conn->msg, msg_free);
	return SMFIS_ACCEPT;
}

static sfsistat
cb_eom(SMFICTX *ctx)
{
	ConnCtx *conn = conn_of(ctx);
	MsgCtx *msg = judged(ctx);
	gboolean helo = FALSE;
	g_autofree char *value = NULL, *removed = NULL;

	if (msg == NULL)
		return eom_other(ctx, conn);
	if (msg->bad_header)
		return internal_error(ctx, "header without a name or value");
	if (msg->max_size > 0 && msg->seen > msg->max_size)
		return too_big(ctx, msg, msg->max_size);
	if (conn->rt->config->milter.spf_reject && strcmp(msg->spf, "fail") == 0)
		return answer(ctx, SMFIS_REJECT, "550", "5.7.23", "SPF check failed");

	if (!remove_forged(ctx, msg))
		return internal_error(ctx, "cannot remove a forged Authentication-Results field");
	helo = *msg->sender == '\0';
	value = authres_format_spf(conn->rt->authserv_id, msg->spf, helo ? "helo" : "mailfrom",
	                           helo ? conn->helo : msg->sender);
	if (!shim_insheader(ctx, 0, AUTHRES_HEADER, value))
		return internal_error(ctx, "cannot add the Authentication-Results field");
	removed = forged_text(msg->forged);
	log_info("%s: client=%s %s=<%s> spf=%s (%s)%s", queue_id(ctx), conn->addr,
	         helo ? "helo" : "from", helo ? (conn->helo != NULL ? conn->helo : "") : msg->sender,
	         msg->spf, msg->spf_why != NULL ? msg->spf_why : "", removed);
	g_clear_pointer(&conn->msg, msg_free);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_abort(SMFICTX *ctx)
{
	ConnCtx *conn = conn_of(ctx);

	if (conn != NULL)
		g_clear_pointer(&conn->msg, msg_free);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_close(SMFICTX *ctx)
{
	ConnCtx *conn = conn_of(ctx);

	if (conn != NULL) {
		shim_setpriv(ctx, NULL);
		conn_free(conn);
	}
	return SMFIS_CONTINUE;
}

/* DESC is filled for smfi_register(); the callbacks judge by runtime_current(). */
void
callbacks_init(struct smfiDesc *desc)
{
	g_return_if_fail(desc != NULL);
	memset(desc, 0, sizeof *desc);
	desc->xxfi_name = (char *)"embargo-milter";
	desc->xxfi_version = SMFI_VERSION;
	desc->xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS;
	desc->xxfi_connect = cb_connect;
	desc->xxfi_helo = cb_helo;
	desc->xxfi_envfrom = cb_envfrom;
	desc->xxfi_envrcpt = cb_envrcpt;
	desc->xxfi_data = cb_data;
	desc->xxfi_header = cb_header;
	desc->xxfi_eoh = cb_eoh;
	desc->xxfi_body = cb_body;
	desc->xxfi_eom = cb_eom;
	desc->xxfi_abort = cb_abort;
	desc->xxfi_close = cb_close;
	desc->xxfi_negotiate = cb_negotiate;
}
