/* measure.c - runs one command and appends "WALL_US MAXRSS_KIB STATUS" to a
 * file: the wall time from fork to reaping (clock_gettime, CLOCK_MONOTONIC)
 * and the child's peak resident set (ru_maxrss from wait4). STATUS is the
 * exit code, or 128+N when killed by signal N.
 *
 *   measure -o OUT [-i STDIN-FILE] [-e STDERR-FILE] -- COMMAND [ARG...]
 *
 * Exits 0 when the measurement was taken (whatever the command's status),
 * 2 on a usage or system error. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void
die(const char *what)
{
	fprintf(stderr, "measure: %s: %s\n", what, strerror(errno));
	exit(2);
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *in = NULL, *err = NULL;
	struct timespec t0, t1;
	struct rusage ru;
	int opt, status, fd;
	pid_t pid;
	FILE *f;

	while ((opt = getopt(argc, argv, "+o:i:e:")) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'i': in = optarg; break;
		case 'e': err = optarg; break;
		default: goto usage;
		}
	}
	if (out == NULL || optind >= argc)
		goto usage;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (in != NULL) {
			if ((fd = open(in, O_RDONLY)) < 0 || dup2(fd, 0) < 0)
				_exit(126);
			close(fd);
		}
		if (err != NULL) {
			if ((fd = open(err, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 || dup2(fd, 2) < 0)
				_exit(126);
			close(fd);
		}
		execv(argv[optind], argv + optind);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR)
			die("wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);

	if ((f = fopen(out, "a")) == NULL)
		die(out);
	fprintf(f, "%lld %ld %d\n",
	        (long long)(t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000,
	        ru.ru_maxrss,
	        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (fclose(f) != 0)
		die(out);
	return 0;

usage:
	fprintf(stderr, "usage: measure -o OUT [-i STDIN] [-e STDERR] -- COMMAND [ARG...]\n");
	return 2;
}
