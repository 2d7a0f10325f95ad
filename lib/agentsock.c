/* agentsock.c - owns the one question gpg-agent's socket paths raise: a
 * Unix socket's path must fit in sun_path (108 bytes with its NUL here),
 * and gpg-agent puts its sockets (S.gpg-agent, .extra, .browser) in the
 * GnuPG home itself unless /run/user/UID exists, where it uses a short
 * directory named by a hash of the home. A home deeper than that leaves
 * the agent unable to start: every signature and decryption with the
 * list's key then fails, with errors ("No agent running", "Unusable
 * secret key") that do not say why. This is asked before a list's key is
 * made, and when signing fails, to say so. */
#include "agentsock.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gpg.h"

/* The longest name gpg-agent gives a socket by default, with its slash. */
#define LONGEST_SOCKET "/S.gpg-agent.browser"
/* gpg-agent refuses a socket path of 107 bytes and more (measured with gpg
 * 2.2: it keeps a byte of sun_path to spare). */
#define SOCKET_PATH_MAX 106

/* The output of gpgconf ARGS for HOME with gpgconf's percent-escapes
 * undone; caller g_frees. NULL with ERROR when gpgconf fails. */
static char *
agentsock_gpgconf(const char *home, const char *what, const char *arg, GError **error)
{
	const char *argv[] = { "gpgconf", "--homedir", home, what, arg, NULL };
	g_autofree char *out = NULL, *err = NULL;
	gint status = 0;

	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
	                  &status, error))
		return NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		g_set_error(error, EMBARGO_GPG_ERROR, GPG_ERROR_FAILED, "gpgconf %s %s: %s", what,
		            arg != NULL ? arg : "", g_strstrip(err));
		return NULL;
	}
	g_strchomp(out);
	return g_uri_unescape_string(out, NULL);
}

static gboolean
agentsock_short(const char *dir)
{
	return strlen(dir) + strlen(LONGEST_SOCKET) <= SOCKET_PATH_MAX;
}

gboolean
agentsock_fits(const char *home, gboolean make, GError **error)
{
	g_autofree char *dir = agentsock_gpgconf(home, "--list-dirs", "socketdir", error);

	if (dir == NULL)
		return FALSE;
	if (agentsock_short(dir))
		return TRUE;
	if (make) {
		/* Fails, harmlessly, where there is no /run/user/UID. */
		g_autofree char *made = agentsock_gpgconf(home, "--create-socketdir", NULL, NULL);
		g_free(dir);
		if ((dir = agentsock_gpgconf(home, "--list-dirs", "socketdir", error)) == NULL)
			return FALSE;
		if (agentsock_short(dir))
			return TRUE;
	}
	g_set_error(
		error, G_FILE_ERROR, G_FILE_ERROR_NAMETOOLONG,
		"gpg-agent cannot start for %s: its socket %s%s would be %zu bytes, longer than "
		"a socket path may be (%d); use a shorter state_dir, or give the user its "
		"/run/user/%u directory and run 'embargoctl init' again",
		home, dir, LONGEST_SOCKET, strlen(dir) + strlen(LONGEST_SOCKET), SOCKET_PATH_MAX,
		(unsigned)getuid());
	return FALSE;
}
