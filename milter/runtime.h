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

Runtime *runtime_new(EmbargoConfig *config, Runtime *previous, guint rate_table_max,
                     GError **error);
Runtime *runtime_ref(Runtime *rt);
void runtime_unref(Runtime *rt);
char *runtime_describe(const Runtime *rt);

void runtime_install(Runtime *rt);
Runtime *runtime_current(void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Runtime, runtime_unref)

#endif
