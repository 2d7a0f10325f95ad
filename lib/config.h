/* config.h - the configuration file: [embargo] settings and one [list ADDRESS] per list. */
#ifndef EMBARGO_CONFIG_H
#define EMBARGO_CONFIG_H

#include <glib.h>

#include "policy.h"

#define EMBARGO_CONFIG_ERROR (embargo_config_error_quark())
GQuark embargo_config_error_quark(void);

/* spam_action, per list: what a spam verdict on mail from outside does. */
typedef enum {
	SPAM_ACTION_OFF,   /* nothing: delivered as if no filter ran */
	SPAM_ACTION_HOLD,  /* a new report is held: no case mail, no acknowledgement */
	SPAM_ACTION_TAG,   /* delivered, the team's copy marked, no acknowledgement */
} SpamAction;

typedef struct {
	char *address;      /* lower case, no +extension */
	char *local;        /* part before '@' */
	char *domain;       /* part after '@' */
	char *name;
	char *prefix;       /* case id prefix, e.g. SEC */
	char *policy_name;
	Policy *policy;
	guint ack_limit;    /* acknowledgements per sender per 7 days */
	gboolean keyless_plain; /* keyless_members = plain: members without a key get clear copies */
	guint64 max_message_size; /* bytes, refused by embargo-milter; 0: no limit */
	gboolean signed_commands; /* commands count only with a good signature by the member */
	GHashTable *prerelease;   /* NAME -> char ** addresses: pre-release notification lists */
	GHashTable *answers;      /* NAME -> CannedAnswer * (canned.h): #reply NAME; may be empty */
	SpamAction spam_action;   /* what a spam verdict does here; SPAM_ACTION_OFF without a filter */
} EmbargoList;

/* [embargo] spam_check = rspamd: the filter embargo-mda asks about mail from outside. */
typedef struct {
	gboolean rspamd;      /* spam_check = rspamd; FALSE: none, nothing is asked */
	char *rspamd_url;     /* rspamd's normal worker, no trailing '/'; never NULL once loaded */
	guint timeout;        /* seconds one check may take, well below time_limit */
} EmbargoSpamConfig;

/* [milter]: embargo-milter's settings, and the authserv-id embargo-mda trusts. */
typedef struct {
	char *socket;         /* libmilter's form: unix:/path, local:/path, inet[6]:PORT@HOST */
	char *user;           /* drop to this user after binding; NULL: stay */
	char *authserv_id;    /* NULL when unset: the milter uses the host name, embargo-mda trusts none */
	gboolean spf_reject;  /* spf_fail = reject */
	guint rate_max;       /* messages per client address to the lists ... */
	guint rate_seconds;   /* ... per this many seconds; 0: no limit */
	char *spf_test_zone;  /* for tests: a file of DNS records instead of DNS; NULL normally */
	guint spf_timeout;    /* seconds one SPF lookup may take before it is temperror */
	guint rate_ipv6_prefix; /* IPv6 clients count per network of this prefix length */
	gboolean required;    /* a member is recognised only by a trusted Authentication-Results */
} EmbargoMilterConfig;

typedef struct {
	char *path;
	char *state_dir;
	char **sendmail_argv;
	guint time_limit;   /* seconds embargo-mda may run before it defers */
	guint decrypt_time_limit; /* processor seconds one gpg operation on a message may take */
	guint64 outbox_give_up; /* seconds after its first failure an outgoing mail is given up */
	guint autoreply_global_limit; /* automatic replies to outsiders per hour, all lists */
	guint held_days;    /* days a held item is kept undecided; 0: until someone decides */
	char *timezone;
	GTimeZone *tz;      /* parsed once: deadlines are computed in it */
	char **holidays;    /* YYYY-MM-DD, not business days */
	char *policy_dir;   /* NULL: built-in presets only */
	GPtrArray *lists;   /* EmbargoList *, in file order */
	EmbargoMilterConfig milter;
	guint64 max_decrypted_size; /* bytes one decryption may produce; 0: config_max_decrypted's default */
	EmbargoSpamConfig spam;
} EmbargoConfig;

/* $EMBARGO_CONFIG when set, else the built-in path; borrowed (environment or static). */
const char *config_default_path(void);
/* Reads and checks PATH (NULL: config_default_path()); caller frees with
 * config_free. NULL with ERROR set ("FILE:LINE: ...") when it is unusable. */
EmbargoConfig *config_load(const char *path, GError **error);
/* Frees CONFIG and its lists; NULL is fine. */
void config_free(EmbargoConfig *config);
/* The list whose address is ADDRESS (any case); borrowed from CONFIG. NULL: none. */
const EmbargoList *config_find_list(const EmbargoConfig *config, const char *address);
/* TRUE for a list address or a +extension of one; FALSE for any other or a non-address. */
gboolean config_is_own_address(const EmbargoConfig *config, const char *address);
/* Bytes one decryption for LIST (NULL: no list) may produce; never 0. */
guint64 config_max_decrypted(const EmbargoConfig *config, const EmbargoList *list);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(EmbargoConfig, config_free)

#endif
