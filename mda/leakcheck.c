/* leakcheck.c - the last check before an answer goes to a reporter in the
 * clear on a case that holds encrypted mail: does any run of
 * LEAKCHECK_SPAN characters of the case's decrypted messages reappear in
 * it? unquote.c cuts at every quote marker it knows; this catches what no
 * marker announced (a client of another style, text pasted by hand). The
 * messages are decrypted again for it, since their clear text is never
 * stored; that costs one gpg run per encrypted message of the case, and
 * happens only when the answer is at least LEAKCHECK_SPAN long.
 *
 * Both texts are compared with every run of white space as one blank, so
 * that re-wrapping does not hide a copy; runs are taken at word starts,
 * which any copy of LEAKCHECK_SPAN plus one word's length includes. */
#include "leakcheck.h"

#include <string.h>

#include "messages.h"

/* The newest encrypted messages of a case that are read again, and how
 * much of each one's text. */
#define LEAKCHECK_MAX_MESSAGES 20
#define LEAKCHECK_MAX_TEXT (4 * 1024 * 1024)
#define LEAKCHECK_MAX_PARTS 1000

/* The text parts of OBJ, white space collapsed, appended to OUT. */
static void
leakcheck_text(GMimeObject *obj, GString *out, int *parts)
{
	if (obj == NULL || ++(*parts) > LEAKCHECK_MAX_PARTS || out->len >= LEAKCHECK_MAX_TEXT)
		return;
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		for (int i = 0; i < g_mime_multipart_get_count(mp); i++)
			leakcheck_text(g_mime_multipart_get_part(mp, i), out, parts);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *m = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
		if (m != NULL)
			leakcheck_text(g_mime_message_get_mime_part(m), out, parts);
	} else if (GMIME_IS_TEXT_PART(obj)) {
		g_autofree char *text = g_mime_text_part_get_text(GMIME_TEXT_PART(obj));
		gboolean space = TRUE;
		if (text == NULL)
			return;
		if (out->len > 0)
			g_string_append_c(out, ' ');
		for (const char *p = text; *p != '\0' && out->len < LEAKCHECK_MAX_TEXT; p++) {
			if (g_ascii_isspace(*p)) {
				if (!space)
					g_string_append_c(out, ' ');
				space = TRUE;
				continue;
			}
			space = FALSE;
			g_string_append_c(out, *p);
		}
	}
}

/* Every run of LEAKCHECK_SPAN bytes of TEXT that starts a word. */
static GHashTable *
leakcheck_runs(const GString *text)
{
	GHashTable *runs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (gsize i = 0; i + LEAKCHECK_SPAN <= text->len; i++)
		if (text->str[i] != ' ' && (i == 0 || text->str[i - 1] == ' '))
			g_hash_table_add(runs, g_strndup(text->str + i, LEAKCHECK_SPAN));
	return runs;
}

static gboolean
leakcheck_found(GHashTable *runs, const GString *text)
{
	char key[LEAKCHECK_SPAN + 1];

	for (gsize i = 0; i + LEAKCHECK_SPAN <= text->len; i++) {
		if (text->str[i] == ' ' || (i > 0 && text->str[i - 1] != ' '))
			continue;
		memcpy(key, text->str + i, LEAKCHECK_SPAN);
		key[LEAKCHECK_SPAN] = '\0';
		if (g_hash_table_contains(runs, key))
			return TRUE;
	}
	return FALSE;
}

/* The decrypted text of the message stored at SPOOL_PATH into OUT; FALSE
 * with WHY when it cannot be read again, or ERROR (a transient fault). */
static gboolean
leakcheck_message(const CryptoHomes *homes, const char *spool_path, GString *out, char **why,
                  GError **error)
{
	g_autoptr(GError) err = NULL;
	InMessage *in = inmsg_parse(spool_path, FALSE, &err);
	CryptoIn ci = { 0 };
	gboolean ok = FALSE;
	int parts = 0;

	if (in == NULL) {
		*why = g_strdup_printf("cannot read %s: %s", spool_path, err->message);
		return FALSE;
	}
	if (!crypto_in_open(homes, in, &ci, error))
		goto done;
	if (!ci.encrypted || ci.body == NULL) {
		*why = g_strdup_printf("%s does not decrypt any more%s%s", spool_path,
		                       ci.decrypt_error != NULL ? ": " : "",
		                       ci.decrypt_error != NULL ? ci.decrypt_error : "");
		goto done;
	}
	leakcheck_text(ci.body, out, &parts);
	ok = TRUE;
done:
	crypto_in_clear(&ci);
	inmsg_free(in);
	return ok;
}

/* 0 when CLEAN may go, 1 when it repeats decrypted text of the case or the
 * check could not be made (WHY says which; it never quotes the text), -1
 * on a transient error. EXCEPT is the answer's own message row. */
int
leakcheck_answer(Db *db, const CryptoHomes *homes, const char *case_id, sqlite3_int64 except,
                 GMimeObject *clean, char **why, GError **error)
{
	g_autoptr(GString) answer = g_string_new(NULL);
	g_autoptr(GHashTable) runs = NULL;
	g_autoptr(GPtrArray) stored = NULL;
	int parts = 0, verdict = 0;

	*why = NULL;
	leakcheck_text(clean, answer, &parts);
	if (answer->len < LEAKCHECK_SPAN)
		return 0;
	runs = leakcheck_runs(answer);
	stored = message_encrypted_of_case(db, case_id, except, LEAKCHECK_MAX_MESSAGES, error);
	if (stored == NULL)
		return -1;
	for (guint i = 0; verdict == 0 && i < stored->len; i++) {
		const StoredMessage *m = stored->pdata[i];
		g_autoptr(GString) plain = g_string_new(NULL);
		g_autofree char *fault = NULL;

		if (!leakcheck_message(homes, m->spool_path, plain, &fault, error)) {
			if (fault == NULL)
				return -1;
			*why = g_strdup_printf("the answer could not be checked against encrypted message %"
			                       G_GINT64_FORMAT " of the case (%s)", (gint64)m->id, fault);
			verdict = 1;
		} else if (leakcheck_found(runs, plain)) {
			*why = g_strdup_printf("the answer repeats %d or more characters of encrypted "
			                       "message %" G_GINT64_FORMAT " of the case",
			                       LEAKCHECK_SPAN, (gint64)m->id);
			verdict = 1;
		}
	}
	return verdict;
}
