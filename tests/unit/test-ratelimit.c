/* test-ratelimit.c - embargo-milter's rate limit (milter/ratelimit.c): the
 * sliding window, the cap on its table of client addresses, and the
 * history a reload carries over. */
#include "ratelimit.h"

/* Second S of a test's clock, in the monotonic microseconds the table takes. */
#define S(s) ((gint64)(1000 + (s)) * G_USEC_PER_SEC)

static void
test_window(void)
{
	g_autoptr(RateLimit) rl = ratelimit_new(3, 10, 100, 64);

	for (int i = 0; i < 3; i++)
		g_assert_true(ratelimit_take(rl, "192.0.2.1", S(i)));
	g_assert_false(ratelimit_take(rl, "192.0.2.1", S(3)));
	g_assert_true(ratelimit_take(rl, "192.0.2.2", S(3)));
	g_assert_false(ratelimit_take(rl, "192.0.2.1", S(9.9)));
	/* the first message leaves the window at 10 s: one more, not more */
	g_assert_true(ratelimit_take(rl, "192.0.2.1", S(10)));
	g_assert_false(ratelimit_take(rl, "192.0.2.1", S(10.5)));
	g_assert_true(ratelimit_take(rl, "192.0.2.1", S(11)));
}

static void
test_none(void)
{
	g_assert_null(ratelimit_new(0, 600, 100, 64));
	g_assert_null(ratelimit_new(20, 0, 100, 64));
	g_assert_true(ratelimit_take(NULL, "192.0.2.1", S(0)));
	g_assert_cmpuint(ratelimit_size(NULL), ==, 0);
	g_assert_true(ratelimit_same(NULL, 0, 0, 100, 64));
	g_assert_false(ratelimit_same(NULL, 20, 600, 100, 64));
}

/* More distinct addresses than the table holds: it stays at its cap, the
 * least recently seen are forgotten, and a recent address is still limited. */
static void
test_cap(void)
{
	g_autoptr(RateLimit) rl = ratelimit_new(2, 600, 4, 64);
	char addr[32];

	g_assert_true(ratelimit_take(rl, "192.0.2.1", S(0)));
	g_assert_true(ratelimit_take(rl, "192.0.2.1", S(0)));
	g_assert_false(ratelimit_take(rl, "192.0.2.1", S(0)));
	for (int i = 1; i <= 10; i++) {
		g_snprintf(addr, sizeof addr, "198.51.100.%d", i);
		g_assert_true(ratelimit_take(rl, addr, S(i)));
		g_assert_cmpuint(ratelimit_size(rl), <=, 4);
	}
	g_assert_cmpuint(ratelimit_size(rl), ==, 4);
	/* the newest is remembered: its second message is its last */
	g_assert_true(ratelimit_take(rl, "198.51.100.10", S(11)));
	g_assert_false(ratelimit_take(rl, "198.51.100.10", S(12)));
	/* 192.0.2.1 was pushed out: its count starts again (what the cap costs) */
	g_assert_true(ratelimit_take(rl, "192.0.2.1", S(13)));
	g_assert_cmpuint(ratelimit_size(rl), ==, 4);
}

/* A full table drops addresses whose messages left the window before it
 * forgets any live one; a refused client that keeps trying counts as seen. */
static void
test_expired_first(void)
{
	g_autoptr(RateLimit) rl = ratelimit_new(2, 10, 3, 64);

	g_assert_true(ratelimit_take(rl, "A", S(0)));
	g_assert_true(ratelimit_take(rl, "B", S(7)));
	g_assert_true(ratelimit_take(rl, "B", S(8)));
	g_assert_true(ratelimit_take(rl, "C", S(9)));
	g_assert_cmpuint(ratelimit_size(rl), ==, 3);
	/* at 12 s A's message has left the window: A goes, B and C stay */
	g_assert_false(ratelimit_take(rl, "B", S(12)));
	g_assert_true(ratelimit_take(rl, "D", S(12)));
	g_assert_cmpuint(ratelimit_size(rl), ==, 3);
	g_assert_false(ratelimit_take(rl, "B", S(12.5)));
	/* full of live addresses: the least recently seen (C, at 9 s) goes, not B */
	g_assert_true(ratelimit_take(rl, "E", S(13)));
	g_assert_false(ratelimit_take(rl, "B", S(13)));
	g_assert_true(ratelimit_take(rl, "C", S(13)));   /* C starts again */
	/* after the window everything but the newest is gone */
	g_assert_true(ratelimit_take(rl, "F", S(40)));
	g_assert_cmpuint(ratelimit_size(rl), ==, 1);
}

/* A flood far beyond the cap costs no more than the cap. */
static void
test_flood(void)
{
	g_autoptr(RateLimit) rl = ratelimit_new(20, 600, 1000, 64);
	char addr[32];

	for (int i = 0; i < 100000; i++) {
		g_snprintf(addr, sizeof addr, "2001:db8:%x:%x::1", i >> 16, i & 0xffff);
		g_assert_true(ratelimit_take(rl, addr, S(0) + i));
	}
	g_assert_cmpuint(ratelimit_size(rl), ==, 1000);
	for (int i = 0; i < 19; i++)
		g_assert_true(ratelimit_take(rl, "2001:db8:1:869f::1", S(1)));  /* the last of the flood */
	g_assert_false(ratelimit_take(rl, "2001:db8:1:869f::2", S(1)));  /* ... its /64 */
}

