/* unquote.h - what of a member's answer may reach a reporter unencrypted. */
#ifndef EMBARGO_UNQUOTE_H
#define EMBARGO_UNQUOTE_H

#include "gmime-autoptr.h"

GMimeObject *unquote_body(GMimeObject *body, guint *removed, gboolean *kept);

#endif
