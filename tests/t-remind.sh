#!/bin/sh
# t-remind.sh - embargoctl remind through the real binaries: reports
# delivered at fixed times (EMBARGO_NOW), then the clock moved with --now.
# A reminder a day before a deadline and one when it has passed, each once
# however often remind runs; none for a met deadline or a closed case; a
# deadline moved by #urgent reminded of again; one mail per case and run,
# to every member, without the report's subject or text; exit statuses.
. "$top_srcdir/tests/lib.sh"
# The acknowledgement (cncf: 3 business days) is due in 1 when urgent.
setup 'deadline.acknowledge.urgent_days = 1'
sed -i 's|^\[embargo\]$|[embargo]\ntimezone = Europe/Amsterdam|' "$EMBARGO_CONFIG"
members alice@example.org bob@example.org
DB=$T/state/embargo.db
q() { sqlite3 "$DB" "$@"; }

# c ARGS...: embargoctl, keeping $rc, stdout in $out and stderr in $err
c() {
	"$EMBARGOCTL" "$@" > "$T/ctl.out" 2> "$T/ctl.err"
	rc=$?
	out=$(cat "$T/ctl.out")
	err=$(cat "$T/ctl.err")
}
# remind at TIME: $rc, $out (one line per reminder sent), $mails (new mail files)
ls "$T/sent" > "$T/seen"
remind_at() {
	c remind --now "$1"
	ls "$T/sent" | grep '\.msg$' | grep -vxF -f "$T/seen" | sed "s|^|$T/sent/|" > "$T/new"
	ls "$T/sent" > "$T/seen"
	mails=$(cat "$T/new")
}
mail_count() { [ -z "$mails" ] && echo 0 || echo "$mails" | grep -c .; }
# the new mail about CASE
mail_of() { for f in $mails; do grep -q "^X-Embargo-Case: $1\$" "$f" && echo "$f"; done; }
line_of() { echo "$out" | grep "^$1 " ; }

# Four reports on Monday 23 Nov 2026; the acknowledgement of each is due
# three business days later, on Thursday at the same time (10:00 CET is
# 09:00 UTC).
deliver() { # deliver TIME MESSAGE-ID SUBJECT
	EMBARGO_NOW=$1 send jane@example.net $LIST 'Jane Doe <jane@example.net>' "$3" "$2"
}
deliver 2026-11-23T09:00:00Z a@example.net 'Heap overflow in parser'
deliver 2026-11-23T09:30:00Z b@example.net 'Stack overflow in lexer'
deliver 2026-11-23T09:40:00Z c@example.net 'Spam that was closed'
deliver 2026-11-23T09:50:00Z d@example.net 'Public exploit for the daemon'
is "$(q 'SELECT COUNT(*) FROM cases')" 4 "four reports, four cases"
A=SEC-2026-0001 B=SEC-2026-0002 C=SEC-2026-0003 D=SEC-2026-0004
is "$(q "SELECT created_at FROM cases WHERE id = '$A'")" 2026-11-23T09:00:00Z "EMBARGO_NOW fixed the time of the delivery"
ls "$T/sent" > "$T/seen"

# --- case show --json: the deadlines and the lifecycle fields ---
j=$(show $A)
is "$(echo "$j" | jqr '.deadlines | length')" 1 "case show --json lists the policy's deadline"
is "$(echo "$j" | jqr '.deadlines[0].name')" acknowledge "by name"
is "$(echo "$j" | jqr '.deadlines[0].promise')" "feedback on your report with a plan" "with the policy's promise"
is "$(echo "$j" | jqr '.deadlines[0].due')" 2026-11-26T09:00:00Z "due 3 business days after receipt (UTC)"
is "$(echo "$j" | jqr '.deadlines[0].met_at')" null "not met yet"
is "$(echo "$j" | jqr '.stage')" received "stage is the case's status"
is "$(echo "$j" | jqr '.status')" received "status is still there"
is "$(echo "$j" | jqr '[.severity, .cvss, .assignee, .urgent, .resolution, .duplicate_of, .embargo_until] | map(tostring) | join(",")')" \
	"null,null,null,null,null,null,null" "unset fields are null"
is "$(echo "$j" | jqr '.cves | type')" array "cves is an array"
check "case show's text names the deadline" sh -c "'$EMBARGOCTL' case show $A | grep -q 'acknowledge.*due 2026-11-26 10:00 CET'"

