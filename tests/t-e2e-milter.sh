#!/bin/bash
# End to end with embargo-milter in Postfix's smtpd_milters, on the private
# instance of tests/e2e/postfix-env.sh: SPF from a loopback DNS server, the
# Authentication-Results header and what embargo-mda makes of it, the size
# and rate limits at SMTP time, and a milter that is down. Skipped while
# embargo-milter is the stub that does not filter.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
E2E_MILTER_CONF="rate_limit = 3/600"
E2E_LIST_CONF="max_message_size = 20000"
e2e_start
[ "$E2E_MILTER" = yes ] || e2e_skip "embargo-milter is still the stub that does not filter"

REP=reporter@pass.test
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }
AR="Authentication-Results: mx.example.org;"
# raw MESSAGE-ID: the message as embargo-mda got it from Postfix (its spool copy)
raw() { grep -r -l -F "Message-ID: <$1>" "$T/state/spool" | head -1; }
# ar MESSAGE-ID: our Authentication-Results lines in it
ar() { f=$(raw "$1"); [ -n "$f" ] && grep -i -F "$AR" "$f"; }
# spf FILE: the SPF line of the summary atop a team copy
spf() { sed -n 's/^SPF: *//p' "$1" | head -1; }

# --- SPF pass: tagged, stored, acknowledged
mail_file "$T/m1" "$REP" "$LIST" "Heap overflow in the parser" r1@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/m1"
is "$rc" 0 "a report from a host SPF allows is accepted"
check "the reporter is acknowledged" wait_for "$E2E_TIMEOUT" sinks "$REP" 1
check "the team gets its copy" wait_for "$E2E_TIMEOUT" sinks alice@team.test 1
team=$(sink_to alice@team.test | head -1)
is "$(ar r1@pass.test)" "$AR spf=pass smtp.mailfrom=$REP" \
	"the report reaches embargo-mda with our Authentication-Results"
case $(spf "$team") in pass*) ok 1 "the team's summary shows spf pass" ;;
	*) ok 0 "the team's summary shows spf pass"; echo "#   got: $(spf "$team")" ;; esac
check "the queue drains" settle

# --- SPF fail: accepted (spf_fail = tag), stored, copied to the team, not
# acknowledged (no backscatter to a forged sender)
mail_file "$T/m2" "liar@fail.test" "$LIST" "Urgent: your site is hacked" r2@fail.test
smtp 192.0.2.11 liar@fail.test "$LIST" "$T/m2"
is "$rc" 0 "a report whose sender fails SPF is accepted"
check "the team gets its copy" wait_for "$E2E_TIMEOUT" sinks alice@team.test 2
team=$(ls -t $(sink_to alice@team.test) | head -1)
is "$(ar r2@fail.test)" "$AR spf=fail smtp.mailfrom=liar@fail.test" "it is tagged spf=fail"
case $(spf "$team") in fail*) ok 1 "the team's summary shows spf fail" ;;
	*) ok 0 "the team's summary shows spf fail"; echo "#   got: $(spf "$team")" ;; esac
check "the queue drains" settle
is "$(sink_to_count liar@fail.test)" 0 "the SPF-fail sender gets no acknowledgement"
is "$(e2e_ctl case list | grep -c .)" 2 "its report opened a case all the same"

# --- a forged Authentication-Results claiming our authserv-id is removed
mail_file "$T/m3" "liar2@fail.test" "$LIST" "Another one" r3@fail.test \
	"Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=liar2@fail.test"
smtp 192.0.2.11 liar2@fail.test "$LIST" "$T/m3"
is "$rc" 0 "a report with a forged Authentication-Results is accepted"
check "the team gets its copy" wait_for "$E2E_TIMEOUT" sinks alice@team.test 3
team=$(ls -t $(sink_to alice@team.test) | head -1)
is "$(ar r3@fail.test)" "$AR spf=fail smtp.mailfrom=liar2@fail.test" \
	"the forged spf=pass is gone, only the milter's own result is left"
check "the queue drains" settle
is "$(sink_to_count liar2@fail.test)" 0 "and the forger gets no acknowledgement"

