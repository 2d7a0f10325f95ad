#!/bin/bash
# End to end through a real, private Postfix instance (tests/e2e/postfix-env.sh)
# with a real, private rspamd (tests/rspamd.sh) in the same namespaces: over
# SMTP, GTUBE is delivered to embargo-mda (status=sent, no deferral) and held,
# nothing reaching the sink; a normal report opens a case and is
# acknowledged. Runs as root in its own namespaces; skipped otherwise.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
. "$top_srcdir/tests/rspamd.sh"
e2e_enter "$@"
command -v rspamd >/dev/null || e2e_skip "rspamd not installed (contrib/setup.sh installs it)"

e2e_start
# After e2e_start, which brings up loopback; its teardown stays the EXIT
# trap, and the PID namespace ends rspamd with the script.
rspamd_start "$T/rspamd" || { echo "Bail out! rspamd did not start"; exit 1; }
trap e2e_teardown EXIT
sed -i "/^\[embargo\]/a spam_check = rspamd\nrspamd_url = $RSPAMD_URL" "$T/embargo.conf"
SPAM_SQLITE="as_user sqlite3"
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }

# --- GTUBE over SMTP: delivered to embargo-mda, held, nothing sent
BODY="Cheap watches. $RSPAMD_GTUBE" mail_file "$T/g1" spam@pass.test "$LIST" "Offer" g1@pass.test
smtp 192.0.2.10 spam@pass.test "$LIST" "$T/g1"
is "$rc" 0 "smtpd accepts GTUBE (the verdict is embargo-mda's to act on)"
check "embargo-mda takes it (status=sent, not deferred)" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=embargo,.*status=sent"
check "rspamd was asked" grep -q "from: <spam@pass.test>.*GTUBE" "$T/rspamd/rspamd.log"
check "... with the client's address from pipe(8)" grep -q "ip: 192.0.2.10, from: <spam@pass.test>" "$T/rspamd/rspamd.log"
check "GTUBE is held" spam_is_held "$T/state/embargo.db" g1@pass.test

# --- a normal report: a case, acknowledged, copied to the team
mail_file "$T/m1" "Rita Reporter <rita@pass.test>" "$LIST" "Heap overflow in the parser" m1@pass.test
smtp 192.0.2.10 rita@pass.test "$LIST" "$T/m1"
is "$rc" 0 "smtpd accepts a normal report"
check "the reporter's acknowledgement reaches the sink" wait_for "$E2E_TIMEOUT" sinks rita@pass.test 1
check "alice's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks alice@team.test 1
check "the queue drains" settle
if spam_is_held "$T/state/embargo.db" m1@pass.test; then ok 0 "the normal report is not held"
else ok 1 "the normal report is not held"; fi
is "$(sink_to_count spam@pass.test)" 0 "GTUBE's sender got nothing"
is "$(sink_to_count alice@team.test)" 1 "the team got the normal report alone"

done_testing
