#!/bin/sh
# t-dedup.sh - "delivered twice, processed once": a redelivered message (same
# Message-ID and same bytes, give or take pipe(8)'s leading From_ line) makes
# no second case, message row or mail; its pending outbox is flushed; its
# spool copy is not kept. A reused Message-ID with other content is new mail.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z

ncases() { ctl case list --json | jqr length; }
nmessages() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM messages"; }
nspool() { ls "$T/state/spool/new" | grep -c .; }
ntmp() { ls "$T/state/spool/tmp" | grep -c .; }

## the same bytes twice
msg 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net > "$T/r1.eml"
mda jane@example.net $LIST < "$T/r1.eml"
is "$rc" 0 "first delivery: exit 0"
is "$(ncases)" 1 "first delivery: one case"
is "$(sent_count)" 2 "first delivery: an ack and a team copy"
is "$(nspool)" 1 "first delivery: the message is spooled"
mda jane@example.net $LIST < "$T/r1.eml"
is "$rc" 0 "the same message again: exit 0"
is "$(ncases)" 1 "the same message again: still one case"
is "$(nmessages)" 1 "the same message again: still one message row"
is "$(sent_count)" 2 "the same message again: no second ack, no second team copy"
is "$(sent_to_count jane@example.net)" 1 "the reporter still has exactly one acknowledgement"
is "$(show SEC-2026-0001 | jqr '.outbox | length')" 2 "the same message again: no new outbox row"
is "$(nspool)" 1 "the spool copy of the duplicate is not kept"
is "$(ntmp)" 0 "and nothing is left in spool/tmp"
check "the log says it was a duplicate" grep -qi duplicate "$T/mda.err"

## the same bytes behind a different mbox From_ line (pipe(8)'s F flag)
{ echo 'From jane@example.net  Mon Nov 23 10:00:01 2026'; cat "$T/r1.eml"; } > "$T/r1-from1.eml"
{ echo 'From MAILER-DAEMON  Tue Nov 24 11:30:00 2026'; cat "$T/r1.eml"; } > "$T/r1-from2.eml"
mda jane@example.net $LIST < "$T/r1-from1.eml"
is "$rc" 0 "with a leading From_ line: exit 0"
is "$(nmessages)" 1 "with a leading From_ line: still a duplicate"
is "$(sent_count)" 2 "with a leading From_ line: nothing sent"
mda jane@example.net $LIST < "$T/r1-from2.eml"
is "$(nmessages)" 1 "with another From_ line: still a duplicate"
is "$(ncases)" 1 "no new case"
is "$(sent_count)" 2 "nothing sent"
is "$(nspool)" 1 "no spool copy kept for either"

# and the other way round: first with a From_ line, then without
msg 'Jane Doe <jane@example.net>' 'Second problem' r2@example.net > "$T/r2.eml"
{ echo 'From jane@example.net  Mon Nov 23 10:00:01 2026'; cat "$T/r2.eml"; } > "$T/r2-from.eml"
mda jane@example.net $LIST < "$T/r2-from.eml"
is "$(ncases)" 2 "a report behind a From_ line opens a case"
is "$(show SEC-2026-0002 | jqr '.subject')" "Second problem" "... and its headers are read past the From_ line"
is "$(show SEC-2026-0002 | jqr '.messages[0].message_id')" "r2@example.net" "... including its Message-ID"
n=$(sent_count)
mda jane@example.net $LIST < "$T/r2.eml"
is "$rc" 0 "the same report without the From_ line: exit 0"
is "$(nmessages)" 2 "... is a duplicate"
is "$(sent_count)" "$n" "... and sends nothing"

## the same Message-ID with other content is a new message
BODY='A different problem altogether.' msg 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net > "$T/r1b.eml"
mda jane@example.net $LIST < "$T/r1b.eml"
is "$rc" 0 "same Message-ID, other body: exit 0"
is "$(nmessages)" 3 "same Message-ID, other body: a second message row"
is "$(ncases)" 3 "... and, with no tag, a new report"
is "$(show SEC-2026-0003 | jqr '.messages[0].kind')" report "... stored as a report"
is "$(sent_count)" $((n + 2)) "... acknowledged and copied to the team"
is "$(nspool)" 3 "... and its spool copy kept"
mda jane@example.net $LIST < "$T/r1b.eml"
is "$(nmessages)" 3 "and that one redelivered is a duplicate in turn"

