#!/bin/sh
# t-authres.sh - embargo-mda and embargo-milter's Authentication-Results
# (issue 4): only fields with [milter] authserv_id are believed; spf=fail
# means no acknowledgement (the case is still opened and the team copied);
# a member counts as one only with a trusted proof: spf=pass for their own
# envelope sender, dmarc=pass for their From domain, or a dkim=pass aligned
# with it. With a [milter] section ([milter] required, the default) mail
# without a trusted field is a stranger's; only with required = no (no
# milter runs) does the old rule hold (From == envelope sender == a member).
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
member_mail "no Authentication-Results at all, [milter] required: a stranger" followup
check "... and the log says why" grep -q "From alice@example.org is a member's address, but no trusted Authentication-Results proves it" "$T/mda.err"
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
member_mail "a foreign field alone is ignored: a stranger" followup \
	"Authentication-Results: other.example; spf=pass smtp.mailfrom=alice@example.org"
member_mail "another authserv-id's dmarc=pass is ignored: a stranger" followup \
	"Authentication-Results: other.example; dmarc=pass header.from=example.org"

## DKIM and DMARC: a member whose mail was forwarded (SPF fails for the
## forwarder's envelope sender) is still recognised by a trusted pass for
## the From domain; a From that merely equals a forged envelope is not
fwd_mail() { # fwd_mail DESCRIPTION EXPECTED-KIND [HEADER...]: alice's mail via a forwarder
	_d=$1; _want=$2; shift 2
	n=$((n + 1))
	send alice.fwd@forwarder.example "$TEAMADDR" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org" "$@"
	is "$rc/$(stored m$n@example.org)" "0/$_want|$C" "$_d"
}
fwd_mail "forwarded, spf=fail for the forwarder, dmarc=pass for example.org: a member" discussion \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice.fwd@forwarder.example" \
	"Authentication-Results: $ID; dmarc=pass (p=reject dis=none) header.from=example.org"
check "... and the log names the proof" grep -q "From alice@example.org: a member (proof: dmarc)" "$T/mda.err"
fwd_mail "forwarded, dkim=pass with header.d the From domain: a member" discussion \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice.fwd@forwarder.example" \
	"Authentication-Results: $ID; dkim=pass (2048-bit key) header.d=Example.ORG. header.i=@example.org header.b=abc"
fwd_mail "dkim=pass and spf=pass in one field: a member" discussion \
	"Authentication-Results: $ID; spf=softfail smtp.mailfrom=alice.fwd@forwarder.example; dkim=pass header.d=example.org"
fwd_mail "dkim=pass by a subdomain of the From domain: a stranger" followup \
	"Authentication-Results: $ID; dkim=pass header.d=lists.example.org"
fwd_mail "dkim=pass by another domain (the forwarder's): a stranger" followup \
	"Authentication-Results: $ID; dkim=pass header.d=forwarder.example"
fwd_mail "dkim=pass by a domain that only ends like the From domain: a stranger" followup \
	"Authentication-Results: $ID; dkim=pass header.d=badexample.org"
fwd_mail "dkim=pass by a top-level domain: a stranger" followup \
	"Authentication-Results: $ID; dkim=pass header.d=org"
fwd_mail "dkim=fail for the From domain: a stranger" followup \
	"Authentication-Results: $ID; dkim=fail header.d=example.org"
fwd_mail "dmarc=pass for another domain: a stranger" followup \
	"Authentication-Results: $ID; dmarc=pass header.from=forwarder.example"
fwd_mail "dmarc=fail for the From domain: a stranger" followup \
	"Authentication-Results: $ID; dmarc=fail header.from=example.org"
fwd_mail "dmarc=pass only inside a comment: a stranger" followup \
	"Authentication-Results: $ID (dmarc=pass header.from=example.org); spf=fail smtp.mailfrom=alice.fwd@forwarder.example"
fwd_mail "a dkim=pass of another authserv-id: a stranger" followup \
	"Authentication-Results: other.example; dkim=pass header.d=example.org"
members carol@mail.example.org
n=$((n + 1))
send carol.fwd@forwarder.example "$TEAMADDR" 'Carol <carol@mail.example.org>' "Re: [$C] Problem" "m$n@example.org" \
	"Authentication-Results: $ID; dkim=pass header.d=example.org"
is "$(stored m$n@example.org)" "discussion|$C" "dkim=pass by example.org for From carol@mail.example.org: a member"
n=$((n + 1))
BODY='#status triaged' send alice.fwd@forwarder.example "$TEAMADDR" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org" \
	"Authentication-Results: $ID; spf=pass smtp.mailfrom=alice.fwd@forwarder.example"
is "$(stored m$n@example.org)" "followup|$C" "spf=pass for another envelope sender, no dkim or dmarc: a stranger"
is "$(show "$C" | jqr .stage)" received "... whose command is not applied"
n=$((n + 1))
send alice@example.org "security+$C-reporter@example.org" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org" \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@example.org"
is "$(stored m$n@example.org)" "followup|$C" "a forged member cannot answer the reporter"
is "$(sent_to_count jane@example.net)" 1 "... nothing reaches the reporter beyond the ack"

## without [milter] authserv_id, no field is believed
resetup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; setup "$@"; members alice@example.org bob@example.org; }
resetup
report plain@example.net
C=$(lastcase)
TEAMADDR="security+$C@example.org"
member_mail "no [milter] section (nothing required), no field: the old rule, a member" discussion
n=$((n + 1))
send mallory@example.net "$TEAMADDR" 'Alice <alice@example.org>' "Re: [$C] Problem" "m$n@example.org"
is "$(stored m$n@example.org)" "followup|$C" "... the envelope sender must still be the From address"
a=$(acks)
report untrusted@example.net "Authentication-Results: $ID; spf=fail smtp.mailfrom=untrusted@example.net"
is "$(acks)" $((a + 1)) "no authserv_id configured: spf=fail is not believed, the ack goes out"
check "... and the summary says SPF was not checked" grep -qxF "SPF:            not checked" "$(latest_copy)"

## [milter] required = no: the old rule without a field, proof with one
resetup
printf '\n[milter]\nauthserv_id = %s\nrequired = no\n' "$ID" >> "$T/embargo.conf"
report plain@example.net
C=$(lastcase)
TEAMADDR="security+$C@example.org"
member_mail "required = no, no field: the old rule, a member" discussion
member_mail "required = no, a trusted spf=fail: a stranger" followup \
	"Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@example.org"

## [milter] without authserv_id: required, and nothing is trusted
resetup
printf '\n[milter]\nsocket = unix:/run/embargo/milter.sock\n' >> "$T/embargo.conf"
report plain@example.net
C=$(lastcase)
TEAMADDR="security+$C@example.org"
member_mail "a [milter] section without authserv_id: no member at all" followup \
	"Authentication-Results: $(hostname); spf=pass smtp.mailfrom=alice@example.org"
check "... and the log says why" grep -q "\[milter\] authserv_id is not set, so no Authentication-Results is trusted" "$T/mda.err"

done_testing
