/* gpgcpu.h - a bound on the processor time of the gpg that GPGME starts for one operation. */
#ifndef EMBARGO_GPGCPU_H
#define EMBARGO_GPGCPU_H

#include <glib.h>

typedef struct {
	guint seconds;  /* the bound; 0: none */
	gint64 started; /* monotonic microseconds when armed */
	gint64 elapsed; /* ... and the operation's length once disarmed */
} GpgCpu;

/* Every process forked until gpg_cpu_disarm (GPGME's gpg, and what it
 * starts) may use at most SECONDS of processor time, then the kernel ends
 * it (RLIMIT_CPU). This process itself is not bound. */
void gpg_cpu_arm(GpgCpu *c, guint seconds);
/* Ends the bound for later children and records the length in C->elapsed. */
void gpg_cpu_disarm(GpgCpu *c);
/* TRUE when the operation, which failed, may have been ended by the bound:
 * it lasted at least the bound (gpg cannot have used more processor time
 * than the time that passed). */
gboolean gpg_cpu_spent(const GpgCpu *c);

#endif
