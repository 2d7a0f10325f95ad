#!/bin/sh
# t-agenda.sh - embargoctl agenda and stats through the real binaries:
# reports delivered at fixed times, their state set as the team's commands
# would (sqlite3 here), then the meeting's agenda (order, content, the mail
# to the team) and the handling times (medians and 90th percentiles by
# nearest rank, share of deadlines met), and their exit statuses.
. "$top_srcdir/tests/lib.sh"
setup
# a second list, with no cases: its numbers are null
cat >> "$EMBARGO_CONFIG" <<EOC

[list security@tools.example.org]
prefix = TOOLS
policy = osm
EOC
TOOLS=security@tools.example.org
members alice@example.org bob@example.org
DB=$T/state/embargo.db
q() { sqlite3 "$DB" "$@"; }
c() {
	"$EMBARGOCTL" "$@" > "$T/ctl.out" 2> "$T/ctl.err"
	rc=$?
	out=$(cat "$T/ctl.out")
}
deliver() { # deliver TIME MESSAGE-ID SUBJECT
	EMBARGO_NOW=$1 send jane@example.net $LIST 'Jane Doe <jane@example.net>' "$3" "$2"
}
# the agenda entry of CASE, up to the blank line after it
entry() { echo "$out" | awk -v id="$1" '$2 == id && /^[0-9]+\. / { p = 1 } /^$/ { p = 0 } p'; }

# Seven reports on Monday 23 Nov 2026 (UTC); each acknowledgement (cncf) is
# due on Thursday at the same time.
deliver 2026-11-23T09:00:00Z 1@example.net 'One: unrated'
deliver 2026-11-23T10:00:00Z 2@example.net 'Two: high'
deliver 2026-11-23T11:00:00Z 3@example.net 'Three: critical'
deliver 2026-11-23T12:00:00Z 4@example.net 'Four: low but urgent'
deliver 2026-11-23T07:00:00Z 5@example.net 'Five: closed'
deliver 2026-11-23T08:00:00Z 6@example.net 'Six: high, older'
deliver 2026-11-23T13:00:00Z 7@example.net 'Seven: none'
is "$(q 'SELECT COUNT(*) FROM cases')" 7 "seven cases"
s() { echo "SEC-2026-000$1"; }
q "UPDATE cases SET severity = 'high' WHERE id IN ('$(s 2)', '$(s 6)');
   UPDATE cases SET severity = 'critical', cvss_vector = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
       cvss_score = 9.8, cvss_rating = 'critical', assignee = 'alice@example.org', status = 'triaged'
       WHERE id = '$(s 3)';
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 3)', 'triaged', '2026-11-24T11:00:00Z');
   INSERT INTO case_cves (case_id, cve, added_at) VALUES ('$(s 3)', 'CVE-2026-12345', '2026-11-24T11:00:00Z');
   UPDATE cases SET severity = 'low', urgent = 'exploit public' WHERE id = '$(s 4)';
   INSERT INTO events (case_id, at, actor, what) VALUES ('$(s 4)', '2026-11-23T12:00:00Z', 'bob@example.org', 'urgent');
   UPDATE cases SET status = 'closed', resolution = 'invalid' WHERE id = '$(s 5)';
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 5)', 'released', '2026-11-23T08:00:00Z');
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 5)', 'closed', '2026-11-23T08:00:00Z');
   UPDATE cases SET severity = 'none' WHERE id = '$(s 7)'"

# --- case show --json: the lifecycle fields ---
j=$(show "$(s 3)")
is "$(echo "$j" | jqr '.stage')" triaged "case show: stage"
is "$(echo "$j" | jqr '.severity')" critical "case show: severity"
is "$(echo "$j" | jqr '.cvss.score')" 9.8 "case show: cvss.score"
is "$(echo "$j" | jqr '.cvss.rating')" critical "case show: cvss.rating"
is "$(echo "$j" | jqr '.cvss.vector')" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H "case show: cvss.vector"
is "$(echo "$j" | jqr '.cves | join(",")')" CVE-2026-12345 "case show: cves"
is "$(echo "$j" | jqr '.assignee')" alice@example.org "case show: assignee"
is "$(echo "$j" | jqr '.deadlines[0] | "\(.name) \(.due) \(.met_at)"')" "acknowledge 2026-11-26T11:00:00Z null" "case show: deadlines"
is "$(echo "$j" | jqr '.messages | length')" 1 "case show: the existing keys remain"
t=$("$EMBARGOCTL" case show "$(s 3)")
check "case show's text shows the severity" sh -c "echo '$t' | grep -q '^  severity  critical'"
check "the CVSS score" sh -c "echo '$t' | grep -q '^  cvss      9.8 critical'"
check "the CVE" sh -c "echo '$t' | grep -q '^  cve       CVE-2026-12345'"
check "the handler" sh -c "echo '$t' | grep -q '^  handler   alice@example.org'"