# --- SPF softfail, and none (no record): accepted and acknowledged
mail_file "$T/m4" "soft@softfail.test" "$LIST" "Softfail report" r4@softfail.test
smtp 192.0.2.12 soft@softfail.test "$LIST" "$T/m4"
is "$rc" 0 "a report from a softfail sender is accepted"
check "and acknowledged" wait_for "$E2E_TIMEOUT" sinks soft@softfail.test 1
is "$(ar r4@softfail.test)" "$AR spf=softfail smtp.mailfrom=soft@softfail.test" "tagged spf=softfail"
mail_file "$T/m5" "nobody@none.test" "$LIST" "No SPF here" r5@none.test
smtp 192.0.2.12 nobody@none.test "$LIST" "$T/m5"
is "$rc" 0 "a report from a domain without SPF is accepted"
check "and acknowledged" wait_for "$E2E_TIMEOUT" sinks nobody@none.test 1
is "$(ar r5@none.test)" "$AR spf=none smtp.mailfrom=nobody@none.test" "tagged spf=none"
check "the queue drains" settle

# --- a team member answers the reporter through the case address: with
# spf=pass the mail counts as the member's and reaches the reporter
mail_file "$T/m6" "alice@team.test" "security+SEC-2026-0001-reporter@example.org" \
	"Re: Heap overflow in the parser" a1@team.test
smtp 192.0.2.30 alice@team.test security+SEC-2026-0001-reporter@example.org "$T/m6"
is "$rc" 0 "a member's answer is accepted"
check "it reaches the reporter" wait_for "$E2E_TIMEOUT" sinks "$REP" 2
answer=$(ls -t $(sink_to "$REP") | head -1)
is "$(sink_sender "$answer")" "security+SEC-2026-0001-bounces@example.org" \
	"with the case's bounce address as envelope sender"
is "$(hdr "$answer" From | sed 's/.*<\(.*\)>.*/\1/')" "$LIST" "from the list address"
check "the queue drains" settle
# the same from a host team.test's SPF does not allow: not the member's
mail_file "$T/m7" "alice@team.test" "security+SEC-2026-0001-reporter@example.org" \
	"Re: Heap overflow in the parser" a2@team.test
smtp 192.0.2.10 alice@team.test security+SEC-2026-0001-reporter@example.org "$T/m7"
is "$rc" 0 "a forged member's answer is accepted (spf_fail = tag)"
check "the queue drains" settle
is "$(sink_to_count "$REP")" 2 "but it does not reach the reporter"

# --- size: max_message_size = 20000 for the list, refused at SMTP
BODY=$(head -c 30000 /dev/zero | tr '\0' 'x' | fold -w 72)
mail_file "$T/big" "$REP" "$LIST" "A big proof of concept" big@pass.test
smtp 192.0.2.13 "$REP" "$LIST" "$T/big"
check "an oversized report is refused with 552" grep -q -E '552[ -]5\.3\.4' "$T/swaks.out"
is "$rc" 26 "after its DATA"
mail_file "$T/big2" "$REP" postmaster@example.org "A big mail for the postmaster" big2@pass.test
smtp 192.0.2.13 "$REP" postmaster@example.org "$T/big2"
is "$rc" 0 "the same size for an address that is no list is accepted"
unset BODY
# a client that announces the size (ESMTP SIZE=) is refused before its DATA
smtp_raw() { # smtp_raw COMMAND...: one session from 127.0.0.1, replies in $T/raw.out
	exec 3<>/dev/tcp/127.0.0.1/$E2E_PORT
	: > "$T/raw.out"
	_reply() { while IFS= read -r -t 20 l <&3; do echo "$l" >> "$T/raw.out"
		case $l in [0-9][0-9][0-9]-*) ;; *) break ;; esac; done; }
	_reply
	for c in "$@"; do printf '%s\r\n' "$c" >&3; _reply; done
	exec 3<&-
}
smtp_raw "EHLO client.pass.test" "MAIL FROM:<$REP> SIZE=50000" "RCPT TO:<$LIST>" QUIT
check "a MAIL FROM with SIZE=50000 is refused with 552 at RCPT" grep -q -E '^552[ -]5\.3\.4' "$T/raw.out"
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 5 "the oversized report opened no case"

# --- rate: rate_limit = 3/600 per client address for the lists
for i in 1 2 3; do
	mail_file "$T/r$i" "rate$i@pass.test" "$LIST" "report $i" rate$i@pass.test
	smtp 192.0.2.20 "rate$i@pass.test" "$LIST" "$T/r$i"
	is "$rc" 0 "report $i of 3 from one client is accepted"