## two different messages without a Message-ID are both kept; each one twice is one
printf 'From: kim@example.net\nTo: security@example.org\nSubject: no id one\n\nfirst\n' > "$T/noid1.eml"
printf 'From: kim@example.net\nTo: security@example.org\nSubject: no id two\n\nsecond\n' > "$T/noid2.eml"
c=$(ncases)
mda kim@example.net $LIST < "$T/noid1.eml"
mda kim@example.net $LIST < "$T/noid2.eml"
is "$(ncases)" $((c + 2)) "two messages without a Message-ID: two cases"
n=$(sent_count)
mda kim@example.net $LIST < "$T/noid1.eml"
is "$rc" 0 "a message without a Message-ID redelivered: exit 0"
is "$(ncases)" $((c + 2)) "... no new case"
is "$(sent_count)" "$n" "... nothing sent"

## a duplicate whose first delivery left its mails pending
msg 'Lee <lee@example.net>' 'Pending problem' p1@example.net > "$T/p1.eml"
touch "$T/sendmail.fail"
n=$(sent_count)
mda lee@example.net $LIST < "$T/p1.eml"
is "$rc" 0 "sendmail failing: the first delivery still exits 0"
P=$(ctl case list --json | jqr '.[-1].id')
is "$(show "$P" | jqr '[.outbox[].state] | unique | join(",")')" pending "its ack and team copy are pending"
is "$(show "$P" | jqr '.outbox | length')" 2 "two outbox rows"
is "$(sent_count)" "$n" "nothing was sent"
# another message's pending row, to see the redelivery touches only its own
msg 'Other <other@example.net>' 'Other pending problem' p2@example.net > "$T/p2.eml"
mda other@example.net $LIST < "$T/p2.eml"
O=$(ctl case list --json | jqr '.[-1].id')
rm -f "$T/sendmail.fail"
c=$(ncases); m=$(nmessages); s=$(nspool)
mda lee@example.net $LIST < "$T/p1.eml"
is "$rc" 0 "the redelivery: exit 0"
is "$(show "$P" | jqr '[.outbox[].state] | unique | join(",")')" sent "the redelivery sends the pending rows"
is "$(sent_count)" $((n + 2)) "exactly those two mails"
is "$(sent_to_count lee@example.net)" 1 "the reporter gets one acknowledgement"
is "$(show "$P" | jqr '.outbox | length')" 2 "the redelivery queues nothing new"
is "$(ncases)" "$c" "the redelivery opens no case"
is "$(nmessages)" "$m" "the redelivery adds no message row"
is "$(nspool)" "$s" "the redelivery's spool copy is not kept"
mda lee@example.net $LIST < "$T/p1.eml"
is "$(sent_count)" $((n + 2)) "a third delivery sends nothing more"
ctl outbox flush >/dev/null
is "$(show "$O" | jqr '[.outbox[].state] | unique | join(",")')" sent "another message's pending rows go out with a flush"

## the same message delivered five times at once
msg 'Cy <cy@example.net>' 'Race' c1@example.net > "$T/c1.eml"
c=$(ncases); m=$(nmessages); n=$(sent_count)
for i in 1 2 3 4 5; do
	( "$EMBARGO_MDA" -f cy@example.net -- $LIST < "$T/c1.eml" 2>/dev/null; echo $? > "$T/rc.$i" ) &
done
wait
is "$(cat "$T"/rc.? | sort -u | paste -sd, -)" 0 "five simultaneous deliveries: all exit 0"
is "$(ncases)" $((c + 1)) "... one case"
is "$(nmessages)" $((m + 1)) "... one message row"
is "$(sent_count)" $((n + 2)) "... one ack and one team copy"
is "$(sent_to_count cy@example.net)" 1 "... the reporter acknowledged once"

done_testing
