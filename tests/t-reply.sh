#!/bin/sh
# t-reply.sh - canned answers (#reply NAME) through the real embargo-mda:
# the list's template, with the case id filled in, goes to the reporter as
# the team's answer (threaded, counted for the deadlines, encrypted to the
# reporter's key when we hold one) and the case is closed as the template
# says, through #close's checks; an unknown name or a sender from outside
# the team sends nothing; a missing template file defers mail.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
A=$(cd "$top_srcdir/contrib/answers" && pwd)
setup "answer.no-bounty = $A/no-bounty.txt
answer.known-issue = $A/known-issue.txt
answer.out-of-scope = $A/out-of-scope.txt"
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org
DB=$T/state/embargo.db
q() { sqlite3 "$DB" "$1"; }
field() { show "$1" | jqr "$2"; }
# cmd FROM MESSAGE-ID BODY [RECIPIENT]: a member's mail to the case's team address
cmd() {
	BODY=$3 send "$1" "${4:-security+$C@$DOM}" "$1" "Re: [$C] Give me money" "$2"
}
confirm() { fresh_to bob@example.org | xargs grep -l 'Commands from' 2>/dev/null | head -1; }
report() { # report FROM MESSAGE-ID: a new case, in $C
	send "$1" $LIST "$1" 'Give me money' "$2"
	C=$(q "SELECT case_id FROM messages WHERE message_id = '$2'")
}

## #reply no-bounty: the template to the reporter, the case closed as it says
report jane@example.net r1@example.net
mark
cmd alice@example.org c1@example.org "#reply no-bounty"
is "$rc" 0 "#reply: exit 0"
ans=$(fresh_to jane@example.net)
is "$(echo "$ans" | grep -c .)" 1 "one mail to the reporter (no separate word of the close)"
check "it holds the template's text" grep -q 'We do not run a bug bounty programme' "$ans"
check "... with the case id filled in" grep -q "so we have closed $C\." "$ans"
check "... and no placeholder or header line left" sh -c "! grep -q -e '{case}' -e '{list}' -e '^Close:' '$ans'"
is "$(hdr "$ans" Subject)" "Re: [$C] Give me money" "the subject carries the case id"
is "$(hdr "$ans" In-Reply-To)" "<r1@example.net>" "it is threaded on the reporter's mail"
is "$(hdr "$ans" From)" "Example Security Team <$LIST>" "it comes from the list"
is "$(hdr "$ans" Auto-Submitted)" "" "it is the team's answer, not an automatic one"
is "$(field "$C" .stage)" closed "the case is closed"
is "$(field "$C" .resolution)" invalid "... as the template says"
is "$(field "$C" .first_answer_at)" 2026-11-23T10:00:00Z "it counts as the team's first answer"
is "$(q "SELECT reporter_told FROM cases WHERE id = '$C'")" closed "the answer is the reporter's word of the close"
is "$(q "SELECT what || ':' || detail FROM events WHERE case_id = '$C' AND what IN ('reply', 'answered') ORDER BY id" | paste -sd'|' -)" \
	"reply:#reply no-bounty|answered:canned answer no-bounty sent to the reporter" \
	"the reply and the answer are in the case's history"
conf=$(confirm)
check "the team's confirmation says what went to whom" grep -q "Sent to the reporter jane@example.net (unencrypted), the canned answer no-bounty" "$conf"
check "... quoting the text sent" grep -q "  | We do not run a bug bounty programme" "$conf"
check "... and the close" grep -q 'resolution: invalid' "$conf"
is "$(rcpts "$conf")" "alice@example.org,bob@example.org" "the confirmation goes to the team"

## an unknown name: refused with the names there are, nothing sent
report jane@example.net r2@example.net
mark
cmd alice@example.org c2@example.org "#reply go-away"
is "$(fresh_to jane@example.net)" "" "an unknown answer sends nothing to the reporter"
check "the refusal lists the answers there are" grep -qF "#reply go-away: $LIST has no canned answer 'go-away' (it has: known-issue, no-bounty, out-of-scope)" "$(confirm)"
is "$(field "$C" .stage)" received "... and the case stays open"

