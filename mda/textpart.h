/* textpart.h - text as the team reads it: any declared charset made UTF-8. */
#ifndef EMBARGO_TEXTPART_H
#define EMBARGO_TEXTPART_H

#include "gmime-autoptr.h"

/* TEXT (LEN bytes) decoded from CHARSET into a new valid UTF-8 string the
 * caller g_frees. CHARSET NULL or US-ASCII: UTF-8 when it is that, else
 * windows-1252 as mail readers assume; an unknown charset or bytes not in
 * it: UTF-8 with what is not valid replaced. NUL bytes become U+FFFD.
 * Never NULL. */
char *textpart_utf8(const char *text, gsize len, const char *charset);

/* The charset an armored block's "Charset:" header names, from ARMOR (LEN
 * bytes, starting at its BEGIN line); a new string the caller g_frees, or
 * NULL for none. */
char *textpart_armor_charset(const char *armor, gsize len);

/* A new text/plain part (caller unrefs) with PART's decoded text in UTF-8,
 * its file name kept; NULL when PART is not a text/plain leaf. */
GMimeObject *textpart_copy(GMimePart *part);

#endif
