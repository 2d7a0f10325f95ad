/* callbacks.h - what embargo-milter does at each step of an SMTP transaction. */
#ifndef EMBARGO_MILTER_CALLBACKS_H
#define EMBARGO_MILTER_CALLBACKS_H

#include <libmilter/mfapi.h>

#include "runtime.h"

/* Fills DESC (the caller's) for smfi_register; the callbacks judge by runtime_current(). */
void callbacks_init(struct smfiDesc *desc);

#endif
