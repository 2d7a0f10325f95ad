#!/bin/sh
# t-routes.sh - every route of embargo-mda's plain-mail path (issue 2, "The
# plain-mail path", item 3): follow-ups by subject tag, In-Reply-To and
# References; team discussion; answers to the reporter; strangers writing to
# case addresses; unknown cases; forged members; loops; auto-replies;
# bounces and the once-only bounce notice; our own headers stripped.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org carol@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org

# the recipients of a sent mail (after "--"), sorted, comma-separated
# the envelope sender of a sent mail (the argument after -f)
envfrom() { sed -n '/^-f$/{n;p;q;}' "${1%.msg}.args.done"; }
headers() { sed '/^$/q' "$1"; }
ncases() { ctl case list --json | jqr length; }
nmsgs() { show "$1" | jqr '.messages | length'; }
lastkind() { show "$1" | jqr '.messages[-1].kind'; }
nout() { show "$1" | jqr "[.outbox[] | select(.kind == \"$2\")] | length"; }
# kind and case of a stored message by Message-ID, also for messages without a case
stored() { sqlite3 "$T/state/embargo.db" "SELECT kind || '|' || coalesce(case_id, '') FROM messages WHERE message_id = '$1' ORDER BY id"; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }

TEAM=alice@example.org,bob@example.org,carol@example.org

## a new report (t-report.sh covers the details)
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net
C1=SEC-2026-0001
is "$rc" 0 "report: exit 0"
is "$(ncases)" 1 "report: one case"
is "$(lastkind $C1)" report "report: stored as a report"
ack=$(fresh_to jane@example.net)
is "$(echo "$ack" | grep -c .)" 1 "report: the reporter gets the acknowledgement"
is "$(rcpts "$(fresh_to alice@example.org)")" "$TEAM" "report: one team copy to every member"
ACK_MID=$(hdr "$ack" Message-Id)

## follow-up by the subject tag
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' "Re: [$C1] Heap overflow in parser" r2@example.net
is "$rc" 0 "tag follow-up: exit 0"
is "$(ncases)" 1 "tag follow-up: no new case"
is "$(nmsgs $C1)" 2 "tag follow-up: stored on the case"
is "$(lastkind $C1)" followup "tag follow-up: kind followup"
is "$(fresh_count)" 1 "tag follow-up: exactly one mail goes out"
f=$(fresh_to alice@example.org)
is "$(rcpts "$f")" "$TEAM" "tag follow-up: the team copy goes to every member"
is "$(fresh_to jane@example.net)" "" "tag follow-up: no new acknowledgement"
is "$(nout $C1 ack)" 1 "tag follow-up: still one ack row on the case"
is "$(nout $C1 team-copy)" 2 "tag follow-up: a second team-copy row"
is "$(hdr "$f" Subject | grep -o "\[$C1\]" | wc -l)" 1 "tag follow-up: the copy's subject carries the tag once"
check "tag follow-up: the copy's Reply-To is the team address" grep -qi "^Reply-To: security+$C1@$DOM" "$f"
check "tag follow-up: the summary says it came from outside the team" grep -q "follow-up" "$f"

mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' "[sec-2026-0001] lower-case tag" r2b@example.net
is "$(stored r2b@example.net)" "followup|$C1" "a lower-case tag finds the case too"
is "$(fresh_count)" 1 "lower-case tag: only a team copy"

## follow-up by In-Reply-To the acknowledgement
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Re: Your report' r3@example.net "In-Reply-To: $ACK_MID"
is "$rc" 0 "In-Reply-To follow-up: exit 0"
is "$(ncases)" 1 "In-Reply-To follow-up: no new case"
is "$(stored r3@example.net)" "followup|$C1" "In-Reply-To the ack's Message-ID: a follow-up on the case"
is "$(fresh_count)" 1 "In-Reply-To follow-up: exactly one mail"
is "$(rcpts "$(fresh)")" "$TEAM" "In-Reply-To follow-up: it is the team copy"

## follow-up by References to the report
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'more details' r4@example.net \
	'References: <unknown-1@example.net> <r1@example.net> <unknown-2@example.net>'
is "$(ncases)" 1 "References follow-up: no new case"
is "$(stored r4@example.net)" "followup|$C1" "References naming the report: a follow-up on the case"
is "$(fresh_count)" 1 "References follow-up: only the team copy"
is "$(nout $C1 ack)" 1 "follow-ups never add an acknowledgement"

