/* route.c - decides what an incoming message is: the heart of the list.
 *
 * Order matters: loops first (our own mail must never be answered), then
 * automatic mail and bounces (never answered, never copied), then the
 * recipient's +extension, then the subject tag and references.
 *
 * Who is a member (route_is_member, also for protect.c): someone whose From
 * address is on the team and whose mail proves it is theirs. The proof is
 * a trusted Authentication-Results field (our authserv-id, which
 * embargo-milter removes from everything it lets in before it adds its
 * own): spf=pass for an envelope sender equal to From, or dmarc=pass for
 * the From domain, or an aligned dkim=pass (authres_vouches). Where
 * [milter] required is off (no milter runs) and no trusted field is
 * there, the envelope sender equal to From is all there is to go by. A
 * From header alone is never enough.
 *
 * In-Reply-To and References are the sender's word: an id files a
 * stranger's mail on a case only when the case is the sender's own (see
 * message_case_by_reference); anything else is a new report of its own
 * sender. Automatic mail that belongs to no case, other than auto-replies,
 * may be a report nobody should be answered for: it is held (route->held),
 * a held item (helditems.c) until a person releases it. */
#include "route.h"

#include <string.h>

#include "address.h"
#include "authres.h"
#include "cases.h"
#include "log.h"
#include "members.h"
#include "messages.h"

const char *
route_kind_name(RouteKind kind)
{
	static const char *const names[] = {
		"report", "followup", "discussion", "answer", "autoreply", "bounce", "loop", "refused",
		"command",
	};

	g_assert((guint)kind < G_N_ELEMENTS(names));
	return names[kind];
}

void
route_clear(Route *route)
{
	g_clear_pointer(&route->case_id, g_free);
	g_clear_pointer(&route->why, g_free);
}

/* *CASE_ID: the case named by ID (NULL: none) if it exists on LIST, else
 * NULL. FALSE on an error. */
static gboolean
route_known_case(Db *db, const EmbargoList *list, const char *id, char **case_id, GError **error)
{
	*case_id = NULL;
	return id == NULL || case_on_list(db, list->address, id, case_id, error);
}

/* *CASE_ID: a case found from the subject tag, then In-Reply-To/References
 * (NULL: none); SENDER as for message_case_by_reference. FALSE on an error. */
static gboolean
route_case_from_message(Db *db, const EmbargoList *list, const InMessage *in, const char *sender,
                        char **case_id, GError **error)
{
	g_autofree char *tag = caseid_from_subject(in->subject, list->prefix);

	if (!route_known_case(db, list, tag, case_id, error))
		return FALSE;
	for (guint i = 0; *case_id == NULL && in->references != NULL && i < in->references->len; i++)
		if (!message_case_by_reference(db, list->address, in->references->pdata[i], sender,
		                               case_id, error))
			return FALSE;
	return TRUE;
}

/* Who a non-member's mail is from: the address a report of theirs makes the
 * case's reporter (deliver.c does the same). */
static char *
route_sender(const InMessage *in, const char *envelope_from)
{
	if (in->from_addr != NULL)
		return g_strdup(in->from_addr);
	return address_normalize(envelope_from);
}

/* An auto-reply proper (RFC 3834 "auto-replied", or the older X-Autoreply
 * headers): an answer to some mail, never a report of its own. */
static gboolean
route_is_auto_reply(const InMessage *in)
{
	g_autofree char *value = NULL;
	const char *v;

	if (in->automatic == NULL)
		return FALSE;
	if (strcmp(in->automatic, "X-Autoreply") == 0)
		return TRUE;
	v = in->message != NULL ? g_mime_object_get_header(GMIME_OBJECT(in->message), "Auto-Submitted")
	                        : NULL;
	if (v == NULL)
		return FALSE;
	value = g_strstrip(g_ascii_strdown(v, -1));
	value[strcspn(value, " \t;(")] = '\0';
	return strcmp(value, "auto-replied") == 0;
}

static int
route_member_check(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                   const InMessage *in, const char *envelope_from, gboolean quiet, GError **error)
{
	g_autofree char *env = address_normalize(envelope_from);
	AuthResProof proof;
	int member;

	if (in->from_addr == NULL)
		return 0;
	if (in->authres == NULL && !config->milter.required) {
		if (env == NULL || strcmp(env, in->from_addr) != 0)
			return 0;
		return member_is(db, list->address, in->from_addr, error);
	}
	proof = authres_vouches(in->authres, in->from_addr, envelope_from);
	member = member_is(db, list->address, in->from_addr, error);
	if (member > 0 && proof == AUTHRES_NONE) {
		if (!quiet)
			log_warn("From %s is a member's address, but %s: taken as a stranger's mail",
			         in->from_addr,
			         in->authres == NULL
			                 ? (config->milter.authserv_id == NULL
			                            ? "[milter] authserv_id is not set, so no Authentication-Results is trusted"
			                            : "no trusted Authentication-Results proves it")
			                 : "its trusted Authentication-Results prove it neither by SPF, DMARC nor DKIM");
		return 0;
	}
	if (member > 0 && !quiet)
		log_info("From %s: a member (proof: %s)", in->from_addr, authres_proof_name(proof));
	return member;
}

