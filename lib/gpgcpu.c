/* gpgcpu.c - a bound on the processor time of the gpg that GPGME starts for
 * one operation.
 *
 * A compressed OpenPGP packet may make gpg work for minutes without writing
 * anything (a run of gigabytes of marker packets, compression inside
 * compression), so no bound on its output ever stops it. GPGME's
 * cancellation does not help there: it takes effect only when gpg next
 * writes or reads. Neither can we signal gpg: GPGME forks twice and does
 * not tell its process id. So the bound is the kernel's: while armed, a
 * fork handler gives every new child a soft RLIMIT_CPU of the bound, which
 * gpg (GPGME forks, then forks again and execs) inherits; past it the
 * kernel sends gpg SIGXCPU, which ends it, GPGME sees the pipes close and
 * the operation fails. The bound counts processor time only: a gpg that
 * waits (for a hung gpg-agent, say) is not ended by it, and embargo-mda's
 * time_limit defers that delivery as the transient fault it is. */
#include "gpgcpu.h"

#include <pthread.h>
#include <sys/resource.h>

/* Read in the child of a fork: set in this single-threaded process only
 * around a GPGME operation. */
static volatile rlim_t gpg_cpu_armed;

static void
gpg_cpu_child(void)
{
	struct rlimit r;

	if (gpg_cpu_armed == 0 || getrlimit(RLIMIT_CPU, &r) != 0)
		return;
	/* A child's processor time starts at zero: the bound is its own. */
	if (r.rlim_max == RLIM_INFINITY || gpg_cpu_armed < r.rlim_max)
		r.rlim_cur = gpg_cpu_armed;
	else
		r.rlim_cur = r.rlim_max;
	(void)setrlimit(RLIMIT_CPU, &r);
}

void
gpg_cpu_arm(GpgCpu *c, guint seconds)
{
	static gsize once;

	g_return_if_fail(c != NULL);
	if (g_once_init_enter(&once)) {
		pthread_atfork(NULL, NULL, gpg_cpu_child);
		g_once_init_leave(&once, 1);
	}
	c->seconds = seconds;
	c->started = g_get_monotonic_time();
	c->elapsed = 0;
	gpg_cpu_armed = seconds;
}

void
gpg_cpu_disarm(GpgCpu *c)
{
	gpg_cpu_armed = 0;
	g_return_if_fail(c != NULL);
	c->elapsed = g_get_monotonic_time() - c->started;
}

gboolean
gpg_cpu_spent(const GpgCpu *c)
{
	g_return_val_if_fail(c != NULL, FALSE);
	return c->seconds > 0 && c->elapsed >= (gint64)c->seconds * G_USEC_PER_SEC;
}
