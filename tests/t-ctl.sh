#!/bin/sh
# t-ctl.sh - embargoctl, the real binary: init, members, cases, and its exit
# statuses (0; 64 usage; 65 unknown list, case or member, malformed address;
# 75 mail left pending; 78 configuration error or no database yet).
. "$top_srcdir/tests/lib.sh"
setup
GOOD=$EMBARGO_CONFIG
DB=$T/state/embargo.db

# c ARGS...: embargoctl, keeping $rc, stdout in $out and stderr in $err
c() {
	"$EMBARGOCTL" "$@" > "$T/ctl.out" 2> "$T/ctl.err"
	rc=$?
	out=$(cat "$T/ctl.out")
	err=$(cat "$T/ctl.err")
}
mode() { stat -c %a "$1"; }

# --- init ---
c init
is "$rc" 0 "init on an initialised state directory: 0 (setup ran it once already)"
is "$(mode "$T/state")" 700 "the state directory is 0700"
is "$(mode "$DB")" 600 "the database is 0600"
check "init reports the schema version" sh -c "echo '$out' | grep -q 'schema version [0-9]'"
c member add "$LIST" keep@example.org
chmod 0755 "$T/state"
c init
is "$rc" 0 "init again: 0"
is "$(mode "$T/state")" 700 "init makes the state directory private again"
c member list "$LIST"
is "$out" keep@example.org "init keeps what the database holds"
ver1=$(sqlite3 "$DB" 'PRAGMA user_version')
c init
is "$(sqlite3 "$DB" 'PRAGMA user_version')" "$ver1" "init a third time leaves the schema version"
check "the spool folders exist" test -d "$T/state/spool/new" -a -d "$T/state/spool/tmp"

sed "s|^state_dir = .*|state_dir = $T/deep/er/state|" "$GOOD" > "$T/deep.conf"
c -c "$T/deep.conf" init
is "$rc" 0 "init creates a state directory whose parents are missing"
is "$(mode "$T/deep/er/state")" 700 "also 0700"
is "$(mode "$T/deep/er/state/embargo.db")" 600 "with its database 0600"

# --- commands before init: 78, saying to run init ---
sed "s|^state_dir = .*|state_dir = $T/fresh|" "$GOOD" > "$T/fresh.conf"
for cmd in "member add $LIST alice@example.org" "member remove $LIST alice@example.org" \
           "member list $LIST" "case list" "case show SEC-2026-0001" "outbox flush"; do
	c -c "$T/fresh.conf" $cmd
	is "$rc" 78 "before init, '$cmd': 78"
	check "before init, '$cmd' says to run init" sh -c "grep -q \"embargoctl init\" '$T/ctl.err'"
done
check "and nothing was created" test ! -e "$T/fresh"
mkdir -m 0700 "$T/fresh"
c -c "$T/fresh.conf" member list "$LIST"
is "$rc" 78 "a state directory without a database: 78"
check "says to run init" grep -q 'embargoctl init' "$T/ctl.err"
check "and no database was created" test ! -e "$T/fresh/embargo.db"

# --- members ---
c member add "$LIST" alice@example.org --name "Alice Liddell"
is "$rc" 0 "member add: 0"
check "member add says it was added" grep -q 'added to' "$T/ctl.out"
c member add "$LIST" alice@example.org
is "$rc" 0 "adding a member twice is not an error: 0"
check "it says so" grep -q 'already a member' "$T/ctl.out"
c member add "$LIST" Bob@Example.ORG
is "$rc" 0 "member add with upper-case letters: 0"
c member add "$LIST" "<carol@example.org>"
is "$rc" 0 "member add with angle brackets: 0"
c member remove "$LIST" keep@example.org
is "$rc" 0 "member remove: 0"
check "member remove says so" grep -q 'removed from' "$T/ctl.out"
c member list "$LIST"
is "$rc" 0 "member list: 0"
is "$(echo "$out" | awk '{print $1}' | tr '\n' ' ')" "alice@example.org bob@example.org carol@example.org " \
	"member list: one member a line, normalised and sorted"
check "member list shows the name" sh -c "grep '^alice@example.org' '$T/ctl.out' | grep -q 'Alice Liddell'"

c member list "$LIST" --json
is "$rc" 0 "member list --json: 0"
is "$(echo "$out" | jq -r 'type')" array "member list --json is an array"
is "$(echo "$out" | jq 'length')" 3 "of the three members"
is "$(echo "$out" | jq -c '[.[] | keys] | unique')" '[["added_at","address","expires","expires_soon","fingerprint","name"]]' \
	"each an object with address, name, added_at and the key's fingerprint and expiry, and whether it expires soon"
