/* testdir.h - what the store's unit tests share: a throwaway state
 * directory with a migrated database, and its removal. */
#ifndef EMBARGO_TESTDIR_H
#define EMBARGO_TESTDIR_H

#include "db.h"

/* Removes PATH and everything below it; a missing PATH is no error. */
void testdir_rm_rf(const char *path);
/* Creates DIR as a state directory and returns its migrated database (the
 * caller closes it with db_close); aborts the test on any error. */
Db *testdir_open_store(const char *dir);

#endif
