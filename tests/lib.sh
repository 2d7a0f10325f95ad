# tests/lib.sh - shared helpers for the integration tests: a throwaway state
# directory and configuration, the real binaries, a sendmail that keeps what
# it is given, and TAP output. Source it; call setup; end with done_testing.

: "${EMBARGO_MDA:?run through make check, or set EMBARGO_MDA}"
: "${EMBARGOCTL:?run through make check, or set EMBARGOCTL}"
: "${top_srcdir:?}"

# EMBARGO_MEMCHECK=1: the programs run under valgrind's memcheck
# (tests/memcheck), through wrappers in a directory of their own, so that
# every "$EMBARGO_MDA", "$EMBARGOCTL" and "$EMBARGO_MILTER" of the tests is wrapped.
if [ -n "${EMBARGO_MEMCHECK:-}" ] && [ -z "${_memcheck_wrapped:-}" ]; then
	_vgbin=$(mktemp -d /tmp/embargo-vg.XXXXXX)
	export EMBARGO_MEMCHECK_LOG="${EMBARGO_MEMCHECK_LOG:-$_vgbin}"
	printf '#!/bin/sh\nexec "%s/tests/memcheck" "%s" "$@"\n' "$top_srcdir" "$EMBARGO_MDA" > "$_vgbin/embargo-mda"
	printf '#!/bin/sh\nexec "%s/tests/memcheck" "%s" "$@"\n' "$top_srcdir" "$EMBARGOCTL" > "$_vgbin/embargoctl"
	printf '#!/bin/sh\nexec "%s/tests/memcheck" "%s" "$@"\n' "$top_srcdir" "$EMBARGO_MILTER" > "$_vgbin/embargo-milter"
	# t-root.sh runs them as another user too
	chmod 755 "$_vgbin" "$_vgbin/embargo-mda" "$_vgbin/embargoctl" "$_vgbin/embargo-milter"
	EMBARGO_MDA=$_vgbin/embargo-mda EMBARGOCTL=$_vgbin/embargoctl _memcheck_wrapped=1
	EMBARGO_MILTER=$_vgbin/embargo-milter
	export EMBARGO_MDA EMBARGOCTL EMBARGO_MILTER _memcheck_wrapped
fi

_n=0
_failed=0
LIST=security@example.org

ok() { # ok CONDITION-STATUS DESCRIPTION  (use: ok "$( [ ... ] && echo 1)" "desc" or test_ok)
	_n=$((_n + 1))
	if [ "$1" = 1 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
check() { # check DESCRIPTION COMMAND...  passes when the command succeeds
	_d=$1; shift
	if "$@" >/dev/null 2>&1; then ok 1 "$_d"; else ok 0 "$_d"; fi
}
is() { # is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then ok 1 "$3"; else ok 0 "$3"; echo "#   got:  '$1'"; echo "#   want: '$2'"; fi
}
done_testing() {
	echo "1..$_n"
	[ -n "${KEEP:-}" ] || rm -rf "$T"
	# Failures are reported by the "not ok" lines; the exit status stays 0
	# so that the TAP driver does not count them twice.
	return 0
}

# setup [EXTRA CONFIG LINES for the list section]
setup() {
	T=$(mktemp -d /tmp/embargo-t.XXXXXX)
	cp "$top_srcdir/tests/fake-sendmail" "$T/sendmail"
	mkdir -p "$T/sent"
	cat > "$T/embargo.conf" <<EOC
[embargo]
state_dir = $T/state          # database, raw spool, keys; created 0700
sendmail = $T/sendmail -i

[list $LIST]
name = Example Security Team
prefix = SEC
policy = cncf
${1:-}
EOC
	export EMBARGO_CONFIG="$T/embargo.conf"
	"$EMBARGOCTL" init >/dev/null || { echo "Bail out! embargoctl init failed"; exit 1; }
}

members() { # members ADDRESS...
	for m in "$@"; do "$EMBARGOCTL" member add "$LIST" "$m" >/dev/null; done
}

# mda SENDER RECIPIENT < message; sets $rc
mda() {
	"$EMBARGO_MDA" -f "$1" -- "$2" 2>"$T/mda.err"
	rc=$?
}
ctl() { "$EMBARGOCTL" "$@"; }

# A plain message: msg FROM SUBJECT MESSAGE-ID [EXTRA-HEADER...] ; body from $BODY
msg() {
	_from=$1; _subj=$2; _mid=$3; shift 3
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n' \
		"$_from" "$LIST" "$_subj" "$_mid"
	for h in "$@"; do printf '%s\n' "$h"; done
	printf '\n%s\n' "${BODY:-Details of the problem.}"
}

# send SENDER RECIPIENT FROM SUBJECT MESSAGE-ID [HEADER...]: msg piped into mda, keeping $rc
send() {
	_s=$1; _r=$2; shift 2
	msg "$@" > "$T/in.eml"
	mda "$_s" "$_r" < "$T/in.eml"
}

# hdr FILE NAME: the unfolded value of the first header NAME of a stored mail
hdr() {
	awk -v want="$(echo "$2" | tr A-Z a-z)" '
		/^$/ { exit }
		/^[ \t]/ { if (cur == want) val = val " " substr($0, 2); next }
		{ if (cur == want && found) exit
		  i = index($0, ":"); cur = tolower(substr($0, 1, i - 1))
		  if (cur == want && !found) { found = 1; val = substr($0, i + 2) } }
		END { print val }' "$1"
}

sent_count() { ls "$T/sent" | grep -c '\.msg$'; }
# What sendmail got since the last "mark": fresh lists the files, fresh_to
# those whose recipients include ADDRESS; rcpts FILE gives a sent mail's
# recipients, sorted, comma-separated.
mark() { ls "$T"/sent/*.msg 2>/dev/null | sort > "$T/mark"; }
fresh() { ls "$T"/sent/*.msg 2>/dev/null | sort | comm -13 "$T/mark" -; }
fresh_count() { fresh | grep -c .; }
fresh_to() { for _f in $(fresh); do grep -qx -- "$1" "${_f%.msg}.args.done" && echo "$_f"; done; }
rcpts() { sed '1,/^--$/d' "${1%.msg}.args.done" | sort | paste -sd, -; }
# the files of mails whose recipients include ADDRESS
sent_to() { grep -lx -- "$1" "$T"/sent/*.args.done 2>/dev/null | sed 's/\.args\.done$/.msg/'; }
sent_to_count() { sent_to "$1" | grep -c . ; }
show() { ctl case show "$1" --json; }
jqr() { jq -r "$@"; }

# lock_db: another process holds BEGIN EXCLUSIVE on the database until unlock_db
lock_db() { # holds BEGIN EXCLUSIVE on the database until unlock_db
	rm -f "$T/lock.fifo" "$T/lock.out"
	mkfifo "$T/lock.fifo"
	sqlite3 "$DB" < "$T/lock.fifo" > "$T/lock.out" 2>&1 &
	lock_pid=$!
	exec 7>"$T/lock.fifo"
	echo "BEGIN EXCLUSIVE; SELECT 'locked';" >&7
	_i=0
	while ! grep -q locked "$T/lock.out" 2>/dev/null && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
}
unlock_db() { exec 7>&-; wait "$lock_pid"; }