## unknown references and an unknown tag on security@: a new report
mark
send ann@example.net $LIST 'ann@example.net' 'Re: [SEC-2026-0999] old thing' r5@example.net 'In-Reply-To: <nothing@example.net>'
is "$(ncases)" 2 "an unknown tag and unknown references: a new case"
C2=$(lastcase)
is "$(stored r5@example.net)" "report|$C2" "stored as a report on the new case"
is "$(fresh_count)" 2 "the new report gets an ack and a team copy"

## team discussion: a member to security+CASE@
mark
send alice@example.org security+$C1@$DOM 'Alice <alice@example.org>' "Re: [$C1] Heap overflow in parser" d1@example.org
is "$rc" 0 "discussion: exit 0"
is "$(stored d1@example.org)" "discussion|$C1" "a member to the case address: kind discussion"
is "$(fresh_count)" 1 "discussion: one mail"
f=$(fresh)
is "$(rcpts "$f")" "bob@example.org,carol@example.org" "discussion: copied to the other members only"
is "$(fresh_to jane@example.net)" "" "discussion: nothing to the reporter"
is "$(ncases)" 2 "discussion: no new case"
is "$(envfrom "$f")" "$LIST" "discussion: the copy's envelope sender is the list"
check "discussion: the copy comes from the list address" grep -qi '^From: .*<security@example.org>$' "$f"
check "discussion: the summary calls it team discussion" grep -q "team discussion" "$f"

mark
send alice@example.org security+sec-2026-0001@$DOM 'alice@example.org' "lower-case extension" d2@example.org
is "$(stored d2@example.org)" "discussion|$C1" "discussion: the case address works in lower case"
is "$(rcpts "$(fresh)")" "bob@example.org,carol@example.org" "discussion (lower case): other members only"

## a stranger to the case address: follow-up, copied to every member
mark
send mallory@example.net security+$C1@$DOM 'mallory@example.net' 'I know about this too' s1@example.net
is "$(stored s1@example.net)" "followup|$C1" "a non-member to security+CASE@: follow-up"
is "$(rcpts "$(fresh)")" "$TEAM" "non-member follow-up: copied to every member"
is "$(fresh_count)" 1 "non-member follow-up: no ack, nothing else"

## a stranger to the reporter address: follow-up, nothing to the reporter
mark
send mallory@example.net security+$C1-reporter@$DOM 'mallory@example.net' 'to the reporter' s2@example.net
is "$(stored s2@example.net)" "followup|$C1" "a non-member to security+CASE-reporter@: follow-up"
is "$(fresh_to jane@example.net)" "" "non-member to the reporter address: nothing reaches the reporter"
is "$(fresh_count)" 1 "non-member to the reporter address: only the team copy"
is "$(rcpts "$(fresh)")" "$TEAM" "non-member to the reporter address: the copy goes to every member"
is "$(nout $C1 answer)" 0 "non-member to the reporter address: no answer row"

## answer to the reporter: a member to security+CASE-reporter@
mark
BODY='We could reproduce it and are working on a fix.' \
	send bob@example.org security+$C1-reporter@$DOM 'Bob Builder <bob@example.org>' 'Re: Heap overflow in parser' a1@example.org \
	'Reply-To: Bob Private <bob.private@example.org>'
