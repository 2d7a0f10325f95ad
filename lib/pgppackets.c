/* pgppackets.c - owns the look at OpenPGP packet framing (RFC 4880 4.2,
 * RFC 9580 4.2) that comes before gpg is given a key or a detached
 * signature.
 *
 * gpg reads a compressed packet (tag 8) wherever it meets one, in a key
 * being imported or listed as well as in a signature being checked, and
 * neither ever needs one: a few hundred kilobytes of key data can
 * decompress into millions of user ids, which gpg holds in memory and
 * lists back to us, and a detached signature into gigabytes gpg reads
 * through without writing anything that could be bounded. So such data is
 * allowed only the packet types it is made of, with definite lengths,
 * and is refused before gpg runs. Only the framing is read: the packets'
 * contents are gpg's business, but for the recipients an encrypted
 * message names, which tell whether it is ours to decrypt at all. */
#include "pgppackets.h"

#include <string.h>

static gboolean
packets_allowed(const char *allowed, guint tag)
{
	g_auto(GStrv) tags = g_strsplit(allowed, ",", -1);
	g_autofree char *t = g_strdup_printf("%u", tag);

	return g_strv_contains((const char *const *)tags, t);
}

static guint
packets_tag(guint8 b)
{
	return (b & 0x40) ? (guint)(b & 0x3f) : (guint)((b >> 2) & 0x0f);
}

/* The header of the packet at P[*POS], which has the packet bit: its tag
 * and definite body length, *POS moved to the body. FALSE with *WHY for a
 * partial or indeterminate length, or a packet that does not fit. */
static gboolean
packets_header(const guint8 *p, gsize len, gsize *pos, guint *tag, guint64 *body, char **why)
{
	guint8 b = p[(*pos)++];

	*tag = packets_tag(b);
	if (b & 0x40) {
		/* New format: the length's first octet says its form. */
		if (*pos >= len)
			goto truncated;
		if (p[*pos] < 192) {
			*body = p[(*pos)++];
		} else if (p[*pos] < 224) {
			if (len - *pos < 2)
				goto truncated;
			*body = ((guint64)(p[*pos] - 192) << 8) + p[*pos + 1] + 192;
			*pos += 2;
		} else if (p[*pos] == 255) {
			if (len - *pos < 5)
				goto truncated;
			*body = (guint64)p[*pos + 1] << 24 | (guint64)p[*pos + 2] << 16 |
			        (guint64)p[*pos + 3] << 8 | p[*pos + 4];
			*pos += 5;
		} else {
			*why = g_strdup_printf("a packet (tag %u) of partial lengths", *tag);
			return FALSE;
		}
	} else {
		guint type = b & 3;
		gsize n;
		if (type == 3) {
			*why = g_strdup_printf("a packet (tag %u) of indeterminate length", *tag);
			return FALSE;
		}
		n = (gsize)1 << type;
		if (len - *pos < n)
			goto truncated;
		*body = 0;
		for (gsize i = 0; i < n; i++)
			*body = *body << 8 | p[*pos + i];
		*pos += n;
	}
	if (*body > len - *pos)
		goto truncated;
	return TRUE;
truncated:
	*why = g_strdup("a truncated packet");
	return FALSE;
}

static gboolean
packets_walk(const guint8 *p, gsize len, const char *allowed, guint *count, char **why)
{
	gsize pos = 0;

	while (pos < len) {
		guint tag;
		guint64 body;

		if (!(p[pos] & 0x80)) {
			*why = g_strdup("not OpenPGP packets");
			return FALSE;
		}
		tag = packets_tag(p[pos]);
		if (!packets_allowed(allowed, tag)) {
			*why = tag == 8 ? g_strdup("a compressed packet (tag 8)")
			                : g_strdup_printf("a packet of tag %u", tag);
			return FALSE;
		}
		if (!packets_header(p, len, &pos, &tag, &body, why))
			return FALSE;
		if (++*count > PGP_PACKETS_MAX) {
			*why = g_strdup_printf("more than %d packets", PGP_PACKETS_MAX);
			return FALSE;
		}
		pos += (gsize)body;
	}
	return TRUE;
}

/* The binary content of every armored block in TEXT, one after the other;
 * NULL with *WHY when there is none or one is not base64. */
