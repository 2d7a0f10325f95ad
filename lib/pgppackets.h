/* pgppackets.h - what OpenPGP packets some data holds, looked at before gpg sees it. */
#ifndef EMBARGO_PGPPACKETS_H
#define EMBARGO_PGPPACKETS_H

#include <glib.h>

/* Packets a transferable public key may hold; packets a detached signature may hold. */
#define PGP_PACKETS_KEY "2,6,10,12,13,14,17"
#define PGP_PACKETS_SIGNATURE "2,10"
#define PGP_PACKETS_MAX 20000

/* TRUE when DATA (binary, or ASCII-armored: every armored block in it) is
 * a sequence of whole packets whose tags are all in ALLOWED (tag numbers,
 * comma-separated), at most PGP_PACKETS_MAX of them, none with a partial or
 * indeterminate length (*WHY NULL). Otherwise FALSE with *WHY, for the
 * caller to g_free. */
gboolean pgp_packets_check(const guint8 *data, gsize len, const char *allowed, char **why);

/* The key ids (16 upper-case hex digits each) the leading public-key
 * encrypted session key packets (tag 1) of DATA (binary, or the first
 * armored block in it) are addressed to, in a new array the caller
 * unrefs; *ENCRYPTED TRUE when DATA starts with session key packets of
 * any kind (FALSE: a signed, compressed or literal message, the array
 * empty), *ANONYMOUS TRUE when one names no recipient (a wildcard or
 * hidden recipient). NULL with *WHY (caller g_frees) when DATA does not
 * start with an OpenPGP packet. */
GPtrArray *pgp_packets_recipients(const guint8 *data, gsize len, gboolean *encrypted,
                                  gboolean *anonymous, char **why);

#endif
