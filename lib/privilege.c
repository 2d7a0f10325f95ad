/* privilege.c - embargo-mda and embargoctl work as the delivery user that
 * owns the state directory. Run as root they would create files the
 * delivery user cannot use, and a bug would cost more, so they refuse
 * unless EMBARGO_ALLOW_ROOT=1 says the postmaster means it (tests in a
 * throwaway container, for one).
 *
 * This file also owns the one allowlist of the environment: both programs
 * reduce their own environment to it at startup, before GPGME or GLib
 * start any child, and sendmail is given the same. GPGME finds gpg (or
 * gpgconf) through PATH and starts it with our environment, and gpg starts
 * gpg-agent with its own, so an inherited PATH, LD_PRELOAD, LD_LIBRARY_PATH,
 * GNUPGHOME, GPG_AGENT_INFO, IFS, DISPLAY, GPG_TTY or
 * DBUS_SESSION_BUS_ADDRESS could choose the program that holds the list's
 * secret key, or whom it talks to. */
#include "privilege.h"

#include <gio/gio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Kept from the environment we were given, when set; everything else goes. */
static const char *const kept[] = {
	"EMBARGO_CONFIG",     /* the configuration file when -c is not given */
	"EMBARGO_NOW",        /* a fixed current time, for tests */
	"EMBARGO_ALLOW_ROOT", /* see privilege_check */
	"TZ",                 /* the postmaster's time zone */
	/* the test suite's sanitizers and GLib's debugging switches */
	"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS", "G_SLICE", "G_DEBUG",
	NULL,
};

/* HOME is never inherited: privilege_set_home gives one we chose. */
static gboolean home_set;

gboolean
privilege_check(GError **error)
{
	const char *allow = g_getenv("EMBARGO_ALLOW_ROOT");

	if (getuid() != 0 && geteuid() != 0)
		return TRUE;
	if (allow != NULL && strcmp(allow, "1") == 0)
		return TRUE;
	g_set_error(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
	            "refusing to run as root: run as the delivery user that owns the state directory "
	            "(e.g. sudo -u embargo), or set EMBARGO_ALLOW_ROOT=1");
	return FALSE;
}

/* The environment a child gets: a fixed PATH, the C locale, the HOME we
 * set, and the allowlisted variables we were given ("NAME=value" strings). */
char **
privilege_environment(void)
{
	GPtrArray *env = g_ptr_array_new();
	const char *home = home_set ? g_getenv("HOME") : NULL;

	g_ptr_array_add(env, g_strdup("PATH=" PRIVILEGE_PATH));
	/* Plain ASCII messages from gpg and sendmail, whatever the caller's locale. */
	g_ptr_array_add(env, g_strdup("LC_ALL=C"));
	if (home != NULL)
		g_ptr_array_add(env, g_strconcat("HOME=", home, NULL));
	for (int i = 0; kept[i] != NULL; i++) {
		const char *value = g_getenv(kept[i]);
		if (value != NULL)
			g_ptr_array_add(env, g_strconcat(kept[i], "=", value, NULL));
	}
	g_ptr_array_add(env, NULL);
	return (char **)g_ptr_array_free(env, FALSE);
}

/* Leaves only privilege_environment() in our own environment, which every
 * child inherits. Call it first thing in main, while there is one thread. */
void
privilege_scrub_environment(void)
{
	g_auto(GStrv) env = privilege_environment();

	/* clearenv rather than unsetting name by name: an entry without a
	 * name ("=x") could not be unset. */
	clearenv();
	for (char **e = env; *e != NULL; e++) {
		char *eq = strchr(*e, '=');
		*eq = '\0';
		g_setenv(*e, eq + 1, TRUE);
	}
}

/* HOME for gpg, which reads nothing from it when given --homedir but
 * works out its default home from it (or from the password file): the
 * state directory, which is private and ours, rather than whatever HOME
 * the caller had. */
void
privilege_set_home(const char *dir)
{
	g_return_if_fail(dir != NULL);
	g_setenv("HOME", dir, TRUE);
	home_set = TRUE;
}