## from outside the team: refused, nothing sent
mark
BODY='#reply no-bounty' send mallory@example.com "security+$C@$DOM" mallory@example.com "Re: [$C] Give me money" x1@example.com
is "$(fresh_to jane@example.net)" "" "#reply from outside the team sends nothing to the reporter"
is "$(q "SELECT count(*) FROM events WHERE case_id = '$C' AND what = 'command-refused' AND detail LIKE '#reply no-bounty: not from%'")" 1 \
	"... and is refused"
is "$(field "$C" .stage)" received "... changing nothing"

## a template that says nothing of closing, to the reporter address: the case stays open
mark
cmd bob@example.org c3@example.org "#reply known-issue" "security+$C-reporter@$DOM"
ans=$(fresh_to jane@example.net)
is "$(echo "$ans" | grep -c .)" 1 "#reply in an answer of nothing else: the canned answer alone"
check "... is the known-issue text" grep -q "already known to us" "$ans"
is "$(field "$C" .stage)" received "a template without Close: leaves the case open"

## the policy refuses the close: the answer goes, the refusal is reported
printf 'stage.closed.requires = severity\n' >> "$T/embargo.conf"
report jane@example.net r3@example.net
mark
cmd alice@example.org c4@example.org "#reply out-of-scope"
check "the answer goes though the close is refused" grep -q 'outside the scope' "$(fresh_to jane@example.net)"
is "$(field "$C" .stage)" received "the case stays open"
check "the refusal is confirmed as #close's" grep -qF "#close invalid: the CNCF policy wants severity set before stage closed" "$(confirm)"
sed -i '/^stage.closed.requires/d' "$T/embargo.conf"

## a missing template file is a configuration error: mail is deferred, not lost
printf 'answer.gone = %s/gone.txt\n' "$T" >> "$T/embargo.conf"
send jane@example.net $LIST jane@example.net 'Another one' r4@example.net
is "$rc" 75 "a missing template defers the delivery"
check "... naming the key and the file" grep -q "answer.gone: .*gone.txt" "$T/mda.err"
sed -i '/^answer.gone/d' "$T/embargo.conf"

## a reporter whose key we hold gets the answer encrypted to it
person kim 'Kim <kim@example.net>'
list_key
{ envelope 'Kim <kim@example.net>' 'Give me money' k1@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="MIX"\n\n--MIX\nContent-Type: text/plain\n\nPay me.\n--MIX\nContent-Type: application/pgp-keys; name="kim.asc"\n\n'
  cat "$T/kim.asc"; printf '\n--MIX--\n'; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
C=$(q "SELECT case_id FROM messages WHERE message_id = 'k1@example.net'")
mark
cmd alice@example.org c5@example.org "#reply no-bounty"
ans=$(fresh_to kim@example.net)
is "$(echo "$ans" | grep -c .)" 1 "one answer to the reporter with a key"
check "it is encrypted" grep -q '^Content-Type: multipart/encrypted' "$ans"
check "... its text is not outside" sh -c "! grep -q 'bug bounty' '$ans'"
open_copy kim "$ans" > "$T/kim.out"
check "the reporter decrypts the template text with the case id" grep -q "so we have closed $C\." "$T/kim.out"
is "$(field "$C" .resolution)" invalid "... and the case is closed"

## no key of the reporter's, but the case holds encrypted mail: the
## answer goes in the clear without the report's subject
printf 'Content-Type: text/plain\n\nPay me as well.\n' > "$T/l1.ent"
{ envelope 'Lee <lee@example.net>' 'Secret subject words' l1@example.net; mime_encrypted kim "$T/l1.ent"; } > "$T/in.eml"
mda lee@example.net $LIST < "$T/in.eml"
C=$(q "SELECT case_id FROM messages WHERE message_id = 'l1@example.net'")
mark
cmd alice@example.org c6@example.org "#reply no-bounty"
ans=$(fresh_to lee@example.net)
check "the keyless reporter gets the text in the clear" grep -q "so we have closed $C\." "$ans"
is "$(hdr "$ans" Subject)" "[$C] Your report" "... under a neutral subject"
check "... the report's subject is nowhere in it" sh -c "! grep -q 'Secret subject' '$ans'"
pgp_done
