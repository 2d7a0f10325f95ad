/* sink.c - the sendmail that bench/run gives embargo-mda: ignores its
 * arguments, reads standard input to EOF, exits 0. Static where the
 * toolchain allows it, so that its own start-up cost stays negligible. */
#include <unistd.h>

int
main(void)
{
	char buf[65536];

	while (read(0, buf, sizeof buf) > 0)
		;
	return 0;
}
