#!/bin/bash
# Member impersonation through a private Postfix with embargo-milter (the
# "Trust" issue, item 1). A stranger forges a member's address as envelope
# sender and From, adds Authentication-Results fields that claim our
# authserv-id (spf, dkim and dmarc passes), and writes to the reporter's
# case address in every spelling Postfix delivers to the list: the milter
# must judge each one, remove the forged fields, and embargo-mda must take
# the mail as a stranger's (stored as a follow-up, nothing to the
# reporter). The same through sendmail(1) (non_smtpd_milters), and mail
# that never met the milter at all is a stranger's too ([milter] required).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
E2E_MILTER_CONF="rate_limit = 1000/600"
e2e_start
[ "$E2E_MILTER" = yes ] || e2e_skip "embargo-milter is still the stub that does not filter"
command -v sqlite3 >/dev/null 2>&1 || e2e_skip "sqlite3 not installed"

REP=reporter@pass.test
ID=mx.example.org
DB=$T/state/embargo.db
sinks() { [ "$(sink_to_count "$1")" -ge "$2" ]; }
kind() { sqlite3 "$DB" "SELECT kind FROM messages WHERE message_id = '$1'"; }
stored() { [ -n "$(kind "$1")" ]; }
raw() { grep -r -l -F "Message-ID: <$1>" "$T/state/spool" | head -1; }
# ours MESSAGE-ID: the Authentication-Results fields of our authserv-id in
# the message as embargo-mda got it, one per line
ours() { f=$(raw "$1"); [ -n "$f" ] && grep -i "^Authentication-Results: *$ID[ ;]" "$f"; }
FORGED1="Authentication-Results: $ID; spf=pass smtp.mailfrom=alice@team.test"
FORGED2="Authentication-Results: $ID; dkim=pass header.d=team.test header.i=@team.test"
FORGED3="Authentication-Results: $ID; dmarc=pass (p=reject dis=none) header.from=team.test"

# --- a report opens the case; the reporter is acknowledged
mail_file "$T/r1" "$REP" "$LIST" "Heap overflow in the parser" r1@pass.test
smtp 192.0.2.10 "$REP" "$LIST" "$T/r1"
is "$rc" 0 "a report is accepted"
check "the reporter is acknowledged" wait_for "$E2E_TIMEOUT" sinks "$REP" 1
check "the queue drains" settle
C=$(e2e_ctl case list | awk '{print $1}' | head -1)
check "the report opened a case" test -n "$C"
ANSWER="security+$C-reporter@example.org"

# --- the real member, from the host team.test's SPF allows: her answer
# through a quoted local part reaches the reporter (the spelling is judged,
# and tagged with an spf=pass embargo-mda believes)
mail_file "$T/ok" "alice@team.test" "$ANSWER" "Re: Heap overflow" ok1@team.test
smtp 192.0.2.30 alice@team.test "\"${ANSWER%@*}\"@example.org" "$T/ok"
is "$rc" 0 "the member's answer to a quoted case address is accepted"
check "it is stored" wait_for "$E2E_TIMEOUT" stored ok1@team.test
is "$(kind ok1@team.test)" answer "it is the member's answer"
check "it reaches the reporter" wait_for "$E2E_TIMEOUT" sinks "$REP" 2
is "$(ours ok1@team.test)" "Authentication-Results: $ID; spf=pass smtp.mailfrom=alice@team.test" \
	"it carries the milter's field alone"
check "the queue drains" settle