# --- nothing due: nothing sent ---
remind_at 2026-11-23T12:00:00Z
is "$rc" 0 "remind with nothing due: exit 0"
is "$out" "" "it prints nothing"
is "$(mail_count)" 0 "and mails nothing"
is "$(q 'SELECT COUNT(*) FROM reminders')" 0 "and records nothing"

# C is closed; D is made urgent at 13:00 (its acknowledgement: Tue 13:00 UTC)
q "UPDATE cases SET status = 'closed', resolution = 'invalid' WHERE id = '$C';
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$C', 'closed', '2026-11-23T10:00:00Z');
   UPDATE cases SET urgent = 'exploit published' WHERE id = '$D';
   INSERT INTO events (case_id, at, actor, what) VALUES ('$D', '2026-11-23T13:00:00Z', 'alice@example.org', 'urgent');
   UPDATE cases SET assignee = 'alice@example.org' WHERE id = '$A'"
is "$(show $D | jqr '.deadlines[0].due')" 2026-11-24T13:00:00Z "urgent: due one business day after it was made urgent"
is "$(show $D | jqr '.urgent')" "exploit published" "case show --json: urgent is the reason"

# --- a deadline within a day: one "soon" reminder ---
remind_at 2026-11-23T14:00:00Z
is "$rc" 0 "remind within a day of the urgent deadline: exit 0"
is "$out" "$D acknowledge soon 2026-11-24T13:00:00Z" "one line: case, deadline, soon, due"
is "$(mail_count)" 1 "one mail"
m=$(mail_of $D)
is "$(hdr "$m" Subject)" "[$D] Reminder: acknowledge due 2026-11-24 14:00 CET" "its subject names the deadline and the due time in the list's time zone"
check "the reminder goes to alice" grep -qx alice@example.org "${m%.msg}.args.done"
check "and to bob" grep -qx bob@example.org "${m%.msg}.args.done"
check "it comes from the list" sh -c "sed -n '/^-f\$/{n;p;}' '${m%.msg}.args.done' | grep -qx $LIST"
check "its Reply-To is the case's team thread" grep -qi "^Reply-To: security+$D@example.org" "$m"
check "it is marked Auto-Submitted" grep -qi '^Auto-Submitted: auto-generated' "$m"
check "it names the promise" grep -q 'feedback on your report with a plan' "$m"
check "it says how long is left" grep -q 'in 23 hours' "$m"
check "it names the stage" grep -q '^Stage: *received' "$m"
check "it names the handler (none yet)" grep -q '^Handler: *nobody yet' "$m"
check "it says why the case is urgent" grep -q 'exploit published' "$m"
check "it does not quote the report's subject" sh -c "! grep -qi 'Public exploit for the daemon' '$m'"
check "nor its text" sh -c "! grep -q 'Details of the problem' '$m'"
is "$(q "SELECT kind FROM outbox WHERE message_id = (SELECT message_id FROM outbox ORDER BY id DESC LIMIT 1)")" reminder "the outbox row is of kind reminder"
is "$(q "SELECT case_id FROM outbox ORDER BY id DESC LIMIT 1")" "$D" "with the case set"

# --- again: nothing new ---
remind_at 2026-11-23T14:00:00Z
is "$out" "" "run again at once: nothing"
is "$(mail_count)" 0 "no second mail"
remind_at 2026-11-24T12:59:00Z
is "$out" "" "run again later, still before the deadline: nothing"
is "$(mail_count)" 0 "no mail"

# --- past due: one "passed" reminder ---
remind_at 2026-11-24T13:00:00Z
is "$out" "$D acknowledge passed 2026-11-24T13:00:00Z" "at the due time: one 'passed' reminder"
is "$(mail_count)" 1 "one mail"
m=$(mail_of $D)
is "$(hdr "$m" Subject)" "[$D] Overdue: acknowledge due 2026-11-24 14:00 CET" "its subject says overdue"
remind_at 2026-11-24T18:00:00Z
is "$out" "" "and only once"
is "$(mail_count)" 0 "no mail"

