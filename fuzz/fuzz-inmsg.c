/* fuzz-inmsg.c - libFuzzer harness: untrusted bytes through embargo-mda's
 * message reading (the bound on address groups, GMime parse, header
 * extraction, our own limits), the case-tag search on the subject it
 * yields, the quote cutting of a clear answer (unquote.c), and the search
 * for a multipart/signed's signed part in the raw bytes (signedpart.c). */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "caseid.h"
#include "inmsg.h"
#include "signedpart.h"
#include "unquote.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static gboolean ready;
	char path[64];
	int fd;

	if (!ready) {
		g_mime_init();
		ready = TRUE;
	}
	fd = memfd_create("msg", MFD_CLOEXEC);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	InMessage *in = inmsg_parse(path, memchr(data, 0, size) != NULL, NULL);
	if (in != NULL) {
		g_free(caseid_from_subject(in->subject, "SEC"));
		if (in->message != NULL && g_mime_message_get_mime_part(in->message) != NULL) {
			guint removed;
			gboolean kept;
			GMimeObject *clean =
				unquote_body(g_mime_message_get_mime_part(in->message), &removed, &kept);
			GMimeObject *root = g_mime_message_get_mime_part(in->message);
			if (clean != NULL)
				g_object_unref(clean);
			if (GMIME_IS_MULTIPART_SIGNED(root)) {
				GBytes *signed_bytes = signedpart_bytes(GMIME_MULTIPART(root));
				if (signed_bytes != NULL)
					g_bytes_unref(signed_bytes);
			}
		}
		inmsg_free(in);
	}
	close(fd);
	return 0;
}
