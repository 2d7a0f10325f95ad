#!/bin/sh
# t-held.sh - held items: automatic mail that belongs to no case is held
# back (no case number, no acknowledgement, no team copy), listed and shown
# by embargoctl, released into a case once through the real delivery path,
# dropped or expired with its raw copy (which the spool sweep leaves alone
# meanwhile), and listed for the team in a digest that shows the header,
# escaped, never the body.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
TEAM=alice@example.org,bob@example.org
DB="$T/state/embargo.db"
q() { sqlite3 "$DB" "$1"; }
Y=$(date -u +%Y)
auto() { # auto MESSAGE-ID SUBJECT [HEADER]: automatic mail from a scanner
	send scanner@scan.example "$LIST" 'Scanner <scanner@scan.example>' "$2" "$1" "${3:-Auto-Submitted: auto-generated}"
}
held() { ctl held show "$1" --json | jqr "$2"; }

## a person's report opens SEC-Y-0001
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'Crash in parser' r1@example.net
is "$(q "SELECT case_id FROM messages WHERE message_id = 'r1@example.net'")" "SEC-$Y-0001" "a report opens the first case"

## automatic mail on no case: a held item, no case, nothing sent
mark
BODY='SECRET-BODY-TEXT of the finding' auto h1@scan.example 'Finding: SQL injection'
is "$rc" 0 "automatic mail: exit 0"
H1=HELD-$Y-0001
is "$(ctl held list --json | jqr '[.[].id] | join(",")')" "$H1" "it is the held item $H1"
is "$(q "SELECT count(*) FROM cases")" 1 "... no case is opened"
is "$(q "SELECT count(*) FROM messages WHERE message_id = 'h1@scan.example'")" 0 "... no message row"
is "$(fresh_count)" 0 "... no acknowledgement, no team copy"
cp "$T/in.eml" "$T/h1.eml"
RAW1=$(held $H1 .spool_path)
check "... its raw copy is kept in the spool" test -f "$RAW1"
grep -q 'auto-generated' "$RAW1"; is "$?" 0 "... and it is the message as received"

## a redelivery is nothing new
mda scanner@scan.example "$LIST" < "$T/h1.eml"
is "$rc/$(q "SELECT count(*) FROM held_items")" "0/1" "the same mail again: exit 0, no second item"

## the next person's report takes the next case number
send lee@example.net "$LIST" 'Lee <lee@example.net>' 'Another bug' r2@example.net
is "$(q "SELECT case_id FROM messages WHERE message_id = 'r2@example.net'")" "SEC-$Y-0002" \
	"the next report is SEC-$Y-0002: the held mail used no case number"

## list and show, text and JSON
ctl held list --json > "$T/l.json"
is "$(jq -e 'type == "array" and length == 1 and (.[0] | .id and .list and .state == "held"
	and (.size | type) == "number" and (.spam_score == null) and .case == null)' "$T/l.json")" true \
	"held list --json: one held item, its fields typed"
ctl held show $H1 --json > "$T/s.json"
is "$(jq -r '[.list, .envelope_from, .recipient, .from, .subject, .message_id, .why, .state] | join("|")' "$T/s.json")" \
	"$LIST|scanner@scan.example|$LIST|scanner@scan.example|Finding: SQL injection|h1@scan.example|automatic (Auto-Submitted)|held" \
	"held show --json: list, envelope, recipient, From, Subject, Message-ID, why, state"
is "$(jq '.size > 0 and (.received_at | test("^[0-9-]+T[0-9:]+Z$"))' "$T/s.json")" true "... size and received time"
ctl held list "$LIST" > "$T/l.txt"
check "held list LIST: the item in text" grep -q "^$H1  $LIST  held .*scanner@scan.example  Finding: SQL injection" "$T/l.txt"
ctl held show $H1 > "$T/s.txt"
check "held show: the reason in text" grep -q "Held: *automatic (Auto-Submitted)" "$T/s.txt"
ctl held show HELD-$Y-0099 >/dev/null 2>&1; is "$?" 65 "held show of no item: 65"
ctl held show SEC-$Y-0001 >/dev/null 2>&1; is "$?" 65 "held show of a case id: 65"
ctl held list nolist@example.org >/dev/null 2>&1; is "$?" 65 "held list of no list: 65"

