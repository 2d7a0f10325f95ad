/* deliver.h - one delivery of one message to one list, start to finish. */
#ifndef EMBARGO_DELIVER_H
#define EMBARGO_DELIVER_H

#include "config.h"

typedef struct {
	const EmbargoConfig *config;
	const EmbargoList *list;
	const char *envelope_from;   /* as Postfix gave it: "" or MAILER-DAEMON for the null sender */
	const char *recipient;       /* normalised, +extension included */
	const char *ext;             /* the +extension, or NULL */
} Delivery;

int deliver(const Delivery *d, int in_fd);

#endif
