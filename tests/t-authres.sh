#!/bin/sh
# t-authres.sh - embargo-mda and embargo-milter's Authentication-Results
# (issue 4): only fields with [milter] authserv_id are believed; spf=fail
# means no acknowledgement (the case is still opened and the team copied);
# a member counts as one only when the milter saw SPF pass for their
# envelope sender; without any trusted field the old rule holds (From ==
# envelope sender == a member), so that mail without the milter still works.
. "$top_srcdir/tests/lib.sh"
setup
printf '\n[milter]\nauthserv_id = mx.example.org   # what embargo-milter writes\n' >> "$T/embargo.conf"
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
ID=mx.example.org

ncases() { ctl case list --json | jqr length; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
acks() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM outbox WHERE kind = 'ack'"; }
copies() { sent_to_count alice@example.org; }
stored() { sqlite3 "$T/state/embargo.db" "SELECT kind || '|' || coalesce(case_id, '') FROM messages WHERE message_id = '$1'"; }
events() { show "$1" | jqr "[.events[] | select(.what == \"$2\") | .detail] | join(\"|\")"; }
latest_copy() { ls -t $(sent_to alice@example.org) | head -1; }
n=0
# report SENDER [HEADER...]: a new report from SENDER (also its From)
report() {
	n=$((n + 1)); _s=$1; shift
	send "$_s" $LIST "$_s" "Problem number $n" "rep$n@example.net" "$@"
}

## spf=fail from our milter: no acknowledgement, but a case and a team copy
a=$(acks); k=$(copies)
report mallory@example.net "Authentication-Results: $ID; spf=fail smtp.mailfrom=mallory@example.net"
C=$(lastcase)
is "$rc" 0 "spf=fail: exit 0"
is "$(stored rep$n@example.net)" "report|$C" "spf=fail: the case is opened"
is "$(copies)" $((k + 1)) "spf=fail: the team gets its copy"
is "$(acks)" "$a" "spf=fail: no acknowledgement"
is "$(sent_to_count mallory@example.net)" 0 "spf=fail: nothing goes to the sender"
is "$(events "$C" ack-suppressed)" "SPF fail: the sender address may be forged" "spf=fail: the event log says why"
check "spf=fail: the team's summary shows it" \
	grep -qxF "SPF:            fail (smtp.mailfrom=mallory@example.net, from our milter)" "$(latest_copy)"

## spf=pass, softfail, none, temperror: acknowledged as usual
for r in pass softfail neutral none temperror permerror; do
	a=$(acks)
	report "s$r@example.net" "Authentication-Results: $ID; spf=$r smtp.mailfrom=s$r@example.net"
	is "$(acks)" $((a + 1)) "spf=$r: acknowledged"
	check "spf=$r: shown in the summary" grep -qxF "SPF:            $r (smtp.mailfrom=s$r@example.net, from our milter)" "$(latest_copy)"
done

## a null sender's HELO identity is shown as such
BODY='x' send '' $LIST 'MAILER-DAEMON@mx.example.net' 'Undelivered Mail' "bnc$n@example.net" \
	"Authentication-Results: $ID; spf=pass smtp.helo=mx.example.net"
is "$rc" 0 "null sender with an smtp.helo field: stored"

## our authserv-id in any letter case is ours; other ids are ignored
a=$(acks)
report upper@example.net "Authentication-Results: MX.Example.ORG; spf=fail smtp.mailfrom=upper@example.net"
is "$(acks)" "$a" "our authserv-id in upper case is trusted (spf=fail: no ack)"
for other in other.example "sub.$ID" "$ID.evil.example"; do
	a=$(acks)
	report "f$n@example.net" "Authentication-Results: $other; spf=fail smtp.mailfrom=f$n@example.net"
	is "$(acks)" $((a + 1)) "a field of $other is ignored: acknowledged"
	check "... the summary says SPF was not checked" grep -qxF "SPF:            not checked" "$(latest_copy)"
done

a=$(acks)
report enc@example.net "Authentication-Results: =?utf-8?q?mx.example.org?=; spf=fail smtp.mailfrom=enc@example.net"
is "$(acks)" $((a + 1)) "an encoded word that decodes to our authserv-id is not ours (the milter did not remove it)"
a=$(acks)
report folded@example.net "Authentication-Results: $ID (comment);" "	spf=fail (folded)" "	smtp.mailfrom=folded@example.net"
is "$(acks)" "$a" "a folded field of ours with comments is read"

## the topmost field of ours counts (the milter adds its own on top and removes the rest)
a=$(acks)
report top@example.net "Authentication-Results: $ID; spf=fail smtp.mailfrom=top@example.net" \
	"Authentication-Results: $ID; spf=pass smtp.mailfrom=top@example.net"
is "$(acks)" "$a" "two fields of ours: the topmost (fail) counts"
a=$(acks)
report foreignfirst@example.net "Authentication-Results: other.example; spf=pass smtp.mailfrom=foreignfirst@example.net" \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=foreignfirst@example.net"
is "$(acks)" "$a" "a foreign field above ours does not hide ours"
a=$(acks)
report odd@example.net "Authentication-Results: $ID; spf=maybe smtp.mailfrom=odd@example.net"
is "$(acks)" $((a + 1)) "an unknown result token is ignored"

## members: with a trusted field, only spf=pass for their own envelope sender makes them one
report jane@example.net
C=$(lastcase)
TEAMADDR="security+$C@example.org"
member_mail() { # member_mail DESCRIPTION EXPECTED-KIND [HEADER...]
	_d=$1; _want=$2; shift 2
	n=$((n + 1))
	send alice@example.org "$TEAMADDR" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org" "$@"
	is "$rc/$(stored m$n@example.org)" "0/$_want|$C" "$_d"
}
member_mail "no Authentication-Results at all: the old rule, a member" discussion
member_mail "spf=pass for the member's envelope sender: a member" discussion \
	"Authentication-Results: $ID; spf=pass smtp.mailfrom=alice@example.org"
member_mail "spf=pass for another envelope sender: not a member" followup \
	"Authentication-Results: $ID; spf=pass smtp.mailfrom=mallory@example.net"
member_mail "spf=fail: the forged member is not a member" followup \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@example.org"
member_mail "spf=none: not a member" followup \
	"Authentication-Results: $ID; spf=none smtp.mailfrom=alice@example.org"
member_mail "spf=softfail: not a member" followup \
	"Authentication-Results: $ID; spf=softfail smtp.mailfrom=alice@example.org"
member_mail "a foreign spf=pass does not make a member of a trusted spf=fail" followup \
	"Authentication-Results: other.example; spf=pass smtp.mailfrom=alice@example.org" \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@example.org"
member_mail "a foreign field alone: the old rule" discussion \
	"Authentication-Results: other.example; spf=fail smtp.mailfrom=alice@example.org"
n=$((n + 1))
send alice@example.org "security+$C-reporter@example.org" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org" \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@example.org"
is "$(stored m$n@example.org)" "followup|$C" "a forged member cannot answer the reporter"
is "$(sent_to_count jane@example.net)" 1 "... nothing reaches the reporter beyond the ack"

## without [milter] authserv_id, no field is believed
resetup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; setup "$@"; members alice@example.org bob@example.org; }
resetup
a=$(acks)
report untrusted@example.net "Authentication-Results: $ID; spf=fail smtp.mailfrom=untrusted@example.net"
is "$(acks)" $((a + 1)) "no authserv_id configured: spf=fail is not believed, the ack goes out"
check "... and the summary says SPF was not checked" grep -qxF "SPF:            not checked" "$(latest_copy)"

done_testing
