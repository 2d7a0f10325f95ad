#!/bin/sh
# t-exit.sh - every exit status of the real embargo-mda: 0 once stored and
# committed, 67 for a recipient that is no list, 75 for every transient
# fault (configuration, database, state directory, lock, usage, time limit),
# and never anything else. After each 75 nothing is half-written, and the
# same message is delivered with 0 once the fault is gone.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
GOOD=$EMBARGO_CONFIG
DB=$T/state/embargo.db
codes=""

# run_mda ARGS... < message: the real binary, keeping $rc, the time it took
# ($ms) and every status seen. fd 7 (the lock's pipe) is not passed on.
run_mda() {
	_t0=$(date +%s%N)
	"$EMBARGO_MDA" "$@" >"$T/mda.out" 2>"$T/mda.err" 7>&-
	rc=$?
	ms=$(( ($(date +%s%N) - _t0) / 1000000 ))
	codes="$codes $rc"
}
# deliver CONFIG MESSAGE-FILE [SENDER]: the usual pipe(8) command line
deliver() { run_mda -c "$1" -f "${3:-jane@example.net}" -- "$LIST" < "$2"; }
# cases, messages and outbox rows in the database
state() {
	sqlite3 "$DB" "SELECT (SELECT count(*) FROM cases) || ' ' || (SELECT count(*) FROM messages) || ' ' || (SELECT count(*) FROM outbox)"
}
spooled() { ls "$T/state/spool/new" | wc -l; }
# how many cases / message rows hold the message with Message-ID MID
cases_of() { sqlite3 "$DB" "SELECT count(DISTINCT case_id) FROM messages WHERE message_id = '$1'"; }
rows_of() { sqlite3 "$DB" "SELECT count(*) FROM messages WHERE message_id = '$1'"; }
newmsg() { # newmsg NAME: a fresh report in $T/NAME.eml, Message-ID NAME@example.net
	msg "Jane Doe <jane@example.net>" "Report $1" "$1@example.net" > "$T/$1.eml"
}
# nothing_written WHAT BEFORE-STATE BEFORE-SPOOL: no case, message or outbox row, no spool file
nothing_written() {
	is "$(state)" "$2" "$1: no case, message or outbox row was written"
	is "$(spooled)" "$3" "$1: no spool file is left in spool/new"
}
# delivered_later WHAT NAME [CONFIG]: the same message, now delivered once with 0
delivered_later() {
	deliver "${3:-$GOOD}" "$T/$2.eml"
	is "$rc" 0 "$1: once the fault is gone the same message is delivered with 0"
	is "$(cases_of "$2@example.net") $(rows_of "$2@example.net")" "1 1" "$1: exactly one case and one message row hold it"
}

# --- 0 ---
newmsg ok1
deliver "$GOOD" "$T/ok1.eml"
is "$rc" 0 "a report is stored with exit 0"
is "$(state | cut -d' ' -f1-2)" "1 1" "and committed: one case, one message row"
is "$(ls "$T/state/spool/new" | wc -l)" 1 "and its raw bytes are in the spool"
newmsg ok2
run_mda -f jane@example.net -- "$LIST" < "$T/ok2.eml"
is "$rc" 0 "EMBARGO_CONFIG is used without -c"
newmsg ok3
run_mda -c "$GOOD" -f jane@example.net -- "SECURITY@Example.ORG" < "$T/ok3.eml"
is "$rc" 0 "the recipient is matched without regard to case"
newmsg ok4
run_mda -c "$GOOD" -f jane@example.net "$LIST" < "$T/ok4.eml"
is "$rc" 0 "the recipient may come without --"
run_mda -c "$GOOD" -f jane@example.net -- "$LIST" < "$T/ok1.eml"
is "$rc" 0 "a redelivered message exits 0"
is "$(cases_of ok1@example.net) $(rows_of ok1@example.net)" "1 1" "and is not stored twice"