# --- the agenda ---
c agenda $LIST --now 2026-11-26T10:00:00Z
is "$rc" 0 "agenda: exit 0"
is "$(echo "$out" | awk '/^[0-9]+\. / { printf "%s ", $2 }')" \
	"$(s 4) $(s 3) $(s 6) $(s 2) $(s 7) $(s 1) " \
	"ordered: urgent, critical, high by next deadline, none, unrated; closed left out"
check "the header names the list" sh -c "echo '$out' | head -1 | grep -q '^Agenda of Example Security Team <$LIST>, 2026-11-26 10:00 UTC'"
is "$(echo "$out" | sed -n 2p)" "6 open cases: 1 urgent, 3 with a deadline passed; received 5, triaged 1" "the header counts"
e=$(entry "$(s 3)")
check "an entry names the stage" sh -c "echo '$e' | grep -q '^2\. $(s 3)  \[triaged\]'"
check "the subject" sh -c "echo '$e' | grep -q '^   Three: critical\$'"
check "the severity, CVSS and handler" sh -c "echo '$e' | grep -q '^   severity critical, CVSS 9.8 critical; handler alice@example.org\$'"
check "the next deadline" sh -c "echo '$e' | grep -q '^   next: acknowledge due 2026-11-26 11:00 UTC (in 1 hour)\$'"
check "and nothing overdue" sh -c "! echo '$e' | grep -q OVERDUE"
e=$(entry "$(s 4)")
check "an urgent case says why" sh -c "echo '$e' | grep -q 'URGENT: exploit public'"
e=$(entry "$(s 6)")
check "an overdue deadline is named" sh -c "echo '$e' | grep -q '^   OVERDUE: acknowledge (feedback on your report with a plan) was due 2026-11-26 08:00 UTC, 2 hours ago\$'"
check "a case without a handler says so" sh -c "echo '$e' | grep -q 'handler nobody yet'"
e=$(entry "$(s 1)")
check "an unrated case says so" sh -c "echo '$e' | grep -q '^   severity not set; handler nobody yet\$'"
check "the closed case is not on it" sh -c "! echo '$out' | grep -q '$(s 5)'"

