/* members.h - the team members of each list. */
#ifndef EMBARGO_MEMBERS_H
#define EMBARGO_MEMBERS_H

#include "db.h"

typedef struct {
	char *address;
	char *name;
	char *added_at;
	char *fingerprint;  /* of the member's OpenPGP key, NULL for none */
	char *expires;      /* of that key, NULL for never */
} Member;

/* Adds ADDRESS (normalised) to LIST, or renames it (NAME NULL keeps the
 * name); *EXISTED: it was a member already. FALSE with ERROR set. */
gboolean member_add(Db *db, const char *list, const char *address, const char *name,
                    gboolean *existed, GError **error);
/* *EXISTED: there was such a member to remove. FALSE with ERROR set. */
gboolean member_remove(Db *db, const char *list, const char *address, gboolean *existed,
                       GError **error);
/* LIST's members by address (Member *, caller unrefs); empty when none,
 * NULL only on an error. */
GPtrArray *member_list(Db *db, const char *list, GError **error);
/* 1 when ADDRESS is a member of LIST, 0 when not, -1 on an error (ERROR set). */
int member_is(Db *db, const char *list, const char *address, GError **error);
/* The members' addresses of LIST but EXCEPT (NULL: none left out), sorted,
 * NULL-terminated, caller g_strfreevs: who a mail to the team goes to.
 * NULL only on an error. */
char **member_addresses(Db *db, const char *list, const char *except, GError **error);
/* NULL is a no-op. */
void member_free(Member *member);

#endif
