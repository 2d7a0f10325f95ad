/* unquote.c - what of a member's answer may go to the reporter in the clear
 * on a case where something arrived encrypted.
 *
 * A member answering in their mail client quotes what they answer, and on
 * such a case that is decrypted text: the reporter's own report, or the
 * team's encrypted discussion. Sent unencrypted (the reporter gave no key),
 * the quote would put it on the wire in the clear. Clients quote in many
 * ways, and most of them do not prefix the quoted lines at all (Outlook's
 * "-----Original Message-----" or "From: ... Sent: ..." block, "On ...
 * wrote:" over unprefixed text, forwarded messages), so this fails closed:
 * only the text above the first quote marker of any known style goes out,
 * and one line says the rest was left out. Inline answers below a quote
 * are lost with it; the member is told (deliver.c). HTML, where a quote
 * cannot be told apart reliably, is left out, as are attachments other
 * than plain text, which may carry anything. */
#include "unquote.h"

#include <string.h>

#define UNQUOTE_NOTE                                                                      \
	"[quoted text removed, with everything below it: this case holds encrypted mail, and " \
	"this answer is not encrypted]\n"

/* How far above a "... wrote:" line its attribution may begin ("On Mon,
 * 23 Nov 2026 at 10:00, Jane Doe\n<jane@example.net> wrote:"). */
#define UNQUOTE_ATTRIBUTION_LINES 3

typedef struct {
	guint removed;   /* quoted lines and parts left out */
	gboolean cut;    /* a quote marker was met: nothing after it goes */
	gboolean kept;   /* some text of the member's own remains */
} Unquote;

static gboolean
starts_with_any(const char *s, gsize len, const char *const *words)
{
	for (int i = 0; words[i] != NULL; i++) {
		gsize n = strlen(words[i]);
		if (len >= n && g_ascii_strncasecmp(s, words[i], n) == 0)
			return TRUE;
	}
	return FALSE;
}

/* LINE (LEN bytes, leading blanks and a trailing CR dropped) as a fresh string. */
static char *
line_trimmed(const char *line, gsize len)
{
	char *s = g_strndup(line, len);

	return g_strstrip(s);
}

/* "On ... wrote:", and the same in the languages mail clients write it in. */
static gboolean
is_attribution_end(const char *s)
{
	static const char *const verbs[] = {
		"wrote", "writes", "schrieb", "a écrit", "escribió", "ha scritto", "schreef",
		"escreveu", "skrev", "kirjoitti", "napisał", "написал", "napsal", "írta",
		"写道", "寫道", "が書きました", NULL,
	};
	g_autofree char *low = NULL;
	gsize n = strlen(s);

	if (n == 0 || s[n - 1] != ':')
		return FALSE;
	low = g_utf8_strdown(s, -1);
	for (int i = 0; verbs[i] != NULL; i++)
		if (strstr(low, verbs[i]) != NULL)
			return TRUE;
	return FALSE;
}

/* Where an attribution begins in the lines before a "wrote:" line. */
static gboolean
is_attribution_start(const char *s)
{
	static const char *const openers[] = {
		"on ", "am ", "le ", "el ", "il ", "op ", "em ", "den ", "w dniu ", NULL,
	};

	return starts_with_any(s, strlen(s), openers);
}

/* Whether the (trimmed) line S starts a quote in a style of some client. */
static gboolean
is_marker(const char *s)
{
	/* Outlook's header block and its translations; "*From:*" from HTML turned to text. */
	static const char *const header_block[] = {
		"from:", "*from:", "von:", "*von:", "de:", "de :", "*de :", "*de:", "van:",
		"da:", "från:", "fra:", "od:", "от:", "发件人:", "寄件者:", NULL,
	};
	static const char *const forwards[] = {
		"begin forwarded message", "anfang der weitergeleiteten nachricht",
		"début du message réexpédié", "inicio del mensaje reenviado", NULL,
	};
	gsize n = strlen(s);

	if (s[0] == '>' || s[0] == '|')
		return TRUE;
	/* "-----Original Message-----", "---------- Forwarded message ---------",
	 * "----- Ursprüngliche Nachricht -----" and every such banner. */
	if (n >= 6 && g_str_has_prefix(s, "--") && g_str_has_suffix(s, "--") &&
	    strspn(s, "- ") < n)
		return TRUE;
	if (n >= 10 && strspn(s, "_") == n)
		return TRUE;
	if (starts_with_any(s, n, header_block) || starts_with_any(s, n, forwards))
		return TRUE;
	return is_attribution_end(s);
}

/* The offset in TEXT of the first quote marker, with its attribution
 * lines; -1 when there is none. */
