#!/bin/sh
# t-spool.sh - the raw spool keeps no orphans: a delivery deferred on the
# time limit removes its spooled copy (it was never committed); a crash
# before the commit leaves one, which "embargoctl outbox flush" sweeps once
# it is old enough that no running delivery can own it. A file a committed
# row names (a report, a held item, a duplicate's replacement
# copy) is never swept, nor a young file, nor a file the spool did not make.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org
DB=$T/state/embargo.db
NEW=$T/state/spool/new
TMP=$T/state/spool/tmp
db() { sqlite3 "$DB" "$@"; }
# the spool's files (new and tmp), one name a line, sorted
spool_files() { (ls "$NEW"; ls "$TMP") | grep . | sort; }
nspool() { spool_files | grep -c .; }
# every flush's stderr is kept: none is expected (a sanitizer's report would be there)
flush() { ctl outbox flush >/dev/null 2>>"$T/flush.err"; }
newmsg() { # newmsg NAME: a fresh report in $T/NAME.eml, Message-ID NAME@example.net
	msg "Jane Doe <jane@example.net>" "Report $1" "$1@example.net" > "$T/$1.eml"
}
sed '/^\[embargo\]/a\
time_limit = 5' "$EMBARGO_CONFIG" > "$T/limit.conf"

# --- a committed report: its raw copy stays, however old ---
newmsg c1
mda jane@example.net "$LIST" < "$T/c1.eml"
is "$rc" 0 "a report is stored"
c1=$(db "SELECT spool_path FROM messages WHERE message_id = 'c1@example.net'")
check "its raw copy is in spool/new" test -f "$c1"
touch -d '30 days ago' "$c1"

# --- the time limit while waiting for the database: no file left ---
newmsg tl1
before=$(spool_files)
lock_db
check "another process holds the write lock" grep -q locked "$T/lock.out"
"$EMBARGO_MDA" -c "$T/limit.conf" -f jane@example.net -- "$LIST" < "$T/tl1.eml" 2>"$T/mda.err" 7>&-
rc=$?
unlock_db
is "$rc" 75 "time limit reached while the database is locked: 75"
check "stderr says the time limit was reached" grep -q 'time limit' "$T/mda.err"
is "$(spool_files)" "$before" "the deferred message's spooled copy was removed"
is "$(db "SELECT count(*) FROM messages WHERE message_id = 'tl1@example.net'")" 0 "and nothing was committed"
mda jane@example.net "$LIST" < "$T/tl1.eml"
is "$rc" 0 "the retry is stored"
is "$(nspool)" 2 "with one raw copy of its own"

# --- the time limit while the message is still being read: no tmp file left ---
newmsg tl2
before=$(spool_files)
rm -f "$T/stdin.fifo"; mkfifo "$T/stdin.fifo"
( cat "$T/tl2.eml"; exec sleep 20 ) > "$T/stdin.fifo" &
writer=$!
"$EMBARGO_MDA" -c "$T/limit.conf" -f jane@example.net -- "$LIST" < "$T/stdin.fifo" 2>"$T/mda.err"
rc=$?
kill "$writer" 2>/dev/null; wait "$writer" 2>/dev/null
is "$rc" 75 "time limit reached while the input never ends: 75"
is "$(spool_files)" "$before" "the half-written copy in spool/tmp was removed"

