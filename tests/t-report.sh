#!/bin/sh
# t-report.sh - the main path through the real embargo-mda and embargoctl:
# a new report, the acknowledgement, the team copy, and case show's JSON.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org

send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net
is "$rc" 0 "a new report is delivered with exit 0"
is "$(ctl case list --json | jqr 'length')" 1 "one case is open"
id=$(ctl case list --json | jqr '.[0].id')
is "$id" "SEC-$(date -u +%Y)-0001" "the case id is PREFIX-YEAR-0001"
j=$(show "$id")
is "$(echo "$j" | jqr .list)" "$LIST" "case show names the list"
is "$(echo "$j" | jqr .status)" received "the case starts in the policy's first stage"
is "$(echo "$j" | jqr .subject)" "Heap overflow in parser" "the case keeps the report's subject"
is "$(echo "$j" | jqr .reporter)" jane@example.net "the reporter is the From address"
check "created_at is a UTC timestamp" sh -c "echo '$(echo "$j" | jqr .created_at)' | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$'"
is "$(echo "$j" | jqr '.messages | length')" 1 "one message is stored"
is "$(echo "$j" | jqr '.messages[0].kind')" report "it is stored as a report"
is "$(echo "$j" | jqr '.messages[0].from')" jane@example.net "with its sender"
is "$(echo "$j" | jqr '[.outbox[] | .kind] | sort | join(",")')" "ack,team-copy" "an acknowledgement and a team copy are queued"
is "$(echo "$j" | jqr '[.outbox[] | .state] | unique | join(",")')" sent "and both are sent"

ack=$(sent_to jane@example.net)
is "$(echo "$ack" | grep -c .)" 1 "the reporter gets exactly one mail"
check "the acknowledgement carries the case id in its subject" grep -q "^Subject: .*\[$id\]" "$ack"
check "the acknowledgement is marked Auto-Submitted: auto-replied" grep -qi '^Auto-Submitted: auto-replied' "$ack"
check "the acknowledgement answers the report (In-Reply-To)" grep -qi '^In-Reply-To: <r1@example.net>' "$ack"
check "the acknowledgement says by when the team answers" grep -q ' by [A-Z][a-z][a-z] [0-9][0-9] ' "$ack"
check "the acknowledgement never quotes the report" sh -c "! grep -q 'Details of the problem' '$ack'"
is "$(sed -n '/^-f$/{n;p;}' "$ack.args.done" 2>/dev/null || sed -n '/^-f$/{n;p;}' "${ack%.msg}.args.done")" "<>" "the acknowledgement goes out with a null return path"
check "sendmail is never run with -t" sh -c "! grep -qx -- -t $T/sent/*.args.done"

copy=$(sent_to alice@example.org)
is "$(echo "$copy" | grep -c .)" 1 "a member gets one copy"
check "the same copy goes to every member" grep -qx bob@example.org "${copy%.msg}.args.done"
check "the copy comes from the list address" sh -c "echo '$(hdr "$copy" From)' | grep -q '<security@example.org>\$'"
check "the copy names the original sender" sh -c "echo '$(hdr "$copy" From)' | grep -q 'Jane Doe'"
check "its Reply-To is the case's team address" grep -qi "^Reply-To: security+$id@example.org" "$copy"
check "it carries the case tag" grep -q "^Subject: \[$id\] Heap overflow in parser" "$copy"
check "it carries List-Id" grep -qi '^List-Id: ' "$copy"
check "it carries the loop header" grep -qi '^X-Embargo-Loop: security@example.org' "$copy"
check "it starts with the summary block" grep -q "^Case: *$id" "$copy"
check "the summary names both case addresses" grep -q "security+$id-reporter@example.org" "$copy"
check "the original text is intact" grep -q 'Details of the problem.' "$copy"
check "the envelope sender of the copy is the list" sh -c "sed -n '/^-f\$/{n;p;}' '${copy%.msg}.args.done' | grep -qx $LIST"
check "the raw message is spooled" sh -c "ls $T/state/spool/new | grep -q ."
check "the state directory is private" sh -c "[ \"\$(stat -c %a $T/state)\" = 700 ]"

done_testing