# --- 67: no such list ---
before=$(state); sp=$(spooled)
for r in other@example.org security@example.net security+SEC-2026-0001@example.com \
         postmaster@example.org "security@example.org.evil.net"; do
	run_mda -c "$GOOD" -f jane@example.net -- "$r" < "$T/ok1.eml"
	is "$rc" 67 "recipient $r is no list: 67"
done
for r in "" "not an address" "a@b@c" "-oQ/tmp/x@example.org" "<>" "security@" "@example.org" \
         "$(printf 'security@example.org\nX-Injected: 1')"; do
	run_mda -c "$GOOD" -f jane@example.net -- "$r" < "$T/ok1.eml"
	is "$rc" 67 "garbage recipient '$(echo "$r" | tr '\n' ' ')': 67"
done
check "the 67 names the recipient on stderr" grep -q 'no such list' "$T/mda.err"
nothing_written "after 67" "$before" "$sp"

# --- 75: configuration errors ---
sed '3a\
this line is not a key' "$GOOD" > "$T/broken.conf"
grep -v '^prefix' "$GOOD" > "$T/noprefix.conf"
sed 's/^policy = cncf/policy = nosuchpolicy/' "$GOOD" > "$T/badpolicy.conf"
prefix_line=$(grep -n '^prefix' "$GOOD" | cut -d: -f1)
sed "s/^prefix = SEC/prefix = sec-lower/" "$GOOD" > "$T/badprefix.conf"

config_case() { # config_case WHAT NAME EXPECT-IN-STDERR ARGS...
	_what=$1; _name=$2; _want=$3; shift 3
	newmsg "$_name"
	before=$(state); sp=$(spooled)
	run_mda "$@" -f jane@example.net -- "$LIST" < "$T/$_name.eml"
	is "$rc" 75 "$_what: 75, the message waits in the queue"
	cp "$T/mda.err" "$T/defer.err"
	check "$_what: stderr says why ($_want)" grep -qF -- "$_want" "$T/defer.err"
	nothing_written "$_what" "$before" "$sp"
	delivered_later "$_what" "$_name"
}
config_case "a broken configuration file" cfg1 "$T/broken.conf:4" -c "$T/broken.conf"
config_case "a list without prefix" cfg2 "$T/noprefix.conf:" -c "$T/noprefix.conf"
check "the missing-prefix error names the key" grep -q 'prefix' "$T/defer.err"
config_case "a bad prefix" cfg3 "$T/badprefix.conf:$prefix_line" -c "$T/badprefix.conf"
config_case "an unknown policy" cfg4 "nosuchpolicy" -c "$T/badpolicy.conf"
config_case "-c naming a missing file" cfg5 "$T/missing.conf" -c "$T/missing.conf"
EMBARGO_CONFIG=$T/broken.conf; export EMBARGO_CONFIG
config_case "EMBARGO_CONFIG naming a broken file" cfg6 "$T/broken.conf:4"
EMBARGO_CONFIG=$T/missing.conf
config_case "EMBARGO_CONFIG naming a missing file" cfg7 "$T/missing.conf"
newmsg cfg8
run_mda -c "$GOOD" -f jane@example.net -- "$LIST" < "$T/cfg8.eml"
is "$rc" 0 "-c wins over a broken EMBARGO_CONFIG"
EMBARGO_CONFIG=$GOOD

# --- 75: no database, unusable state directory or spool ---
sed "s|^state_dir = .*|state_dir = $T/state2|" "$GOOD" > "$T/state2.conf"
newmsg db1
before=$(state)
deliver "$T/state2.conf" "$T/db1.eml"
is "$rc" 75 "no state directory and no database yet (no embargoctl init): 75"
check "stderr says to run embargoctl init" grep -q 'embargoctl init' "$T/mda.err"
check "embargo-mda creates no database of its own" test ! -e "$T/state2/embargo.db"
mkdir -m 0700 "$T/state2"
deliver "$T/state2.conf" "$T/db1.eml"
is "$rc" 75 "a state directory without a database: 75"
check "still no database" test ! -e "$T/state2/embargo.db"
"$EMBARGOCTL" -c "$T/state2.conf" init >/dev/null
deliver "$T/state2.conf" "$T/db1.eml"
is "$rc" 0 "after embargoctl init the same message is delivered with 0"
is "$(sqlite3 "$T/state2/embargo.db" "SELECT count(*) FROM messages WHERE message_id = 'db1@example.net'")" 1 \
	"and stored once"
