#!/bin/sh
# t-scenario.sh - each of the five policy presets played end to end by mail
# through the real embargo-mda and embargoctl, the clock moved with
# EMBARGO_NOW and "remind --now" (issue 5, "Tests"): report, acknowledgement,
# the reminders that fire when the team is late, first human answer, triage
# with severity and CVSS, CVE, handler, pre-release notification where the
# policy has one, fix, release, the reporter told, the retrospective where
# the policy asks for one, close.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
DOM=example.org
_tmps=""

field() { show "$C" | jqr "$1"; }
q() { sqlite3 "$T/state/embargo.db" "$1"; }
# at TIME: the clock of the next deliveries
at() { export EMBARGO_NOW=$1; }
# team TIME TEXT [-reporter]: alice writes TEXT to the team's (or the reporter's) address of $C
team() {
	at "$1"
	BODY=$2 send alice@example.org "security+$C$3@$DOM" 'Alice <alice@example.org>' "Re: [$C] report" "m$(date +%s%N)@example.org"
}
# remind TIME: runs the reminders; prints "deadline:threshold" of the reminders recorded by it
remind() {
	_before=$(q "SELECT count(*) FROM reminders")
	ctl remind --now "$1" > "$T/remind.out" 2>&1
	echo $? > "$T/remind.rc"
	q "SELECT deadline || ':' || threshold FROM reminders ORDER BY rowid LIMIT -1 OFFSET $_before" | paste -sd' ' -
}
dl() { show "$C" | jqr ".deadlines[] | select(.name == \"$1\") | .$2"; }
# confirmation: the team's confirmation among the fresh mails
confirmation() { fresh_to alice@example.org | xargs grep -l 'Commands from' 2>/dev/null | head -1; }

# start PRESET [EXTRA-LIST-LINES]: a fresh list with that policy, two members, one report
start() {
	setup "${2:-}"
	_tmps="$_tmps $T"
	sed -i "s/^policy = .*/policy = $1/" "$T/embargo.conf"
	members alice@example.org bob@example.org
	P=$1
	at 2026-11-23T10:00:00Z   # a Monday
	mark
	send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Remote code execution in the parser' "r-$1@example.net"
	C=SEC-2026-0001
	is "$rc" 0 "$P: the report is delivered"
	ack=$(fresh_to jane@example.net)
	is "$(echo "$ack" | grep -c .)" 1 "$P: the reporter is acknowledged"
	check "$P: the acknowledgement carries the case id" grep -q "\[$C\]" "$ack"
	is "$(field .stage)" received "$P: the case starts as received"
	is "$(field .first_answer_at)" null "$P: the acknowledgement is not the human answer"
}

# told_release: the reporter's mail after a release
told_release() {
	_t=$(fresh_to jane@example.net | xargs grep -l 'has been released' | head -1)
	check "$P: the reporter is told of the release" test -n "$_t"
	check "$P: ... with the CVE id" grep -q 'CVE-2026-40001' "$_t"
	check "$P: ... with the credit" grep -q 'Credit: Jane Doe' "$_t"
}

