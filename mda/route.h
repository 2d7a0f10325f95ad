/* route.h - what an incoming message is, and which case it belongs to. */
#ifndef EMBARGO_ROUTE_H
#define EMBARGO_ROUTE_H

#include "caseid.h"
#include "config.h"
#include "db.h"
#include "inmsg.h"

typedef enum {
	ROUTE_REPORT,      /* a new report: open a case */
	ROUTE_FOLLOWUP,    /* more from the reporter (or anyone outside the team) on a case */
	ROUTE_DISCUSSION,  /* a member writing to the team's thread of a case */
	ROUTE_ANSWER,      /* a member answering the reporter through the list */
	ROUTE_AUTOREPLY,   /* automatic mail on a case, an auto-reply on none: stored, not copied */
	ROUTE_BOUNCE,      /* a delivery failure notice */
	ROUTE_LOOP,        /* our own mail came back */
	ROUTE_REFUSED,     /* a member's mail we cannot act on: stored, the member told */
	ROUTE_COMMAND,     /* a member's commands to the list itself (#release): no case */
} RouteKind;

typedef struct {
	RouteKind kind;
	char *case_id;        /* NULL for a new report, or when none was found */
	gboolean from_member;
	CaseAddrKind addr_kind;
	char *why;            /* for ROUTE_REFUSED and the log */
	gboolean held;        /* mail held back (automatic on no case, spam): a held item, no case */
} Route;

/* 1: a member's mail (From on LIST's team and proven theirs, see route.c);
 * 0: not (a stranger's, or unproven); -1: a store error, *ERROR set. */
int route_is_member(Db *db, const EmbargoConfig *config, const EmbargoList *list, const InMessage *in,
                    const char *envelope_from, GError **error);
/* Fills *ROUTE (cleared first; the caller frees its fields with route_clear).
 * ENVELOPE_FROM NULL or "" is the null sender; EXT NULL or "": the list
 * address itself. TRUE: decided (route->case_id NULL: on no case); FALSE: a
 * store error, *ERROR set and *ROUTE left cleared. */
gboolean route_decide(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                      const InMessage *in, const char *envelope_from, const char *ext,
                      Route *route, GError **error);
/* Frees ROUTE's fields and sets them NULL; ROUTE itself is the caller's. */
void route_clear(Route *route);
/* A static name for KIND ("report", "followup", ...), never NULL. */
const char *route_kind_name(RouteKind kind);

#endif
