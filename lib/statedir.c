/* statedir.c - creates the state directory tree 0700 and refuses one that
 * others could change: whoever can write there can forge reports, cases,
 * members and the list's keys.
 *
 * What is checked, one stat each and no walk of the spool: the state
 * directory, the database and its -wal and -shm files, spool, spool/tmp,
 * spool/new, gnupg, and a list's GnuPG homes. Each must belong to the user
 * we run as (geteuid(), so root too: a directory of someone else's is as
 * writable to them as one with g+w is to a group) and be writable by
 * nobody else. Choices:
 *
 * - Read bits for the group or others (0750, 0640) are not refused, only
 *   never created, and taken away again by embargoctl init. Reading forges
 *   nothing, the state directory's own 0700 is what keeps others out of
 *   everything below it, and a postmaster may have given a backup group
 *   read access on purpose: deferring all mail for that would be an outage
 *   of the security address. (Writable is refused; that is the threat.)
 * - Symbolic links: the state directory itself is the configured path and
 *   is followed (/var/lib/embargo may be a link to another disk), but an
 *   entry in it that is a link is refused: it would take the database, the
 *   spool or a keyring out of the one tree whose modes are checked, to a
 *   place whose parents nobody checks.
 * - A path that does not exist passes here: the code that needs it creates
 *   it 0700, or says to run 'embargoctl init'. */
#include "statedir.h"

#include <errno.h>
#include <gio/gio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keyring.h"

#define STATEDIR_DB "embargo.db"   /* db.c's DB_FILE */

static const char *const subdirs[] = { "spool", "spool/tmp", "spool/new", NULL };

typedef struct {
	const char *what;   /* for messages: "spool directory" */
	char *path;
	gboolean dir;
} Entry;

static void
entry_free(gpointer data)
{
	Entry *e = data;

	g_free(e->path);
	g_free(e);
}

static void
entry_add(GPtrArray *entries, const char *what, gboolean dir, char *path)
{
	Entry *e = g_new(Entry, 1);

	*e = (Entry){ .what = what, .path = path, .dir = dir };
	g_ptr_array_add(entries, e);
}

/* The entries of STATE_DIR that embargo uses for LISTS, parents first:
 * a parent is checked (or repaired) before anything inside it. */
static GPtrArray *
statedir_entries(const char *state_dir, const char *const *lists)
{
	GPtrArray *entries = g_ptr_array_new_with_free_func(entry_free);
	static const char *const db_files[] = {
		STATEDIR_DB, STATEDIR_DB "-wal", STATEDIR_DB "-shm", NULL,
	};

	for (int i = 0; db_files[i] != NULL; i++)
		entry_add(entries, "database file", FALSE, g_build_filename(state_dir, db_files[i], NULL));
	for (int i = 0; subdirs[i] != NULL; i++)
		entry_add(entries, "spool directory", TRUE, g_build_filename(state_dir, subdirs[i], NULL));
	entry_add(entries, "GnuPG directory", TRUE, g_build_filename(state_dir, "gnupg", NULL));
	for (int l = 0; lists != NULL && lists[l] != NULL; l++)
		for (KeyringKind k = KEYRING_LIST; k <= KEYRING_PRERELEASE; k++)
			entry_add(entries, "GnuPG home", TRUE, keyring_home(state_dir, lists[l], k));
	return entries;
}

/* "root (uid 0)", or "uid 1234" for a uid without a name. */
static char *
user_name(uid_t uid)
{
	struct passwd *pw = getpwuid(uid);

	return pw != NULL ? g_strdup_printf("%s (uid %u)", pw->pw_name, (unsigned)uid)
	                  : g_strdup_printf("uid %u", (unsigned)uid);
}

/* PATH as one shell word, quoted only when it needs to be. */
static char *
shell_word(const char *path)
{
	for (const char *p = path; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && strchr("/._-+@,:=%", *p) == NULL)
			return g_shell_quote(path);
	return g_strdup(path);
}

static gboolean
refuse(GError **error, const char *what, const char *path, const struct stat *st, const char *why,
       const char *fix)
{
	g_autofree char *me = user_name(geteuid());
	g_autofree char *owner = user_name(st->st_uid);

	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
	            "%s %s is not private to %s, which embargo runs as: %s (mode %04o, owner %s); "
	            "refusing to use it. Fix: %s",
	            what, path, me, why, (unsigned)(st->st_mode & 07777), owner, fix);
	return FALSE;
}

static gboolean
refuse_writable(GError **error, const char *what, const char *path, const struct stat *st,
                gboolean dir)
{
	g_autofree char *word = shell_word(path);
	g_autofree char *fix = g_strdup_printf("chmod %s %s", dir ? "700" : "600", word);
	gboolean group = (st->st_mode & S_IWGRP) != 0, others = (st->st_mode & S_IWOTH) != 0;
	const char *why = group && others ? "its group and everyone can write to it"
	                  : group         ? "its group can write to it"
	                                  : "everyone can write to it";

	return refuse(error, what, path, st, why, fix);
}

