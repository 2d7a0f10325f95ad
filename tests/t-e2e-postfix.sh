#!/bin/bash
# End to end through a real, private Postfix instance (tests/e2e/postfix-env.sh):
# SMTP in, queue, the pipe(8) transport of contrib/postfix/, the built
# embargo-mda, its mail out through Postfix's sendmail to a loopback sink.
# Retries of transient failures, bounces, redelivery. Runs as root in its
# own namespaces; skipped otherwise.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
e2e_start

REP=reporter@pass.test
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }

# --- a report over SMTP opens a case; acknowledgement and team copies come out
mail_file "$T/m1" "Rita Reporter <$REP>" "$LIST" "Heap overflow in the parser" r1@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/m1"
is "$rc" 0 "smtpd accepts a report for $LIST"
check "the report is delivered through the embargo transport" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=embargo,.*status=sent"
is "$(e2e_ctl case list | awk '{print $1}')" SEC-2026-0001 "embargo-mda opened case SEC-2026-0001"
check "the reporter's acknowledgement reaches the sink" wait_for "$E2E_TIMEOUT" sinks "$REP" 1
ack=$(sink_to "$REP" | head -1)
is "$(sink_sender "$ack")" "" "the acknowledgement has a null envelope sender"
case $(hdr "$ack" Subject) in *'[SEC-2026-0001]'*) ok 1 "the acknowledgement names the case" ;;
	*) ok 0 "the acknowledgement names the case" ;; esac
is "$(hdr "$ack" Auto-Submitted)" auto-replied "the acknowledgement is marked Auto-Submitted"
check "alice's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks alice@team.test 1
check "bob's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks bob@team.test 1
team=$(sink_to alice@team.test | head -1)
is "$(sink_sender "$team")" "$LIST" "the team's copy comes from the list address"
is "$(hdr "$team" Reply-To)" "security+SEC-2026-0001@example.org" \
	"the team's copy answers to the case's thread"
check "the queue drains" settle

# --- a follow-up to a +case address passes recipient_delimiter, the
# recipient table and the transport table, and lands on the case
mail_file "$T/m2" "$REP" "security+SEC-2026-0001@example.org" "more details" r2@pass.test
smtp 192.0.2.10 "$REP" security+SEC-2026-0001@example.org "$T/m2"
is "$rc" 0 "smtpd accepts mail for security+SEC-2026-0001@example.org"
check "the follow-up reaches alice" wait_for "$E2E_TIMEOUT" sinks alice@team.test 2
is "$(e2e_ctl case list | grep -c .)" 1 "the follow-up opens no new case"
is "$(e2e_ctl case show SEC-2026-0001 --json | jq '.messages | length')" 2 \
	"the case holds the report and the follow-up"
check "the queue drains" settle
acks=$(sink_to_count "$REP")
is "$acks" 1 "a follow-up is not acknowledged again"

# --- an address that is no list: refused at SMTP, or bounced by embargo-mda
mail_file "$T/m3" "$REP" nosuch@example.org "hello" r3@pass.test
smtp 192.0.2.10 "$REP" nosuch@example.org "$T/m3"
is "$rc" 24 "an unknown address of the domain is refused at RCPT"
check "with 550 5.1.1" grep -q '550 5.1.1' "$T/swaks.out"
mail_file "$T/m4" "$REP" other@example.org "hello" r4@pass.test
smtp 192.0.2.10 "$REP" other@example.org "$T/m4"
is "$rc" 0 "an address routed to embargo that names no list is accepted at SMTP"
check "embargo-mda refuses it and Postfix bounces it (5.1.1)" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<other@example.org>, relay=embargo,.*dsn=5\\.1\\.1, status=bounced"
check "the bounce reaches the sender" wait_for "$E2E_TIMEOUT" sinks "$REP" 2
bounce=$(ls -t $(sink_to "$REP") | head -1)
is "$(sink_sender "$bounce")" "" "the bounce has a null envelope sender"
check "the bounce says why" grep -q 'other@example.org' "$bounce"
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 1 "no case for the unknown address"