is "$(echo "$out" | jq -r '.[0].address')" alice@example.org "address"
is "$(echo "$out" | jq -r '.[0].name')" "Alice Liddell" "name"
is "$(echo "$out" | jq -r '.[1].name | type')" null "name is null when none was given"
check "added_at is a UTC timestamp" sh -c "echo '$out' | jq -r '.[].added_at' | grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'"

c member add "$LIST" alice@example.org --name "Alice L."
c member list "$LIST" --json
is "$(echo "$out" | jq -r '.[0].name')" "Alice L." "adding again with --name renames"
c member add "$LIST" alice@example.org
c member list "$LIST" --json
is "$(echo "$out" | jq -r '.[0].name')" "Alice L." "adding again without --name keeps the name"

c member remove "$LIST" CAROL@example.org
is "$rc" 0 "member remove matches without regard to case"
c member remove "$LIST" carol@example.org
is "$rc" 65 "removing a non-member: 65"
check "it says so" grep -q 'not a member' "$T/ctl.err"
c member remove "$LIST" nobody@example.org
is "$rc" 65 "removing an address never added: 65"
c member list "$LIST" --json
is "$(echo "$out" | jq 'length')" 2 "two members are left"

empty_conf=$T/empty.conf
sed "s|^state_dir = .*|state_dir = $T/empty|" "$GOOD" > "$empty_conf"
"$EMBARGOCTL" -c "$empty_conf" init > /dev/null
c -c "$empty_conf" member list "$LIST" --json
is "$(echo "$out" | jq -c .)" "[]" "member list --json of a list without members: []"
c -c "$empty_conf" member list "$LIST"
is "$rc:$out" "0:" "member list of a list without members: nothing, 0"

# --- 65: unknown list, malformed address ---
for cmd in "member add other@example.org alice@example.org" "member remove other@example.org alice@example.org" \
           "member list other@example.org" "member list not-an-address" "case list --list other@example.org"; do
	c $cmd
	is "$rc" 65 "unknown list, '$cmd': 65"
done
check "the unknown list is named" grep -q 'other@example.org' "$T/ctl.err"
for a in "not an address" "alice" "@example.org" "a@b@c" "alice+sec@example.org" \
         "$LIST" "security+SEC-2026-0001@example.org" '"quoted"@example.org' ""; do
	c member add "$LIST" "$a"
	is "$rc" 65 "member add of the malformed address '$a': 65"
done
c member add "$LIST" -- -oQ@example.org
ok "$( [ "$rc" = 64 ] || [ "$rc" = 65 ] && echo 1)" "an address that looks like an option is refused: 64 or 65 (got $rc)"
c member remove "$LIST" "not an address"
is "$rc" 65 "member remove of a malformed address: 65"
c member list "$LIST" --json
is "$(echo "$out" | jq -r '[.[].address] | join(" ")')" "alice@example.org bob@example.org" "none of them was added"

# --- 64: usage ---
usage() { # usage WHAT ARGS...
	_w=$1; shift
	c "$@"
	is "$rc" 64 "usage error, $_w: 64"
}
usage "no command"
usage "an unknown command" frobnicate
usage "an unknown option" --bogus init
usage "-c without its file" -c
usage "init with an argument" init now
usage "member without anything" member
usage "member add without an address" member add "$LIST"
usage "member add with two addresses" member add "$LIST" a@example.org b@example.org
usage "member remove without an address" member remove "$LIST"
usage "member list with an extra argument" member list "$LIST" extra
usage "an unknown member subcommand" member frob "$LIST" a@example.org
usage "member --name without its value" member add "$LIST" a@example.org --name
usage "an unknown member option" member list "$LIST" --bogus
usage "case without anything" case
usage "an unknown case subcommand" case frob
usage "case show without an id" case show
usage "case show with two ids" case show SEC-2026-0001 SEC-2026-0002
usage "case list with an argument" case list extra
usage "an unknown case option" case list --bogus
usage "outbox without subcommand" outbox
usage "an unknown outbox subcommand" outbox empty
check "a usage error prints the usage" grep -q '^usage: embargoctl' "$T/ctl.err"
c member list "$LIST" --json
is "$(echo "$out" | jq 'length')" 2 "usage errors changed nothing"

