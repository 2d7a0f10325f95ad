#!/bin/sh
# t-commands.sh - a member's command lines through the real embargo-mda:
# each command applied and logged, one confirmation to the team, the lines
# taken out of what is passed on, and every bad command refused with its
# reason while changing nothing (issue 5, "Commands in a member's mail").
. "$top_srcdir/tests/lib.sh"
setup 'prerelease.distributors = dist@example.com'
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org
DB=$T/state/embargo.db

field() { show "$C" | jqr "$1"; }
q() { sqlite3 "$DB" "$1"; }
# cmd FROM MESSAGE-ID BODY [RECIPIENT]: a member's mail to the case's team address
cmd() {
	BODY=$3 send "$1" "${4:-security+$C@$DOM}" "$1" "Re: [$C] Heap overflow" "$2"
}
confirm() { fresh_to alice@example.org | xargs grep -l 'Commands from' 2>/dev/null | head -1; }

send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Heap overflow in the parser' r1@example.net
C=SEC-2026-0001
is "$(field .stage)" received "a new case starts in the first stage"

## a stage the policy does not allow yet
mark
cmd alice@example.org c0@example.org "#status fixing"
is "$(field .stage)" received "a stage whose requirements are missing is refused"
check "the refusal names what is missing and where" \
	grep -q "the CNCF policy wants cvss set before stage triaged" "$(confirm)"

## fields, then the stage, in one mail and in any order
mark
cmd alice@example.org c1@example.org "#status triaged
#cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
#severity high

I looked at it: the length check is missing in parse_chunk()."
is "$rc" 0 "commands: exit 0"
is "$(field .stage)" triaged "#status triaged applied after #cvss (cncf wants a CVSS score first)"
is "$(field .severity)" high "#severity high applied"
is "$(field .cvss.vector)" "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" "#cvss stores the vector"
is "$(field .cvss.score)" 9.8 "#cvss computes the base score"
is "$(field .cvss.rating)" Critical "#cvss computes the rating"
conf=$(confirm)
is "$(echo "$conf" | grep -c .)" 1 "one confirmation mail"
is "$(rcpts "$conf")" "alice@example.org,bob@example.org" "the confirmation goes to the whole team, the writer included"
check "the confirmation lists the stage change" grep -q 'stage: received -> triaged' "$conf"
check "the confirmation lists the score" grep -q '9.8 (Critical)' "$conf"
check "the confirmation is tagged with the case" grep -q "^Subject: \[$C\] Commands: 3 applied, 0 refused" "$conf"
copy=$(fresh_to bob@example.org | xargs grep -L 'Commands from' | head -1)
check "the discussion still reaches the other member" grep -q 'length check is missing' "$copy"
check "the command lines are taken out of the copy" sh -c "! grep -q '^#status' '$copy' && ! grep -q '^#cvss' '$copy'"
is "$(q "SELECT count(*) FROM events WHERE case_id = '$C' AND what IN ('status', 'cvss', 'severity')")" 3 \
	"each command is in the event log"
is "$(q "SELECT actor || '|' || detail || '|' || (message IS NOT NULL) FROM events WHERE case_id = '$C' AND what = 'status'")" \
	"alice@example.org|#status triaged|1" "the event names who, what and the message"

## a mail that is nothing but commands is not copied to the team
mark
cmd bob@example.org c2@example.org "#cve CVE-2026-12345 CVE-2026-0042
#assign alice@example.org
#embargo 2026-12-15
#affected 1.0 to 1.4.2
#fixed-in 1.4.3
#credit Jane Doe
#summary A heap overflow in the chunk parser allows remote code execution."
is "$(fresh_count)" 1 "only commands: the confirmation, and no team copy"
is "$(field '.cves | join(",")')" "CVE-2026-12345,CVE-2026-0042" "#cve takes several ids"
is "$(field .assignee)" alice@example.org "#assign names the handler"
is "$(field .embargo_until)" 2026-12-15 "#embargo sets the disclosure date"
is "$(field .affected)" "1.0 to 1.4.2" "#affected"
is "$(field .fixed_in)" 1.4.3 "#fixed-in"
is "$(field .credit)" "Jane Doe" "#credit"
is "$(field .summary)" "A heap overflow in the chunk parser allows remote code execution." "#summary"

