/* callbacks.h - what embargo-milter does at each step of an SMTP transaction. */
#ifndef EMBARGO_MILTER_CALLBACKS_H
#define EMBARGO_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

#include "config.h"
#include "ratelimit.h"
#include "spf-check.h"

/* Shared by every thread, read-only once smfi_main() runs. */
typedef struct {
	const EmbargoConfig *config;
	const char *authserv_id;
	SpfChecker *spf;
	RateLimit *rate;      /* NULL: no rate limit */
} MilterGlobals;

void callbacks_init(const MilterGlobals *globals, struct smfiDesc *desc);

#endif
