/* tests/milter/intruder.c - stands in for code that a libspf2 bug lets
 * into an SPF worker: preloaded into the milter (and so its workers) by
 * t-milter.sh, at the worker's first request (inet_pton) it tries what
 * such code would: read the delivery user's state (INTRUDER_SECRET), send
 * the milter a signal, write a file; it prints what it could do, and
 * which Landlock ABI the kernel has. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
/* only in a worker: "embargo-milter --spf-worker ..." */
static int
in_worker(void)
{
	char cmd[256] = "";
	int fd = open("/proc/self/cmdline", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, cmd, sizeof cmd - 1) : -1;

	if (fd >= 0)
		close(fd);
	return n > 0 && memmem(cmd, (size_t)n, "--spf-worker", 12) != NULL;
}

int
inet_pton(int af, const char *src, void *dst)
{
	static int done;
	int (*real)(int, const char *, void *) = (int (*)(int, const char *, void *))dlsym(RTLD_NEXT, "inet_pton");
	const char *secret = getenv("INTRUDER_SECRET");
	if (!done && secret != NULL && getenv("INTRUDER_FILE") != NULL && in_worker()) {
		int fd = open(secret, O_RDONLY);
		int e1 = fd < 0 ? errno : 0;
		int k = kill(getppid(), 0);
		int e2 = k < 0 ? errno : 0;
		int w = open(getenv("INTRUDER_FILE"), O_WRONLY | O_CREAT, 0600);
		int e3 = w < 0 ? errno : 0;
		long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u);
		done = 1;
		fprintf(stderr, "intruder: Landlock ABI %ld; read the state: %s; signal the milter: %s; write a file: %s\n",
		        abi < 0 ? 0 : abi, e1 ? strerror(e1) : "done", e2 ? strerror(e2) : "done",
		        e3 ? strerror(e3) : "done");
		if (w >= 0)
			close(w);
		if (fd >= 0) close(fd);
	}
	return real(af, src, dst);
}
