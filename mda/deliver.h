/* deliver.h - one delivery of one message to one list, start to finish. */
#ifndef EMBARGO_DELIVER_H
#define EMBARGO_DELIVER_H

#include <signal.h>

#include "config.h"

/* Set once the message is committed: from then on it is delivered, whatever
 * happens while the outbox is sent. */
extern volatile sig_atomic_t deliver_committed;

typedef struct {
	const EmbargoConfig *config;
	const EmbargoList *list;
	const char *envelope_from;   /* as Postfix gave it: "" or MAILER-DAEMON for the null sender */
	const char *recipient;       /* normalised, +extension included */
	const char *ext;             /* the +extension, or NULL */
	guint send_timeout;          /* seconds one sendmail run may take */
	const char *release;         /* a held item's id (helditems.h) whose raw copy IN_FD is:
	                              * delivered as if it had just arrived, never held again;
	                              * NULL for mail from Postfix (release.c sets it) */
	const char *released_by;     /* with release: who decided, for the record */
	const char *client_address;  /* the SMTP client's IP address (-a), or NULL */
} Delivery;

/* Delivers the message read from IN_FD; the exit status: 0 stored and
 * committed, 75 (EX_TEMPFAIL) not, and with D->release 65 (EX_DATAERR)
 * when the item is no longer held on D->list (nothing changed). */
int deliver(const Delivery *d, int in_fd);

#endif
