/* unquote.h - what of a member's answer may reach a reporter unencrypted. */
#ifndef EMBARGO_UNQUOTE_H
#define EMBARGO_UNQUOTE_H

#include "gmime-autoptr.h"

/* What of BODY may reach a reporter unencrypted: a new object (the caller
 * unrefs it), or NULL when nothing may. *REMOVED: lines and parts left
 * out; *KEPT: some text of the member's own remains. BODY is borrowed. */
GMimeObject *unquote_body(GMimeObject *body, guint *removed, gboolean *kept);

#endif