is "$rc" 0 "answer: exit 0"
is "$(stored a1@example.org)" "answer|$C1" "a member to the reporter address: kind answer"
is "$(fresh_count)" 2 "answer: two mails (the answer and a team copy)"
ans=$(fresh_to jane@example.net)
is "$(echo "$ans" | grep -c .)" 1 "answer: one mail to the reporter"
is "$(rcpts "$ans")" jane@example.net "answer: the reporter is its only recipient"
is "$(show $C1 | jqr '[.outbox[] | select(.kind == "answer")] | .[0].to')" jane@example.net "answer: outbox kind answer, to the reporter"
is "$(envfrom "$ans")" "security+$C1-bounces@$DOM" "answer: envelope sender security+CASE-bounces@"
is "$(show $C1 | jqr '[.outbox[] | select(.kind == "answer")] | .[0].envelope_from')" "security+$C1-bounces@$DOM" "answer: the outbox row keeps that return path"
check "answer: From is the list address" grep -qi '^From: .*<security@example.org>$' "$ans"
check "answer: the subject carries the case tag" grep -q "^Subject: \[$C1\] Re: Heap overflow in parser" "$ans"
check "answer: the member's address is nowhere in its headers" sh -c "! sed '/^\$/q' '$ans' | grep -qi 'bob'"
check "answer: no Reply-To to the member" sh -c "! sed '/^\$/q' '$ans' | grep -i '^Reply-To:' | grep -qvi 'security@example.org'"
is "$(hdr "$ans" In-Reply-To)" "<r4@example.net>" "answer: In-Reply-To the reporter's latest message"
check "answer: the member's text reaches the reporter" grep -q 'We could reproduce it' "$ans"
check "answer: it carries the loop header" grep -qi '^X-Embargo-Loop: security@example.org' "$ans"
check "answer: it does not carry the team summary" sh -c "! grep -q 'Team thread:' '$ans'"
tc=$(fresh_to alice@example.org)
is "$(rcpts "$tc")" "alice@example.org,carol@example.org" "answer: the team copy goes to the other members"
check "answer: the team copy says it was sent to the reporter" grep -q "answer sent to the reporter" "$tc"
check "answer: the team copy's Reply-To is the team address" grep -qi "^Reply-To: security+$C1@$DOM" "$tc"
is "$(show $C1 | jqr '[.events[] | select(.what == "answered")] | length')" 1 "answer: the event log records it"

## a stranger to an unknown case address: a new report
mark
send ned@example.net security+SEC-2099-0999@$DOM 'ned@example.net' 'a new problem' n1@example.net
is "$rc" 0 "non-member to an unknown case: exit 0"
is "$(ncases)" 3 "non-member to an unknown case: a new case"
C3=$(lastcase)
is "$(stored n1@example.net)" "report|$C3" "non-member to an unknown case: stored as a report"
is "$(fresh_count)" 2 "non-member to an unknown case: an ack and a team copy"
is "$(fresh_to ned@example.net | grep -c .)" 1 "non-member to an unknown case: acknowledged"

mark
send nora@example.net security+SEC-2099-0999-reporter@$DOM 'nora@example.net' 'another new problem' n2@example.net
C4=$(lastcase)
is "$(stored n2@example.net)" "report|$C4" "non-member to an unknown case's reporter address: a new report"
is "$(ncases)" 4 "... on a fourth case"

## a member to an unknown case address: refused, told, nothing to the team
mark
send alice@example.org security+SEC-2099-0999@$DOM 'Alice <alice@example.org>' 'about that case' u1@example.org
is "$rc" 0 "member to an unknown case: exit 0"
is "$(stored u1@example.org)" "refused|" "member to an unknown case: stored as refused, on no case"
is "$(ncases)" 4 "member to an unknown case: no case opened"
is "$(fresh_count)" 1 "member to an unknown case: one mail"
n=$(fresh_to alice@example.org)
is "$(rcpts "$n")" alice@example.org "member to an unknown case: the notice goes to the member only"
check "member to an unknown case: the notice says why" grep -q "SEC-2099-0999" "$n"
is "$(envfrom "$n")" "<>" "member to an unknown case: the notice has a null return path"
is "$(fresh_to bob@example.org)" "" "member to an unknown case: nothing to the team"
is "$(sqlite3 "$T/state/embargo.db" "SELECT kind FROM outbox WHERE cause = (SELECT id FROM messages WHERE message_id = 'u1@example.org')")" notice "member to an unknown case: the outbox row is a notice"

mark
send bob@example.org security+SEC-2099-0999-reporter@$DOM 'bob@example.org' 'answer to nobody' u2@example.org
is "$(stored u2@example.org)" "refused|" "member to an unknown case's reporter address: refused"
is "$(rcpts "$(fresh)")" bob@example.org "... with a notice to the member only"
mark
send bob@example.org security+not-a-case@$DOM 'bob@example.org' 'typo' u3@example.org
is "$(stored u3@example.org)" "refused|" "member to a malformed case address: refused"
is "$(rcpts "$(fresh)")" bob@example.org "... with a notice to the member only"

