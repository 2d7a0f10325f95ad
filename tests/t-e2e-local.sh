#!/bin/bash
# End to end through the other route contrib/postfix/main.cf.snippet
# documents: example.org a local domain, local(8) running embargo-mda for
# the account "security" from mailbox_command_maps, with the command line
# taken from the snippet as shipped. A report and a follow-up to a +case
# address, the environment's null sender, and a transient failure kept in
# the queue until embargo-mda recovers. Runs as root in its own namespaces
# (tests/e2e/postfix-env.sh); skipped otherwise.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
e2e_start

REP=reporter@pass.test
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }

# The account: "security", with the uid of the user the state directory
# belongs to, in the namespace's own /etc/passwd.
uid=$(id -u "$E2E_USER") gid=$(getent group "$E2E_GROUP" | cut -d: -f3)
{ cat /etc/passwd; echo "security:x:$uid:$gid:Security list:/nonexistent:/usr/sbin/nologin"; } > "$T/passwd"
mount --bind "$T/passwd" /etc/passwd || e2e_bail "cannot bind-mount /etc/passwd"

# The command as the snippet ships it, with the built program and the
# test's configuration file.
line=$(sed -n 's/^#[[:space:]]*\(security[[:space:]].*embargo-mda.*\)$/\1/p' \
	"$top_srcdir/contrib/postfix/main.cf.snippet")
[ -n "$line" ] || e2e_bail "no mailbox_command_maps line in main.cf.snippet"
echo "$line" | sed "s|[^ ]*/embargo-mda|$EMBARGO_MDA -c $T/embargo.conf|" > "$PF/embargo_commands"
postmap -c "$PF" "hash:$PF/embargo_commands" || e2e_bail "postmap of embargo_commands failed"
postconf -c "$PF" -e "mydestination = example.org" "relay_domains =" "relay_recipient_maps =" \
	"transport_maps =" "local_recipient_maps = inline:{ security=ok }" \
	"mailbox_command_maps = hash:$PF/embargo_commands"
echo "local     unix  -       n       n       -       -       local" >> "$PF/master.cf"
postfix -c "$PF" reload >/dev/null 2>&1 || e2e_bail "postfix reload failed"
wait_for "$E2E_TIMEOUT" maillog_has "postfix/master.*reload -- version" ||
	e2e_bail "the master did not log its reload"

# --- a report: local(8) runs the snippet's command, a case is opened, the
# acknowledgement and the team's copies come out
mail_file "$T/m1" "Rita Reporter <$REP>" "$LIST" "Heap overflow in the parser" l1@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/m1"
is "$rc" 0 "smtpd accepts a report for the local account"
check "local(8) delivers it through the mailbox command" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=local,.*status=sent \\(delivered to command"
is "$(e2e_ctl case list | awk '{print $1}')" SEC-2026-0001 "embargo-mda opened case SEC-2026-0001"
is "$(e2e_ctl case show SEC-2026-0001 --json | jq -r .reporter)" "$REP" \
	"the reporter is \$SENDER, the envelope sender"
check "the acknowledgement reaches the sink" wait_for "$E2E_TIMEOUT" sinks "$REP" 1
is "$(sink_sender "$(sink_to "$REP" | head -1)")" "" "... with a null envelope sender"
check "alice's copy reaches the sink" wait_for "$E2E_TIMEOUT" sinks alice@team.test 1
team=$(sink_to alice@team.test | head -1)
is "$(hdr "$team" Subject | grep -c 'Heap overflow')" 1 "the team's copy keeps the subject"
check "the From line and Delivered-To of local(8) are not taken for headers of the report" \
	sh -c "! grep -q -e '^Delivered-To:' -e '^From ' '$team'"
check "the queue drains" settle

# --- a follow-up to the case address: $RECIPIENT keeps the +extension
mail_file "$T/m2" "$REP" "security+SEC-2026-0001@example.org" "more details" l2@pass.test
smtp 192.0.2.10 "$REP" security+SEC-2026-0001@example.org "$T/m2"
is "$rc" 0 "smtpd accepts mail for security+SEC-2026-0001@example.org"
check "the follow-up reaches alice" wait_for "$E2E_TIMEOUT" sinks alice@team.test 2
is "$(e2e_ctl case list | grep -c .)" 1 "the follow-up opens no new case"
is "$(e2e_ctl case show SEC-2026-0001 --json | jq '.messages | length')" 2 \
	"the case holds the report and the follow-up"
check "the queue drains" settle

# --- mail with the null sender (a bounce of a team member's answer, say)
# reaches embargo-mda as -f "", stored, and answered by nobody
acks=$(sink_to_count "$REP")
mail_file "$T/m3" "MAILER-DAEMON@pass.test" "$LIST" "Undelivered Mail Returned to Sender" l3@pass.test \
	"Auto-Submitted: auto-replied"
smtp 192.0.2.10 "" "$LIST" "$T/m3"
is "$rc" 0 "smtpd accepts null-sender mail for the list"
check "local(8) delivers it" wait_for "$E2E_TIMEOUT" sh -c "[ \$(grep -c 'to=<$LIST>, relay=local,.*status=sent' '$T/maillog') -ge 2 ]"
check "the queue drains" settle
check "embargo-mda stored it" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT count(*) FROM messages WHERE message_id = 'l3@pass.test'\" | grep -qx 1"
is "$(sink_to_count MAILER-DAEMON@pass.test)" 0 "nothing goes back to the From: of null-sender mail"
is "$(sink_to_count "$REP")" "$acks" "and the reporter gets nothing new"

# --- transient failure: exit 75 through /bin/sh and local(8) is a deferral;
# the report stays queued and is delivered once embargo-mda recovers
R4=carol@pass.test
chmod 000 "$T/state"
mail_file "$T/m4" "$R4" "$LIST" "Auth bypass" l4@pass.test
smtp 192.0.2.10 "$R4" "$LIST" "$T/m4"
is "$rc" 0 "smtpd accepts a report while embargo-mda cannot store it"
check "local(8) defers it (4.3.0)" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<$LIST>, relay=local,.*dsn=4\\.3\\.0, status=deferred"
is "$(queue_for "$LIST" | jq -r .queue_name)" deferred "the report waits in the deferred queue"
chmod 700 "$T/state"
is "$(e2e_ctl case list | grep -c .)" 1 "still one case before the retry"
postqueue -c "$PF" -f
check "after a flush the report is delivered and acknowledged" wait_for "$E2E_TIMEOUT" sinks "$R4" 1
check "the queue drains" settle
is "$(e2e_ctl case list | grep -c .)" 2 "the deferred report opened its case"

# --- an extension that names no case: a new report to the list, as on the
# transport route (route.c), not a bounce
mail_file "$T/m5" "$REP" "security+NOPE-1@example.org" "hello" l5@pass.test
smtp 192.0.2.10 "$REP" security+NOPE-1@example.org "$T/m5"
is "$rc" 0 "a +extension that names no case is accepted at SMTP"
check "local(8) delivers it to the command" \
	wait_for "$E2E_TIMEOUT" maillog_has "to=<security\\+NOPE-1@example.org>, relay=local,.*status=sent"
check "the queue drains" settle
is "$(sqlite3 "$T/state/embargo.db" "SELECT case_id FROM messages WHERE message_id = 'l5@pass.test'")" \
	SEC-2026-0003 "it opened a case of its own"

done_testing