static gboolean
refuse_owner(GError **error, const char *what, const char *path, const struct stat *st)
{
	struct passwd *pw = getpwuid(geteuid());
	g_autofree char *me =
		pw != NULL ? g_strdup(pw->pw_name) : g_strdup_printf("%u", (unsigned)geteuid());
	g_autofree char *word = shell_word(path);
	g_autofree char *fix = g_strdup_printf("chown %s %s, or run embargo as its owner", me, word);

	return refuse(error, what, path, st, "another user owns it, and can change it", fix);
}

/* Refuses ST of PATH, a directory when DIR, unless it is ours alone. */
static gboolean
check_stat(const char *what, const char *path, gboolean dir, const struct stat *st, GError **error)
{
	if (S_ISLNK(st->st_mode))
		return refuse(error, what, path, st,
		              "it is a symbolic link, and the state directory's entries must be its own",
		              "replace the link with what it points to");
	if (dir ? !S_ISDIR(st->st_mode) : !S_ISREG(st->st_mode))
		return refuse(error, what, path, st,
		              dir ? "it is not a directory" : "it is not a regular file", "move it away");
	if (st->st_uid != geteuid())
		return refuse_owner(error, what, path, st);
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
		return refuse_writable(error, what, path, st, dir);
	return TRUE;
}

/* lstat of E: 1 when it exists, 0 when it does not, -1 with ERROR. */
static int
entry_stat(const Entry *e, struct stat *st, GError **error)
{
	if (lstat(e->path, st) == 0)
		return 1;
	if (errno == ENOENT)
		return 0;
	int err = errno;
	g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "%s %s: %s", e->what, e->path,
	            g_strerror(err));
	return -1;
}

static gboolean
statedir_mkdir(const char *path, GError **error)
{
	if (g_mkdir_with_parents(path, 0700) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e), "cannot create %s: %s",
		            path, g_strerror(e));
		return FALSE;
	}
	return TRUE;
}

gboolean
statedir_create(const char *state_dir, GError **error)
{
	g_return_val_if_fail(state_dir != NULL, FALSE);
	if (!statedir_mkdir(state_dir, error))
		return FALSE;
	chmod(state_dir, 0700);
	for (int i = 0; subdirs[i] != NULL; i++) {
		g_autofree char *p = g_build_filename(state_dir, subdirs[i], NULL);
		if (!statedir_mkdir(p, error))
			return FALSE;
	}
	return statedir_check(state_dir, error);
}

/* The state directory itself: it must exist, and be ours alone. */
gboolean
statedir_check(const char *state_dir, GError **error)
{
	struct stat st;

	g_return_val_if_fail(state_dir != NULL, FALSE);
	if (stat(state_dir, &st) != 0) {
		int e = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(e),
		            "state directory %s: %s (run 'embargoctl init')", state_dir, g_strerror(e));
		return FALSE;
	}
	return check_stat("state directory", state_dir, TRUE, &st, error);
}

/* Everything the programs use in STATE_DIR for LISTS, before they use it.
 * A missing state directory passes: db_open says to run 'embargoctl init'. */
gboolean
statedir_check_tree(const char *state_dir, const char *const *lists, GError **error)
{
	g_autoptr(GPtrArray) entries = NULL;
	struct stat st;

	g_return_val_if_fail(state_dir != NULL, FALSE);
	if (stat(state_dir, &st) != 0)
		return errno == ENOENT || statedir_check(state_dir, error);
	if (!check_stat("state directory", state_dir, TRUE, &st, error))
		return FALSE;
	entries = statedir_entries(state_dir, lists);
	for (guint i = 0; i < entries->len; i++) {
		const Entry *e = entries->pdata[i];
		int found = entry_stat(e, &st, error);
		if (found < 0 || (found > 0 && !check_stat(e->what, e->path, e->dir, &st, error)))
			return FALSE;
	}
	return TRUE;
}

/* embargoctl init: gives what exists of the entries for LISTS the modes
 * they are created with again (0700, files 0600), when their group or
 * others have any access. What cannot be repaired that way (a link,
 * another owner) is refused as statedir_check_tree would. The state
 * directory itself is statedir_create's. Parents come first, so once one is
 * private nobody else can swap what is inside it between lstat and chmod. */
gboolean
statedir_repair(const char *state_dir, const char *const *lists, GError **error)
{
	g_autoptr(GPtrArray) entries = statedir_entries(state_dir, lists);

	for (guint i = 0; i < entries->len; i++) {
		const Entry *e = entries->pdata[i];
		struct stat st;
		int found = entry_stat(e, &st, error);

		if (found < 0)
			return FALSE;
		if (found == 0)
			continue;
		if ((st.st_mode & 077) != 0 && !S_ISLNK(st.st_mode) && st.st_uid == geteuid() &&
		    (e->dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))) {
			if (chmod(e->path, e->dir ? 0700 : 0600) != 0) {
				int err = errno;
				g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(err), "chmod %s: %s",
				            e->path, g_strerror(err));
				return FALSE;
			}
			st.st_mode = (st.st_mode & ~07777) | (e->dir ? 0700 : 0600);
		}
		if (!check_stat(e->what, e->path, e->dir, &st, error))
			return FALSE;
	}
	return TRUE;
}