/* 1 when the message is a member's (see the top of this file), 0 when not, -1 on error. */
int
route_is_member(Db *db, const EmbargoConfig *config, const EmbargoList *list, const InMessage *in,
                const char *envelope_from, GError **error)
{
	return route_member_check(db, config, list, in, envelope_from, TRUE, error);
}

gboolean
route_decide(Db *db, const EmbargoConfig *config, const EmbargoList *list, const InMessage *in,
             const char *envelope_from, const char *ext, Route *route, GError **error)
{
	g_autofree char *ext_case = NULL;
	g_autofree char *sender = NULL;  /* NULL for a member: any case of the list */
	GError *err = NULL;
	int member;

	memset(route, 0, sizeof *route);
	route->addr_kind = caseid_from_extension(ext, list->prefix, &ext_case);

	if (in->loop != NULL && config_is_own_address(config, in->loop)) {
		route->kind = ROUTE_LOOP;
		route->why = g_strdup_printf("carries our loop header (%s)", in->loop);
	} else if (address_is_null(envelope_from) || in->is_report) {
		route->kind = ROUTE_BOUNCE;
		route->why = g_strdup(address_is_null(envelope_from) ? "null sender" : "delivery report");
	}
	if (route->why != NULL) {
		if (route_known_case(db, list, ext_case, &route->case_id, &err) && route->case_id == NULL)
			route_case_from_message(db, list, in, NULL, &route->case_id, &err);
		goto done;
	}

	member = route_member_check(db, config, list, in, envelope_from, FALSE, &err);
	if (member < 0)
		goto done;
	route->from_member = member > 0;
	/* "" matches no reporter: a stranger without an address threads by no id. */
	if (!route->from_member && (sender = route_sender(in, envelope_from)) == NULL)
		sender = g_strdup("");

	if (in->automatic != NULL) {
		route->kind = ROUTE_AUTOREPLY;
		route->why = g_strdup_printf("automatic (%s)", in->automatic);
		if (route_known_case(db, list, ext_case, &route->case_id, &err) && route->case_id == NULL)
			route_case_from_message(db, list, in, sender, &route->case_id, &err);
		/* Automatic mail on no case may be a report (a scanner's, a forge's
		 * notification, list mail): held, never acknowledged. Not an
		 * auto-reply proper: it answers some mail we did not send, and a
		 * forged sender's backscatter would be a case per responder; not
		 * another embargo list's mail (its loop header): two lists on each
		 * other's teams would open cases back and forth; not a member's. */
		if (route->case_id == NULL && err == NULL && !route->from_member &&
		    in->loop == NULL && !route_is_auto_reply(in)) {
			route->kind = ROUTE_REPORT;
			route->held = TRUE;
		}
		goto done;
	}

	if (route->addr_kind != CASE_ADDR_NONE) {
		if (!route_known_case(db, list, ext_case, &route->case_id, &err))
			goto done;
		if (route->from_member && route->case_id == NULL) {
			route->kind = ROUTE_REFUSED;
			route->why = route->addr_kind == CASE_ADDR_INVALID
			                 ? g_strdup_printf("'%s' names no case of %s", ext, list->address)
			                 : g_strdup_printf("there is no case %s on %s", ext_case, list->address);
			goto done;
		}
		if (route->case_id != NULL) {
			if (!route->from_member)
				route->kind = ROUTE_FOLLOWUP;
			else if (route->addr_kind == CASE_ADDR_REPORTER)
				route->kind = ROUTE_ANSWER;
			else
				route->kind = ROUTE_DISCUSSION;
			goto done;
		}
		/* A stranger's mail to an unknown case address is a report like any other. */
	}

	if (!route_case_from_message(db, list, in, sender, &route->case_id, &err))
		goto done;
	if (route->case_id == NULL)
		route->kind = ROUTE_REPORT;
	else
		route->kind = route->from_member ? ROUTE_DISCUSSION : ROUTE_FOLLOWUP;

done:
	if (err != NULL) {
		g_propagate_error(error, err);
		route_clear(route);
		return FALSE;
	}
	return TRUE;
}
