/* spamverdict.h - what the spam filter said of one message: filled by the
 * spam check (embargo-mda, before routing), read by routing (a spam verdict
 * with spam_action = hold makes a held item), the team's copy (tag) and the
 * held item's record (score and symbols for the digest). */
#ifndef EMBARGO_SPAMVERDICT_H
#define EMBARGO_SPAMVERDICT_H

#include <glib.h>

typedef struct {
	gboolean checked; /* FALSE: no filter configured, or it failed (then: not spam) */
	gboolean spam;    /* the filter's action means spam */
	double score;     /* the filter's score, when checked */
	char *action;     /* the filter's action ("no action", "reject", ...), owned, or NULL */
	char *symbols;    /* the top symbols, "NAME(score) NAME(score) ...", owned, or NULL */
} SpamVerdict;

/* Frees what V owns and zeroes it; V itself is not freed. */
static inline void
spam_verdict_clear(SpamVerdict *v)
{
	g_clear_pointer(&v->action, g_free);
	g_clear_pointer(&v->symbols, g_free);
	v->checked = v->spam = FALSE;
	v->score = 0;
}

#endif
