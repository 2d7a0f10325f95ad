/* fixteam.h - a case's fix team: the members who develop its fix. */
#ifndef EMBARGO_FIXTEAM_H
#define EMBARGO_FIXTEAM_H

#include "db.h"

/* Adds ADDRESS (normalized, a member: the caller checks) to CASE_ID's fix
 * team at AT by ACTOR, inside the caller's transaction; *ADDED (may be
 * NULL) FALSE when it was there already. FALSE with ERROR set. */
gboolean fixteam_add(Db *db, const char *case_id, const char *address, const char *at,
                     const char *actor, gboolean *added, GError **error);

/* Takes ADDRESS off CASE_ID's fix team; *REMOVED (may be NULL) FALSE when
 * it was not on it. FALSE with ERROR set. */
gboolean fixteam_remove(Db *db, const char *case_id, const char *address, gboolean *removed,
                        GError **error);

/* CASE_ID's fix team, addresses in the order they were added,
 * NULL-terminated, caller g_strfreevs; empty when none, NULL only on an
 * error (ERROR set). */
char **fixteam_list(Db *db, const char *case_id, GError **error);

/* How CASE_ID's fix team is credited in an advisory: each member's name on
 * LIST where one is on file, else the address, in the order they were
 * added; NULL-terminated, caller g_strfreevs; empty when none, NULL only
 * on an error (ERROR set). */
char **fixteam_credits(Db *db, const char *list, const char *case_id, GError **error);

#endif
