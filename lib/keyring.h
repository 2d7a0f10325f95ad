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

char *keyring_home(const char *state_dir, const char *list, KeyringKind kind);
gboolean keyring_ensure_home(const char *home, GError **error);
/* Writes HOME/gpg-agent.conf (disable-scdaemon) unless there is one. */
gboolean keyring_quiet_agent(const char *home, GError **error);
char *keyring_generate(const char *home, const char *name, const char *address, GError **error);
GBytes *keyring_export(const char *home, const char *fpr, GError **error);
gboolean keyring_check(const char *home, GBytes *keydata, const char *address, KeyCheck *check,
                       GError **error);
gboolean keyring_import(const char *home, GBytes *keydata, GError **error);
char *keyring_find_address(const char *home, const char *address, GError **error);
gboolean keyring_key_expiry(const char *home, const char *fpr, gint64 *expires, gboolean *usable,
                            GError **error);
void keycheck_clear(KeyCheck *check);
char *keycheck_problems(const KeyCheck *check);

#endif