## bad commands: each refused with its reason, nothing changed
before=$(show "$C" | jq -c '{stage, severity, cvss, cves, assignee, embargo_until}')
mark
cmd alice@example.org c3@example.org "#status shipped
#severity huge
#cvss CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
#cve CVE-2026-123
#cve CVE-26-1234
#cve CVE-2026-012345
#assign mallory@example.net
#embargo 2026-02-30
#embargo 2020-01-01
#reject
#urgent
#close maybe
#close rejected
#duplicate SEC-2026-0001
#duplicate SEC-2026-0999
#notify press
#status closed
#frobnicate now"
is "$rc" 0 "bad commands: exit 0 (the mail is stored)"
after=$(show "$C" | jq -c '{stage, severity, cvss, cves, assignee, embargo_until}')
is "$after" "$before" "bad commands change nothing"
conf=$(confirm)
check "refusals are confirmed to the team" grep -q 'Commands: 0 applied, 18 refused' "$conf"
for why in "'shipped' is not a stage of the CNCF policy" "'huge' is not a severity" \
	"not a valid CVSS vector" "'CVE-2026-123' is not a CVE id" "'CVE-26-1234' is not a CVE id" \
	"numbers longer than 4 digits have no leading zero" "mallory@example.net is not a member" \
	"'2026-02-30' is not a date" "2020-01-01 is in the past" "needs a written reason" \
	"#urgent: needs a reason" "'maybe' is not a way to close" "a rejection needs a written reason" \
	"a case cannot duplicate itself" "there is no case SEC-2026-0999" "no pre-release list 'press'" \
	"a case is closed with #close" "#frobnicate now: unknown command"; do
	check "refused: $why" grep -qF -- "$why" "$conf"
done
is "$(q "SELECT count(*) FROM events WHERE message = (SELECT id FROM messages WHERE message_id = 'c3@example.org') AND what = 'command-refused'")" 18 \
	"each refusal is in the event log"

## an answer to the reporter: commands applied, taken out, first answer recorded
mark
cmd bob@example.org a1@example.org "#status fixing

Thank you, we have confirmed the problem and are preparing a fix." "security+$C-reporter@$DOM"
is "$(field .stage)" fixing "a command in an answer to the reporter is applied"
ans=$(fresh_to jane@example.net)
is "$(echo "$ans" | grep -c .)" 1 "the answer reaches the reporter"
check "the reporter does not see the command" sh -c "! grep -q '#status' '$ans'"
check "the reporter gets the text" grep -q 'preparing a fix' "$ans"
is "$(show $C | jqr '.first_answer_at != null')" true "the first human answer is recorded"

## text after a blank line, and #words that are no commands, stay
mark
cmd alice@example.org c5@example.org "#include <stdio.h>
int main(void) { return 0; }"
is "$(q "SELECT count(*) FROM events WHERE message = (SELECT id FROM messages WHERE message_id = 'c5@example.org') AND what LIKE 'command%'")" 0 \
	"a mail opening with #include holds no commands"
check "and its code reaches the team whole" grep -q '#include <stdio.h>' "$(fresh_to bob@example.org)"
mark
cmd alice@example.org c6@example.org "Let us discuss.

#status released"
is "$(field .stage)" fixing "a command below the first text line is not a command"

## a non-member's command lines change nothing; the sender is told why
mark
BODY="#status closed
#severity none
please close this" send mallory@example.net "security+$C@$DOM" mallory@example.net "Re: [$C] x" o1@example.net
is "$(field .stage)" fixing "a non-member's #status changes nothing"
is "$(field .severity)" high "a non-member's #severity changes nothing"
n=$(fresh_to mallory@example.net)
check "the non-member is told the commands were not applied" grep -q 'were not applied' "$n"
check "the team still gets the mail, commands and all" grep -q '#status closed' "$(fresh_to alice@example.org)"
is "$(q "SELECT count(*) FROM events WHERE actor = 'mallory@example.net' AND what = 'command-refused'")" 2 \
	"the refused commands are logged"

## a forged member (From a member, envelope someone else) gets no answer
mark
BODY="#severity none" send mallory@example.net "security+$C@$DOM" alice@example.org "Re: [$C] x" o2@example.net \
	'Auto-Submitted: auto-replied'