## ---------------------------------------------------------------- cncf
start cncf
is "$(dl acknowledge due)" 2026-11-26T10:00:00Z "cncf: feedback due in 3 business days"
is "$(remind 2026-11-24T10:00:00Z)" "" "cncf: two days ahead: no reminder"
mark
is "$(remind 2026-11-25T12:00:00Z)" "acknowledge:soon" "cncf: within a day of the deadline: one reminder"
is "$(cat "$T/remind.rc")" 0 "cncf: remind exits 0"
r=$(fresh_to alice@example.org)
check "cncf: the reminder reaches the team" test -n "$r"
check "cncf: the reminder does not carry the report's subject" sh -c "! grep -q 'Remote code execution' $r"
is "$(remind 2026-11-25T13:00:00Z)" "" "cncf: run again: nothing new"
is "$(remind 2026-11-26T11:00:00Z)" "acknowledge:passed" "cncf: past due: one overdue reminder"
is "$(remind 2026-11-26T18:00:00Z)" "" "cncf: and only once"
mark
team 2026-11-26T12:00:00Z "We can reproduce it; our plan is a fix in the next patch release." -reporter
check "cncf: the first human answer reaches the reporter" test -n "$(fresh_to jane@example.net)"
is "$(dl acknowledge met_at)" 2026-11-26T12:00:00Z "cncf: the answer meets the feedback deadline"
team 2026-11-27T09:00:00Z "#severity critical
#cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
#assign bob@example.org
#status triaged"
is "$(field .stage)" triaged "cncf: triaged with a CVSS score"
is "$(field .cvss.score)" 9.8 "cncf: the base score is computed"
mark
team 2026-11-30T09:00:00Z "#cve CVE-2026-40001
#credit Jane Doe
#affected 1.0 to 1.4.2
#status fixing"
is "$(field .stage)" triaged "cncf: no fixing before the advisory is drafted"
check "cncf: the refusal says the advisory's summary is missing" \
	grep -q "the CNCF policy wants summary set before stage fixing" $(fresh_to alice@example.org)
team 2026-11-30T09:05:00Z "#summary Remote code execution through crafted chunks in the parser.
#status fixing"
is "$(field .stage)" fixing "cncf: fixing, with the advisory drafted in private"
mark
team 2026-12-02T09:00:00Z "#status released"
is "$(field .stage)" fixing "cncf: no release without the fixed version"
team 2026-12-02T09:05:00Z "#fixed-in 1.4.3 (backported to 1.3.9)
#status released"
is "$(field .stage)" released "cncf: released"
told_release
mark
team 2026-12-03T09:00:00Z "#close fixed"
is "$(field .stage)" closed "cncf: closed as fixed"
is "$(remind 2026-12-30T00:00:00Z)" "" "cncf: a closed case is reminded of nothing"

## ---------------------------------------------------------------- spinnaker
start spinnaker
is "$(remind 2026-11-29T12:00:00Z)" "acknowledge:soon review:soon" "spinnaker: the week is nearly over: answer and review reminders"
is "$(remind 2026-11-30T11:00:00Z)" "acknowledge:passed review:passed" "spinnaker: the week passed: overdue reminders"
team 2026-11-30T12:00:00Z "Thank you, the Security SIG is looking at it." -reporter
team 2026-11-30T13:00:00Z "#status triaged"
is "$(field .stage)" received "spinnaker: no review without a severity from the taxonomy"
team 2026-11-30T13:05:00Z "#severity high
#status triaged"
is "$(field .stage)" triaged "spinnaker: reviewed with a severity"
is "$(dl review met_at)" 2026-11-30T13:05:00Z "spinnaker: the review deadline is met (late)"
is "$(remind 2026-12-06T12:00:00Z)" "meeting:soon" "spinnaker: the bi-weekly meeting is near"
team 2026-12-07T09:00:00Z "#assign bob@example.org
#status fixing"
team 2026-12-10T09:00:00Z "#credit Jane Doe
#status released"
is "$(field .stage)" fixing "spinnaker: no release without a reserved CVE id"
mark
team 2026-12-10T09:05:00Z "#cve CVE-2026-40001
#status released"
is "$(field .stage)" released "spinnaker: released with the CVE id"
told_release
team 2026-12-11T09:00:00Z "#status recorded"
is "$(field .stage)" released "spinnaker: the changelog and CVE record need the fixed version"
team 2026-12-11T09:05:00Z "#fixed-in 2.1.1
#status recorded"
is "$(field .stage)" recorded "spinnaker: changelog and CVE record updated"
team 2026-12-11T10:00:00Z "#close fixed"
is "$(field .resolution)" fixed "spinnaker: closed as fixed"