static gssize
unquote_find(const char *text)
{
	gsize starts[UNQUOTE_ATTRIBUTION_LINES] = { 0 };
	guint seen = 0;

	for (const char *p = text; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		gsize len = nl != NULL ? (gsize)(nl - p) : strlen(p);
		g_autofree char *s = line_trimmed(p, len);

		if (is_marker(s)) {
			gsize at = (gsize)(p - text);
			/* "On Mon, 23 Nov ...\n... wrote:": cut where it begins. */
			if (is_attribution_end(s)) {
				for (guint back = 1; back < UNQUOTE_ATTRIBUTION_LINES && back <= seen; back++) {
					gsize prev = starts[(seen - back) % UNQUOTE_ATTRIBUTION_LINES];
					const char *pl = text + prev;
					g_autofree char *ps = line_trimmed(pl, strcspn(pl, "\n"));
					if (is_attribution_start(ps)) {
						at = prev;
						break;
					}
				}
			}
			return (gssize)at;
		}
		starts[seen % UNQUOTE_ATTRIBUTION_LINES] = (gsize)(p - text);
		seen++;
		p += len + (nl != NULL ? 1 : 0);
	}
	return -1;
}

static gboolean
has_text(const char *s, gsize len)
{
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isspace(s[i]))
			return TRUE;
	return FALSE;
}

static GMimeObject *
unquote_text_part(GMimeObject *part, Unquote *u)
{
	g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	const char *t = text != NULL ? text : "";
	gssize at = unquote_find(t);
	gsize keep = at >= 0 ? (gsize)at : strlen(t);
	g_autoptr(GString) out = g_string_new_len(t, (gssize)keep);
	GMimeTextPart *clean;

	if (has_text(t, keep))
		u->kept = TRUE;
	if (at >= 0) {
		for (const char *q = t + at; *q != '\0'; q++)
			if (*q == '\n' || q[1] == '\0')
				u->removed++;
		if (out->len > 0 && out->str[out->len - 1] != '\n')
			g_string_append_c(out, '\n');
		g_string_append(out, UNQUOTE_NOTE);
		u->cut = TRUE;
	}
	clean = g_mime_text_part_new_with_subtype("plain");
	g_mime_text_part_set_text(clean, out->str);
	return GMIME_OBJECT(clean);
}

static gboolean
is_type(GMimeObject *o, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(o);

	return ct != NULL && g_mime_content_type_is_type(ct, type, subtype);
}

static GMimeObject *
unquote_walk(GMimeObject *body, Unquote *u)
{
	if (u->cut) {
		u->removed++;
		return NULL;
	}
	if (GMIME_IS_MULTIPART_SIGNED(body) && g_mime_multipart_get_count(GMIME_MULTIPART(body)) == 2)
		return unquote_walk(g_mime_multipart_get_part(GMIME_MULTIPART(body),
		                                              GMIME_MULTIPART_SIGNED_CONTENT),
		                    u);
	if (GMIME_IS_TEXT_PART(body) && is_type(body, "text", "plain"))
		return unquote_text_part(body, u);
	if (GMIME_IS_MULTIPART(body) && !GMIME_IS_MULTIPART_ENCRYPTED(body)) {
		GMimeMultipart *mp = GMIME_MULTIPART(body);
		gboolean alternative = is_type(body, "multipart", "alternative");
		GMimeMultipart *out = g_mime_multipart_new_with_subtype("mixed");
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++) {
			GMimeObject *part = g_mime_multipart_get_part(mp, i);
			g_autoptr(GMimeObject) clean = NULL;
			if (alternative && !is_type(part, "text", "plain"))
				continue;
			clean = unquote_walk(part, u);
			if (clean != NULL)
				g_mime_multipart_add(out, clean);
			if (alternative && clean != NULL)
				break;
		}
		if (g_mime_multipart_get_count(out) == 0) {
			g_object_unref(out);
			return NULL;
		}
		if (g_mime_multipart_get_count(out) == 1) {
			GMimeObject *only = g_object_ref(g_mime_multipart_get_part(out, 0));
			g_object_unref(out);
			return only;
		}
		return GMIME_OBJECT(out);
	}
	u->removed++;
	return NULL;
}

/* A new body for BODY (a new reference; NULL when nothing of it may go):
 * text/plain parts cut at the first quote marker, multipart/alternative
 * reduced to its plain text, everything else left out, and nothing after
 * a cut. *REMOVED counts lines and parts left out; *KEPT says whether any
 * text of the member's own (above the first marker) remains. */
GMimeObject *
unquote_body(GMimeObject *body, guint *removed, gboolean *kept)
{
	Unquote u = { 0 };
	GMimeObject *clean = unquote_walk(body, &u);

	*removed = u.removed;
	*kept = u.kept;
	return clean;
}