# --- transient failure: the state directory is unusable, so embargo-mda
# exits 75; Postfix keeps the report queued and delivers it once it recovers
R5=carol@pass.test   # a new sender each time: acknowledgements per sender are limited
chmod 000 "$T/state"
mail_file "$T/m5" "$R5" "$LIST" "Auth bypass" r5@pass.test
smtp 192.0.2.10 "$R5" "$LIST" "$T/m5"
is "$rc" 0 "smtpd accepts the report while embargo-mda cannot store it"
check "the delivery is deferred with 4.3.0" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=embargo,.*dsn=4\\.3\\.0, status=deferred"
q=$(queue_for "$LIST")
is "$(echo "$q" | jq -r .queue_name)" deferred "the report waits in the deferred queue"
check "the reason is embargo-mda's" sh -c "echo '$q' | jq -r '.recipients[0].delay_reason' | grep -q embargo"
chmod 700 "$T/state"
is "$(e2e_ctl case list | grep -c .)" 1 "still one case before the retry"
postqueue -c "$PF" -f
check "after a flush the report is delivered" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=embargo,.*SEC-2026-0002.*status=sent|to=<$LIST>, relay=embargo,.*status=sent.*SEC-2026-0002"
check "and acknowledged" wait_for "$E2E_TIMEOUT" sinks "$R5" 1
is "$(e2e_ctl case list | grep -c .)" 2 "the deferred report opened its case"
check "the queue drains" settle

# --- a broken configuration is a transient failure too
R6=dave@pass.test
cp "$T/embargo.conf" "$T/embargo.conf.good"
echo "this line is not a key" >> "$T/embargo.conf"
mail_file "$T/m6" "$R6" "$LIST" "XSS in the admin page" r6@pass.test
smtp 192.0.2.10 "$R6" "$LIST" "$T/m6"
check "with a broken embargo.conf the delivery is deferred" \
	wait_for "$E2E_TIMEOUT" sh -c "[ \$(grep -c 'relay=embargo,.*status=deferred' '$T/maillog') -ge 2 ]"
is "$(queue_for "$LIST" | jq -r .queue_name)" deferred "the report waits in the queue"
cp "$T/embargo.conf.good" "$T/embargo.conf"
postqueue -c "$PF" -f
check "once the file is fixed it is delivered" wait_for "$E2E_TIMEOUT" sinks "$R6" 1
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 3 "and opened its case"

# --- redelivery: Postfix delivers the very same queue file twice (as after
# a crash between embargo-mda's exit and the queue manager's bookkeeping);
# no second case, message or mail
R7=erin@pass.test
postconf -c "$PF" -e "defer_transports = embargo"
postfix -c "$PF" reload >/dev/null 2>&1
mail_file "$T/m7" "$R7" "$LIST" "SQL injection in search" r7@pass.test
smtp 192.0.2.10 "$R7" "$LIST" "$T/m7"
check "with defer_transports the report stays queued" \
	wait_for "$E2E_TIMEOUT" sh -c "queue_for() { postqueue -c '$PF' -j | grep -F '$LIST'; }; queue_for | grep -q deferred"
qid=$(queue_for "$LIST" | jq -r .queue_id)
qfile=$(find "$T/queue/deferred" -type f -name "$qid")
check "its queue file is found" test -f "$qfile"
cp -p "$qfile" "$T/saved-queue-file"
postconf -c "$PF" -e "defer_transports ="
postfix -c "$PF" reload >/dev/null 2>&1
postqueue -c "$PF" -f
check "the first delivery opens a case" wait_for "$E2E_TIMEOUT" sinks "$R7" 1
check "the queue drains" settle
mails=$(sink_count)
cases=$(e2e_ctl case list | grep -c .)
is "$cases" 4 "four cases now"
cp -p "$T/saved-queue-file" "$qfile"
postqueue -c "$PF" -f
check "the same queue file is delivered a second time" \
	wait_for "$E2E_TIMEOUT" sh -c "[ \$(grep -c '$qid: to=<$LIST>, relay=embargo,.*status=sent' '$T/maillog') = 2 ]"
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" "$cases" "the redelivery opens no case"
last=$(e2e_ctl case list | awk '{print $1}' | sort | tail -1)
is "$(e2e_ctl case show "$last" --json | jq '.messages | length')" 1 "and stores no second message"
is "$(sink_count)" "$mails" "and sends no mail"

# --- the same report sent again over SMTP (a client that lost the 250 after
# its DATA retries): Postfix queues it anew with its own Received: line
delivered() { grep -c "to=<$LIST>, relay=embargo,.*status=sent" "$T/maillog"; }
before=$(delivered)
smtp 192.0.2.10 "$R7" "$LIST" "$T/m7"
is "$rc" 0 "the same report is accepted again at SMTP"
check "and delivered" wait_for "$E2E_TIMEOUT" sh -c "[ \$(grep -c 'to=<$LIST>, relay=embargo,.*status=sent' '$T/maillog') -gt $before ]"
check "the queue drains" settle
n=$(e2e_ctl case list | grep -c .)
is "$n" "$cases" "a resent report opens no second case (the digest leaves out the trace fields)"

done_testing
