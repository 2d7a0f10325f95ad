/* fuzz-config.c - libFuzzer harness: the configuration file reader,
 * including list sections, policy overrides and the error paths that
 * locate a line and key. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	int fd = memfd_create("conf", MFD_CLOEXEC);
	GError *err = NULL;
	EmbargoConfig *config;

	if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	g_snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	config = config_load(path, &err);
	if (config != NULL)
		config_free(config);
	g_clear_error(&err);
	close(fd);
	return 0;
}