## release: a case as if it had just arrived, once
mark
ctl held release $H1 > "$T/rel.out" 2>&1
is "$?" 0 "held release: 0"
C3=SEC-$Y-0003
is "$(cat "$T/rel.out")" "$H1 released as $C3" "... it became $C3"
is "$(q "SELECT case_id || '|' || kind FROM messages WHERE message_id = 'h1@scan.example'")" "$C3|report" \
	"... the message is stored on the case as a report"
is "$(rcpts "$(fresh_to alice@example.org)")" "$TEAM" "... the team gets its copy"
is "$(fresh_count)" 1 "... exactly one mail: no acknowledgement to automatic mail (RFC 3834)"
is "$(held $H1 '[.state, .case, (.decided_by | startswith("embargoctl"))] | map(tostring) | join("|")')" "released|$C3|true" \
	"... the item records the case and who released it"
is "$(show $C3 | jqr '[.events[] | select(.what == "held-released")] | length')" 1 "... a held-released event on the case"
check "... its held raw copy is gone" test ! -e "$RAW1"
check "... the case's message has a raw copy of its own" test -f "$(q "SELECT spool_path FROM messages WHERE message_id = 'h1@scan.example'")"
mark
ctl held release $H1 > /dev/null 2> "$T/rel2.err"
is "$?" 65 "a second release: 65"
check "... saying it was released already, as what" grep -q "$H1 was released already, as $C3" "$T/rel2.err"
is "$(fresh_count)/$(q "SELECT count(*) FROM cases")" "0/3" "... nothing sent, no new case"

## drop: the item and its raw copy go
auto h2@scan.example 'Weekly scan' 'Precedence: bulk'
H2=HELD-$Y-0002
RAW2=$(held $H2 .spool_path)
check "a second held item ($H2) with its raw copy" test -f "$RAW2"
ctl held drop $H2 > /dev/null 2>&1; is "$?" 0 "held drop: 0"
check "... its raw copy is removed" test ! -e "$RAW2"
is "$(held $H2 '.state + "|" + (.spool_path | tostring)')" "dropped|null" "... the item is dropped"
is "$(ctl held list --json | jq length)" 0 "... and no longer listed as held"
is "$(ctl held list --all --json | jq length)" 2 "held list --all lists released and dropped items"
ctl held drop $H2 > /dev/null 2>&1; is "$?" 65 "dropping it again: 65"
ctl held release $H2 > /dev/null 2>&1; is "$?" 65 "releasing a dropped item: 65"

## expiry (held_days, default 30) by the outbox timer; the sweep keeps held copies
EMBARGO_NOW=$(date -u -d '31 days ago' +%Y-%m-%dT%H:%M:%SZ) auto h3@scan.example 'Old finding' 'List-Id: scans <scans.scan.example>'
H3=HELD-$Y-0003
RAW3=$(held "$H3" .spool_path)
auto h4@scan.example 'Recent finding'
H4=HELD-$Y-0004
RAW4=$(held "$H4" .spool_path)
touch -d '30 days ago' "$RAW4"
ctl outbox flush > "$T/flush.out" 2>&1
is "$(held "$H3" '.state + "|" + .decided_by')" "dropped|expiry" "an item older than held_days expires"
check "... with its raw copy" test ! -e "$RAW3"
is "$(held "$H4" .state)" held "a recent item stays held"
check "... and the spool sweep keeps its (old) raw copy" test -f "$RAW4"