static GByteArray *
packets_dearmor(const char *text, gsize len, char **why)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	const char *end = text + len;
	const char *p = text;
	guint blocks = 0;

	while ((p = g_strstr_len(p, end - p, "-----BEGIN PGP ")) != NULL) {
		g_autoptr(GString) b64 = g_string_new(NULL);
		gboolean body = FALSE, done = FALSE;
		const char *line = memchr(p, '\n', end - p);

		p = line != NULL ? line + 1 : end;
		while (p < end && !done) {
			const char *nl = memchr(p, '\n', end - p);
			const char *stop = nl != NULL ? nl : end;
			g_autofree char *l = g_strstrip(g_strndup(p, stop - p));

			p = nl != NULL ? nl + 1 : end;
			if (g_str_has_prefix(l, "-----END PGP ")) {
				done = TRUE;
			} else if (!body) {
				/* Armor headers ("Version: ...") end at the first blank line. */
				if (*l == '\0' || strchr(l, ':') == NULL)
					body = TRUE;
				if (*l != '\0' && strchr(l, ':') == NULL)
					g_string_append(b64, l);
			} else if (*l == '=' && strlen(l) == 5) {
				continue; /* the checksum */
			} else {
				g_string_append(b64, l);
			}
		}
		if (strspn(b64->str, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") !=
		    b64->len) {
			*why = g_strdup("armor that is not base64");
			return NULL;
		}
		if (b64->len > 0) {
			gsize n;
			g_autofree guchar *bin = g_base64_decode(b64->str, &n);
			g_byte_array_append(out, bin, (guint)n);
		}
		blocks++;
	}
	if (blocks == 0) {
		*why = g_strdup("neither OpenPGP packets nor an armored block");
		return NULL;
	}
	return g_steal_pointer(&out);
}

gboolean
pgp_packets_check(const guint8 *data, gsize len, const char *allowed, char **why)
{
	g_autoptr(GByteArray) bin = NULL;
	gsize skip = 0;
	guint count = 0;

	g_return_val_if_fail(why != NULL && allowed != NULL, FALSE);
	g_return_val_if_fail(data != NULL || len == 0, FALSE);
	*why = NULL;
	while (skip < len && g_ascii_isspace(data[skip]))
		skip++;
	if (skip == len) {
		*why = g_strdup("no data");
		return FALSE;
	}
	if (data[skip] & 0x80)
		return packets_walk(data + skip, len - skip, allowed, &count, why);
	bin = packets_dearmor((const char *)data, len, why);
	return bin != NULL && packets_walk(bin->data, bin->len, allowed, &count, why);
}

static char *
packets_hex(const guint8 *p, gsize n)
{
	GString *s = g_string_new(NULL);

	for (gsize i = 0; i < n; i++)
		g_string_append_printf(s, "%02X", p[i]);
	return g_string_free(s, FALSE);
}

/* The key id a PKESK body names (RFC 4880 5.1, RFC 9580 5.1): v3 carries
 * it, v6 the fingerprint (v4 keys' id is its end, v6 keys' its start);
 * NULL for none named. */
static char *
packets_pkesk_keyid(const guint8 *b, gsize n)
{
	static const guint8 zero[8] = { 0 };

	if (n >= 9 && b[0] == 3)
		return memcmp(b + 1, zero, 8) == 0 ? NULL : packets_hex(b + 1, 8);
	if (n >= 2 && b[0] == 6 && b[1] > 0 && (gsize)b[1] + 2 <= n) {
		if (b[1] == 21 && b[2] == 4)
			return packets_hex(b + 3 + 12, 8);
		if (b[1] == 33 && b[2] == 6)
			return packets_hex(b + 3, 8);
	}
	return NULL;
}

GPtrArray *
pgp_packets_recipients(const guint8 *data, gsize len, gboolean *encrypted, gboolean *anonymous,
                       char **why)
{
	g_autoptr(GByteArray) armored = NULL;
	g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func(g_free);
	const guint8 *p = data;
	gsize pos = 0, n = len;
	guint esk = 0;

	*anonymous = FALSE;
	*encrypted = FALSE;
	*why = NULL;
	if (len > 0 && !(data[0] & 0x80)) {
		const char *b = g_strstr_len((const char *)data, len, "-----BEGIN PGP ");
		const char *e = b != NULL ? g_strstr_len(b, len - (b - (const char *)data), "-----END PGP ")
		                          : NULL;
		if (b == NULL || e == NULL) {
			*why = g_strdup("no armored block");
			return NULL;
		}
		/* Only the first block: what a quote puts after it is not this message. */
		e = memchr(e, '\n', len - (e - (const char *)data));
		armored = packets_dearmor(b, e != NULL ? (gsize)(e - b) : len - (b - (const char *)data),
		                          why);
		if (armored == NULL)
			return NULL;
		p = armored->data;
		n = armored->len;
	}
	if (n == 0 || !(p[0] & 0x80)) {
		*why = g_strdup("not OpenPGP packets");
		return NULL;
	}
	while (pos < n && esk < PGP_PACKETS_MAX) {
		guint tag = packets_tag(p[pos]);
		guint64 body;
		g_autofree char *bad = NULL;

		if (!(p[pos] & 0x80) || (tag != 1 && tag != 3))
			break; /* the encrypted data, or a message that is not encrypted */
		if (!packets_header(p, n, &pos, &tag, &body, &bad)) {
			esk++; /* a session key packet cut short: encrypted, to no one readable */
			break;
		}
		if (tag == 1) {
			char *id = packets_pkesk_keyid(p + pos, (gsize)body);
			if (id != NULL)
				g_ptr_array_add(ids, id);
			else
				*anonymous = TRUE;
		}
		esk++;
		pos += (gsize)body;
	}
	*encrypted = esk > 0;
	return g_steal_pointer(&ids);
}