is "$(state)" "$before" "the other state directory was not touched"

newmsg db2
before=$(state); sp=$(spooled)
v=$(sqlite3 "$DB" "PRAGMA user_version")
sqlite3 "$DB" "PRAGMA user_version = 0"
deliver "$GOOD" "$T/db2.eml"
is "$rc" 75 "a database with an older schema: 75"
check "stderr says to run embargoctl init" grep -q 'embargoctl init' "$T/mda.err"
sqlite3 "$DB" "PRAGMA user_version = $v"
nothing_written "old schema" "$before" "$sp"
delivered_later "old schema" db2

newmsg sd1
before=$(state); sp=$(spooled)
chmod 0777 "$T/state"
deliver "$GOOD" "$T/sd1.eml"
is "$rc" 75 "a world-writable state directory is refused: 75"
check "stderr says it is not private" grep -q 'private' "$T/mda.err"
chmod 0770 "$T/state"
deliver "$GOOD" "$T/sd1.eml"
is "$rc" 75 "a group-writable state directory is refused: 75"
chmod 0700 "$T/state"
nothing_written "state directory not private" "$before" "$sp"
delivered_later "state directory not private" sd1

newmsg sp1
before=$(state); sp=$(spooled)
mv "$T/state/spool/tmp" "$T/state/spool/tmp.away"
: > "$T/state/spool/tmp"
deliver "$GOOD" "$T/sp1.eml"
is "$rc" 75 "a spool that cannot be written: 75"
rm -f "$T/state/spool/tmp"
mv "$T/state/spool/tmp.away" "$T/state/spool/tmp"
nothing_written "spool unwritable" "$before" "$sp"
delivered_later "spool unwritable" sp1

# --- 75: the database is locked by another process ---

newmsg lk1
before=$(state); sp=$(spooled)
lock_db
check "another process holds the write lock" grep -q locked "$T/lock.out"
deliver "$GOOD" "$T/lk1.eml"
is "$rc" 75 "a database locked by another process: 75"
ok "$([ "$ms" -ge 9000 ] && echo 1)" "it waited out the 10 s busy timeout before deferring (took ${ms} ms)"
ok "$([ "$ms" -lt 15000 ] && echo 1)" "and not much longer (took ${ms} ms)"
check "stderr says the database is locked" grep -q 'locked' "$T/mda.err"
unlock_db
nothing_written "locked database" "$before" "$sp"
delivered_later "locked database" lk1

# --- 75: the time limit ---
sed '/^\[embargo\]/a\
time_limit = 5' "$GOOD" > "$T/limit.conf"
newmsg tl1
before=$(state)
lock_db
deliver "$T/limit.conf" "$T/tl1.eml"
is "$rc" 75 "time_limit = 5 and a lock held longer: 75"
ok "$([ "$ms" -lt 9000 ] && echo 1)" "well before the busy timeout: within 9 s (took ${ms} ms)"
ok "$([ "$ms" -ge 4500 ] && echo 1)" "after waiting for the lock up to the time limit (took ${ms} ms)"
unlock_db
is "$(state)" "$before" "time limit: nothing was committed"
delivered_later "time limit" tl1 "$T/limit.conf"

# a sender that never ends the message: the time limit still holds
newmsg tl2
before=$(state)
rm -f "$T/stdin.fifo"; mkfifo "$T/stdin.fifo"
( cat "$T/tl2.eml"; exec sleep 20 ) > "$T/stdin.fifo" &
writer=$!
run_mda -c "$T/limit.conf" -f jane@example.net -- "$LIST" < "$T/stdin.fifo"
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
is "$rc" 75 "a message whose input never ends: 75 at the time limit"
ok "$([ "$ms" -ge 4500 ] && [ "$ms" -lt 9000 ] && echo 1)" "after about 5 s (took ${ms} ms)"
check "stderr says the time limit was reached" grep -q 'time limit' "$T/mda.err"
is "$(state)" "$before" "input never ended: nothing was committed"
delivered_later "input never ended" tl2 "$T/limit.conf"