## the digest: new items since the last one, header only, escaped; then nothing
ESC=$(printf '\033')
BODY='SECRET-BODY-TEXT again' auto h5@scan.example "$(printf 'Red \033[31malert\033]0;pwned\007 %s' "$(printf 'x%.0s' $(seq 1 200))")"
mark
ctl held digest > "$T/d.out" 2>&1
is "$?" 0 "held digest: 0"
is "$(fresh_count)" 1 "... one mail"
D=$(fresh)
is "$(rcpts "$D")" "$TEAM" "... to the team"
for h in $H1 $H2 $H3 $H4; do
	check "... it lists $h" grep -q "^$h  received" "$D"
done
check "... with the sender and the subject" grep -q "Subject:  Finding: SQL injection" "$D"
check "... and the reason" grep -q "Held: *automatic (List-Id)" "$D"
check "... never the body" sh -c "! grep -q SECRET-BODY-TEXT '$D'"
check "... a hostile subject has no escape byte left" sh -c "! grep -q '$ESC' '$D'"
long=$(grep 'Subject:  Red' "$D")
ok "$([ ${#long} -lt 160 ] && echo 1)" "... and is cut short (${#long} characters)"
is "$(hdr "$D" Auto-Submitted)" auto-generated "... an automatic notice"
mark
ctl held digest > /dev/null 2>&1
is "$?/$(fresh_count)" "0/0" "a second digest with nothing new: no mail"

## stats and agenda count them: held now, new, released (held by mistake), dropped
is "$(ctl stats --json | jq -c '.[0].held')" '{"now":2,"received":5,"released":1,"dropped":2}' \
	"stats --json: held now, held in all, released, dropped"
check "stats says it in text" sh -c "'$EMBARGOCTL' stats | grep -q 'held mail: 2 held now; 5 held in all, 1 released, 2 dropped'"
check "the agenda: waiting, and the last week's" sh -c "'$EMBARGOCTL' agenda $LIST | grep -q '^Held mail: 2 waiting (embargoctl held list); in the last 7 days 4 held, 1 released, 2 dropped.'"

## "#release ID" in a member's mail to the list: the same release, the team told by its copy
ncase() { q "SELECT count(*) FROM cases"; }
c=$(ncase)
mark
BODY="#release $H4" send eve@evil.example "$LIST" 'Eve <eve@evil.example>' 'let it out' x1@evil.example
is "$(held "$H4" .state)" held "#release from a non-member: the item stays held"
is "$(q "SELECT kind FROM messages WHERE message_id = 'x1@evil.example'")" report "... the stranger's mail is a report like any other"
c=$(ncase)
mark
BODY="#release $(echo "$H4" | tr A-Z a-z)" send alice@example.org "$LIST" 'Alice <alice@example.org>' 'release it' m1@example.org
is "$rc" 0 "#release from a member: exit 0"
C=$(held "$H4" .case)
is "$(held "$H4" '.state + "|" + .decided_by')" "released|alice@example.org" "... the item is released, by her"
is "$(ncase)" $((c + 1)) "... one case: the item's, none for her mail"
is "$(q "SELECT kind || '|' || coalesce(case_id, '') FROM messages WHERE message_id = 'm1@example.org'")" "command|" \
	"... her mail is stored as a command on no case"
copy=$(fresh_to bob@example.org)
is "$(echo "$copy" | grep -c .)" 1 "... the team gets one mail: the released item's copy"
check "... which says who released it" grep -q "^Released: *$H4, released by alice@example.org" "$copy"
is "$(q "SELECT case_id FROM messages WHERE message_id = 'h4@scan.example'")" "$C" "... and the item's mail is on the case"
mark
BODY="#release $H4
#release HELD-$Y-0099" send alice@example.org "$LIST" 'Alice <alice@example.org>' 'again' m2@example.org
is "$(ncase)/$(fresh_count)" "$((c + 1))/1" "#release of a released item and of none: nothing changes, one notice"
n=$(fresh)
check "... to the team, saying why" sh -c "grep -q '$H4 was released already, as $C' '$n' && grep -q 'there is no held item HELD-$Y-0099' '$n'"

done_testing