## a forged member: From a member, envelope sender someone else
mark
send evil@example.net security+$C1@$DOM 'Alice <alice@example.org>' "Re: [$C1] Heap overflow in parser" f1@example.net
is "$(stored f1@example.net)" "followup|$C1" "forged member to the case address: a follow-up, not a discussion"
is "$(rcpts "$(fresh)")" "$TEAM" "forged member: copied to every member, alice included"
mark
send evil@example.net security+$C1-reporter@$DOM 'Alice <alice@example.org>' 'Please send me your PoC' f2@example.net
is "$(stored f2@example.net)" "followup|$C1" "forged member to the reporter address: a follow-up, not an answer"
is "$(fresh_to jane@example.net)" "" "forged member: nothing reaches the reporter"
is "$(nout $C1 answer)" 1 "forged member: no new answer row"
mark
send evil@example.net security+SEC-2099-0998@$DOM 'Alice <alice@example.org>' 'unknown case' f3@example.net
is "$(stored f3@example.net)" "report|$(lastcase)" "forged member to an unknown case: a new report, not a refusal"
is "$(ncases)" 5 "... which opened a case"
is "$(fresh_to evil@example.net | grep -c .)" 1 "... and the acknowledgement goes to the envelope sender"

## loops: our own loop header
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' "Re: [$C1] looped" l1@example.net 'X-Embargo-Loop: security@example.org'
is "$rc" 0 "loop: exit 0"
is "$(stored l1@example.net)" "loop|$C1" "loop header: stored as a loop (on its case)"
is "$(fresh_count)" 0 "loop: nothing sent"
mark
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'a looped report' l2@example.net 'X-Embargo-Loop: Security@Example.ORG'
is "$(stored l2@example.net)" "loop|" "loop header in another case, without a tag: a loop, no case"
is "$(ncases)" 5 "loop: no case opened"
is "$(fresh_count)" 0 "loop: nothing sent"
mark
send alice@example.org security+$C1@$DOM 'alice@example.org' "Re: [$C1] x" l3@example.org "X-Embargo-Loop: security+$C1@$DOM"
is "$(stored l3@example.org)" "loop|$C1" "a loop header naming a case address is ours too"
is "$(fresh_count)" 0 "... nothing sent"

## auto-replies
for h in 'Auto-Submitted: auto-replied' 'Auto-Submitted: auto-generated' 'Precedence: bulk' 'Precedence: list' \
	'Precedence: junk' 'List-Id: <other.example.net>'; do
	mark
	mid="auto-$(echo "$h" | tr -c 'a-zA-Z0-9\n' '-')@example.net"
	send vacation@example.net $LIST 'vacation@example.net' "Out of office: [$C1] Heap overflow" "$mid" "$h"
	is "$(stored "$mid")" "autoreply|$C1" "auto-reply ($h) with the tag: kind autoreply, on the case"
	is "$(fresh_count)" 0 "auto-reply ($h): nothing sent"
done
mark
send jane@example.net $LIST 'jane@example.net' 'Out of office' auto-irt@example.net 'Auto-Submitted: auto-replied' "In-Reply-To: $ACK_MID"
is "$(stored auto-irt@example.net)" "autoreply|$C1" "the reporter's auto-reply to the ack (In-Reply-To) is attached to the case"
is "$(fresh_count)" 0 "... and nothing is sent"
mark
send vacation@example.net $LIST 'vacation@example.net' 'Out of office' auto-untagged@example.net 'Auto-Submitted: auto-replied'
is "$(stored auto-untagged@example.net)" "autoreply|" "an auto-reply with no tag: stored, on no case"
is "$(ncases)" 5 "an auto-reply opens no case"
is "$(fresh_count)" 0 "... and nothing is sent"
mark
send vacation@example.net $LIST 'vacation@example.net' 'Out of office' auto-irt2@example.net 'Auto-Submitted: auto-replied' "In-Reply-To: $ACK_MID"
is "$(stored auto-irt2@example.net)" "autoreply|" "another sender's auto-reply naming the reporter's ack: not on the reporter's case"
is "$(fresh_count)" 0 "... and nothing is sent"
mark
send scanner@example.net $LIST 'scanner@example.net' 'Finding' auto-gen@example.net 'Auto-Submitted: auto-generated'
is "$(stored auto-gen@example.net)" "" "other automatic mail on no case: no message on a case"
is "$(ncases)" 5 "... no case"
is "$(ctl held list --json | jqr '.[-1] | .message_id + "|" + .why')" "auto-gen@example.net|automatic (Auto-Submitted)" \
	"... a held item, with its marker"
is "$(fresh_count)" 0 "... and nothing is sent"

