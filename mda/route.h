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
} RouteKind;

typedef struct {
	RouteKind kind;
	char *case_id;        /* NULL for a new report, or when none was found */
	gboolean from_member;
	CaseAddrKind addr_kind;
	char *why;            /* for ROUTE_REFUSED and the log */
	gboolean held;        /* ROUTE_REPORT of automatic mail: a held case, never acknowledged */
} Route;

/* 1 when IN is a member's (route.c says what proves it), 0 when not, -1 on
 * an error (ERROR set). */
int route_is_member(Db *db, const EmbargoConfig *config, const EmbargoList *list, const InMessage *in,
                    const char *envelope_from, GError **error);
/* Fills ROUTE (cleared with route_clear) with what IN is and its case;
 * FALSE with ERROR set on an error of the store, ROUTE then cleared. */
gboolean route_decide(Db *db, const EmbargoConfig *config, const EmbargoList *list,
                      const InMessage *in, const char *envelope_from, const char *ext,
                      Route *route, GError **error);
/* Frees what ROUTE holds (not ROUTE itself). */
void route_clear(Route *route);
/* KIND's name as stored in messages.kind; static. */
const char *route_kind_name(RouteKind kind);

#endif