## ---------------------------------------------------------------- osm
start osm
is "$(dl acknowledge due)" 2026-11-26T10:00:00Z "osm: acknowledged within 3 business days"
team 2026-11-24T10:00:00Z "We are looking at it and will tell you what we find." -reporter
is "$(remind 2026-11-26T09:00:00Z)" "" "osm: an answered case is not reminded"
team 2026-11-24T11:00:00Z "#status triaged"
is "$(field .stage)" received "osm: no triage without a primary handler"
team 2026-11-24T11:05:00Z "#assign bob@example.org
#status triaged"
is "$(field .assignee)" bob@example.org "osm: one primary handler"
team 2026-11-25T11:00:00Z "#status confirmed"
is "$(field .stage)" triaged "osm: no confirmation without the affected versions"
team 2026-11-25T11:05:00Z "#affected 0.8 to 1.1.2
#severity high
#status confirmed"
is "$(field .stage)" confirmed "osm: confirmed with the affected versions listed"
team 2026-11-30T11:00:00Z "#status fixing

Audit: the same pattern appears in the config loader; fixed there too."
team 2026-12-04T11:00:00Z "#fixed-in 1.1.3, 1.0.9, 0.9.12
#cve CVE-2026-40001
#credit Jane Doe
#status released"
is "$(field .stage)" released "osm: released for every maintained release"
told_release
team 2026-12-05T11:00:00Z "#close fixed"
is "$(field .stage)" closed "osm: closed"

## ---------------------------------------------------------------- codegate
start codegate 'prerelease.distributors = packagers@example.com
keyless_members = plain'
is "$(dl acknowledge due)" 2026-11-24T10:00:00Z "codegate: a fix team within 24 hours"
is "$(remind 2026-11-24T10:30:00Z)" "acknowledge:passed" \
	"codegate: the 24 hours for the fix team pass"
team 2026-11-24T11:00:00Z "#urgent the reporter publishes on 2026-11-26"
is "$(dl advisory due)" 2026-11-25T11:00:00Z "codegate: urgent: the advisory is due a day after the case became urgent"
is "$(remind 2026-11-24T11:30:00Z)" "advisory:soon release:soon" "codegate: the urgent deadlines are reminded of again"
team 2026-11-24T12:00:00Z "#assign bob@example.org
#status triaged"
is "$(field .stage)" triaged "codegate: the fix team is formed"
team 2026-11-24T13:00:00Z "#cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
#summary Remote code execution through crafted chunks in the parser.
#cve CVE-2026-40001
#credit Jane Doe
#status fixing"
is "$(field .cvss.score)" 9.3 "codegate: a CVSS 4.0 score"
is "$(field .stage)" fixing "codegate: advisory, CVSS and CVE request done"
team 2026-11-25T09:00:00Z "#status released"
is "$(field .stage)" fixing "codegate: no release before the distributors were told"
mark
team 2026-11-25T09:05:00Z "#fixed-in 3.2.1
#notify distributors
#status predisclosure"
is "$(field .stage)" predisclosure "codegate: the private distributors are to be told"
# "Advance notice to the Private Distributors list before the fix is
# released": a #notify that reached nobody is no notice
is "$(fresh_to packagers@example.com)" "" "codegate: nothing goes to a distributor without a key"
is "$(q "SELECT count(*) FROM notifications WHERE case_id = '$C' AND name = 'distributors'")" 0 \
	"codegate: a #notify that reached nobody is not recorded as a notification"
check "codegate: the team's confirmation names the distributor who got nothing, and why" \
	grep -q 'reach nobody on the pre-release list distributors: packagers@example.com (the list has no key' "$(confirmation)"
mark
team 2026-11-25T10:00:00Z "#status released"
is "$(field .stage)" predisclosure "codegate: no release while no distributor was told"
check "codegate: the refusal names the notification" grep -q 'wants notified.* set before stage released' "$(confirmation)"
keyed_reader packager packagers@example.com
mark
team 2026-11-25T11:00:00Z "#notify distributors"
d=$(fresh_to packagers@example.com)
is "$(echo "$d" | grep -c .)" 1 "codegate: the distributor with a key gets the draft"
check "codegate: ... encrypted" grep -q 'BEGIN PGP MESSAGE' "$d"
is "$(q "SELECT reader || '|' || fingerprint FROM notify_readers WHERE case_id = '$C' AND fingerprint IS NOT NULL")" \
	"packagers@example.com|$F_packager" "codegate: what the distributor was queued is recorded, with the key"
