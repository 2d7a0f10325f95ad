#!/bin/sh
# t-root.sh - embargo-mda and embargoctl refuse to run as root unless
# EMBARGO_ALLOW_ROOT=1 says so; the refusal of embargo-mda is a deferral (75),
# so mail waits in Postfix's queue until the postmaster fixes the setup.
. "$top_srcdir/tests/lib.sh"
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root"
	exit 0
fi
setup
members alice@example.org
msg 'Jane <jane@example.net>' 'Root test' root@example.net > "$T/in.eml"

env -u EMBARGO_ALLOW_ROOT "$EMBARGO_MDA" -f jane@example.net -- $LIST < "$T/in.eml" 2>"$T/err"
is "$?" 75 "embargo-mda as root: deferred (75)"
check "embargo-mda says why" grep -q 'refusing to run as root' "$T/err"
is "$(ctl case list --json | jqr length)" 0 "embargo-mda as root stored nothing"
env -u EMBARGO_ALLOW_ROOT "$EMBARGOCTL" case list >/dev/null 2>"$T/err"
is "$?" 77 "embargoctl as root: refused (77)"
check "embargoctl says how to run it" grep -q 'sudo -u embargo' "$T/err"
env -u EMBARGO_ALLOW_ROOT EMBARGO_ALLOW_ROOT=yes "$EMBARGOCTL" case list >/dev/null 2>&1
is "$?" 77 "only EMBARGO_ALLOW_ROOT=1 allows it"

mda jane@example.net $LIST < "$T/in.eml"
is "$rc" 0 "with EMBARGO_ALLOW_ROOT=1 the delivery works"

# As an ordinary user, nothing needs saying.
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
	chown -R nobody "$T/state" "$T/sent"
	chmod 755 "$T"
	setpriv --reuid=nobody --regid=nogroup --clear-groups env -u EMBARGO_ALLOW_ROOT \
		"$EMBARGOCTL" case list >/dev/null 2>"$T/err"
	is "$?" 0 "embargoctl as the delivery user needs no permission"
else
	_n=$((_n + 1)); echo "ok $_n # SKIP no nobody user or setpriv"
fi
done_testing