n=$(sent_count)
c agenda $LIST --now 2026-11-26T10:00:00Z
is "$(sent_count)" "$n" "agenda without --mail sends nothing"
c agenda $LIST --mail --now 2026-11-26T10:00:00Z
is "$rc" 0 "agenda --mail: exit 0"
is "$(sent_count)" "$((n + 1))" "one mail"
m=$(ls -t "$T"/sent/*.msg | head -1)
is "$(hdr "$m" Subject)" "Agenda 2026-11-26: 6 open cases" "its subject"
check "it goes to alice" grep -qx alice@example.org "${m%.msg}.args.done"
check "and to bob" grep -qx bob@example.org "${m%.msg}.args.done"
check "it carries the agenda" grep -q "^1\. $(s 4)" "$m"
check "it names no single case in its headers" sh -c "! grep -qi '^X-Embargo-Case' '$m'"
is "$(q "SELECT kind || ',' || IFNULL(case_id, 'none') || ',' || state FROM outbox ORDER BY id DESC LIMIT 1")" "agenda,none,sent" "the outbox row: kind agenda, no case, sent"
touch "$T/sendmail.fail"
c agenda $LIST --mail --now 2026-11-26T10:00:00Z
is "$rc" 75 "agenda --mail with sendmail failing: 75"
rm "$T/sendmail.fail"
c outbox flush
is "$rc" 0 "the outbox flush sends it later"

c agenda $TOOLS --now 2026-11-26T10:00:00Z
is "$(echo "$out" | sed -n 2p)" "0 open cases: 0 urgent, 0 with a deadline passed" "a list without cases: 0 open"
check "it says so" sh -c "echo '$out' | grep -q '^No open cases.\$'"

# --- exit statuses ---
c agenda
is "$rc" 64 "agenda without a list: 64"
c agenda $LIST extra
is "$rc" 64 "agenda with two arguments: 64"
c agenda $LIST --now tomorrow
is "$rc" 64 "agenda --now that is not a time: 64"
c agenda nobody@example.org
is "$rc" 65 "agenda of an unknown list: 65"
c stats --list nobody@example.org
is "$rc" 65 "stats of an unknown list: 65"
c stats extra
is "$rc" 64 "stats with an argument: 64"
sed "s|^state_dir = .*|state_dir = $T/fresh|" "$EMBARGO_CONFIG" > "$T/fresh.conf"
c -c "$T/fresh.conf" agenda $LIST
is "$rc" 78 "agenda before init: 78"
c -c "$T/fresh.conf" stats
is "$rc" 78 "stats before init: 78"

# --- stats ---
# hours from receipt: acknowledged 0.5 1 2 4 8 16 32 (cases 1..7), first
# answer 2 6 10 100 (1..4), triaged 24 (3, above) and 48 (2), fixed 72 (3);
# case 5 was closed as invalid, so its "released" row is no fix.
i=1
for h in 0.5 1 2 4 8 16 32; do
	q "UPDATE cases SET acked_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+$h hours') WHERE id = '$(s $i)'"
	i=$((i + 1))
done
i=1
for h in 2 6 10 100; do
	q "UPDATE cases SET first_answer_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+$h hours') WHERE id = '$(s $i)'"
	i=$((i + 1))
done
q "INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 2)', 'triaged', '2026-11-25T10:00:00Z');
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 3)', 'fixing', '2026-11-26T11:00:00Z');
   INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$(s 3)', 'released', '2026-11-26T11:00:00Z')"
# As of Thursday 10:00: deadlines met on time 1, 2, 3; met late 4 (Friday
# 16:00); past due and not met 6; not yet due 7; case 5 was closed before
# its deadline: 3 of 5.
export EMBARGO_NOW=2026-11-26T10:00:00Z
c stats --json
unset EMBARGO_NOW
is "$rc" 0 "stats --json: exit 0"
is "$(echo "$out" | jqr 'length')" 2 "one object per list"
is "$(echo "$out" | jqr '.[0].list')" "$LIST" "in the configuration's order"
is "$(echo "$out" | jqr '.[0].cases')" 7 "seven cases"
is "$(echo "$out" | jqr '.[0].acknowledge | "\(.cases) \(.median_hours) \(.p90_hours)"')" "7 4 32" "acknowledged: median 4 h, 90th percentile 32 h"
is "$(echo "$out" | jqr '.[0].first_answer | "\(.cases) \(.median_hours) \(.p90_hours)"')" "4 6 100" "first answer: median 6 h (nearest rank), 90th percentile 100 h"
is "$(echo "$out" | jqr '.[0].triage | "\(.cases) \(.median_hours) \(.p90_hours)"')" "2 24 48" "triaged: median 24 h, 90th percentile 48 h"
is "$(echo "$out" | jqr '.[0].fix | "\(.cases) \(.median_hours) \(.p90_hours)"')" "1 72 72" "fixed: 72 h, the invalid case left out"
is "$(echo "$out" | jqr '.[0].deadlines | "\(.counted) \(.met) \(.share_met)"')" "5 3 0.6" "deadlines met on time: 3 of 5"
is "$(echo "$out" | jqr '.[1] | "\(.cases) \(.acknowledge.median_hours) \(.fix.p90_hours) \(.deadlines.share_met)"')" "0 null null null" "a list without cases: nulls"
c stats --list $TOOLS --json
is "$(echo "$out" | jqr 'length')" 1 "stats --list: that list only"
EMBARGO_NOW=2026-11-26T10:00:00Z "$EMBARGOCTL" stats --list $LIST > "$T/stats.txt"
check "the text names the list and count" grep -q "^$LIST (CNCF policy): 7 cases" "$T/stats.txt"
check "the text table: acknowledged" grep -Eq '^  acknowledged +7 +4\.00 +32\.00$' "$T/stats.txt"
check "first answer" grep -Eq '^  first answer +4 +6\.00 +100\.00$' "$T/stats.txt"
check "fixed" grep -Eq '^  fixed +1 +72\.00 +72\.00$' "$T/stats.txt"
check "deadlines" grep -q '^  deadlines met on time: 3 of 5 (60%)$' "$T/stats.txt"
# an acknowledgement half an hour after receipt
q "UPDATE cases SET acked_at = strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+30 minutes')"
is "$(EMBARGO_NOW=2026-11-26T10:00:00Z "$EMBARGOCTL" stats --json | jqr '.[0].acknowledge.median_hours')" 0.5 "fractions of hours"

done_testing
