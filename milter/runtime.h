/* runtime.h - the configuration in force and what the milter built from it. */
#ifndef EMBARGO_MILTER_RUNTIME_H
#define EMBARGO_MILTER_RUNTIME_H

#include <glib.h>

#include "config.h"
#include "ratelimit.h"
#include "spf-check.h"

/* Read-only once made; a connection holds a reference from its start to its close. */
typedef struct {
	gatomicrefcount refs;
	EmbargoConfig *config;
	char *authserv_id;
	SpfChecker *spf;
	RateLimit *rate;      /* NULL: no rate limit */
	gboolean size_limits; /* some list has a max_message_size: the milter must see bodies */
} Runtime;

/* What CONFIG (taken, even on failure) asks for, PREVIOUS (borrowed, NULL:
 * none) lending its rate-limit history; caller drops it with runtime_unref.
 * NULL with ERROR set when CONFIG cannot be used. */
Runtime *runtime_new(EmbargoConfig *config, Runtime *previous, guint rate_table_max,
                     GError **error);
/* A new reference to RT (NULL stays NULL); runtime_unref drops one (NULL is fine). */
Runtime *runtime_ref(Runtime *rt);
void runtime_unref(Runtime *rt);
/* One line for the log; caller g_frees. */
char *runtime_describe(const Runtime *rt);

/* Puts RT (taken; NULL at exit) in force for connections from now on. */
void runtime_install(Runtime *rt);
/* A new reference to the Runtime in force (caller runtime_unrefs); NULL: none. */
Runtime *runtime_current(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Runtime, runtime_unref)

#endif