# --- the due time moves: reminded of again ---
# D is no longer urgent: its deadline is Thursday 09:50 UTC again, a new due
# time, so a day before it there is a new "soon" reminder.
q "UPDATE cases SET urgent = NULL WHERE id = '$D'"
remind_at 2026-11-25T10:00:00Z
is "$rc" 0 "Wednesday 10:00 UTC: exit 0"
is "$(line_of $A)" "$A acknowledge soon 2026-11-26T09:00:00Z" "A is due within a day"
is "$(line_of $B)" "$B acknowledge soon 2026-11-26T09:30:00Z" "so is B"
is "$(line_of $D)" "$D acknowledge soon 2026-11-26T09:50:00Z" "D's moved deadline is reminded of again"
is "$(line_of $C)" "" "the closed case C is not"
is "$(mail_count)" 3 "one mail per case"
m=$(mail_of $A)
check "A's reminder names its handler" grep -q '^Handler: *alice@example.org' "$m"
check "A's reminder does not quote its subject" sh -c "! grep -qi 'Heap overflow' '$m'"
is "$(hdr "$m" Subject)" "[$A] Reminder: acknowledge due 2026-11-26 10:00 CET" "A's subject"

# --- a deadline met: nothing more ---
q "UPDATE cases SET first_answer_at = '2026-11-25T12:00:00Z' WHERE id = '$B'"
is "$(show $B | jqr '.deadlines[0].met_at')" 2026-11-25T12:00:00Z "case show: met at the first answer"
is "$(show $B | jqr '.first_answer_at')" 2026-11-25T12:00:00Z "case show: first_answer_at"
remind_at 2026-11-26T09:40:00Z
is "$out" "$A acknowledge passed 2026-11-26T09:00:00Z" "past A's and B's due times: only A, whose deadline is not met"
is "$(mail_count)" 1 "one mail"
remind_at 2026-11-26T09:50:00Z
is "$out" "$D acknowledge passed 2026-11-26T09:50:00Z" "then D"
remind_at 2026-12-20T00:00:00Z
is "$out" "" "weeks later: nothing new"
is "$(q "SELECT COUNT(*) FROM reminders WHERE case_id = '$C'")" 0 "the closed case was never reminded of"
is "$(q "SELECT COUNT(*) FROM reminders WHERE case_id = '$B' AND threshold = 'passed'")" 0 "nor B's met deadline as passed"
is "$(q 'SELECT COUNT(*) FROM reminders')" 7 "seven reminders in all"

# --- exit statuses ---
c remind --now yesterday
is "$rc" 64 "remind --now that is not a time: 64"
c remind extra
is "$rc" 64 "remind with an argument: 64"
c remind --bogus
is "$rc" 64 "remind with an unknown option: 64"
check "the usage names remind" grep -q 'remind \[--now TIME\]' "$T/ctl.err"
sed "s|^state_dir = .*|state_dir = $T/fresh|" "$EMBARGO_CONFIG" > "$T/fresh.conf"
c -c "$T/fresh.conf" remind
is "$rc" 78 "remind before init: 78"

# --- one mail for several deadlines; a failed send is kept, not repeated ---
rm -rf "$T"
# codegate: acknowledge in 1 day; advisory and release in 1 day when urgent.
setup
sed -i 's/^policy = cncf$/policy = codegate/' "$EMBARGO_CONFIG"
members alice@example.org
DB=$T/state/embargo.db
EMBARGO_NOW=2026-11-23T09:00:00Z send jane@example.net $LIST 'Jane <jane@example.net>' 'Remote code execution' e@example.net
E=SEC-2026-0001
q "UPDATE cases SET urgent = 'public' WHERE id = '$E';
   INSERT INTO events (case_id, at, actor, what) VALUES ('$E', '2026-11-23T09:00:00Z', 'alice@example.org', 'urgent')"
ls "$T/sent" > "$T/seen"
touch "$T/sendmail.fail"
remind_at 2026-11-23T12:00:00Z
is "$rc" 75 "sendmail failing: remind exits 75"
is "$(echo "$out" | grep -c "^$E ")" 3 "three deadlines due within a day are reminded of"
is "$(q "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder' AND state = 'pending'")" 1 "in one mail, left pending"
rm "$T/sendmail.fail"
remind_at 2026-11-23T12:30:00Z
is "$rc" 0 "sendmail back: exit 0"
is "$out" "" "no reminder is recorded twice"
is "$(mail_count)" 1 "the pending reminder is sent by the next run"
m=$mails
is "$(hdr "$m" Subject)" "[$E] Reminder: acknowledge due 2026-11-24 09:00 UTC (and 2 more)" "one subject for three deadlines"
check "the mail names the advisory deadline" grep -q 'advisory: a draft advisory' "$m"
check "and the release" grep -q 'release: the fix released' "$m"
is "$(q "SELECT COUNT(*) FROM outbox WHERE kind = 'reminder'")" 1 "one reminder mail in all"

done_testing
