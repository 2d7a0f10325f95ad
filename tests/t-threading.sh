#!/bin/sh
# t-threading.sh - which case a message threads into, through the real
# embargo-mda and embargoctl ("Trust" issue, items 4 and 11): a Message-ID
# chosen in advance by a stranger never files another person's report on
# the stranger's case; In-Reply-To/References only follow ids of mail we
# sent for the case or that came from its reporter or team, and only for
# that reporter; automatic mail that belongs to no case (auto-replies
# aside) is a held item (t-held.sh), never acknowledged, until a person
# releases it; the held cases older versions opened stay readable.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org
TEAM=alice@example.org,bob@example.org

ncases() { ctl case list --json | jqr length; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
stored() { sqlite3 "$T/state/embargo.db" "SELECT kind || '|' || coalesce(case_id, '') FROM messages WHERE message_id = '$1' ORDER BY id"; }
reporter() { show "$1" | jqr .reporter; }
lastheld() { ctl held list --json | jqr '.[-1] | .id + "|" + .message_id + "|" + .why'; }

## The attack: a stranger first sends a mail under the Message-ID of a
## public announcement; a reporter's later report answers the announcement.
mark
send mallory@evil.example $LIST 'Mallory <mallory@evil.example>' 'Announcing libfoo 2.0' announce@lists.example
A=$(lastcase)
is "$(reporter $A)" mallory@evil.example "the stranger's mail is a case of the stranger's"
ACK_A=$(hdr "$(fresh_to mallory@evil.example)" Message-Id)

mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Re: Announcing libfoo 2.0: heap overflow' r1@example.net \
	'In-Reply-To: <announce@lists.example>' 'References: <announce@lists.example>'
is "$rc" 0 "the report answering the announcement: exit 0"
J=$(lastcase)
is "$(stored r1@example.net)" "report|$J" "it is a new report, not a follow-up on the stranger's case"
check "... on a case of its own" test "$J" != "$A"
is "$(reporter $J)" jane@example.net "... whose reporter is its sender"
is "$(fresh_to jane@example.net | grep -c .)" 1 "the reporter gets the acknowledgement"
check "... naming the reporter's own case" grep -q "\[$J\]" "$(fresh_to jane@example.net)"
is "$(fresh_to mallory@evil.example)" "" "the stranger gets nothing"
is "$(reporter $A)" mallory@evil.example "the stranger's case keeps its reporter"
is "$(show $A | jqr '.messages | length')" 1 "... and gets no message"

mark
BODY='Thanks, we can reproduce it.' \
	send bob@example.org security+$J-reporter@$DOM 'Bob <bob@example.org>' "Re: [$J] heap overflow" a1@example.org
is "$(fresh_to jane@example.net | grep -c .)" 1 "the team's answer goes to the reporter"
is "$(fresh_to mallory@evil.example)" "" "... and nothing to the stranger"

## Other spellings of the same attack.
# Our own acknowledgement's id is no secret from the stranger it went to: a
# public post can carry it (as its Message-ID or in its References).
mark
send kim@example.com $LIST 'kim@example.com' 'use after free' r2@example.com "In-Reply-To: <x@lists.example>" \
	"References: $ACK_A <x@lists.example>"
K=$(lastcase)
is "$(stored r2@example.com)" "report|$K" "References naming our ack to the stranger: a new report of the sender's"
is "$(reporter $K)" kim@example.com "... the sender is its reporter"
is "$(fresh_to kim@example.com | grep -c .)" 1 "... and is acknowledged"
is "$(fresh_to mallory@evil.example)" "" "... the stranger gets nothing"

# A From header in another case spelling is the same reporter.
mark
JACK=$(hdr "$(sent_to jane@example.net | head -1)" Message-Id)
send jane@example.net $LIST 'Jane <JANE@Example.NET>' 'more details' r3@example.net "In-Reply-To: $JACK"
is "$(stored r3@example.net)" "followup|$J" "the reporter answering our ack: a follow-up on her case"
is "$(fresh_to jane@example.net)" "" "... no second acknowledgement"

# A stranger who wrote on the reporter's case (by its tag) chose a Message-ID;
# it anchors nothing, not even for the case's reporter.
mark
send mallory@evil.example $LIST 'mallory@evil.example' "Re: [$J] me too" planted@evil.example
is "$(stored planted@evil.example)" "followup|$J" "a stranger's mail with the tag is shown on the case"
is "$(reporter $J)" jane@example.net "... and changes no reporter"
send lee@example.org $LIST 'lee@example.org' 'another bug' r4@example.org 'References: <planted@evil.example>'
L=$(lastcase)
is "$(stored r4@example.org)" "report|$L" "a reference to the stranger's mail on a case: a new report of the sender's"
check "... not on that case" test "$L" != "$J"
send jane@example.net $LIST 'jane@example.net' 'a second bug' r5@example.net 'References: <planted@evil.example>'
is "$(stored r5@example.net)" "report|$(lastcase)" "... not even the case's reporter threads by a stranger's id"

# Mail stored without a case anchors nothing either.
send MAILER-DAEMON $LIST 'MAILER-DAEMON@mx.example' 'Undelivered' nocase@mx.example
is "$(stored nocase@mx.example)" "bounce|" "a bounce on no case"
send pat@example.org $LIST 'pat@example.org' 'a bug' r6@example.org 'In-Reply-To: <nocase@mx.example>'
is "$(stored r6@example.org)" "report|$(lastcase)" "a reference to mail on no case: a new report"

# The team threads by any of the case's anchors; the reporter stays.
mark
send alice@example.org $LIST 'alice@example.org' 'about the announcement' d1@example.org 'In-Reply-To: <announce@lists.example>'
is "$(stored d1@example.org)" "discussion|$A" "a member answering the stranger's mail: team discussion on that case"
is "$(fresh_to mallory@evil.example)" "" "... nothing to its reporter"

# A mail we sent someone about a case is theirs to answer: a stranger told
# that their commands were refused answers on the case, and nothing changes.
mark
BODY='#status fixed' send mallory@evil.example security+$J@$DOM 'mallory@evil.example' 'closing it' cmd@evil.example
notice=$(fresh_to mallory@evil.example)
is "$(echo "$notice" | grep -c .)" 1 "a stranger's commands on a case are refused, with a notice"
NOTICE=$(hdr "$notice" Message-Id)
mark
send mallory@evil.example $LIST 'mallory@evil.example' 'why not' cmd2@evil.example "In-Reply-To: $NOTICE"
is "$(stored cmd2@evil.example)" "followup|$J" "the stranger's answer to our notice: shown on that case"
is "$(reporter $J)" jane@example.net "... whose reporter stays"
is "$(fresh_to mallory@evil.example)" "" "... no acknowledgement"
is "$(fresh_to jane@example.net)" "" "... nothing to the reporter"
send lee@example.org $LIST 'lee@example.org' 'a third bug' r7@example.org "In-Reply-To: $NOTICE"
is "$(stored r7@example.org)" "report|$(lastcase)" "someone else naming that notice: a new report of theirs"

## A notification service marks its mail as list mail, and the id of its
## thread is public: the stranger cannot make it vanish into their case.
mark
send notifications@forge.example $LIST 'Forge <notifications@forge.example>' 'Re: [libfoo] crash in parser' \
	forge-2@forge.example 'List-Id: libfoo <libfoo.forge.example>' 'In-Reply-To: <announce@lists.example>'
is "$(stored forge-2@forge.example)" "" "list mail naming the stranger's id: not filed on the stranger's case"
is "$(lastheld)" "HELD-2026-0001|forge-2@forge.example|automatic (List-Id)" "... held: it was automatic mail"
is "$(fresh_count)" 0 "... never answered, nothing sent"

## Held items: automatic mail that belongs to no case (item 11).
mark
c=$(ncases)
send scanner@scan.example $LIST 'Scanner <scanner@scan.example>' 'Finding: SQL injection in /search' scan-1@scan.example \
	'Auto-Submitted: auto-generated'
is "$rc" 0 "a scanner's report (Auto-Submitted): exit 0"
is "$(lastheld)" "HELD-2026-0002|scan-1@scan.example|automatic (Auto-Submitted)" "it is held, with the reason"
is "$(ncases)/$(fresh_count)" "$c/0" "... no case, no acknowledgement, no team copy"

# Each automatic report is an item of its own.
send scanner@scan.example $LIST 'scanner@scan.example' 'Finding: XSS in /login' scan-2@scan.example 'Precedence: bulk'
is "$(lastheld)" "HELD-2026-0003|scan-2@scan.example|automatic (Precedence: bulk)" "the scanner's next finding: another item, its own marker"

# Released, it is a case the team sees, and a person may answer it through the list.
ctl held release HELD-2026-0002 >/dev/null 2>&1
S=$(lastcase)
is "$(stored scan-1@scan.example)" "report|$S" "released: a case of its own"
is "$(fresh_to scanner@scan.example)" "" "... no acknowledgement, nothing to the sender"
is "$(rcpts "$(fresh_to alice@example.org)")" "$TEAM" "... the team gets a copy"
is "$(show $S | jqr '[.events[] | select(.what == "ack-suppressed")] | length')" 1 "... the event log says why there was no ack"

# A held case opened by an earlier version stays readable.
sqlite3 "$T/state/embargo.db" "UPDATE cases SET held = 'automatic (Auto-Submitted)' WHERE id = '$S'"
is "$(show $S | jqr .held)" "automatic (Auto-Submitted)" "an old held case: case show --json says held, with the reason"
is "$(ctl case list --json | jqr ".[] | select(.id == \"$S\") | .held")" "automatic (Auto-Submitted)" \
	"case list --json: held"
is "$(ctl case list --json | jqr ".[] | select(.id == \"$J\") | .held")" null "case list --json: null on other cases"
check "case list marks it HELD" sh -c "'$EMBARGOCTL' case list | grep -A1 '^$S ' | grep -q 'HELD: automatic (Auto-Submitted)'"
check "case show marks it HELD" sh -c "'$EMBARGOCTL' case show $S | grep -q '^  HELD      automatic (Auto-Submitted)'"

# An auto-reply proper on no case answers mail we did not send (backscatter
# of a forged sender): stored, no case, nothing sent.
mark
c=$(ncases)
for i in 1 2 3; do
	send ooo$i@example.com $LIST "ooo$i@example.com" "Out of office: cheap pills" "ooo-$i@example.com" \
		'Auto-Submitted: auto-replied' "In-Reply-To: <spam$i@spam.example>"
done
send ooo4@example.com $LIST 'ooo4@example.com' 'Out of office' ooo-4@example.com 'X-Autoreply: yes'
is "$(stored ooo-1@example.com)/$(stored ooo-4@example.com)" "autoreply|/autoreply|" "auto-replies on no case: stored on none"
is "$(ncases)" "$c" "... they open no case"
is "$(fresh_count)" 0 "... and nothing is sent"

mark
send bob@example.org security+$S-reporter@$DOM 'bob@example.org' "Re: [$S] Finding" a2@example.org
is "$(fresh_to scanner@scan.example | grep -c .)" 1 "the team's answer on a released item goes to its sender"

# Another embargo list's mail (its loop header) and a member's automatic
# mail are held by nobody.
c=$(ncases)
send security@other.example $LIST 'security@other.example' 'copy' other-1@other.example \
	'List-Id: <security.other.example>' 'X-Embargo-Loop: security@other.example'
is "$(stored other-1@other.example)" "autoreply|" "another embargo list's mail: stored, no case"
send alice@example.org $LIST 'alice@example.org' 'cron output' cron-alice@example.org 'Auto-Submitted: auto-generated'
is "$(stored cron-alice@example.org)" "autoreply|" "a member's automatic mail on no case: stored, no case"
is "$(ncases)" "$c" "neither opens a case"
is "$(lastheld)" "HELD-2026-0003|scan-2@scan.example|automatic (Precedence: bulk)" "... nor is held"

done_testing