/* A reload with another limit starts from the old table's history. */
static void
test_reload(void)
{
	g_autoptr(RateLimit) old = ratelimit_new(5, 600, 100, 64);
	g_autoptr(RateLimit) rl = NULL;
	g_autoptr(RateLimit) two = NULL;
	g_autoptr(RateLimit) fresh = ratelimit_new_from(NULL, 3, 600, 100, 64, S(0));

	for (int i = 10; i < 14; i++)
		g_assert_true(ratelimit_take(old, "A", S(i)));
	g_assert_true(ratelimit_take(old, "B", S(0)));
	g_assert_true(ratelimit_same(old, 5, 600, 100, 64));
	g_assert_false(ratelimit_same(old, 3, 600, 100, 64));
	g_assert_false(ratelimit_same(old, 5, 600, 50, 64));

	/* 3/20 at 25 s: A's last three (11, 12, 13 s) are within the window, B's one (0 s) is not */
	rl = ratelimit_new_from(old, 3, 20, 100, 64, S(25));
	g_assert_true(ratelimit_same(rl, 3, 20, 100, 64));
	g_assert_cmpuint(ratelimit_size(rl), ==, 1);
	g_assert_false(ratelimit_take(rl, "A", S(25)));
	g_assert_true(ratelimit_take(rl, "B", S(25)));
	g_assert_true(ratelimit_take(old, "A", S(25))); /* the old table goes on, for old connections */
	g_assert_null(ratelimit_new_from(old, 0, 0, 100, 64, S(25)));
	g_assert_true(ratelimit_take(fresh, "A", S(0)));

	/* 2/600: the ring shrinks to the newest two, A's at 13 s and 25 s; B's one is kept */
	two = ratelimit_new_from(old, 2, 600, 100, 64, S(26));
	g_assert_false(ratelimit_take(two, "A", S(26)));
	g_assert_true(ratelimit_take(two, "B", S(26)));
	g_assert_false(ratelimit_take(two, "B", S(26)));
}

/* An IPv6 client counts per network of IPV6_PREFIX bits: rotating through
 * its /64 gains it nothing; the next /64 is another client. */
static void
test_ipv6_prefix(void)
{
	g_autoptr(RateLimit) rl = ratelimit_new(2, 600, 100, 64);
	g_autoptr(RateLimit) exact = ratelimit_new(2, 600, 100, 128);
	g_autoptr(RateLimit) wide = NULL;
	g_autoptr(RateLimit) narrow = NULL;

	g_assert_true(ratelimit_take(rl, "2001:db8:1:2::1", S(0)));
	g_assert_true(ratelimit_take(rl, "2001:db8:1:2:ffff:ffff:ffff:fffe", S(1)));
	g_assert_false(ratelimit_take(rl, "2001:db8:1:2:dead:beef:0:7", S(2)));
	g_assert_false(ratelimit_take(rl, "2001:DB8:1:2:0:0:0:1", S(2))); /* another spelling */
	g_assert_true(ratelimit_take(rl, "2001:db8:1:3::1", S(2)));        /* the next /64 */
	g_assert_cmpuint(ratelimit_size(rl), ==, 2);

	/* IPv4-mapped is the IPv4 client; IPv4 and other text are their own keys */
	g_assert_true(ratelimit_take(rl, "::ffff:192.0.2.9", S(3)));
	g_assert_true(ratelimit_take(rl, "192.0.2.9", S(3)));
	g_assert_false(ratelimit_take(rl, "::ffff:c000:209", S(3)));
	g_assert_true(ratelimit_take(rl, "192.0.2.10", S(3)));
	g_assert_true(ratelimit_take(rl, "unknown", S(3)));

	/* rate_ipv6_prefix = 128: every address counts by itself */
	g_assert_true(ratelimit_take(exact, "2001:db8:1:2::1", S(0)));
	g_assert_true(ratelimit_take(exact, "2001:db8:1:2::1", S(0)));
	g_assert_false(ratelimit_take(exact, "2001:db8:1:2::1", S(0)));
	g_assert_true(ratelimit_take(exact, "2001:db8:1:2::2", S(0)));

	/* odd prefixes mask inside a byte: /61 holds 2001:db8:1:0 to 2001:db8:1:7 */
	narrow = ratelimit_new(1, 600, 100, 61);
	g_assert_true(ratelimit_take(narrow, "2001:db8:1:5::1", S(0)));
	g_assert_false(ratelimit_take(narrow, "2001:db8:1:7::1", S(0)));
	g_assert_true(ratelimit_take(narrow, "2001:db8:1:8::1", S(0)));

	/* a reload to /48 merges the /64s' counts: 2001:db8:1:: has sent 3 */
	g_assert_false(ratelimit_same(rl, 2, 600, 100, 48));
	wide = ratelimit_new_from(rl, 3, 600, 100, 48, S(4));
	g_assert_false(ratelimit_take(wide, "2001:db8:1:ffff::1", S(4)));
	g_assert_true(ratelimit_take(wide, "2001:db8:2::1", S(4)));
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/ratelimit/window", test_window);
	g_test_add_func("/ratelimit/none", test_none);
	g_test_add_func("/ratelimit/cap", test_cap);
	g_test_add_func("/ratelimit/expired-first", test_expired_first);
	g_test_add_func("/ratelimit/flood", test_flood);
	g_test_add_func("/ratelimit/reload", test_reload);
	g_test_add_func("/ratelimit/ipv6-prefix", test_ipv6_prefix);
	return g_test_run();
}
