/* canonical.h - the canonical (CRLF) bytes of a MIME entity, as OpenPGP signatures cover them. */
#ifndef EMBARGO_CANONICAL_H
#define EMBARGO_CANONICAL_H

#include "gmime-autoptr.h"

/* OBJ written out with CRLF line ends; caller g_bytes_unrefs. Never NULL. */
GBytes *canonical_bytes(GMimeObject *obj);

#endif