# --- 78: configuration errors name the file, the line and the key ---
sed 's/^prefix = SEC$/prefix = sec-lower/' "$GOOD" > "$T/badprefix.conf"
line=$(grep -n '^prefix = sec-lower' "$T/badprefix.conf" | cut -d: -f1)
c -c "$T/badprefix.conf" member list "$LIST"
is "$rc" 78 "a bad prefix: 78"
check "the message names the file and line ($T/badprefix.conf:$line)" grep -qF "$T/badprefix.conf:$line" "$T/ctl.err"
check "and the key" grep -q 'prefix' "$T/ctl.err"

grep -v '^prefix' "$GOOD" > "$T/noprefix.conf"
c -c "$T/noprefix.conf" case list
is "$rc" 78 "a list without prefix: 78"
check "the message names the file and the key" sh -c "grep -qF '$T/noprefix.conf:' '$T/ctl.err' && grep -q prefix '$T/ctl.err'"

sed 's/^policy = cncf/policy = nosuchpolicy/' "$GOOD" > "$T/badpolicy.conf"
line=$(grep -n '^policy = ' "$T/badpolicy.conf" | cut -d: -f1)
c -c "$T/badpolicy.conf" init
is "$rc" 78 "an unknown policy: 78, even for init"
check "the message names file:line and the key policy" sh -c "grep -qF '$T/badpolicy.conf:$line' '$T/ctl.err' && grep -q policy '$T/ctl.err'"

sed '/^\[embargo\]/a\
time_limit = soon' "$GOOD" > "$T/badlimit.conf"
c -c "$T/badlimit.conf" case list
is "$rc" 78 "a time_limit that is no number: 78"
check "the message names file:2 and time_limit" sh -c "grep -qF '$T/badlimit.conf:2' '$T/ctl.err' && grep -q time_limit '$T/ctl.err'"

printf '[embargo]\nstate_dir = %s/state\nthis line is broken\n' "$T" > "$T/syntax.conf"
c -c "$T/syntax.conf" case list
is "$rc" 78 "a line that is no key, group or comment: 78"
check "the message names file:3" grep -qF "$T/syntax.conf:3" "$T/ctl.err"

printf '[embargo]\nstate_dir = %s/state\n[lists %s]\nprefix = SEC\n' "$T" "$LIST" > "$T/section.conf"
c -c "$T/section.conf" case list
is "$rc" 78 "an unknown section: 78"
check "the message names file:3 and the section" sh -c "grep -qF '$T/section.conf:3' '$T/ctl.err' && grep -qF 'lists $LIST' '$T/ctl.err'"

c -c "$T/missing.conf" case list
is "$rc" 78 "-c naming a missing file: 78"
check "the message names the file" grep -qF "$T/missing.conf" "$T/ctl.err"
EMBARGO_CONFIG=$T/badprefix.conf
c case list
is "$rc" 78 "EMBARGO_CONFIG naming a broken file: 78"
c -c "$GOOD" case list
is "$rc" 0 "-c wins over EMBARGO_CONFIG"
EMBARGO_CONFIG=$GOOD

chmod 0777 "$T/state"
c member list "$LIST"
is "$rc" 78 "a state directory others can write to is refused: 78"
check "the message says why" grep -q 'private' "$T/ctl.err"
chmod 0700 "$T/state"

# --- cases ---
cat >> "$GOOD" <<EOF

[list cert@example.net]
name = Example CERT
prefix = CERT
policy = osm
EOF
c case list --json
is "$rc:$out" "0:[]" "case list --json without cases: []"
c case list
is "$rc:$out" "0:" "case list without cases: nothing, 0"

members alice@example.org
year=$(date -u +%Y)
send jane@example.net "$LIST" 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net
is "$rc" 0 "a report to $LIST"
send max@example.net cert@example.net 'Max <max@example.net>' 'XSS in the portal' r2@example.net
is "$rc" 0 "a report to cert@example.net"
send jane@example.net "$LIST" 'Jane Doe <jane@example.net>' "Re: [SEC-$year-0001] more details" r3@example.net
is "$rc" 0 "a follow-up"