# --- after the commit, sending cannot change the status ---
newmsg sm1
touch "$T/sendmail.fail"
deliver "$GOOD" "$T/sm1.eml" max@example.net
is "$rc" 0 "sendmail failing after the commit: still 0 (the mail is safe)"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox o JOIN messages m ON o.cause = m.id WHERE m.message_id = 'sm1@example.net' AND o.state = 'pending'")" 2 \
	"its outgoing mails stay pending"
rm -f "$T/sendmail.fail"

cat > "$T/hang-sendmail" <<EOF
#!/bin/sh
echo \$\$ >> "$T/hang.pids"
exec sleep 30
EOF
chmod +x "$T/hang-sendmail"
sed -e "s|^sendmail = .*|sendmail = $T/hang-sendmail -i|" "$T/limit.conf" > "$T/hang.conf"
newmsg sm2
deliver "$T/hang.conf" "$T/sm2.eml" ann@example.net
hang_rc=$rc
is "$(cases_of sm2@example.net) $(rows_of sm2@example.net)" "1 1" "a hanging sendmail: the message was stored and committed"
is "$hang_rc" 0 "so the delivery exits 0, not 75 (a 75 makes Postfix retry, and finally bounce, a stored report)"
ok "$([ "$ms" -lt 9000 ] && echo 1)" "within the time limit (took ${ms} ms)"
for p in $(cat "$T/hang.pids" 2>/dev/null); do  # a sendmail still hanging, if any
	grep -qa sleep "/proc/$p/cmdline" 2>/dev/null && kill "$p"
done
deliver "$GOOD" "$T/sm2.eml" ann@example.net
is "$rc" 0 "redelivered with a working sendmail: 0"
is "$(cases_of sm2@example.net) $(rows_of sm2@example.net)" "1 1" "still one case and one message row"
is "$(sqlite3 "$DB" "SELECT group_concat(o.state) FROM outbox o JOIN messages m ON o.cause = m.id WHERE m.message_id = 'sm2@example.net'")" "sent,sent" \
	"and the redelivery sent the pending mails"

# --- 75: usage errors ---
newmsg us1
before=$(state); sp=$(spooled)
usage() { # usage WHAT ARGS...
	_what=$1; shift
	run_mda "$@" < "$T/us1.eml"
	is "$rc" 75 "usage error, $_what: 75"
}
usage "no -f" -c "$GOOD" -- "$LIST"
usage "-f without its value" -c "$GOOD" -f
usage "no recipient" -c "$GOOD" -f jane@example.net
usage "no recipient after --" -c "$GOOD" -f jane@example.net --
usage "two recipients" -c "$GOOD" -f jane@example.net -- "$LIST" "$LIST"
usage "two different recipients" -c "$GOOD" -f jane@example.net -- "$LIST" bob@example.org
usage "an unknown short option" -c "$GOOD" -x -f jane@example.net -- "$LIST"
usage "an unknown long option" -c "$GOOD" --bogus -f jane@example.net -- "$LIST"
usage "-c without its value" -f jane@example.net -c
check "the usage error says the message is deferred" grep -q 'deferred' "$T/mda.err"
usage "--help (exit 0 would drop the message unread)" --help
usage "-h" -c "$GOOD" -h -f jane@example.net -- "$LIST"
nothing_written "usage errors" "$before" "$sp"
delivered_later "usage errors" us1

# --- never any other code ---
seen=$(echo $codes | tr ' ' '\n' | sort -un | tr '\n' ' ')
is "$seen" "0 67 75 " "the statuses seen are exactly 0, 67 and 75"
echo "# statuses seen: $codes"

done_testing
