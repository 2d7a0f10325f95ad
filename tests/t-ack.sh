#!/bin/sh
# t-ack.sh - the acknowledgement rules (issue 2, plain-mail path, item 5, and
# DESIGN.md rule 4): who gets one and who never does, at most ack_limit per
# sender per week, and the policy's deadlines with dates, from EMBARGO_NOW.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-20T10:00:00Z   # a Friday

ncases() { ctl case list --json | jqr length; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
acks() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM outbox WHERE kind = 'ack'"; }
stored() { sqlite3 "$T/state/embargo.db" "SELECT kind || '|' || coalesce(case_id, '') FROM messages WHERE message_id = '$1'"; }
copies() { sent_to_count alice@example.org; }
# how many sent mails have ADDRESS among their recipients (the arguments after "--")
rcpt_count() { for _a in "$T"/sent/*.args.done; do sed '1,/^--$/d' "$_a" | grep -qx -- "$1" && echo; done | grep -c .; }
resetup() { [ -n "${KEEP:-}" ] || rm -rf "$T"; setup "$@"; members alice@example.org bob@example.org; }
n=0
# report SENDER FROM [HEADER...]: a new report with a fresh Message-ID and subject
report() {
	n=$((n + 1)); _s=$1; _f=$2; shift 2
	send "$_s" $LIST "$_f" "Problem number $n" "rep$n@example.net" "$@"
}

## a plain report is acknowledged, with the policy's deadlines
report jane@example.net 'Jane Doe <jane@example.net>'
C=$(lastcase)
ack=$(sent_to jane@example.net)
is "$(echo "$ack" | grep -c .)" 1 "a plain report gets an acknowledgement"
is "$(hdr "$ack" Date)" "Fri, 20 Nov 2026 10:00:00 +0000" "the acknowledgement's Date is EMBARGO_NOW"
is "$(show $C | jqr .created_at)" 2026-11-20T10:00:00Z "the case's created_at is EMBARGO_NOW"
is "$(show $C | jqr '.messages[0].date')" 2026-11-20T10:00:00Z "the message's date is EMBARGO_NOW"
check "the ack names the policy" grep -q "What happens next (CNCF policy)" "$ack"
check "cncf, 3 business days from Friday 20 Nov: by Wed 25 Nov 2026" \
	grep -q '^  - feedback on your report with a plan by Wed 25 Nov 2026$' "$ack"
check "the ack carries the policy's own text" grep -q "reason, in writing" "$ack"
check "the ack asks to keep the case tag" grep -q "\[$C\] in the subject" "$ack"
check "the team's summary shows the same deadline" grep -q "^Next deadline:  .*due Wed 25 Nov 2026" "$(sent_to alice@example.org)"
is "$(hdr "$(sent_to alice@example.org)" Date)" "Fri, 20 Nov 2026 10:00:00 +0000" "the team copy's Date is EMBARGO_NOW too"

## the acknowledgement goes to the envelope sender, not the From address
report bounce-handler@mail.example.net 'Xavier <xavier@example.com>'
is "$(sent_to_count bounce-handler@mail.example.net)" 1 "the ack goes to the envelope sender"
is "$(sent_to_count xavier@example.com)" 0 "... not to the From address"

## automatic mail: never acknowledged; an auto-reply is stored on no case,
## other automatic mail is held back: a held item, no case (t-held.sh)
for h in 'Auto-Submitted: auto-replied' 'Auto-Submitted: Auto-Replied (vacation)' 'X-Autoreply: yes'; do
	a=$(acks); c=$(ncases); k=$(copies)
	s=auto$((n + 1))@example.net
	report $s $s "$h"
	is "$(acks)" "$a" "no acknowledgement to mail with '$h'"
	is "$(sent_to_count $s)" 0 "... nothing at all goes to its sender"
	is "$(stored rep$n@example.net)" "autoreply|" "... it is stored as an auto-reply"
	is "$(ncases)/$(copies)" "$c/$k" "... and opens no case and copies nobody"
done
for h in 'Auto-Submitted: auto-generated' 'Auto-Submitted: auto-notified; owner-email="x@example.net"' \
	'Precedence: bulk' 'Precedence: list' 'Precedence: junk' 'Precedence: Bulk' 'List-Id: Some list <some.example.net>'; do
	a=$(acks); c=$(ncases); k=$(copies)
	s=auto$((n + 1))@example.net
	report $s $s "$h"
	is "$(acks)" "$a" "no acknowledgement to mail with '$h'"
	is "$(sent_to_count $s)" 0 "... nothing at all goes to its sender"
	is "$(ncases)/$(copies)" "$c/$k" "... no case, no team copy"
	is "$(ctl held list --json | jqr '.[-1] | .from + "|" + .why')" "$s|automatic ($(echo "$h" | sed -e 's/^Auto-Submitted:.*/Auto-Submitted/' -e 's/^List-Id:.*/List-Id/' -e 's/^Precedence: B/Precedence: b/'))" \
		"... a held item, with the marker it carried"
done

## "Auto-Submitted: no" and other Precedence values are mail from a person
for h in 'Auto-Submitted: no' 'Auto-Submitted: No (a person wrote this)' 'Precedence: first-class'; do
	c=$(ncases)
	s=person$((n + 1))@example.net
	report $s $s "$h"
	is "$(sent_to_count $s)" 1 "'$h' gets an acknowledgement"
	is "$(ncases)" $((c + 1)) "... and opens a case"
done

# suppressed ACK-SENDER DESCRIPTION: the last report opened a case, was copied to
# the team, and got no acknowledgement (with an ack-suppressed event)
suppressed() {
	is "$(stored rep$n@example.net)" "report|$(lastcase)" "$2: a case is opened"
	is "$(copies)" $((k + 1)) "$2: the team gets its copy"
	is "$(acks)" "$a" "$2: no acknowledgement"
	is "$(rcpt_count "$1")" 0 "$2: nothing goes to $1"
	is "$(show "$(lastcase)" | jqr '[.events[] | select(.what == "ack-suppressed")] | length')" 1 "$2: the event log says why"
}

## X-Auto-Response-Suppress
for h in 'X-Auto-Response-Suppress: All' 'X-Auto-Response-Suppress: OOF, AutoReply'; do
	a=$(acks); k=$(copies)
	s=sup$((n + 1))@example.net
	report $s $s "$h"
	suppressed $s "$h"
done

## role senders
for s in postmaster@example.net mailer-daemon@example.net foo-bounces@example.net noreply@example.net \
	owner-x@example.net x-request@example.net no-reply@example.net Postmaster@Example.NET; do
	a=$(acks); k=$(copies)
	report "$s" 'Someone <someone@example.net>'
	suppressed "$(echo "$s" | tr A-Z a-z)" "role sender $s"
done
a=$(acks); c=$(ncases); k=$(copies)
report MAILER-DAEMON 'Mail Delivery System <MAILER-DAEMON@mx.example.net>'
is "$(stored rep$n@example.net)" "bounce|" "envelope sender MAILER-DAEMON: a bounce"
is "$(acks)/$(ncases)/$(copies)" "$a/$c/$k" "... no ack, no case, no copy"

## our own list address as the sender
for s in security@example.org Security@Example.ORG "security+$C@example.org"; do
	a=$(acks); k=$(copies)
	report "$s" 'Jane Doe <jane@example.net>'
	suppressed "$(echo "$s" | tr A-Z a-z)" "our own address $s as sender"
	is "$(sent_to_count jane@example.net)" 1 "... and the From address gets nothing either"
done

## at most ack_limit (3) per sender per 7 days
a=$(acks); c=$(ncases); k=$(copies)
for i in 1 2 3 4; do report sam@example.net 'Sam <sam@example.net>'; done
is "$(ncases)" $((c + 4)) "four reports from one sender: four cases"
is "$(copies)" $((k + 4)) "... four team copies"
is "$(sent_to_count sam@example.net)" 3 "... three acknowledgements"
is "$(show "$(lastcase)" | jqr '[.events[] | select(.what == "ack-suppressed")] | length')" 1 "the fourth case records the suppressed ack"
report SAM@Example.NET 'Sam <sam@example.net>'
is "$(sent_to_count sam@example.net)" 3 "the same sender in other letter case is still over the limit"
report tom@example.net 'Tom <tom@example.net>'
is "$(sent_to_count tom@example.net)" 1 "the limit is per sender: another sender is acknowledged"
EMBARGO_NOW=2026-11-26T10:00:00Z report sam@example.net 'Sam <sam@example.net>'
is "$(sent_to_count sam@example.net)" 3 "six days later sam is still over the limit"
EMBARGO_NOW=2026-11-27T10:00:01Z report sam@example.net 'Sam <sam@example.net>'
is "$(sent_to_count sam@example.net)" 4 "seven days later sam is acknowledged again"

## ack_limit = 1 in the list section
resetup 'ack_limit = 1'
report lim@example.net 'lim@example.net'
report lim@example.net 'lim@example.net'
is "$(ncases)" 2 "ack_limit = 1: two reports, two cases"
is "$(sent_to_count lim@example.net)" 1 "ack_limit = 1: one acknowledgement"
is "$(copies)" 2 "ack_limit = 1: both copied to the team"

## ack_limit = 0: never
resetup 'ack_limit = 0'
report zero@example.net 'zero@example.net'
is "$(ncases)/$(copies)" 1/1 "ack_limit = 0: the report opens a case and is copied"
is "$(sent_to_count zero@example.net)" 0 "ack_limit = 0: no acknowledgement"

## the limit counts the person, not the spelling: +extensions and letter case are one sender
resetup
for s in pat+1@example.net Pat+2@Example.NET pat@example.net PAT+x@example.net pat+y.z@example.net; do
	report "$s" 'Pat <pat@example.net>'
done
# every mail that went to pat, whatever the extension or letter case
pat_mails() { for _a in "$T"/sent/*.args.done; do sed '1,/^--$/d' "$_a" | grep -qix 'pat\(+[^@]*\)\?@example\.net' && echo x; done | grep -c .; }
is "$(ncases)/$(copies)" 5/5 "five reports from pat under four spellings: five cases, five team copies"
is "$(pat_mails)" 3 "... but three acknowledgements in all (ack_limit counts pat, not pat+1)"
suppressed_why() { show "$(lastcase)" | jqr '.events[] | select(.what == "ack-suppressed") | .detail'; }
ok "$(suppressed_why | grep -q 'pat@example.net already got 3' && echo 1)" \
	"... the suppressed ones name the address without extension ($(suppressed_why))"

## autoreply_global_limit: at most this many automatic replies per hour, all senders together
resetup
sed -i 's/^\[embargo\]$/[embargo]\nautoreply_global_limit = 4/' "$T/embargo.conf"
for i in 1 2 3 4 5 6; do report g$i@example.net "g$i@example.net"; done
is "$(ncases)/$(copies)" 6/6 "six reports from six senders: six cases, six team copies"
is "$(acks)" 4 "... four acknowledgements: the global limit holds the rest back"
is "$(sent_to_count g5@example.net)$(sent_to_count g6@example.net)" 00 "... the fifth and sixth sender get nothing"
ok "$(suppressed_why | grep -q autoreply_global_limit && echo 1)" "... and the case says why ($(suppressed_why))"
EMBARGO_NOW=2026-11-20T11:00:01Z report g7@example.net 'g7@example.net'
is "$(sent_to_count g7@example.net)" 1 "an hour later the next sender is acknowledged again"

## a report that was never parsed is never acknowledged: whether it is automatic is unknown
resetup
{ printf 'From: Nora <nora@example.net>\nTo: %s\nSubject: deep\nMessage-ID: <deep@example.net>\nCc: ' "$LIST"
  awk 'BEGIN { for (i = 0; i < 200; i++) printf "a:" }'; printf '\n\nbody\n'; } > "$T/deep.eml"
mda nora@example.net $LIST < "$T/deep.eml"
is "$rc/$(ncases)/$(copies)" 0/1/1 "an unparsed report is stored, opens a case and reaches the team"
is "$(sent_to_count nora@example.net)" 0 "... and gets no acknowledgement"

## a calendar-day policy: codegate's deadlines, computed from its preset file
resetup 'policy = codegate'
report cg@example.net 'cg@example.net'
ack=$(sent_to cg@example.net)
check "the ack names the codegate policy" grep -q "What happens next (CodeGate policy)" "$ack"
# "promise|days|unit|from" of each deadline of the preset, in file order
awk '
	function out() { if (name != "") print promise "|" days "|" unit "|" from }
	/^\[deadline / { out(); name = $2; promise = ""; days = ""; unit = "calendar"; from = ""; next }
	/^\[/ { out(); name = ""; next }
	name != "" && /^(promise|days|unit|from) *=/ {
		k = $0; sub(/ *=.*/, "", k); v = $0; sub(/^[^=]*= */, "", v); sub(/ +$/, "", v)
		if (k == "promise") promise = v; else if (k == "days") days = v
		else if (k == "unit") unit = v; else from = v }
	END { out() }' "$top_srcdir/contrib/policies/codegate.conf" > "$T/deadlines"
first=$(grep '|received$' "$T/deadlines" | head -1)
promise=$(echo "$first" | cut -d'|' -f1)
is "$(echo "$first" | cut -d'|' -f3)" calendar "codegate's first deadline is in calendar days"
due=$(LC_ALL=C date -u -d "2026-11-20 10:00:00 UTC + $(echo "$first" | cut -d'|' -f2) days" '+%a %d %b %Y')
is "$due" "Sat 21 Nov 2026" "(the test computes 1 calendar day from Fri 20 Nov)"
check "codegate's first deadline: '$promise' by $due" grep -qxF "  - $promise by $due" "$ack"
: > "$T/later"
grep '|received$' "$T/deadlines" | tail -n +2 | while IFS='|' read -r promise days unit from; do
	due=$(LC_ALL=C date -u -d "2026-11-20 10:00:00 UTC + $days days" '+%a %d %b %Y')
	echo "$promise by $due" >> "$T/later"
done
check "codegate's later deadlines from receipt are listed with their dates" \
	sh -c "[ -s '$T/later' ] && while read -r l; do grep -qF \"  - \$l\" '$ack' || exit 1; done < '$T/later'"
# "a retrospective is held 1 to 3 days after the release": a deadline that
# runs from an event still to come is promised as a span after it
grep -v '|received$' "$T/deadlines" > "$T/after"
check "codegate has a deadline that runs from the release" grep -q '|released$' "$T/after"
check "each later deadline is promised as 'N days after the release'" \
	sh -c "while IFS='|' read -r p d u f; do grep -qxF \"  - \$p within \$d days after the release\" '$ack' || exit 1; done < '$T/after'"
check "the retrospective is promised 3 days after the release" \
	grep -qxF '  - a retrospective on how the report was handled within 3 days after the release' "$ack"
is "$(grep -c '^  - ' "$ack")" "$(grep -c . "$T/deadlines")" "every deadline of the policy is listed"
check "the team summary shows the first deadline" grep -qxF "Next deadline:  $promise, due $due" "$(sent_to alice@example.org)"

## the other presets: every deadline runs from receipt, so their acks list
## the same dated lines as before and no span after a later event
for pre in cncf osm signalen spinnaker; do
	resetup "policy = $pre"
	report "$pre@example.net" "$pre@example.net"
	a=$(sent_to "$pre@example.net")
	is "$(grep -c '^  - .* by [A-Z][a-z][a-z] [0-9][0-9] [A-Z][a-z][a-z] 2026$' "$a")/$(grep -c '^  - .* after ' "$a")" \
		"$(grep -c '^\[deadline ' "$top_srcdir/contrib/policies/$pre.conf")/0" "$pre: each deadline dated, none after a later event"
done

## business days skip the configured holidays, in the configured time zone
resetup
sed -i 's/^\[embargo\]$/[embargo]\nholidays = 2026-11-24/' "$T/embargo.conf"
report hol@example.net 'hol@example.net'
check "a holiday on Tuesday moves the cncf deadline to Thu 26 Nov 2026" \
	grep -q '^  - feedback on your report with a plan by Thu 26 Nov 2026$' "$(sent_to hol@example.net)"
resetup
sed -i 's|^\[embargo\]$|[embargo]\ntimezone = America/Los_Angeles|' "$T/embargo.conf"
# Monday 05:00 UTC is still Sunday evening in Los Angeles
EMBARGO_NOW=2026-11-23T05:00:00Z report tz@example.net 'tz@example.net'
check "business days count in the list's time zone (Sun 22 Nov in LA: by Wed 25 Nov 2026)" \
	grep -q '^  - feedback on your report with a plan by Wed 25 Nov 2026$' "$(sent_to tz@example.net)"

done_testing