## bounces
mark
send '' $LIST 'Mail Delivery System <MAILER-DAEMON@mx.example.net>' "Undelivered: [$C1] Heap overflow" b1@mx.example.net
is "$rc" 0 "null-sender bounce: exit 0"
is "$(stored b1@mx.example.net)" "bounce|$C1" "null sender: kind bounce, on the tagged case"
is "$(fresh_count)" 0 "null-sender bounce to security@: nothing sent"
mark
send MAILER-DAEMON $LIST 'MAILER-DAEMON@mx.example.net' 'Undelivered Mail Returned to Sender' b2@mx.example.net
is "$(stored b2@mx.example.net)" "bounce|" "sender MAILER-DAEMON: kind bounce, no case"
is "$(ncases)" 5 "a bounce opens no case"
is "$(fresh_count)" 0 "... nothing sent"

report_bounce() { # report_bounce MESSAGE-ID
	cat <<EOM
From: Mail Delivery System <postmaster@mx.example.net>
To: security@example.org
Subject: Delivery Status Notification (Failure)
Message-ID: <$1>
Date: Mon, 23 Nov 2026 10:05:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: text/plain

Your message could not be delivered.
--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; jane@example.net
Action: failed
Status: 5.1.1
--BND--
EOM
}
mark
report_bounce b3@mx.example.net > "$T/in.eml"
mda bounces@mx.example.net $LIST < "$T/in.eml"
is "$(stored b3@mx.example.net)" "bounce|" "multipart/report from a normal sender: kind bounce"
is "$(fresh_count)" 0 "... nothing sent"

# a bounce of an answer to the reporter: stored on the case, the team told once
mark
report_bounce b4@mx.example.net > "$T/in.eml"
mda '' security+$C1-bounces@$DOM < "$T/in.eml"
is "$rc" 0 "bounce to security+CASE-bounces@: exit 0"
is "$(stored b4@mx.example.net)" "bounce|$C1" "bounce to security+CASE-bounces@: stored on the case"
is "$(fresh_count)" 1 "first bounce: one notice"
n=$(fresh)
is "$(rcpts "$n")" "$TEAM" "first bounce: the notice goes to the team"
is "$(show $C1 | jqr '[.outbox[] | select(.kind == "notice")] | length')" 1 "first bounce: an outbox row of kind notice"
check "first bounce: the notice names the case" grep -q "\[$C1\]" "$n"
is "$(envfrom "$n")" "<>" "the notice has a null return path"
is "$(fresh_to jane@example.net)" "" "first bounce: nothing to the reporter"
mark
report_bounce b5@mx.example.net > "$T/in.eml"
mda '' security+$C1-bounces@$DOM < "$T/in.eml"
is "$(stored b5@mx.example.net)" "bounce|$C1" "second bounce: stored on the case"
is "$(fresh_count)" 0 "second bounce: no new notice"
is "$(show $C1 | jqr '[.outbox[] | select(.kind == "notice")] | length')" 1 "second bounce: still one notice row"
mark
send MAILER-DAEMON security+$C2-bounces@$DOM 'MAILER-DAEMON@mx.example.net' 'Undelivered' b6@mx.example.net
is "$(stored b6@mx.example.net)" "bounce|$C2" "a bounce (sender MAILER-DAEMON) on another case"
is "$(fresh_count)" 1 "... gets that case its own first notice"

## our own headers are stripped from incoming mail
mark
send zed@example.net $LIST 'zed@example.net' 'forged headers' x1@example.net \
	'X-Embargo-Case: SEC-2026-0001' 'X-Embargo-Loop: attacker@example.net' 'X-Embargo-Status: closed'
is "$(stored x1@example.net)" "report|$(lastcase)" "a foreign X-Embargo-Loop is no loop; a forged X-Embargo-Case names no case"
C6=$(lastcase)
f=$(fresh_to alice@example.org)
is "$(grep -ci '^X-Embargo-Case:' "$f")" 1 "the team copy has one X-Embargo-Case header"
is "$(hdr "$f" X-Embargo-Case)" "$C6" "... ours"
is "$(grep -ci '^X-Embargo-Loop:' "$f")" 1 "the team copy has one X-Embargo-Loop header"
is "$(hdr "$f" X-Embargo-Loop)" "$LIST" "... ours"
check "no forged X-Embargo-Status anywhere in the copy" sh -c "! grep -qi 'X-Embargo-Status' '$f'"
check "no forged X-Embargo header in the acknowledgement" sh -c "! grep -qi 'attacker@example.net' '$(fresh_to zed@example.net)'"

done_testing
