/* keyring.h - a list's three GnuPG homes: its own key pair, its members' keys, its reporters' keys. */
#ifndef EMBARGO_KEYRING_H
#define EMBARGO_KEYRING_H

#include <glib.h>

typedef enum {
	KEYRING_LIST,       /* STATE_DIR/gnupg/LIST: the list's key pair, the only secret key */
	KEYRING_MEMBERS,    /* STATE_DIR/gnupg/LIST.members: members' public keys */
	KEYRING_REPORTERS,  /* STATE_DIR/gnupg/LIST.reporters: reporters' public keys */
	KEYRING_PRERELEASE, /* STATE_DIR/gnupg/LIST.prerelease: pre-release lists' readers' keys */
} KeyringKind;

#define KEYRING_MAX_KEY_BYTES (256 * 1024)

/* What a key offered to us is, before it is imported. */
typedef struct {
	char *fingerprint;
	gint64 expires;          /* of its use for encryption; 0: never */
	gboolean expired;
	gboolean revoked;
	gboolean cannot_encrypt;
	gboolean no_address;     /* no valid user id for the address */
	guint nkeys;             /* keys in the data */
} KeyCheck;

/* STATE_DIR/gnupg/LIST[.suffix], the GnuPG home of KIND; caller g_frees. */
char *keyring_home(const char *state_dir, const char *list, KeyringKind kind);
/* Creates HOME (0700) when missing. FALSE with ERROR set when it cannot. */
gboolean keyring_ensure_home(const char *home, GError **error);
/* Writes HOME/gpg-agent.conf (disable-scdaemon) unless there is one.
 * FALSE with ERROR set when it cannot. */
gboolean keyring_quiet_agent(const char *home, GError **error);
/* A new key pair in HOME for ADDRESS (NAME may be NULL); its fingerprint,
 * caller g_frees. NULL with ERROR set when gpg fails. */
char *keyring_generate(const char *home, const char *name, const char *address, GError **error);
/* The public key FPR of HOME, armored; caller g_bytes_unrefs. NULL with
 * ERROR set when gpg fails or HOME has no such key. */
GBytes *keyring_export(const char *home, const char *fpr, GError **error);
/* Fills CHECK about the one key in KEYDATA (ADDRESS NULL: not checked)
 * without importing it. FALSE with ERROR set: no key, several, or gpg
 * failed. Call keycheck_clear on CHECK after, whatever it returned. */
gboolean keyring_check(const char *home, GBytes *keydata, const char *address, KeyCheck *check,
                       GError **error);
/* Imports KEYDATA into HOME. FALSE with ERROR set when not all of it was taken. */
gboolean keyring_import(const char *home, GBytes *keydata, GError **error);
/* The fingerprint of a key of HOME for ADDRESS that can encrypt now;
 * caller g_frees. NULL with ERROR unset: none (or no HOME); NULL with
 * ERROR set: gpg failed. */
char *keyring_find_address(const char *home, const char *address, GError **error);
/* *EXPIRES (0: never) and *USABLE of the key FPR in HOME. FALSE with ERROR
 * set when HOME has no such key or gpg failed. */
gboolean keyring_key_expiry(const char *home, const char *fpr, gint64 *expires, gboolean *usable,
                            GError **error);
/* Frees what CHECK holds (not CHECK itself); again is fine. */
void keycheck_clear(KeyCheck *check);
/* What is wrong with the checked key, "; "-separated; caller g_frees. NULL: nothing. */
char *keycheck_problems(const KeyCheck *check);

#endif