c case list
is "$rc" 0 "case list: 0"
is "$(echo "$out" | awk '{print $1}' | sort | tr '\n' ' ')" "CERT-$year-0001 SEC-$year-0001 " "case list: one case a line"
check "case list shows the subject" grep -q 'Heap overflow in parser' "$T/ctl.out"
c case list --json
is "$rc" 0 "case list --json: 0"
is "$(echo "$out" | jq -r 'type')" array "case list --json is an array"
is "$(echo "$out" | jq -r '[.[].id] | sort | join(" ")')" "CERT-$year-0001 SEC-$year-0001" "of both lists' cases"
for f in id list status subject reporter created_at; do
	is "$(echo "$out" | jq -r "[.[] | has(\"$f\")] | all")" true "case list --json: every case has $f"
done
c case list --list cert@example.net --json
is "$(echo "$out" | jq -r '[.[].id] | join(" ")')" "CERT-$year-0001" "case list --list LIST: only that list's cases"
is "$(echo "$out" | jq -r '.[0].list')" cert@example.net "with its list"
is "$(echo "$out" | jq -r '.[0].status')" received "in the first stage of its policy (osm)"
c case list --list SECURITY@EXAMPLE.ORG --json
is "$(echo "$out" | jq -r '[.[].id] | join(" ")')" "SEC-$year-0001" "--list matches without regard to case"
c case list --list cert@example.net
is "$(echo "$out" | awk '{print $1}')" "CERT-$year-0001" "case list --list in text"

c case show "SEC-$year-0001" --json
is "$rc" 0 "case show --json: 0"
j=$out
is "$(echo "$j" | jqr .id)" "SEC-$year-0001" "id"
is "$(echo "$j" | jqr .list)" "$LIST" "list"
is "$(echo "$j" | jqr .status)" received "status"
is "$(echo "$j" | jqr .subject)" "Heap overflow in parser" "subject"
is "$(echo "$j" | jqr .reporter)" jane@example.net "reporter"
check "created_at is UTC ISO 8601" sh -c "echo '$(echo "$j" | jqr .created_at)' | grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'"
is "$(echo "$j" | jqr '.messages | length')" 2 "messages: the report and the follow-up"
is "$(echo "$j" | jqr '[.messages[] | .kind] | join(",")')" "report,followup" "messages[].kind, in order"
is "$(echo "$j" | jqr '[.messages[] | .from] | unique | join(",")')" jane@example.net "messages[].from"
check "messages[].date are UTC ISO 8601" sh -c "echo '$j' | jq -r '.messages[].date' | grep -Eqx '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'"
is "$(echo "$j" | jqr '[.outbox[] | .kind] | join(",")')" "ack,team-copy,team-copy" "outbox[].kind: the ack and two team copies"
is "$(echo "$j" | jqr '[.outbox[] | .to] | join(";")')" "jane@example.net;alice@example.org, bob@example.org;alice@example.org, bob@example.org" "outbox[].to"
is "$(echo "$j" | jqr '[.outbox[] | .state] | unique | join(",")')" sent "outbox[].state: sent"
is "$(echo "$j" | jqr '[.outbox[] | .to | type] | unique | join(",")')" string "outbox[].to is a string"

c case show "sec-$year-0001" --json
is "$rc:$(echo "$out" | jqr .id)" "0:SEC-$year-0001" "case show takes the id in lower case"
c case show "CERT-$year-0001" --json
is "$(echo "$out" | jqr '.list + " " + .reporter + " " + .subject')" "cert@example.net max@example.net XSS in the portal" \
	"case show of the other list's case"
is "$(echo "$out" | jqr '.outbox | length')" 1 "cert has no members: only the ack is queued"
c case show "SEC-$year-0001"
is "$rc" 0 "case show in text: 0"
check "it shows the id and the subject" sh -c "head -1 '$T/ctl.out' | grep -q 'SEC-$year-0001.*Heap overflow in parser'"
check "and the messages and outgoing mails" sh -c "grep -q 'followup' '$T/ctl.out' && grep -q 'team-copy' '$T/ctl.out'"

for id in "SEC-$year-0099" "CERT-$year-0002" "SEC-1999-0001" garbage "" "SEC-$year-0001'--"; do
	c case show "$id" --json
	is "$rc" 65 "case show of the unknown id '$id': 65"
done
check "the unknown case is named" grep -q "no case" "$T/ctl.err"

# --- outbox flush: 0 when nothing is left pending, 75 when mail is ---
c outbox flush
is "$rc" 0 "outbox flush with nothing pending: 0"
touch "$T/sendmail.fail"
send dave@example.net "$LIST" 'Dave <dave@example.net>' 'Another report' r4@example.net
is "$rc" 0 "a report while sendmail fails is still stored"
c outbox flush
is "$rc" 75 "outbox flush while sendmail fails: 75"
check "it counts what is left pending" grep -q ' pending' "$T/ctl.out"
rm -f "$T/sendmail.fail"
c outbox flush
is "$rc" 0 "outbox flush once sendmail works: 0"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")" 0 "nothing is left pending"

done_testing