done
mail_file "$T/r4" "rate4@pass.test" "$LIST" "report 4" rate4@pass.test
smtp 192.0.2.20 rate4@pass.test "$LIST" "$T/r4"
check "the fourth is refused with 451 4.7.1" grep -q -E '451[ -]4\.7\.1' "$T/swaks.out"
mail_file "$T/r5" "rate5@pass.test" postmaster@example.org "not for the list" rate5@pass.test
smtp 192.0.2.20 rate5@pass.test postmaster@example.org "$T/r5"
is "$rc" 0 "mail from that client to an address that is no list still passes"
check "it reaches the postmaster" wait_for "$E2E_TIMEOUT" sinks postmaster@example.org 2
f=$(grep -l -F 'X-Mail-Args: <rate5@pass.test>' "$T"/sink/* | head -1)
is "$(grep -c -i -F "$AR" "${f:-/dev/null}")" 0 "untouched: no Authentication-Results of ours"
mail_file "$T/r6" "rate6@pass.test" "$LIST" "from elsewhere" rate6@pass.test
smtp 192.0.2.21 rate6@pass.test "$LIST" "$T/r6"
is "$rc" 0 "another client is not limited"
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 9 "three plus one reports opened cases, the refused one none"

# --- the milter is down: milter_default_action = tempfail
kill "$_e2e_milter_pid"
wait "$_e2e_milter_pid" 2>/dev/null
mail_file "$T/d1" "$REP" "$LIST" "while the milter is down" d1@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/d1"
check "a report while the milter is down gets a 4xx" grep -q -E '^<\*\* 4[0-9][0-9]' "$T/swaks.out"
_e2e_start_milter
# Its socket is there a moment before it answers (longer under the
# sanitizers), and Postfix answers 4xx meanwhile: the client tries again,
# as any SMTP client does after a 4xx, until accepted or refused for good.
# past_4xx SMTP-ARGS...: smtp, tried again while the answer is a 4xx
past_4xx() { smtp "$@"; [ "$rc" = 0 ] || ! smtp_reply | grep -qE '[ *]4[0-9]{2}[ -]'; }
wait_for "$E2E_TIMEOUT" past_4xx 192.0.2.10 "$REP" "$LIST" "$T/d1"
is "$rc" 0 "it is accepted once the milter is back"
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 10 "and opened its case"

# --- spf_fail = reject: 550 5.7.23 at RCPT
kill "$_e2e_milter_pid"
wait "$_e2e_milter_pid" 2>/dev/null
sed -i 's/^\[milter\]$/[milter]\nspf_fail = reject/' "$T/embargo.conf"
_e2e_start_milter
mail_file "$T/f1" "liar3@fail.test" "$LIST" "rejected" f1@fail.test
wait_for "$E2E_TIMEOUT" past_4xx 192.0.2.11 liar3@fail.test "$LIST" "$T/f1"
check "with spf_fail = reject an SPF-fail sender is refused with 550 5.7.23" \
	grep -q -E '550[ -]5\.7\.23' "$T/swaks.out"
mail_file "$T/f2" "$REP" "$LIST" "still welcome" f2@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/f2"
is "$rc" 0 "an SPF-pass sender still gets through"
check "the queue drains" settle

# --- a domain whose SPF records crash libspf2 (hostile.test: its
# explanation overruns a stack buffer in libspf2 1.2.10): temperror for that
# message, and the milter goes on
mail_file "$T/h1" "mallory@hostile.test" "$LIST" "crash your milter" h1@hostile.test
smtp 192.0.2.14 mallory@hostile.test "$LIST" "$T/h1"
is "$rc" 0 "a report from a domain whose SPF records crash libspf2 is accepted"
check "the milter is still running" kill -0 "$_e2e_milter_pid"
check "the queue drains" settle
is "$(ar h1@hostile.test)" "$AR spf=temperror smtp.mailfrom=mallory@hostile.test" "it is tagged spf=temperror"
check "the milter logs the crashed lookup" \
	grep -q 'SPF for <mallory@hostile.test> from 192.0.2.14: SPF lookup failed: its worker was killed by signal' "$T/milter.log"
mail_file "$T/h2" "$REP" "$LIST" "right after" h2@pass.test
smtp 192.0.2.14 "$REP" "$LIST" "$T/h2"
is "$rc" 0 "the next report from that client is accepted"
check "the queue drains" settle
is "$(ar h2@pass.test)" "$AR spf=pass smtp.mailfrom=$REP" "and judged as usual: spf=pass"

done_testing
