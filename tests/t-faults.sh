#!/bin/sh
# t-faults.sh - faults injected from outside into the real embargo-mda:
# failing and interrupted system calls (strace -e inject) at every step from
# spool to commit, kill -9 at each of them, death right after sendmail took
# a mail, and a full filesystem. Each time the outcome must be one the
# design allows: exit 75 and a later redelivery that succeeds, or exit 0
# with everything committed; never a lost report, a second case, a second
# acknowledgement with a new Message-ID, or a damaged database.
. "$top_srcdir/tests/lib.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -o /dev/null true 2>/dev/null; then
	echo "1..0 # SKIP strace is not usable here"
	exit 0
fi

db() { sqlite3 "$T/state/embargo.db" "$@"; }
ncases() { db "SELECT count(*) FROM cases"; }
nmessages() { db "SELECT count(*) FROM messages"; }
nacks() { grep -li '^Subject: Auto: ' "$T"/sent/*.msg 2>/dev/null | wc -l; }
nack_ids() { grep -hi '^Message-Id:' $(grep -li '^Subject: Auto: ' "$T"/sent/*.msg 2>/dev/null) 2>/dev/null | sort -u | wc -l; }
integrity() { db "PRAGMA integrity_check"; }

# under_strace SPEC...: deliver $T/in.eml with strace injecting SPEC (@T@ stands
# for the test directory, which setup makes); sets $rc
under_strace() {
	_args=
	for a in "$@"; do _args="$_args $(printf "%s" "$a" | sed "s|@T@|$T|g")"; done
	# shellcheck disable=SC2086
	# LeakSanitizer cannot run under ptrace; the other sanitizers still do.
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -o /dev/null $_args "$EMBARGO_MDA" -f jane@example.net -- $LIST < "$T/in.eml" 2>"$T/strace.err"
	rc=$?
	case $rc in 0|75|137) ;; *) sed 's/^/# /' "$T/strace.err" ;; esac
}
redeliver() { mda jane@example.net $LIST < "$T/in.eml"; }

# fault NAME STRACE-SPEC...: an injected error must defer without a trace,
# and the redelivery must then store the report once.
fault() {
	name=$1
	shift
	setup
	members alice@example.org
	msg 'Jane <jane@example.net>' "Report ($name)" "$name@example.net" > "$T/in.eml"
	under_strace "$@"
	is "$rc" 75 "$name: embargo-mda defers (75)"
	is "$(ncases)" 0 "$name: no case is committed"
	is "$(ls "$T/state/spool/new" "$T/state/spool/tmp" | grep -c '^20')" 0 "$name: no spool file is left behind"
	is "$(sent_count)" 0 "$name: nothing was sent"
	redeliver
	is "$rc" 0 "$name: the redelivery is stored (0)"
	is "$(ncases)/$(nmessages)/$(nacks)" "1/1/1" "$name: one case, one message, one acknowledgement"
	is "$(integrity)" ok "$name: the database is intact"
	done_testing_quiet
}

# killed NAME STRACE-SPEC...: kill -9 at that point; the redelivery must leave
# exactly one case, and at most the one allowed duplicate mail.
killed() {
	name=$1
	shift
	setup
	members alice@example.org
	msg 'Jane <jane@example.net>' "Report ($name)" "$name@example.net" > "$T/in.eml"
	under_strace "$@"
	is "$rc" 137 "$name: kill -9 ends embargo-mda (Postfix defers on a signal)"
	is "$(integrity)" ok "$name: the database is intact after the kill"
	redeliver
	is "$rc" 0 "$name: the redelivery exits 0"
	is "$(ncases)/$(nmessages)" "1/1" "$name: exactly one case and one message"
	is "$(nacks)" 1 "$name: the reporter is acknowledged once"
	is "$(db "SELECT count(*) FROM outbox WHERE state = 'pending'")" 0 "$name: nothing left pending"
	done_testing_quiet
}

# One TAP stream for the whole file: setup/done_testing per scenario without the plan.
done_testing_quiet() { [ -n "${KEEP:-}" ] || rm -rf "$T"; }

# The system calls of a delivery, in order: fsync (spool file), rename
# (into spool/new), fsync (spool directory), fdatasync (the commit in the WAL).
fault spool-write-enospc -e trace=write -e inject=write:error=ENOSPC:when=1
fault spool-fsync-eio -e trace=fsync -e inject=fsync:error=EIO:when=1
fault spool-rename-exdev -e trace=rename -e inject=rename:error=EXDEV:when=1
fault spool-dirsync-eio -e trace=fsync -e inject=fsync:error=EIO:when=2
fault db-open-emfile -P @T@/state/embargo.db -e trace=openat -e inject=openat:error=EMFILE:when=1

## A failed sync of the commit: SQLite reports an I/O error and we defer,
## but the WAL frames may already be on disk and become the committed
## state. Either way the redelivery must complete the delivery, once, and
## the raw message must stay in the spool for the row that names it.
setup
members alice@example.org
msg 'Jane <jane@example.net>' 'Report (commit sync)' commit-sync@example.net > "$T/in.eml"
under_strace -e trace=fdatasync -e inject=fdatasync:error=EIO:when=1
is "$rc" 75 "commit-sync-eio: embargo-mda defers (75)"
redeliver
is "$rc" 0 "commit-sync-eio: the redelivery exits 0"
is "$(ncases)/$(nmessages)/$(nacks)" "1/1/1" "commit-sync-eio: one case, one message, one acknowledgement"
check "commit-sync-eio: the stored message's raw copy exists" test -f "$(db "SELECT spool_path FROM messages")"
is "$(integrity)" ok "commit-sync-eio: the database is intact"
done_testing_quiet

killed kill-at-spool-fsync -e trace=fsync -e inject=fsync:signal=KILL:when=1
killed kill-at-rename -e trace=rename -e inject=rename:signal=KILL:when=1
killed kill-at-dirsync -e trace=fsync -e inject=fsync:signal=KILL:when=2
killed kill-at-commit -e trace=fdatasync -e inject=fdatasync:signal=KILL:when=1
killed kill-after-commit -e trace=fdatasync -e inject=fdatasync:signal=KILL:when=2

## Death right after sendmail accepted a mail: the one duplicate allowed,
## which carries the same Message-ID.
setup
members alice@example.org
cat > "$T/sendmail" <<EOS
#!/bin/sh
"$top_srcdir/tests/fake-sendmail" "\$@" || exit 75
# Kill embargo-mda once, after the first mail was taken.
[ -e "$T/killed" ] || { touch "$T/killed"; kill -9 \$PPID; }
exit 0
EOS
chmod +x "$T/sendmail"
sed -i "s|^sendmail = .*|sendmail = $T/sendmail|" "$T/embargo.conf"
# fake-sendmail keeps mail beside itself: give it a home in $T.
cp "$top_srcdir/tests/fake-sendmail" "$T/keep-sendmail"
sed -i "s|\"$top_srcdir/tests/fake-sendmail\"|\"$T/keep-sendmail\"|" "$T/sendmail"
msg 'Jane <jane@example.net>' 'Report (killed after sendmail)' after-send@example.net > "$T/in.eml"
redeliver
is "$rc" 137 "killed right after sendmail took a mail: Postfix sees a signal and defers"
redeliver
is "$rc" 0 "the redelivery exits 0"
is "$(ncases)/$(nmessages)" "1/1" "one case, one message"
is "$(db "SELECT count(*) FROM outbox WHERE state = 'pending'")" 0 "every mail is marked sent in the end"
all=$(grep -hi '^Message-Id:' "$T"/sent/*.msg | sort -u | wc -l)
is "$all" 2 "only two distinct Message-IDs went out (the ack and the team copy)"
resends=0
for id in $(grep -hi '^Message-Id:' "$T"/sent/*.msg | sort | uniq -d | awk '{print $2}'); do
	[ "$(md5sum $(grep -li "^Message-Id: $id" "$T"/sent/*.msg) | awk '{print $1}' | sort -u | wc -l)" = 1 ] ||
		resends=$((resends + 1))
done
is "$resends" 0 "a mail sent again is the same mail: same Message-ID, same bytes"
is "$(integrity)" ok "the database is intact"
done_testing_quiet

## A full filesystem under the spool (a 64 KiB tmpfs, in a private mount namespace).
if [ "$(id -u)" = 0 ] && unshare --mount true 2>/dev/null; then
	setup
	members alice@example.org
	BODY=$(head -c 200000 /dev/zero | tr '\0' 'y' | fold -w 76) msg 'Jane <jane@example.net>' 'Big report' big@example.net > "$T/in.eml"
	unshare --mount sh -c "mount -t tmpfs -o size=64k,mode=0700 tmpfs '$T/state/spool/tmp' &&
		'$EMBARGO_MDA' -f jane@example.net -- $LIST < '$T/in.eml' 2>'$T/mda.err'"
	rc=$?
	is "$rc" 75 "a full filesystem: embargo-mda defers (75)"
	check "the log says why" grep -qi 'no space' "$T/mda.err"
	is "$(ncases)" 0 "a full filesystem: no case"
	redeliver
	is "$rc" 0 "with space again the redelivery is stored"
	is "$(ncases)" 1 "one case"
	done_testing_quiet
else
	_n=$((_n + 1)); echo "ok $_n # SKIP a full filesystem needs root and unshare --mount"
fi

echo "1..$_n"
