/* helddigest.h - "embargoctl held digest" (helddigest.c). */
#ifndef EMBARGO_CTL_HELDDIGEST_H
#define EMBARGO_CTL_HELDDIGEST_H

#include "ctl.h"

/* Mails each list's team one digest of the held items no digest listed
 * yet (none: no mail), standing on NOW_TEXT (NULL: now); an exit status,
 * the message printed. */
int held_digest(Ctl *ctl, const char *now_text);

#endif
