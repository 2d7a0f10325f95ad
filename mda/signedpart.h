/* signedpart.h - the bytes an RFC 3156 signature covers, as they arrived. */
#ifndef EMBARGO_SIGNEDPART_H
#define EMBARGO_SIGNEDPART_H

#include "gmime-autoptr.h"

/* The signed part of the multipart/signed MPS (two parts, the second a leaf)
 * exactly as it arrived, lines ending in CRLF (RFC 3156 section 5), when
 * the parser kept the stream it read (g_mime_parser_set_persist_stream)
 * and those bytes are the part GMime read, nothing more or less; caller
 * unrefs. NULL otherwise: the caller falls back to writing the part out. */
GBytes *signedpart_bytes(GMimeMultipart *mps);

#endif