# --- the forger, from a host team.test's SPF does not allow, in every
# spelling, with forged fields of our authserv-id
n=0
forge() { # forge DESCRIPTION RCPT
	n=$((n + 1))
	mail_file "$T/f$n" "alice@team.test" "$ANSWER" "Re: Heap overflow" "f$n@team.test" \
		"$FORGED1" "$FORGED2" "$FORGED3"
	smtp 192.0.2.10 alice@team.test "$2" "$T/f$n"
	is "$rc" 0 "$1: accepted (spf_fail = tag)"
	if ! wait_for "$E2E_TIMEOUT" stored "f$n@team.test"; then
		ok 0 "$1: reaches embargo-mda"; return
	fi
	is "$(kind "f$n@team.test")" followup "$1: a stranger's follow-up, not a member's answer"
	is "$(ours "f$n@team.test")" "Authentication-Results: $ID; spf=fail smtp.mailfrom=alice@team.test" \
		"$1: the forged fields are gone, the milter's spf=fail is there"
}
local_part=${ANSWER%@*}
forge "the plain address" "$ANSWER"
forge "a quoted local part" "\"$local_part\"@example.org"
forge "a quoted local part with a backslash" "\"\\s$(echo "$local_part" | cut -c2-)\"@example.org"
forge "a trailing dot in the domain" "$local_part@example.org."
forge "a source route" "@relay.example:$ANSWER"
forge "upper case" "$(echo "$ANSWER" | tr a-z A-Z)"
forge "a +extension in upper case and a quoted, dotted domain" "\"$(echo "$local_part" | tr a-z A-Z)\"@EXAMPLE.org."

# a forged command to the team's case address, quoted
stage=$(e2e_ctl case show "$C" --json | jq -r .stage)
BODY='#status triaged' mail_file "$T/cmd" "alice@team.test" "security+$C@example.org" "Re: Heap overflow" cmd1@team.test \
	"$FORGED1" "$FORGED2" "$FORGED3"
smtp 192.0.2.10 alice@team.test "\"security+$C\"@example.org" "$T/cmd"
check "a forged command reaches embargo-mda" wait_for "$E2E_TIMEOUT" stored cmd1@team.test
is "$(kind cmd1@team.test)" followup "it is a stranger's follow-up"
is "$(e2e_ctl case show "$C" --json | jq -r .stage)" "$stage" "its command is not applied"
check "the queue drains" settle
is "$(sink_to_count "$REP")" 2 "no forged answer reached the reporter"

# --- local submission: sendmail(1) runs non_smtpd_milters
submit() { # submit MESSAGE-ID [HEADER...]: alice's "answer" through sendmail as nobody
	_m=$1; shift
	mail_file "$T/$_m" "alice@team.test" "$ANSWER" "Re: Heap overflow" "$_m" "$@"
	as_user sendmail -C "$PF" -i -f alice@team.test "$ANSWER" < "$T/$_m"
}
submit l1@team.test "$FORGED1" "$FORGED2" "$FORGED3"
is "$?" 0 "sendmail(1) takes a forged answer from a local user"
check "it reaches embargo-mda" wait_for "$E2E_TIMEOUT" stored l1@team.test
is "$(kind l1@team.test)" followup "a local user with forged fields is a stranger"
check "the forged fields are gone" sh -c "! grep -i -q -e 'spf=pass' -e 'dkim=pass' -e 'dmarc=pass' '$(raw l1@team.test)'"
submit l2@team.test
check "without any field: it reaches embargo-mda" wait_for "$E2E_TIMEOUT" stored l2@team.test
is "$(kind l2@team.test)" followup "a local user without forged fields is a stranger too"
check "the queue drains" settle
is "$(sink_to_count "$REP")" 2 "nothing submitted locally reached the reporter"

# --- mail that met no milter at all (here: the milter is left out of
# sendmail(1)'s path) is a stranger's: absence of proof is no proof
postconf -c "$PF" -e "non_smtpd_milters ="
postfix -c "$PF" reload >/dev/null 2>&1 || e2e_bail "postfix reload failed"
wait_for "$E2E_TIMEOUT" maillog_has "postfix/master.*reload -- version" ||
	e2e_bail "the master did not log its reload"
submit l3@team.test
check "without the milter: it reaches embargo-mda" wait_for "$E2E_TIMEOUT" stored l3@team.test
is "$(kind l3@team.test)" followup "mail without a trusted Authentication-Results is a stranger's"
is "$(ours l3@team.test)" "" "... it carries no field of ours"
check "the queue drains" settle
is "$(sink_to_count "$REP")" 2 "and it did not reach the reporter"

done_testing
