/* fuzz-inmsg.c - libFuzzer harness: untrusted bytes through embargo-mda's
 * message reading (GMime parse, header extraction, our own limits) and the
 * case-tag search on the subject it yields. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "caseid.h"
#include "inmsg.h"

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
		inmsg_free(in);
	}
	close(fd);
	return 0;
}
