/* dbrows.h - every row of a prepared statement, read into an array: the
 * loop the listing queries (casehistory.c, outboxrows.c) share. */
#ifndef EMBARGO_DBROWS_H
#define EMBARGO_DBROWS_H

#include "db.h"

/* Makes one element from the statement's current row; never NULL. */
typedef gpointer (*DbRowRead)(sqlite3_stmt *st);

/* Steps ST (prepared and bound) to its end. TRUE with *OUT a new array of
 * what READ made of each row, freed by FREE (caller unrefs; empty: no row);
 * FALSE with ERROR on a store error, *OUT then untouched. */
gboolean db_rows(Db *db, sqlite3_stmt *st, DbRowRead read, GDestroyNotify free, GPtrArray **out,
                 GError **error);

#endif
