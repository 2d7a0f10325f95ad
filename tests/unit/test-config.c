/* test-config.c - config_load: defaults, comments, errors naming file, line
 * and key, lists, policy overrides, and the list lookups. */
#include <glib/gstdio.h>
#include <string.h>

#include "canned.h"
#include "config.h"

static char *tmpdir;

/* Writes TEXT to NAME in the test's directory; returns the path. */
static char *
write_conf(const char *name, const char *text)
{
	char *path = g_build_filename(tmpdir, name, NULL);
	g_autoptr(GError) err = NULL;

	g_assert_true(g_file_set_contents(path, text, -1, &err));
	g_assert_no_error(err);
	return path;
}

/* Loads TEXT and expects an error: returns its message (for more checks). */
static char *
load_error(const char *text, const char *name)
{
	g_autofree char *path = write_conf(name, text);
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_null(c);
	g_assert_error(err, EMBARGO_CONFIG_ERROR, 0);
	return err != NULL ? g_strdup(err->message) : g_strdup("");
}

/* Asserts MSG contains "PATH:LINE:" and KEY. */
static void
assert_names(const char *msg, const char *name, int line, const char *key)
{
	g_autofree char *path = g_build_filename(tmpdir, name, NULL);
	g_autofree char *where = g_strdup_printf("%s:%d:", path, line);

	if (strstr(msg, where) == NULL || (key != NULL && strstr(msg, key) == NULL)) {
		g_test_message("error '%s' should name '%s' and '%s'", msg, where, key);
		g_test_fail();
	}
}

static const PolicyDeadline *
deadline(const EmbargoList *list, const char *name)
{
	for (guint i = 0; i < list->policy->deadlines->len; i++) {
		const PolicyDeadline *d = list->policy->deadlines->pdata[i];
		if (strcmp(d->name, name) == 0)
			return d;
	}
	return NULL;
}