is "$(q "SELECT count(*) FROM notifications WHERE case_id = '$C' AND name = 'distributors'")" 1 \
	"codegate: the notification is recorded"
check "codegate: the confirmation says how many readers it went to" \
	grep -q 'goes to 1 of 1 readers of the pre-release list distributors' "$(confirmation)"
mark
team 2026-11-25T15:00:00Z "#status released"
is "$(field .stage)" released "codegate: released"
told_release
is "$(dl retrospective due)" 2026-11-26T15:00:00Z "codegate: the retrospective is due (urgent: a day after the release)"
is "$(remind 2026-11-26T15:30:00Z)" "retrospective:passed" "codegate: a late retrospective is reminded of"
team 2026-11-27T10:00:00Z "#status retrospective

Retrospective notes: ..."
is "$(dl retrospective met_at)" 2026-11-27T10:00:00Z "codegate: the retrospective is held"
team 2026-11-27T11:00:00Z "#close fixed"
is "$(field .stage)" closed "codegate: closed"
agents_done

## ---------------------------------------------------------------- signalen
start signalen 'prerelease.service-providers = ops@example.com
keyless_members = plain'
keyed_reader ops ops@example.com
# "first validate, then confirm": a question before validation is no confirmation
team 2026-11-23T15:00:00Z "Which version do you run?" -reporter
check "signalen: the question reaches the reporter" test -n "$(fresh_to jane@example.net)"
is "$(dl acknowledge met_at)" null "signalen: a question before validation does not confirm receipt"
team 2026-11-24T09:00:00Z "#severity medium
#status triaged"
is "$(dl acknowledge met_at)" null "signalen: validating alone does not confirm receipt"
mark
team 2026-11-24T09:30:00Z "Thank you: we validated your report and confirm its receipt." -reporter
is "$(dl acknowledge met_at)" 2026-11-24T09:30:00Z "signalen: validated, then receipt confirmed"
# a second report, validated by the very mail that confirms its receipt
C=SEC-2026-0002
at 2026-11-24T11:00:00Z
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Another problem' r2-signalen@example.net
team 2026-11-24T11:30:00Z "Can you send us the logs?" -reporter
team 2026-11-24T12:00:00Z "#severity low
#status triaged

We validated your report and confirm its receipt." -reporter
is "$(dl acknowledge met_at)" 2026-11-24T12:00:00Z "signalen: the mail that validates and answers confirms receipt"
C=SEC-2026-0001
team 2026-11-24T10:00:00Z "#status tracked

Private tracking issue: security/42."
team 2026-11-25T10:00:00Z "#status advisory"
is "$(field .stage)" tracked "signalen: no advisory stage without the draft"
team 2026-11-25T10:05:00Z "#summary Stored XSS in the signal overview.
#status advisory"
team 2026-11-26T10:00:00Z "#cve CVE-2026-40001
#credit Jane Doe
#fixed-in 2.14.1
#notify service-providers
#status predisclosure"
is "$(field .stage)" predisclosure "signalen: the service providers are told before the fix is public"
check "signalen: the service provider with a key gets the draft, encrypted" \
	grep -q 'BEGIN PGP MESSAGE' "$(fresh_to ops@example.com)"
mark
team 2026-11-30T10:00:00Z "#status released"
is "$(field .stage)" released "signalen: released"
told_release
team 2026-11-30T12:00:00Z "#status announced"
is "$(field .stage)" announced "signalen: announced on the mailing list"
team 2026-12-01T12:00:00Z "#close fixed"
is "$(field .stage)" closed "signalen: closed"
agents_done

T=${_tmps##* }
for _t in $_tmps; do [ "$_t" = "$T" ] || rm -rf "$_t"; done
pgp_done
