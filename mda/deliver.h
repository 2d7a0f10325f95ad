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
	const char *client_address;  /* the SMTP client's IP address (-a), or NULL */
} Delivery;

int deliver(const Delivery *d, int in_fd);

#endif
