#!/bin/bash
# End to end through a real, private Postfix instance (tests/e2e/postfix-env.sh):
# envelope addresses that are not ASCII, as SMTPUTF8 clients send them, reach
# embargo-mda through the pipe(8) transport of contrib/postfix/ in argv, in
# the C locale. Each is delivered (status=sent, never deferred), opens a
# case, and the team's copies reach the sink. Runs as root in its own
# namespaces; skipped otherwise.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
e2e_start

# smtputf8 FROM TO FILE: one SMTP session from 192.0.2.10 declaring SMTPUTF8;
# $rc is 0 when the DATA was accepted.
smtputf8() {
	python3 - "$E2E_PORT" "$1" "$2" "$3" >"$T/smtp.out" 2>&1 <<'EOF'
import smtplib, sys
port, sender, rcpt, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(path, 'rb') as f:
    data = f.read()
s = smtplib.SMTP('127.0.0.1', port, source_address=('192.0.2.10', 0), timeout=30)
s.ehlo('client.pass.test')
s.sendmail(sender, [rcpt], data, mail_options=['SMTPUTF8'])
s.quit()
EOF
	rc=$?
}
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }
sent_for() { grep -c "to=<$1>, relay=embargo,.*status=sent" "$T/maillog"; }

# --- a UTF-8 envelope sender ---
mail_file "$T/m1" "Jorg <jorg@pass.test>" "$LIST" "UTF-8 sender" u1@pass.test
smtputf8 'jörg@exämple.org' "$LIST" "$T/m1"
is "$rc" 0 "smtpd accepts MAIL FROM:<jörg@exämple.org> SMTPUTF8"
check "embargo-mda delivers it (status=sent)" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=embargo,.*status=sent"
check "it is never deferred" sh -c "! grep -q 'relay=embargo,.*status=deferred' '$T/maillog'"
case1=$(e2e_ctl case list | awk '{print $1}' | head -1)
is "$case1" SEC-2026-0001 "a case is open"
is "$(e2e_ctl case show "$case1" --json | jq -r '.messages[0].envelope_from')" 'jörg@exämple.org' \
	"the case names the sender as given"
check "alice's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks alice@team.test 1
check "bob's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks bob@team.test 1
check "the queue drains" settle

# --- a UTF-8 recipient extension ---
mail_file "$T/m2" "Rita <rita@pass.test>" "security+jörg@example.org" "UTF-8 extension" u2@pass.test
smtputf8 rita@pass.test 'security+jörg@example.org' "$T/m2"
is "$rc" 0 "smtpd accepts RCPT TO:<security+jörg@example.org> with SMTPUTF8"
check "embargo-mda delivers it (status=sent)" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<security\\+jörg@example.org>, relay=embargo,.*status=sent"
is "$(e2e_ctl case list | grep -c .)" 2 "it opens a second case"
check "alice's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks alice@team.test 2
check "the reporter's acknowledgement reaches the sink" wait_for "$E2E_TIMEOUT" sinks rita@pass.test 1
check "the queue drains" settle
check "nothing was deferred" sh -c "! grep -q 'relay=embargo,.*status=deferred' '$T/maillog'"

done_testing