# --- a crash before the commit: the sweep removes the leftover once old ---
newmsg k1
before=$(spool_files)
lock_db
"$EMBARGO_MDA" -f jane@example.net -- "$LIST" < "$T/k1.eml" 2>"$T/mda.err" 7>&- &
mpid=$!
_i=0
while [ "$(nspool)" -le "$(echo "$before" | grep -c .)" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
sleep 0.3
kill -9 "$mpid"
wait "$mpid"
rc=$?
unlock_db
is "$rc" 137 "embargo-mda killed while it waits for the lock"
orphan=$(spool_files | comm -13 "$(printf '%s\n' "$before" > "$T/before"; echo "$T/before")" -)
is "$(echo "$orphan" | grep -c .)" 1 "it left its spooled copy behind (nothing could remove it)"
orphan=$NEW/$orphan
is "$(db "SELECT count(*) FROM messages WHERE spool_path = '$orphan'")" 0 "and no row names it"
flush
check "a young leftover is not swept (a delivery may still own it)" test -f "$orphan"
touch -d '25 hours ago' "$orphan"
flush
check "nor one a day old (a delivery may run up to time_limit, at most a day)" test -f "$orphan"
touch -d '3 days ago' "$orphan"
flush
check "three days old, no row names it: 'outbox flush' sweeps it" test ! -e "$orphan"
check "the committed report's copy, thirty days old, stays" test -f "$c1"
is "$(db "SELECT count(*) FROM messages WHERE spool_path NOT LIKE '$NEW/%'")" 0 "every row names a file in spool/new"
for p in $(db "SELECT spool_path FROM messages"); do
	check "the raw copy $p of a committed row stays" test -f "$p"
done
mda jane@example.net "$LIST" < "$T/k1.eml"
is "$rc" 0 "the killed message's retry is stored"

# --- old files nobody names but the spool did not make, and a tmp leftover ---
echo notes > "$NEW/README"
mkdir "$NEW/20260101T000000.1.0000000a"
printf 'x' > "$TMP/20260101T000000.42.deadbeef"
printf 'x' > "$TMP/20260101T000000.43.deadbee"
touch -d '10 days ago' "$NEW/README" "$NEW/20260101T000000.1.0000000a" "$TMP/20260101T000000.42.deadbeef" \
	"$TMP/20260101T000000.43.deadbee"
flush
check "a file not named like a spool file stays" test -f "$NEW/README"
check "a directory stays" test -d "$NEW/20260101T000000.1.0000000a"
check "a name that is not quite a spool name stays" test -f "$TMP/20260101T000000.43.deadbee"
check "an old half-written copy in spool/tmp is swept" test ! -e "$TMP/20260101T000000.42.deadbeef"
rm -rf "$NEW/README" "$NEW/20260101T000000.1.0000000a" "$TMP/20260101T000000.43.deadbee"

# --- a row that names the file under another spelling of the state directory ---
newmsg m1
mda jane@example.net "$LIST" < "$T/m1.eml"
m1=$(db "SELECT spool_path FROM messages WHERE message_id = 'm1@example.net'")
db "UPDATE messages SET spool_path = '/srv/old-state/spool/new/$(basename "$m1")' WHERE message_id = 'm1@example.net'"
touch -d '30 days ago' "$m1"
flush
check "a file a row names from a moved state directory stays" test -f "$m1"
db "UPDATE messages SET spool_path = '$m1' WHERE message_id = 'm1@example.net'"

# --- a held item's raw copy: no messages row names it ---
msg "Scanner <scan@example.net>" "Automated finding" "h1@example.net" "Auto-Submitted: auto-generated" > "$T/h1.eml"
mda scan@example.net "$LIST" < "$T/h1.eml"
is "$rc" 0 "an automatic report is stored"
h1=$(db "SELECT spool_path FROM held_items WHERE message_id = 'h1@example.net'")
is "$(db "SELECT state FROM held_items WHERE message_id = 'h1@example.net'")" held "it is a held item"
touch -d '30 days ago' "$h1"
flush
check "the held item's raw copy is not swept" test -f "$h1"

# --- duplicates: unchanged ---
n=$(nspool)
mda jane@example.net "$LIST" < "$T/c1.eml"
is "$rc" 0 "a redelivered report: 0"
is "$(nspool)" "$n" "its second copy is dropped at once"
rm -f "$c1"
mda jane@example.net "$LIST" < "$T/c1.eml"
is "$rc" 0 "redelivered after its raw copy was lost: 0"
c1b=$(db "SELECT spool_path FROM messages WHERE message_id = 'c1@example.net'")
ok "$([ "$c1b" != "$c1" ] && [ -f "$c1b" ] && echo 1)" "the new copy replaces the lost one in the row"
is "$(nspool)" "$n" "and is the only one added"
touch -d '30 days ago' "$c1b"
flush
check "the replacement copy is named by the row: not swept" test -f "$c1b"
is "$(db "SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM held_items WHERE spool_path IS NOT NULL)")" "$(nspool)" \
	"one raw copy per stored message and held item, no more, no less"
is "$(cat "$T/flush.err")" "" "embargoctl outbox flush wrote nothing to stderr"

done_testing
