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

gboolean member_add(Db *db, const char *list, const char *address, const char *name,
                    gboolean *existed, GError **error);
gboolean member_remove(Db *db, const char *list, const char *address, gboolean *existed,
                       GError **error);
GPtrArray *member_list(Db *db, const char *list, GError **error);
int member_is(Db *db, const char *list, const char *address, GError **error);
char **member_addresses(Db *db, const char *list, const char *except, GError **error);
void member_free(Member *member);

#endif
