#!/bin/sh
# t-outbox-retry.sh - one unsendable outbox row never holds back the rest
# (Trust issue, item 7): a team copy larger than the MTA takes is refused
# (tests/fake-sendmail's max-size, exit 69 as Postfix's sendmail); the
# mails queued after it still go out, from embargo-mda and from "outbox
# flush"; the refused row is retried with a growing back-off, shown by
# "outbox list" and "case show", given up after [embargo] outbox_give_up
# with the team told exactly once; a notice that cannot be sent either is
# given up without another notice; "outbox flush --all" ignores the back-off.
. "$top_srcdir/tests/lib.sh"
setup
sed -i 's/^\[embargo\]$/[embargo]\noutbox_give_up = 1d/' "$T/embargo.conf"
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z

db() { sqlite3 "$T/state/embargo.db" "$@"; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
# flush_at TIME: "embargoctl outbox flush" at TIME, output in $out, status in $frc
flush_at() { out=$(EMBARGO_NOW=$1 ctl outbox flush 2>"$T/flush.err"); frc=$?; }
row() { db "SELECT $2 FROM outbox WHERE id = $1"; }
n=0
report() { n=$((n + 1)); send "$1" $LIST "$1" "Problem $n" "rep$n@example.net"; }
undelivered_mails() { grep -l '^Subject: .*Undelivered' "$T"/sent/*.msg 2>/dev/null | grep -c .; }

## a team copy larger than the MTA takes
echo 20000 > "$T/sendmail.max-size"
BODY=$(head -c 30000 /dev/zero | tr '\0' 'x' | fold -w 76)
report big@example.net
BODY=
is "$rc" 0 "an oversized report: embargo-mda exits 0"
BIG=$(lastcase)
DEAD=$(db "SELECT id FROM outbox WHERE case_id = '$BIG' AND kind = 'team-copy'")
is "$(sent_to_count big@example.net)" 1 "its acknowledgement is sent"
is "$(row $DEAD state)/$(row $DEAD attempts)" "pending/1" "its team copy is refused once and left pending"
check "last_error says why ($(row $DEAD last_error))" sh -c "db() { :; }; echo '$(row $DEAD last_error)' | grep -q 'exit status 69.*message file too big'"
is "$(row $DEAD next_attempt)" "2026-11-23T10:05:00Z" "a refused row is due again in 5 minutes"
is "$(row $DEAD first_failure)" "2026-11-23T10:00:00Z" "first_failure is the refusal's time"

## embargo-mda still sends what it just queued
report small@example.net
is "$(sent_to_count small@example.net)" 1 "a later report's acknowledgement goes out at once"
is "$(db "SELECT count(*) FROM outbox WHERE case_id = '$(lastcase)' AND state = 'sent'")" 2 "... and its team copy"

## mail queued while the MTA was down goes out behind the dead row: more than a batch of it
touch "$T/sendmail.fail"
for i in 1 2 3 4 5 6; do report "late$i@example.net"; done
rm -f "$T/sendmail.fail"
is "$(db "SELECT count(*) FROM outbox WHERE state = 'pending'")" 13 "(the dead row and twelve rows of six reports pending)"
is "$(db "SELECT count(*) FROM outbox WHERE state = 'pending' AND next_attempt IS NULL AND attempts = 1")" 12 "a failure of the MTA as a whole leaves those rows due"
flush_at 2026-11-23T10:01:00Z
is "$frc" 75 "outbox flush: 75 while the dead row waits"
is "$out" "12 sent, 0 failed, 1 pending" "every due row is sent, the dead row is not due yet"
for i in 1 2 3 4 5 6; do
	is "$(sent_to_count "late$i@example.net")" 1 "late report $i: acknowledged"
done
is "$(row $DEAD attempts)" 1 "the dead row was not tried before its time"

## the back-off: 5 minutes, then 10, then 20...
flush_at 2026-11-23T10:04:59Z
is "$(row $DEAD attempts)" 1 "10:04:59: not tried"
flush_at 2026-11-23T10:05:00Z
is "$frc/$out" "75/0 sent, 1 failed, 1 pending" "10:05: tried, refused again"
is "$(row $DEAD next_attempt)" "2026-11-23T10:15:00Z" "next try 10 minutes later"
flush_at 2026-11-23T10:14:00Z
is "$(row $DEAD attempts)" 2 "10:14: not tried"
flush_at 2026-11-23T10:15:00Z
is "$(row $DEAD attempts)/$(row $DEAD next_attempt)" "3/2026-11-23T10:35:00Z" "10:15: tried, next try 20 minutes later"
is "$(row $DEAD first_failure)" "2026-11-23T10:00:00Z" "first_failure stays the first"

## outbox list and case show show the stuck row
ctl outbox list > "$T/list.txt"
check "outbox list names the row, case and kind" grep -q "^$DEAD  $LIST  $BIG  team-copy  to " "$T/list.txt"
check "outbox list gives attempts, first failure and next attempt" grep -q "3 attempts, failing since 2026-11-23T10:00:00Z, next 2026-11-23T10:35:00Z" "$T/list.txt"
check "outbox list gives the last error" grep -q "last error: sendmail: exit status 69" "$T/list.txt"
is "$(grep -c '^[0-9]' "$T/list.txt")" 1 "outbox list shows only the unsent row"
j=$(ctl outbox list --json)
is "$(echo "$j" | jqr '.[0] | [.id, .case, .kind, (.recipients | join(",")), .attempts, .next_attempt, .first_failure, .given_up] | map(tostring) | join(" ")')" \
	"$DEAD $BIG team-copy alice@example.org,bob@example.org 3 2026-11-23T10:35:00Z 2026-11-23T10:00:00Z false" "outbox list --json: the row's fields"
check "outbox list --json: last_error" sh -c "echo '$j' | jq -e '.[0].last_error | test(\"message file too big\")' >/dev/null"
is "$(show $BIG | jqr ".outbox[] | select(.id == $DEAD) | [.state, .attempts, .next_attempt, .first_failure, .given_up, .given_up_at] | map(tostring) | join(\" \")")" \
	"pending 3 2026-11-23T10:35:00Z 2026-11-23T10:00:00Z false null" "case show --json: the stuck row's retry fields"
ctl case show $BIG > "$T/show.txt"
check "case show: the stuck row says how often it failed and when it is tried next" grep -q "3 attempts, failing since 2026-11-23T10:00:00Z, next 2026-11-23T10:35:00Z" "$T/show.txt"
check "case show: ... and why" grep -q "last error: sendmail: exit status 69" "$T/show.txt"

## given up after outbox_give_up (1d here), the team told once
flush_at 2026-11-24T09:00:00Z
is "$(row $DEAD given_up_at)" "" "before a day has passed: not given up"
is "$(undelivered_mails)" 0 "... and no notice"
flush_at 2026-11-24T14:00:00Z
is "$frc" 0 "past a day: outbox flush exits 0 (nothing left to send)"
is "$out" "1 sent, 1 failed, 0 pending, 1 given up (the team is told)" "outbox flush says it gave up a row (and sent the notice)"
is "$(row $DEAD given_up_at)" "2026-11-24T14:00:00Z" "the row is given up"
is "$(undelivered_mails)" 1 "the team is told in the same flush"
notice=$(grep -l '^Subject: .*Undelivered' "$T"/sent/*.msg)
is "$(rcpts "$notice")" "alice@example.org,bob@example.org" "the notice goes to the team"
is "$(hdr "$notice" Subject)" "[$BIG] Undelivered: 1 mail given up" "its subject names the case"
check "it names what was not delivered" grep -q "$BIG  team-copy to alice@example.org, bob@example.org" "$notice"
check "it says why" grep -q "last error: sendmail: exit status 69" "$notice"
check "it does not carry the mail itself" sh -c "! grep -q xxxxxxxxxxxxxxxxxxxx '$notice'"
a=$(row $DEAD attempts)
flush_at 2026-11-25T14:00:00Z
flush_at 2026-11-30T14:00:00Z
is "$(row $DEAD attempts)" "$a" "a given-up row is never tried again"
is "$(undelivered_mails)" 1 "and the team is told only once"
is "$frc" 0 "outbox flush: 0"
ctl outbox list > "$T/list.txt"
check "outbox list shows the given-up row as such" grep -q "GIVEN UP 2026-11-24T14:00:00Z" "$T/list.txt"
is "$(ctl outbox list --json | jqr '.[0].given_up')" true "outbox list --json: given_up"
check "case show shows it given up" grep -q "team-copy given-up" "$(ctl case show $BIG > "$T/show.txt"; echo "$T/show.txt")"

## a notice that cannot be sent either is given up without a notice about it
export EMBARGO_NOW=2026-12-01T10:00:00Z
echo 100 > "$T/sendmail.max-size"
report doomed@example.net
D=$(lastcase)
is "$(db "SELECT count(*) FROM outbox WHERE case_id = '$D' AND state = 'pending' AND next_attempt IS NOT NULL")" 2 "(everything refused: both of its rows back off)"
flush_at 2026-12-02T11:00:00Z
is "$(db "SELECT count(*) FROM outbox WHERE case_id = '$D' AND given_up_at IS NOT NULL")" 2 "both rows given up after a day"
is "$(db "SELECT count(*) FROM outbox WHERE kind = 'undelivered' AND state = 'pending'")" 1 "the notice about them is queued, and refused too"
for t in 2026-12-03T12:00:00Z 2026-12-04T12:00:00Z 2026-12-05T12:00:00Z 2026-12-09T12:00:00Z; do flush_at $t; done
is "$(db "SELECT count(*) FROM outbox WHERE kind = 'undelivered'")" 2 "no notice about a notice: two notices in all"
is "$(db "SELECT count(*) FROM outbox WHERE kind = 'undelivered' AND given_up_at IS NOT NULL")" 1 "the unsendable notice is given up"
is "$frc" 0 "outbox flush: 0, nothing loops"

## outbox flush --all tries a backed-off row now (the MTA was just repaired)
export EMBARGO_NOW=2026-12-10T10:00:00Z
report again@example.net
R=$(db "SELECT id FROM outbox WHERE case_id = '$(lastcase)' AND kind = 'ack'")
is "$(row $R attempts)/$(row $R next_attempt)" "1/2026-12-10T10:05:00Z" "(a refused ack, due at 10:05)"
rm -f "$T/sendmail.max-size"
flush_at 2026-12-10T10:01:00Z
is "$(row $R state)/$(row $R attempts)" "pending/1" "outbox flush leaves it to its time"
out=$(EMBARGO_NOW=2026-12-10T10:01:00Z ctl outbox flush --all); frc=$?
is "$frc" 0 "outbox flush --all: 0"
is "$(row $R state)" sent "outbox flush --all sent it before its time"
is "$(db "SELECT count(*) FROM outbox WHERE given_up_at IS NOT NULL AND state = 'sent'")" 0 "given-up rows stay unsent"

## a mass expiry: one notice, listing the first 50 rows and counting the rest
export EMBARGO_NOW=2026-12-20T10:00:00Z
echo 20000 > "$T/sendmail.max-size"
BODY=$(head -c 30000 /dev/zero | tr '\0' 'y' | fold -w 76)
for i in $(seq 1 51); do report "mass$i@example.net"; done
BODY=
is "$(db "SELECT count(*) FROM outbox WHERE state = 'pending' AND given_up_at IS NULL")" 51 "(51 team copies refused)"
mark
flush_at 2026-12-21T11:00:00Z
is "$out" "1 sent, 51 failed, 0 pending, 51 given up (the team is told)" "51 given up at once"
f=$(fresh)
is "$(hdr "$f" Subject)" "Undelivered: 51 mails given up" "one notice for all of them"
is "$(grep -c '^      Message-ID: <' "$f")" 50 "it describes the first 50"
check "and counts the rest" grep -q '^  \.\.\. and 1 more\.$' "$f"
rm -f "$T/sendmail.max-size"

## a broken configuration value is refused with its line
sed -i 's/^outbox_give_up = 1d$/outbox_give_up = soon/' "$T/embargo.conf"
ctl outbox list >/dev/null 2>"$T/err"
is "$?" 78 "outbox_give_up = soon: 78"
check "the error names the key" grep -q "outbox_give_up" "$T/err"

done_testing
