#!/bin/sh
# t-outbox.sh - the outbox (issue 2, plain-mail path, item 4): a failing
# sendmail leaves rows pending without deferring the message; "embargoctl
# outbox flush" retries them, exits 75 while any is left, sends each mail
# exactly once with the Message-ID fixed in its row; sendmail's failure is
# recorded; a hanging sendmail is bounded.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z

ncases() { ctl case list --json | jqr length; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
db() { sqlite3 "$T/state/embargo.db" "$@"; }
npending() { db "SELECT count(*) FROM outbox WHERE state = 'pending'"; }
nrows() { db "SELECT count(*) FROM outbox"; }
# flush: runs "embargoctl outbox flush", keeping its output in $out and status in $frc
flush() { out=$(ctl outbox flush 2>"$T/flush.err"); frc=$?; }
has() { echo "$1" | grep -q -- "$2"; }   # has TEXT REGEX
n=0
report() { n=$((n + 1)); send "$1" $LIST "$1" "Problem $n" "rep$n@example.net"; }
# a sendmail script in place of the fake one: sendmail_script 'SHELL TEXT'
sendmail_script() { printf '#!/bin/sh\n%s\n' "$1" > "$T/sendmail"; chmod +x "$T/sendmail"; }
fake_sendmail() { cp "$top_srcdir/tests/fake-sendmail" "$T/sendmail"; }

## sendmail fails: the message is still delivered and its mails wait
touch "$T/sendmail.fail"
report jane@example.net
is "$rc" 0 "sendmail failing: embargo-mda still exits 0"
C=$(lastcase)
is "$(ncases)" 1 "sendmail failing: the case exists"
is "$(show $C | jqr '.outbox | length')" 2 "sendmail failing: the ack and the team copy are in the outbox"
is "$(show $C | jqr '[.outbox[].state] | unique | join(",")')" pending "sendmail failing: both rows are pending"
is "$(show $C | jqr '[.outbox[].attempts] | max >= 1')" true "sendmail failing: the delivery tried to send (attempts >= 1)"
is "$(show $C | jqr '[.outbox[] | select(.sent_at != null)] | length')" 0 "sendmail failing: no row has a sent_at"
check "sendmail failing: last_error says why" has "$(show $C | jqr '.outbox[].last_error')" 'told to fail'
is "$(sent_count)" 0 "sendmail failing: nothing was sent"
check "sendmail failing: the log points to 'embargoctl outbox flush'" grep -q 'outbox flush' "$T/mda.err"

flush
is "$frc" 75 "outbox flush while sendmail fails: exit 75"
check "outbox flush prints the pending count" has "$out" '2 pending'
is "$(show $C | jqr '[.outbox[].attempts] | max >= 2')" true "outbox flush counted another attempt"
is "$(sent_count)" 0 "still nothing sent"
flush
is "$frc" 75 "a second flush while sendmail fails: exit 75 again"

rm -f "$T/sendmail.fail"
flush
is "$frc" 0 "outbox flush once sendmail works: exit 0"
is "$out" "2 sent, 0 failed, 0 pending" "outbox flush reports what it did"
is "$(show $C | jqr '[.outbox[].state] | unique | join(",")')" sent "every row is sent"
is "$(show $C | jqr '[.outbox[] | select(.sent_at == null or .last_error != null)] | length')" 0 "sent rows have sent_at and no last_error"
is "$(sent_count)" 2 "two mails sent"
is "$(sent_to_count jane@example.net)" 1 "the reporter got one acknowledgement"
is "$(sent_to_count alice@example.org)" 1 "a member got one team copy"
flush
is "$frc" 0 "a second flush: exit 0"
is "$out" "0 sent, 0 failed, 0 pending" "a second flush sends nothing"
is "$(sent_count)" 2 "no mail is sent twice"

# every row's Message-ID is the Message-Id of exactly one sent mail, with the row's recipients
show $C | jqr '.outbox[] | .message_id + " " + (.recipients | join(","))' > "$T/rows"
ok_ids=0
while read -r mid rcpts; do
	files=$(grep -lix "Message-Id: <$mid>" "$T"/sent/*.msg)
	[ "$(echo "$files" | grep -c .)" = 1 ] &&
		[ "$(sed '1,/^--$/d' "${files%.msg}.args.done" | paste -sd, -)" = "$rcpts" ] &&
		ok_ids=$((ok_ids + 1))
done < "$T/rows"
is "$ok_ids" 2 "each row's message_id is the Message-Id of the one mail sent for it, to its recipients"
is "$(grep -hi '^Message-Id:' "$T"/sent/*.msg | sort -u | wc -l)" 2 "the two mails have distinct Message-Ids"

## sendmail's arguments: -i -f FROM -- RECIPIENTS, -i once, never -t
ack=$(sent_to jane@example.net)
is "$(paste -sd' ' "${ack%.msg}.args.done")" "-i -f <> -- jane@example.net" "sendmail gets -i -f <> -- RECIPIENT for the ack"
sed -i "s|^sendmail = .*|sendmail = $T/sendmail|" "$T/embargo.conf"
report kim@example.net
is "$(sed -n 1p "$(sent_to kim@example.net | sed 's/\.msg$/.args.done/')")" "-i" "-i is added when the configured command lacks it"
check "sendmail is never run with -t" sh -c "! cat $T/sent/*.args.done | grep -qx -- -t"

## pending rows of several cases go out with one flush
touch "$T/sendmail.fail"
report lee@example.net
report max@example.net
is "$(npending)" 4 "two more reports with sendmail failing: four rows pending"
rm -f "$T/sendmail.fail"
s=$(sent_count)
flush
is "$frc/$out" "0/4 sent, 0 failed, 0 pending" "one flush sends the pending rows of every case"
is "$(sent_count)" $((s + 4)) "four more mails"

## a sendmail that exits non-zero with output: last_error keeps its status and first line
sendmail_script 'cat >/dev/null; echo "550 5.7.1 relaying denied for you"; echo "second line"; exit 1'
report ned@example.net
C=$(lastcase)
is "$rc" 0 "sendmail exit 1: embargo-mda exits 0"
e=$(show $C | jqr '[.outbox[] | select(.last_error != null)] | .[0].last_error')
check "last_error records the exit status ($e)" has "$e" 'exit status 1'
check "last_error records sendmail's first line of output" has "$e" '550 5.7.1 relaying denied for you'
check "last_error holds one line only" test "$(echo "$e" | grep -c 'second line')" = 0
sendmail_script 'cat >/dev/null; echo "postdrop: warning: unable to look up public/pickup" >&2; exit 75'
report ola@example.net
C=$(lastcase)
e=$(show $C | jqr '[.outbox[] | select(.last_error != null)] | .[0].last_error')
check "last_error records output on stderr too ($e)" has "$e" 'exit status 75.*unable to look up public/pickup'
sendmail_script 'cat >/dev/null; kill -9 $$'
report pat@example.net
C=$(lastcase)
is "$rc" 0 "sendmail killed by a signal: embargo-mda exits 0"
check "last_error names the signal" has "$(show $C | jqr '.outbox[].last_error')" 'signal 9'
sed -i "s|^sendmail = .*|sendmail = $T/no-such-sendmail -i|" "$T/embargo.conf"
report quin@example.net
C=$(lastcase)
is "$rc" 0 "sendmail missing: embargo-mda exits 0"
is "$(show $C | jqr '[.outbox[].state] | unique | join(",")')" pending "sendmail missing: rows pending"
check "sendmail missing: last_error says so" has "$(show $C | jqr '.outbox[].last_error')" 'sendmail: '
sed -i "s|^sendmail = .*|sendmail = $T/sendmail -i|" "$T/embargo.conf"
fake_sendmail
s=$(sent_count); p=$(npending)
flush
is "$frc" 0 "with sendmail repaired, flush sends everything left"
is "$(sent_count)" $((s + p)) "... one mail per pending row"
is "$(npending)" 0 "... and nothing is pending"

## two flushes at once never send a row twice
touch "$T/sendmail.fail"
report rae@example.net
report sid@example.net
report ted@example.net
rm -f "$T/sendmail.fail"
p=$(npending); s=$(sent_count)
cp "$top_srcdir/tests/fake-sendmail" "$T/fake-sendmail"
sendmail_script "sleep 0.2; exec '$T/fake-sendmail' \"\$@\""
( ctl outbox flush >/dev/null 2>&1; echo $? > "$T/f1.rc" ) &
( ctl outbox flush >/dev/null 2>&1; echo $? > "$T/f2.rc" ) &
wait
is "$p" 6 "(six rows pending before the race)"
is "$(sent_count)" $((s + p)) "two flushes at once: each pending row sent exactly once"
is "$(grep -hi '^Message-Id:' "$T"/sent/*.msg | sort | uniq -d | grep -c .)" 0 "no Message-Id was sent twice"
is "$(cat "$T/f1.rc" "$T/f2.rc" | sort -u | paste -sd, -)" 0 "both flushes exit 0"
is "$(npending)" 0 "nothing pending afterwards"
fake_sendmail

## a sendmail that exits without reading a large message: an error, not a SIGPIPE
sendmail_script 'exit 0'
BODY=$(head -c 300000 /dev/zero | tr '\0' 'x' | fold -w 76)
report pipe@example.net
BODY=
is "$rc" 0 "sendmail not reading its input: embargo-mda exits 0, not killed by SIGPIPE"
sendmail_script 'exit 1'
report pipe2@example.net
flush
is "$frc" 75 "sendmail exiting 1 without reading: outbox flush exits 75, not killed by SIGPIPE"
fake_sendmail
flush

## a hanging sendmail is bounded
# With time_limit = 5, embargo-mda must not wait on a hung sendmail past its own limit.
sed -i 's/^\[embargo\]$/[embargo]\ntime_limit = 5/' "$T/embargo.conf"
sendmail_script "echo \$\$ >> '$T/hang.pids'; exec sleep 40"
start=$(date +%s)
report uma@example.net
took=$(($(date +%s) - start))
C=$(lastcase)
for pid in $(cat "$T/hang.pids" 2>/dev/null); do kill "$pid" 2>/dev/null; done
check "a hanging sendmail: embargo-mda returns within its time_limit (took ${took}s)" test "$took" -le 12
is "$(show $C | jqr '.messages | length')" 1 "a hanging sendmail: the report is stored"
is "$(show $C | jqr '[.outbox[].state] | unique | join(",")')" pending "a hanging sendmail: its rows stay pending"
is "$rc" 0 "a hanging sendmail after the commit: embargo-mda exits 0 (the message is safe)"
check "a hanging sendmail is killed after its timeout and the row says so" has "$(show $C | jqr '.outbox[].last_error')" 'no answer within'

fake_sendmail
sed -i '/^time_limit = 5$/d' "$T/embargo.conf"
flush
is "$frc" 0 "after the hang, a flush sends the rows"

done_testing
