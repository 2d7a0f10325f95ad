/* fuzz-address.c - libFuzzer harness: addresses, +extensions, case ids and
 * subject tags, as they come from envelopes, headers and recipients; and
 * the same bytes as an address field (groups included) through the bound
 * of hdrbound.c and GMime's address parser, as embargo-mda reads From, To
 * and Cc; and envelope recipients as the milter resolves them. */
#include <stdint.h>
#include <string.h>

#include <gmime/gmime.h>

/* LeakSanitizer's switch, where it runs (clang or gcc with ASan); a no-op in
 * the replay build without sanitizers. */
#if defined(__SANITIZE_ADDRESS__)
#define FUZZ_HAS_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FUZZ_HAS_LSAN 1
#endif
#endif
#ifdef FUZZ_HAS_LSAN
#include <sanitizer/lsan_interface.h>
#else
#define __lsan_disable() ((void)0)
#define __lsan_enable() ((void)0)
#endif

#include "address.h"
#include "caseid.h"
#include "hdrbound.h"

/* Walks groups the way a reader of the parsed list would; GMime's own
 * nesting is what the bound keeps shallow, so this depth is too. */
static void
walk(InternetAddressList *list, int depth)
{
	for (int i = 0; i < internet_address_list_length(list); i++) {
		InternetAddress *a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(a) && depth < HDRBOUND_MAX_COLONS)
			walk(internet_address_group_get_members(INTERNET_ADDRESS_GROUP(a)), depth + 1);
		else if (INTERNET_ADDRESS_IS_MAILBOX(a))
			g_free(address_normalize(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a))));
	}
}

static void
address_field(const char *text)
{
	/* One unfolded field value, as GMime hands it on. */
	g_autofree char *field = g_strconcat("To: ", text, NULL);
	g_autofree char *why = NULL;
	InternetAddressList *list;

	g_strdelimit(field, "\r\n", ' ');
	why = hdrbound_check(field, strlen(field));
	if (why != NULL)
		return;
	/* GMime 3.2's own parser leaks a GString on some unclosed comments
	 * (128 bytes a message, in a library we cannot fix): leaks are not
	 * looked for inside the parse, only everything else is. */
	__lsan_disable();
	list = internet_address_list_parse(NULL, field + strlen("To: "));
	__lsan_enable();
	if (list != NULL) {
		walk(list, 0);
		g_free(internet_address_list_to_string(list, NULL, TRUE));
		g_object_unref(list);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean ready;
	g_autofree char *text = g_strndup((const char *)data, size);
	g_autofree char *l = NULL, *e = NULL, *d = NULL, *norm = NULL, *tag = NULL, *id = NULL;
	int year;
	guint number;

	if (!ready) {
		g_mime_init();
		ready = TRUE;
	}
	if (address_split(text, &l, &e, &d))
		(void)caseid_from_extension(e, "SEC", &id);
	norm = address_normalize(text);
	{
		g_autofree char *rl = NULL, *rd = NULL;
		/* a recipient read with confidence has a domain of plain labels */
		if (address_rcpt_canonical(text, &rl, &rd) &&
		    (*rl == '\0' || *rd == '\0' || strpbrk(rd, "[]@%! ") != NULL || strpbrk(rl, "@%!") != NULL))
			__builtin_trap();
	}
	(void)address_is_null(text);
	(void)address_is_role(text);
	tag = caseid_from_subject(text, "SEC");
	(void)caseid_parse(text, "SEC", &year, &number);
	address_field(text);
	return 0;
}