is "$(field .severity)" high "forged member: nothing changed"
is "$(fresh_to mallory@example.net)" "" "an auto-submitted sender is not answered (no backscatter)"

## forged command mail from a stranger: the "Commands not applied" notices
## count like acknowledgements, per person (+extensions and letter case are
## one), at most ack_limit (3) a week; every mail is stored all the same
mark
i=0
for s in eve@example.net eve+a@example.net Eve+b@Example.NET EVE@EXAMPLE.NET eve+c@example.net eve+d.e@example.net; do
	i=$((i + 1))
	BODY="#status closed" send "$s" "security+$C@$DOM" "$s" "Re: [$C] x" eve$i@example.net
done
eve_mails() { for _f in $(fresh); do sed '1,/^--$/d' "${_f%.msg}.args.done" | grep -qix 'eve\(+[^@]*\)\?@example\.net' && echo x; done | grep -c .; }
is "$(eve_mails)" 3 "six forged command mails under five spellings: three notices in all"
is "$(q "SELECT count(*) FROM messages WHERE lower(envelope_from) LIKE 'eve%@example.net'")" 6 "... all six are stored"
is "$(fresh_to alice@example.org | grep -c .)" 6 "... and all six reach the team"
is "$(field .stage)" fixing "... and none changed the case"

## notify, release, close: the reporter is told
mark
cmd alice@example.org c7@example.org "#notify distributors
#status released"
is "$(field .stage)" released "released once the policy's requirements are met"
# the list has no key, so no reader can be sent the draft sealed
is "$(q "SELECT count(*) FROM notifications WHERE case_id = '$C' AND name = 'distributors'")" 0 \
	"a notification that reached nobody is not recorded as one"
check "the team is told the #notify reached nobody, naming the reader and why" \
	grep -q '^#notify distributors: the advisory draft would reach nobody on the pre-release list distributors: dist@example.com (the list has no key of its own' "$(confirm)"
is "$(fresh_to dist@example.com)" "" "a pre-release reader without a key gets nothing in the clear"
told=$(fresh_to jane@example.net)
is "$(echo "$told" | grep -c .)" 1 "the reporter is told of the release"
check "the reporter's mail names the CVE ids" grep -q 'CVE-2026-12345, CVE-2026-0042' "$told"
check "the reporter's mail names the credit" grep -q 'Credit: Jane Doe' "$told"
check "the reporter's mail carries the advisory text" grep -q 'heap overflow in the chunk parser' "$told"
mark
cmd alice@example.org c8@example.org "#close fixed"
is "$(field .stage)" closed "#close fixed closes the case"
is "$(field .resolution)" fixed "the resolution is recorded"
check "the reporter is told of the close" grep -q 'closed your report' "$(fresh_to jane@example.net)"

## a closed case takes no more commands
mark
cmd alice@example.org c9@example.org "#severity low"
is "$(field .severity)" high "a command for a closed case changes nothing"
check "and the team is told why" grep -q 'commands change nothing on a closed case' "$(confirm)"

## #reject: the reason goes to the reporter
send kim@example.net $LIST 'kim@example.net' 'Spam in the comments' r2@example.net
C=SEC-2026-0002
mark
cmd alice@example.org c10@example.org "#reject Spam in comments is handled by the moderators, not a vulnerability."
is "$(field .stage)" closed "#reject closes the case"
is "$(field .resolution)" rejected "#reject records the resolution"
check "the reporter gets the written reason" grep -q 'handled by the moderators' "$(fresh_to kim@example.net)"

## #duplicate
send lee@example.net $LIST 'lee@example.net' 'Heap overflow again' r3@example.net
C=SEC-2026-0003
cmd alice@example.org c11@example.org "#duplicate SEC-2026-0001"
is "$(field .duplicate_of)" SEC-2026-0001 "#duplicate links the earlier case"
is "$(field .resolution)" duplicate "and closes this one as a duplicate"

## redelivery applies nothing twice
n1=$(q "SELECT count(*) FROM events")
cmd alice@example.org c11@example.org "#duplicate SEC-2026-0001"
is "$(q "SELECT count(*) FROM events")" "$n1" "a redelivered command mail changes nothing"

done_testing