static void
test_defaults(void)
{
	g_autofree char *path = write_conf("defaults.conf",
	                                   "[embargo]\n"
	                                   "\n"
	                                   "[list security@example.org]\n"
	                                   "prefix = SEC\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);
	const EmbargoList *l;

	g_assert_no_error(err);
	g_assert_nonnull(c);
	if (c == NULL)
		return;
	g_assert_cmpstr(c->path, ==, path);
	g_assert_cmpstr(c->state_dir, ==, "/var/lib/embargo");
	g_assert_nonnull(c->sendmail_argv);
	g_assert_cmpuint(g_strv_length(c->sendmail_argv), ==, 2);
	g_assert_cmpstr(c->sendmail_argv[0], ==, "/usr/sbin/sendmail");
	g_assert_cmpstr(c->sendmail_argv[1], ==, "-i");
	g_assert_cmpuint(c->time_limit, ==, 300);
	g_assert_cmpuint(c->outbox_give_up, ==, 5 * 86400);
	g_assert_cmpstr(c->timezone, ==, "UTC");
	g_assert_nonnull(c->holidays);
	g_assert_cmpuint(g_strv_length(c->holidays), ==, 0);
	g_assert_null(c->policy_dir);
	g_assert_cmpuint(c->lists->len, ==, 1);
	l = c->lists->pdata[0];
	g_assert_cmpstr(l->address, ==, "security@example.org");
	g_assert_cmpstr(l->local, ==, "security");
	g_assert_cmpstr(l->domain, ==, "example.org");
	g_assert_cmpstr(l->name, ==, "security@example.org");   /* name defaults to the address */
	g_assert_cmpstr(l->prefix, ==, "SEC");
	g_assert_cmpstr(l->policy_name, ==, "cncf");             /* policy defaults to cncf */
	g_assert_nonnull(l->policy);
	g_assert_cmpstr(l->policy->id, ==, "cncf");
	g_assert_cmpstr(l->policy->stages[0], ==, "received");
	g_assert_cmpuint(l->ack_limit, ==, 3);
	g_assert_cmpuint(c->autoreply_global_limit, ==, 1000);
	g_assert_cmpuint(c->held_days, ==, 30);
	const PolicyDeadline *d = deadline(l, "acknowledge");
	g_assert_nonnull(d);
	if (d != NULL) {
		g_assert_cmpuint(d->days, ==, 3);
		g_assert_true(d->business);
		g_assert_cmpstr(d->from, ==, "received");
	}
}

static void
test_full(void)
{
	g_autofree char *path = write_conf("full.conf",
	                                   "# embargo.conf\n"
	                                   "[embargo]\n"
	                                   "state_dir = /srv/embargo\n"
	                                   "sendmail = '/opt/my mail/sendmail' -i -odq\n"
	                                   "time_limit = 60\n"
	                                   "outbox_give_up = 36h  # a day and a half\n"
	                                   "autoreply_global_limit = 0\n"
	                                   "held_days = 0\n"
	                                   "timezone = Europe/Amsterdam\n"
	                                   "holidays = 2026-12-25; 2026-12-26\n"
	                                   "policy_dir = /etc/embargo/policies\n"
	                                   "\n"
	                                   "[milter]\n"
	                                   "whatever = 1\n"
	                                   "\n"
	                                   "[list Security@Example.ORG]\n"
	                                   "name = Example Security Team\n"
	                                   "prefix = SEC\n"
	                                   "policy = codegate\n"
	                                   "ack_limit = 0\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);
	const EmbargoList *l;

	g_assert_no_error(err);
	if (c == NULL)
		return;
	g_assert_cmpstr(c->state_dir, ==, "/srv/embargo");
	g_assert_cmpuint(g_strv_length(c->sendmail_argv), ==, 3);
	g_assert_cmpstr(c->sendmail_argv[0], ==, "/opt/my mail/sendmail");  /* split like a shell */
	g_assert_cmpstr(c->sendmail_argv[2], ==, "-odq");
	g_assert_cmpuint(c->time_limit, ==, 60);
	g_assert_cmpuint(c->outbox_give_up, ==, 36 * 3600);
	g_assert_cmpuint(c->autoreply_global_limit, ==, 0);
	g_assert_cmpuint(c->held_days, ==, 0);
	g_assert_cmpstr(c->timezone, ==, "Europe/Amsterdam");
	g_assert_cmpuint(g_strv_length(c->holidays), ==, 2);
	g_assert_cmpstr(c->holidays[0], ==, "2026-12-25");
	g_assert_cmpstr(c->holidays[1], ==, "2026-12-26");
	g_assert_cmpstr(c->policy_dir, ==, "/etc/embargo/policies");
	l = c->lists->pdata[0];
	g_assert_cmpstr(l->address, ==, "security@example.org");  /* lower case */
	g_assert_cmpstr(l->name, ==, "Example Security Team");
	g_assert_cmpstr(l->policy_name, ==, "codegate");
	g_assert_cmpstr(l->policy->id, ==, "codegate");
	g_assert_cmpuint(l->ack_limit, ==, 0);
}

static void
test_comments(void)
{
	g_autofree char *path = write_conf("comments.conf",
	                                   "[embargo]\n"
	                                   "state_dir = /var/lib/emb   # database, raw spool, keys\n"
	                                   "sendmail = /usr/sbin/sendmail -i\t# split like a shell\n"
	                                   "time_limit = 30 # seconds\n"
	                                   "  # an indented comment line\n"
	                                   "timezone = Asia/Tokyo#not a comment without a blank\n"
	                                   "\n"
	                                   "[list security@example.org]\n"
	                                   "name = Team#1   # the first team\n"
	                                   "prefix = SEC                          # case ids\n"
	                                   "policy = osm    # preset\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = NULL;
	g_autofree char *path2 = NULL;
	g_autoptr(EmbargoConfig) c2 = NULL;

	/* '#' without a blank before it is part of the value: an unknown zone */
	c = config_load(path, &err);
	g_assert_null(c);
	g_assert_nonnull(err);
	if (err != NULL)
		assert_names(err->message, "comments.conf", 6, "timezone");
	g_clear_error(&err);

	path2 = write_conf("comments2.conf",
	                   "[embargo]\n"
	                   "state_dir = /var/lib/emb   # database, raw spool, keys\n"
	                   "sendmail = /usr/sbin/sendmail -i\t# split like a shell\n"
	                   "time_limit = 30 # seconds\n"
	                   "  # an indented comment line\n"
	                   "timezone = Asia/Tokyo # a comment after a blank\n"
	                   "\n"
	                   "[list security@example.org]\n"
	                   "name = Team#1   # the first team\n"
	                   "prefix = SEC                          # case ids\n"
	                   "policy = osm    # preset\n");
	c2 = config_load(path2, &err);
	g_assert_no_error(err);
	if (c2 == NULL)
		return;
	g_assert_cmpstr(c2->state_dir, ==, "/var/lib/emb");
	g_assert_cmpuint(g_strv_length(c2->sendmail_argv), ==, 2);
	g_assert_cmpstr(c2->sendmail_argv[1], ==, "-i");
	g_assert_cmpuint(c2->time_limit, ==, 30);
	g_assert_cmpstr(c2->timezone, ==, "Asia/Tokyo");
	const EmbargoList *l = c2->lists->pdata[0];
	g_assert_cmpstr(l->name, ==, "Team#1");
	g_assert_cmpstr(l->prefix, ==, "SEC");
	g_assert_cmpstr(l->policy_name, ==, "osm");
}

/* [milter] and max_message_size: defaults, values, and errors naming line and key. */
static void
test_milter(void)
{
	g_autofree char *p1 = write_conf("milter-defaults.conf", "[list security@example.org]\nprefix = SEC\n");
	g_autofree char *p2 = write_conf("milter-full.conf",
		"[milter]\nsocket = inet:8891@127.0.0.1\nuser = embargo\nauthserv_id = mx.example.org\n"
		"spf_fail = reject   # refuse\nrate_limit = 5 / 60\nspf_test_zone = /tmp/zone\n"
		"spf_timeout = 5\nrate_ipv6_prefix = 56\n"
		"[list security@example.org]\nprefix = SEC\nmax_message_size = 10485760\n");
	g_autofree char *p3 = write_conf("milter-norate.conf", "[milter]\nrate_limit = none\n");
	g_autofree char *p4 = write_conf("milter-optional.conf", "[milter]\nrequired = no\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) d = config_load(p1, &err);
	g_autoptr(EmbargoConfig) f = config_load(p2, &err);
	g_autoptr(EmbargoConfig) n = config_load(p3, &err);
	g_autoptr(EmbargoConfig) o = config_load(p4, &err);
	static const struct {
		const char *name, *text;
		int line;
		const char *key;
	} bad[] = {
		{ "m-socket.conf", "[milter]\nsocket = /run/x.sock\n", 2, "socket" },
		{ "m-inet.conf", "[milter]\n\nsocket = inet:8891\n", 3, "socket" },
		{ "m-id.conf", "[milter]\nauthserv_id = a b\n", 2, "authserv_id" },
		{ "m-spf.conf", "[milter]\nspf_fail = drop\n", 2, "spf_fail" },
		{ "m-rate.conf", "[milter]\nrate_limit = 0/600\n", 2, "rate_limit" },
		{ "m-rate2.conf", "[milter]\nrate_limit = 20/600/1\n", 2, "rate_limit" },
		{ "m-spft.conf", "[milter]\nspf_timeout = 0\n", 2, "spf_timeout" },
		{ "m-spft2.conf", "[milter]\nspf_timeout = 301\n", 2, "spf_timeout" },
		{ "m-v6.conf", "[milter]\nrate_ipv6_prefix = 0\n", 2, "rate_ipv6_prefix" },
		{ "m-v6b.conf", "[milter]\nrate_ipv6_prefix = 129\n", 2, "rate_ipv6_prefix" },
		{ "m-v6c.conf", "[milter]\nrate_ipv6_prefix = /64\n", 2, "rate_ipv6_prefix" },
		{ "m-required.conf", "[milter]\n\nrequired = maybe\n", 3, "required" },
		{ "m-size.conf", "[list security@example.org]\nprefix = SEC\nmax_message_size = 10M\n", 3,
		  "max_message_size" },
	};

	g_assert_no_error(err);
	g_assert_cmpstr(d->milter.socket, ==, "unix:/run/embargo/milter.sock");
	g_assert_null(d->milter.user);
	g_assert_null(d->milter.authserv_id);
	g_assert_null(d->milter.spf_test_zone);
	g_assert_false(d->milter.spf_reject);
	g_assert_false(d->milter.required);   /* no [milter] section: no milter runs */
	g_assert_cmpuint(d->milter.rate_max, ==, 20);
	g_assert_cmpuint(d->milter.rate_seconds, ==, 600);
	g_assert_cmpuint(d->milter.spf_timeout, ==, 20);
	g_assert_cmpuint(d->milter.rate_ipv6_prefix, ==, 64);
	g_assert_cmpuint(((EmbargoList *)d->lists->pdata[0])->max_message_size, ==, 0);
	g_assert_cmpstr(f->milter.socket, ==, "inet:8891@127.0.0.1");
	g_assert_cmpstr(f->milter.user, ==, "embargo");
	g_assert_cmpstr(f->milter.authserv_id, ==, "mx.example.org");
	g_assert_cmpstr(f->milter.spf_test_zone, ==, "/tmp/zone");
	g_assert_true(f->milter.spf_reject);
	g_assert_true(f->milter.required);    /* a [milter] section: its proof is required */
	g_assert_cmpuint(f->milter.rate_max, ==, 5);
	g_assert_cmpuint(f->milter.rate_seconds, ==, 60);
	g_assert_cmpuint(f->milter.spf_timeout, ==, 5);
	g_assert_cmpuint(f->milter.rate_ipv6_prefix, ==, 56);
	g_assert_cmpuint(((EmbargoList *)f->lists->pdata[0])->max_message_size, ==, 10485760);
	g_assert_cmpuint(n->milter.rate_max, ==, 0);
	g_assert_true(n->milter.required);
	g_assert_false(o->milter.required);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *msg = load_error(bad[i].text, bad[i].name);
		assert_names(msg, bad[i].name, bad[i].line, bad[i].key);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char *name;
		const char *text;
		int line;
		const char *key;
	} cases[] = {
		{ "missing-prefix.conf",
		  "[embargo]\nstate_dir = /x\n\n[list security@example.org]\nname = Team\n", 4, "prefix" },
		{ "bad-prefix.conf",
		  "[embargo]\n\n[list security@example.org]\nname = Team\nprefix = sec-lower\n", 5, "prefix" },
		{ "digit-prefix.conf", "[list security@example.org]\nprefix = 1SEC\n", 2, "prefix" },
		{ "long-prefix.conf", "[list security@example.org]\nprefix = ABCDEFGHIJKLMNOPQ\n", 2,
		  "prefix" },
		{ "empty-prefix.conf", "[list security@example.org]\nprefix =\n", 2, "prefix" },
		{ "bad-policy.conf",
		  "[embargo]\n[list security@example.org]\nprefix = SEC\npolicy = nosuchpolicy\n", 4,
		  "policy" },
		{ "evil-policy.conf", "[list security@example.org]\nprefix = SEC\npolicy = ../../etc/passwd\n",
		  3, "policy" },
		{ "relative-state.conf", "[embargo]\n# comment\nstate_dir = var/lib/embargo\n", 3,
		  "state_dir" },
		{ "time-low.conf", "[embargo]\ntime_limit = 4\n", 2, "time_limit" },
		{ "time-word.conf", "[embargo]\n\n\ntime_limit = soon\n", 4, "time_limit" },
		{ "timezone.conf", "[embargo]\ntimezone = Mars/Olympus_Mons\n", 2, "timezone" },
		{ "holidays.conf", "[embargo]\nholidays = 2026-12-25;Christmas\n", 2, "holidays" },
		{ "time-high.conf", "[embargo]\ntime_limit = 86401\n", 2, "time_limit" },
		{ "give-up-word.conf", "[embargo]\noutbox_give_up = never\n", 2, "outbox_give_up" },
		{ "give-up-unit.conf", "[embargo]\noutbox_give_up = 5y\n", 2, "outbox_give_up" },
		{ "give-up-low.conf", "[embargo]\n\noutbox_give_up = 5m\n", 3, "outbox_give_up" },
		{ "give-up-high.conf", "[embargo]\noutbox_give_up = 53w\n", 2, "outbox_give_up" },
		{ "give-up-zero.conf", "[embargo]\noutbox_give_up = 0d\n", 2, "outbox_give_up" },
		{ "give-up-bare.conf", "[embargo]\noutbox_give_up = d\n", 2, "outbox_give_up" },
		{ "sendmail.conf", "[embargo]\nsendmail = /usr/sbin/sendmail 'unterminated\n", 2,
		  "sendmail" },
		{ "autoreply-global.conf", "[embargo]\nautoreply_global_limit = 100001\n", 2,
		  "autoreply_global_limit" },
		{ "held-days.conf", "[embargo]\nheld_days = 3651\n", 2, "held_days" },
		{ "ack-limit.conf", "[list security@example.org]\nprefix = SEC\nack_limit = -1\n", 3,
		  "ack_limit" },
		{ "unknown-section.conf", "[embargo]\nstate_dir = /x\n\n[lists security@example.org]\nprefix = SEC\n",
		  4, "lists security@example.org" },
		{ "plus-list.conf", "[embargo]\n[list security+x@example.org]\nprefix = SEC\n", 2,
		  "security+x@example.org" },
		{ "bad-list-address.conf", "[list not-an-address]\nprefix = SEC\n", 1, "not-an-address" },
		{ "syntax.conf", "[embargo]\nstate_dir = /x\nthis line is not a key\n", 3, NULL },
		{ "bad-group.conf", "[embargo]\nstate_dir = /x\n[list security@example.org\n", 3, NULL },
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = load_error(cases[i].text, cases[i].name);
		g_test_message("%s: %s", cases[i].name, msg);
		assert_names(msg, cases[i].name, cases[i].line, cases[i].key);
	}
}

static void
test_holidays(void)
{
	/* A holiday is compared as YYYY-MM-DD text: anything else would be
	 * accepted and then silently never match, moving every deadline. */
	static const char *const bad[] = { "2026-12-5", "2026-1-05", "2026-13-45", "2026-02-30", "26-12-25", NULL };
	g_autofree char *path = write_conf("holidays-ok.conf",
	                                   "[embargo]\nholidays = 2026-12-25; 2026-12-26;2027-01-01  # Christmas, New Year\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_no_error(err);
	if (c != NULL) {
		g_assert_cmpuint(g_strv_length(c->holidays), ==, 3);
		g_assert_cmpstr(c->holidays[2], ==, "2027-01-01");
	}
	for (int i = 0; bad[i] != NULL; i++) {
		g_autofree char *text = g_strdup_printf("[embargo]\n\nholidays = 2026-12-24;%s\n", bad[i]);
		g_autofree char *name = g_strdup_printf("holidays-bad-%d.conf", i);
		g_autofree char *msg = load_error(text, name);
		g_test_message("holidays %s: %s", bad[i], msg);
		assert_names(msg, name, 3, "holidays");
	}
}

static void
test_missing_file(void)
{
	g_autofree char *path = g_build_filename(tmpdir, "no-such.conf", NULL);
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_null(c);
	g_assert_error(err, EMBARGO_CONFIG_ERROR, 0);
	if (err != NULL)
		g_assert_nonnull(strstr(err->message, path));
}

static void
test_env_path(void)
{
	g_autofree char *path = write_conf("env.conf", "[embargo]\nstate_dir = /from/env\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = NULL;

	g_setenv("EMBARGO_CONFIG", path, TRUE);
	g_assert_cmpstr(config_default_path(), ==, path);
	c = config_load(NULL, &err);
	g_assert_no_error(err);
	if (c != NULL) {
		g_assert_cmpstr(c->path, ==, path);
		g_assert_cmpstr(c->state_dir, ==, "/from/env");
		g_assert_cmpuint(c->lists->len, ==, 0);
	}
	g_setenv("EMBARGO_CONFIG", "", TRUE);
	g_assert_cmpstr(config_default_path(), ==, SYSCONFDIR "/embargo/embargo.conf");
	g_unsetenv("EMBARGO_CONFIG");
	g_assert_cmpstr(config_default_path(), ==, SYSCONFDIR "/embargo/embargo.conf");
}

static void
test_two_lists(void)
{
	g_autofree char *path = write_conf("two.conf",
	                                   "[embargo]\n"
	                                   "state_dir = /x\n"
	                                   "[list security@example.org]\n"
	                                   "prefix = SEC\n"
	                                   "policy = cncf\n"
	                                   "[list security@tools.example.org]\n"
	                                   "name = Tools\n"
	                                   "prefix = TOOLS2\n"
	                                   "policy = codegate\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_no_error(err);
	if (c == NULL)
		return;
	g_assert_cmpuint(c->lists->len, ==, 2);
	const EmbargoList *a = c->lists->pdata[0], *b = c->lists->pdata[1];
	g_assert_cmpstr(a->address, ==, "security@example.org");   /* in file order */
	g_assert_cmpstr(a->prefix, ==, "SEC");
	g_assert_cmpstr(a->policy->id, ==, "cncf");
	g_assert_cmpstr(b->address, ==, "security@tools.example.org");
	g_assert_cmpstr(b->domain, ==, "tools.example.org");
	g_assert_cmpstr(b->prefix, ==, "TOOLS2");
	g_assert_cmpstr(b->policy->id, ==, "codegate");
	g_assert_true(config_find_list(c, "security@tools.example.org") == b);
	g_assert_true(config_find_list(c, "security@example.org") == a);
}

static void
test_duplicates(void)
{
	g_autofree char *m1 = load_error("[embargo]\n"
	                                 "[list security@example.org]\n"
	                                 "prefix = SEC\n"
	                                 "[list security@tools.example.org]\n"
	                                 "prefix = SEC\n",
	                                 "dup-prefix.conf");
	g_autofree char *m2 = load_error("[list security@example.org]\n"
	                                 "prefix = SEC\n"
	                                 "[list Security@Example.org]\n"
	                                 "prefix = OTHER\n",
	                                 "dup-list.conf");

	assert_names(m1, "dup-prefix.conf", 5, "prefix");
	g_assert_nonnull(strstr(m1, "SEC"));
	assert_names(m2, "dup-list.conf", 3, "security@example.org");
}

static void
test_policy_overrides(void)
{
	g_autofree char *path = write_conf("override.conf",
	                                   "[list security@example.org]\n"
	                                   "prefix = SEC\n"
	                                   "policy = cncf\n"
	                                   "deadline.acknowledge.days = 1\n"
	                                   "deadline.acknowledge.unit = calendar\n"
	                                   "deadline.triage.from = received\n"
	                                   "deadline.triage.days = 9\n"
	                                   "policy.name = Custom CNCF\n"
	                                   "[list other@example.org]\n"
	                                   "prefix = OTH\n"
	                                   "policy = cncf\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_no_error(err);
	if (c == NULL)
		return;
	const EmbargoList *l = config_find_list(c, "security@example.org");
	const EmbargoList *o = config_find_list(c, "other@example.org");
	g_assert_nonnull(l);
	g_assert_nonnull(o);
	if (l == NULL || o == NULL)
		return;
	const PolicyDeadline *ack = deadline(l, "acknowledge");
	const PolicyDeadline *triage = deadline(l, "triage");
	g_assert_nonnull(ack);
	g_assert_nonnull(triage);
	if (ack != NULL) {
		g_assert_cmpuint(ack->days, ==, 1);
		g_assert_false(ack->business);
		g_assert_cmpstr(ack->from, ==, "received");   /* the rest of the preset stays */
		g_assert_cmpstr(ack->promise, ==, "feedback on your report with a plan");
	}
	if (triage != NULL) {
		g_assert_cmpuint(triage->days, ==, 9);        /* a new deadline */
		g_assert_cmpstr(triage->promise, ==, "triage");
	}
	g_assert_cmpstr(l->policy->name, ==, "Custom CNCF");
	/* the override is for that list only */
	const PolicyDeadline *oack = deadline(o, "acknowledge");
	g_assert_nonnull(oack);
	if (oack != NULL) {
		g_assert_cmpuint(oack->days, ==, 3);
		g_assert_true(oack->business);
	}
	g_assert_cmpstr(o->policy->name, ==, "CNCF");
}

static void
test_policy_override_comment(void)
{
	/* embargo.conf(5): "A # preceded by a blank starts a trailing comment",
	 * for every value of the file, overrides included. */
	g_autofree char *path = write_conf("override-comment.conf",
	                                   "[list security@example.org]\n"
	                                   "prefix = SEC\n"
	                                   "deadline.acknowledge.days = 1    # faster than the preset\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_no_error(err);
	if (c == NULL)
		return;
	const PolicyDeadline *ack = deadline(c->lists->pdata[0], "acknowledge");
	g_assert_nonnull(ack);
	if (ack != NULL)
		g_assert_cmpuint(ack->days, ==, 1);
}

static void
test_policy_override_error(void)
{
	/* A bad override is an error naming the line and key of the override. */
	g_autofree char *msg = load_error("[list security@example.org]\n"
	                                  "prefix = SEC\n"
	                                  "policy = cncf\n"
	                                  "deadline.acknowledge.days = soon\n",
	                                  "override-bad.conf");

	assert_names(msg, "override-bad.conf", 4, "deadline.acknowledge.days");
}

static void
test_find_and_own(void)
{
	g_autofree char *path = write_conf("find.conf",
	                                   "[list security@example.org]\n"
	                                   "prefix = SEC\n"
	                                   "[list cert@example.net]\n"
	                                   "prefix = CERT\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) c = config_load(path, &err);

	g_assert_no_error(err);
	if (c == NULL)
		return;
	const EmbargoList *l = config_find_list(c, "security@example.org");
	g_assert_nonnull(l);
	g_assert_true(config_find_list(c, "SECURITY@Example.Org") == l);
	g_assert_true(config_find_list(c, "Cert@EXAMPLE.NET") == c->lists->pdata[1]);
	g_assert_null(config_find_list(c, "security@example.net"));
	g_assert_null(config_find_list(c, "security+SEC-2026-0001@example.org")); /* the list itself only */
	g_assert_null(config_find_list(c, ""));
	g_assert_null(config_find_list(c, "security"));

	g_assert_true(config_is_own_address(c, "security@example.org"));
	g_assert_true(config_is_own_address(c, "Security@EXAMPLE.org"));
	g_assert_true(config_is_own_address(c, "security+SEC-2026-0042@example.org"));
	g_assert_true(config_is_own_address(c, "security+SEC-2026-0042-reporter@example.org"));
	g_assert_true(config_is_own_address(c, "<security+anything@Example.Org>"));
	g_assert_true(config_is_own_address(c, "cert+x@example.net"));
	g_assert_false(config_is_own_address(c, "jane@example.org"));
	g_assert_false(config_is_own_address(c, "security@example.com"));
	g_assert_false(config_is_own_address(c, "xsecurity@example.org"));
	g_assert_false(config_is_own_address(c, "not an address"));
	g_assert_false(config_is_own_address(c, ""));
}

/* max_decrypted_size: what one decryption may produce, and its defaults. */
static void
test_max_decrypted(void)
{
	g_autofree char *p1 = write_conf("dec-default.conf",
		"[list security@example.org]\nprefix = SEC\n"
		"[list other@example.org]\nprefix = OTH\nmax_message_size = 1000000\n");
	g_autofree char *p2 = write_conf("dec-set.conf",
		"[embargo]\nmax_decrypted_size = 5000000  # bytes\n"
		"[list security@example.org]\nprefix = SEC\nmax_message_size = 1000000\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) d = config_load(p1, &err);
	g_autoptr(EmbargoConfig) s = config_load(p2, &err);
	g_autofree char *msg = load_error("[embargo]\nmax_decrypted_size = 4M\n", "dec-bad.conf");

	g_assert_no_error(err);
	g_assert_cmpuint(d->max_decrypted_size, ==, 0);
	/* No size limit of the list's own: four times Postfix's default. */
	g_assert_cmpuint(config_max_decrypted(d, d->lists->pdata[0]), ==, 40960000);
	g_assert_cmpuint(config_max_decrypted(d, d->lists->pdata[1]), ==, 4000000);
	g_assert_cmpuint(s->max_decrypted_size, ==, 5000000);
	g_assert_cmpuint(config_max_decrypted(s, s->lists->pdata[0]), ==, 5000000);
	assert_names(msg, "dec-bad.conf", 2, "max_decrypted_size");
}

/* decrypt_time_limit: gpg's processor seconds per operation, below time_limit. */
static void
test_decrypt_time(void)
{
	g_autofree char *p1 = write_conf("dtime-default.conf", "[list security@example.org]\nprefix = SEC\n");
	g_autofree char *p2 = write_conf("dtime-short.conf",
		"[embargo]\ntime_limit = 20\n[list security@example.org]\nprefix = SEC\n");
	g_autofree char *p3 = write_conf("dtime-set.conf",
		"[embargo]\ntime_limit = 20\ndecrypt_time_limit = 19  # s\n"
		"[list security@example.org]\nprefix = SEC\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) d = config_load(p1, &err);
	g_autoptr(EmbargoConfig) sh = config_load(p2, &err);
	g_autoptr(EmbargoConfig) s = config_load(p3, &err);
	g_autofree char *equal = load_error("[embargo]\ntime_limit = 20\ndecrypt_time_limit = 20\n",
	                                    "dtime-equal.conf");
	g_autofree char *above = load_error("[embargo]\ndecrypt_time_limit = 301\n", "dtime-above.conf");
	g_autofree char *zero = load_error("[embargo]\ndecrypt_time_limit = 0\n", "dtime-zero.conf");
	g_autofree char *word = load_error("[embargo]\ndecrypt_time_limit = 1m\n", "dtime-word.conf");

	g_assert_no_error(err);
	g_assert_cmpuint(d->decrypt_time_limit, ==, 60);
	/* Unset, a fifth of a short time_limit: room for a few operations. */
	g_assert_cmpuint(sh->decrypt_time_limit, ==, 4);
	g_assert_cmpuint(s->decrypt_time_limit, ==, 19);
	assert_names(equal, "dtime-equal.conf", 3, "decrypt_time_limit");
	g_assert_nonnull(strstr(equal, "not below time_limit (20)"));
	assert_names(above, "dtime-above.conf", 2, "decrypt_time_limit");
	assert_names(zero, "dtime-zero.conf", 2, "decrypt_time_limit");
	assert_names(word, "dtime-word.conf", 2, "decrypt_time_limit");
}

/* answer.NAME: none by default; a template read at load; a missing file
 * an error naming the file, line and key (the template's own rules are
 * test-canned's). */
static void
test_answers(void)
{
	g_autofree char *tpl = write_conf("no-bounty.txt", "Close: invalid\n\nNo bounty for {case}.\n");
	g_autofree char *none_path =
		write_conf("answers-none.conf", "[list security@example.org]\nprefix = SEC\n");
	g_autofree char *text = g_strdup_printf("[list security@example.org]\nprefix = SEC\n"
	                                        "answer.no-bounty = %s   # beg bounties\n",
	                                        tpl);
	g_autofree char *good_path = write_conf("answers.conf", text);
	g_autofree char *missing = NULL, *relative = NULL;
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) none = config_load(none_path, &err);
	g_autoptr(EmbargoConfig) good = NULL;
	const EmbargoList *l;
	const CannedAnswer *a;

	g_assert_no_error(err);
	l = none != NULL ? none->lists->pdata[0] : NULL;
	g_assert_true(l != NULL && l->answers != NULL && g_hash_table_size(l->answers) == 0);
	good = config_load(good_path, &err);
	g_assert_no_error(err);
	l = good != NULL ? good->lists->pdata[0] : NULL;
	a = l != NULL ? g_hash_table_lookup(l->answers, "no-bounty") : NULL;
	g_assert_nonnull(a);
	if (a != NULL) {
		g_assert_cmpstr(a->path, ==, tpl);
		g_assert_cmpstr(a->close, ==, "invalid");
		g_assert_cmpstr(a->text, ==, "No bounty for {case}.\n");
	}
	missing = load_error("[list security@example.org]\nprefix = SEC\n\n"
	                     "answer.gone = /nonexistent/embargo/gone.txt\n",
	                     "answers-missing.conf");
	assert_names(missing, "answers-missing.conf", 4, "answer.gone");
	g_assert_nonnull(strstr(missing, "/nonexistent/embargo/gone.txt"));
	relative = load_error("[list security@example.org]\nprefix = SEC\nanswer.x = x.txt\n",
	                      "answers-relative.conf");
	assert_names(relative, "answers-relative.conf", 3, "answer.x");
	g_assert_nonnull(strstr(relative, "not an absolute path"));
}

/* spam_check, rspamd_url, spam_timeout and each list's spam_action. */
static void
test_spam(void)
{
	g_autofree char *p1 = write_conf("spam-default.conf",
		"[list security@example.org]\nprefix = SEC\nspam_action = tag\n");
	g_autofree char *p2 = write_conf("spam-set.conf",
		"[embargo]\nspam_check = rspamd  # ask it\nrspamd_url = http://10.0.0.5:11333//\n"
		"spam_timeout = 4\ntime_limit = 20\n"
		"[list security@example.org]\nprefix = SEC\n"
		"[list other@example.org]\nprefix = OTH\nspam_action = tag\n"
		"[list third@example.org]\nprefix = THI\nspam_action = off\n");
	g_autofree char *p3 = write_conf("spam-short.conf",
		"[embargo]\nspam_check = rspamd\ntime_limit = 12\n"
		"[list security@example.org]\nprefix = SEC\n");
	g_autoptr(GError) err = NULL;
	g_autoptr(EmbargoConfig) d = config_load(p1, &err);
	g_autoptr(EmbargoConfig) s = config_load(p2, &err);
	g_autoptr(EmbargoConfig) sh = config_load(p3, &err);
	g_autofree char *check = load_error("[embargo]\nspam_check = spamassassin\n", "spam-check.conf");
	g_autofree char *url = load_error("[embargo]\n\nrspamd_url = 127.0.0.1:11333\n", "spam-url.conf");
	g_autofree char *slow = load_error("[embargo]\ntime_limit = 20\nspam_timeout = 10\n",
	                                   "spam-slow.conf");
	g_autofree char *zero = load_error("[embargo]\nspam_timeout = 0\n", "spam-zero.conf");
	g_autofree char *action = load_error("[embargo]\nspam_check = rspamd\n"
	                                     "[list security@example.org]\nprefix = SEC\n"
	                                     "spam_action = reject\n", "spam-action.conf");

	g_assert_no_error(err);
	/* No filter: nothing is asked, and no list acts on a verdict. */
	g_assert_false(d->spam.rspamd);
	g_assert_cmpstr(d->spam.rspamd_url, ==, "http://127.0.0.1:11333");
	g_assert_cmpuint(d->spam.timeout, ==, 10);
	g_assert_cmpint(((EmbargoList *)d->lists->pdata[0])->spam_action, ==, SPAM_ACTION_OFF);
	g_assert_true(s->spam.rspamd);
	g_assert_cmpstr(s->spam.rspamd_url, ==, "http://10.0.0.5:11333");
	g_assert_cmpuint(s->spam.timeout, ==, 4);
	g_assert_cmpint(((EmbargoList *)s->lists->pdata[0])->spam_action, ==, SPAM_ACTION_HOLD);
	g_assert_cmpint(((EmbargoList *)s->lists->pdata[1])->spam_action, ==, SPAM_ACTION_TAG);
	g_assert_cmpint(((EmbargoList *)s->lists->pdata[2])->spam_action, ==, SPAM_ACTION_OFF);
	/* Unset, a quarter of a short time_limit. */
	g_assert_cmpuint(sh->spam.timeout, ==, 3);
	assert_names(check, "spam-check.conf", 2, "spam_check");
	assert_names(url, "spam-url.conf", 3, "rspamd_url");
	assert_names(slow, "spam-slow.conf", 3, "spam_timeout");
	g_assert_nonnull(strstr(slow, "not below half of time_limit (20)"));
	assert_names(zero, "spam-zero.conf", 2, "spam_timeout");
	assert_names(action, "spam-action.conf", 5, "spam_action");
	g_assert_nonnull(strstr(action, "must be hold, tag or off"));
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) err = NULL;
	int status;

	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_unsetenv("EMBARGO_CONFIG");
	tmpdir = g_dir_make_tmp("embargo-test-config.XXXXXX", &err);
	g_assert_no_error(err);

	g_test_add_func("/config/defaults", test_defaults);
	g_test_add_func("/config/full", test_full);
	g_test_add_func("/config/comments", test_comments);
	g_test_add_func("/config/errors", test_errors);
	g_test_add_func("/config/milter", test_milter);
	g_test_add_func("/config/holidays", test_holidays);
	g_test_add_func("/config/missing-file", test_missing_file);
	g_test_add_func("/config/env-path", test_env_path);
	g_test_add_func("/config/two-lists", test_two_lists);
	g_test_add_func("/config/duplicates", test_duplicates);
	g_test_add_func("/config/policy-overrides", test_policy_overrides);
	g_test_add_func("/config/policy-override-comment", test_policy_override_comment);
	g_test_add_func("/config/policy-override-error", test_policy_override_error);
	g_test_add_func("/config/find-and-own", test_find_and_own);
	g_test_add_func("/config/max-decrypted", test_max_decrypted);
	g_test_add_func("/config/decrypt-time", test_decrypt_time);
	g_test_add_func("/config/answers", test_answers);
	g_test_add_func("/config/spam", test_spam);
	status = g_test_run();

	g_autoptr(GDir) dir = g_dir_open(tmpdir, 0, NULL);
	const char *name;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree char *p = g_build_filename(tmpdir, name, NULL);
		g_unlink(p);
	}
	g_rmdir(tmpdir);
	g_free(tmpdir);
	return status;
}
