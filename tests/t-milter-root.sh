#!/bin/sh
# t-milter-root.sh - embargo-milter started as root, with [milter] user =
# nobody (the delivery user here): nothing root does follows a name in a
# directory that user can write. In the user's own directory (the layout
# for a chrooted smtpd) the socket is made by the user after the privilege
# drop, so a socket swapped for a symbolic link gives the user nothing; in
# a directory only root can write, root hands the socket over without
# following links; a directory others can write is refused.
. "$top_srcdir/tests/lib.sh"

if [ "$(id -u)" != 0 ]; then echo "1..0 # SKIP needs root"; exit 0; fi
if ! id nobody >/dev/null 2>&1 || ! command -v setpriv >/dev/null 2>&1 ||
	! command -v strace >/dev/null 2>&1; then
	echo "1..0 # SKIP needs the user nobody, setpriv and strace"; exit 0
fi

T=$(mktemp -d /tmp/embargo-t.XXXXXX)
chmod 755 "$T"
NOGROUP=$(id -gn nobody)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$T"' EXIT
as_nobody() { setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups -- "$@"; }

# conf NAME SOCKET-PATH
conf() {
	printf '[embargo]\nstate_dir = %s/state\n\n[milter]\nsocket = unix:%s\nuser = nobody\n' "$T" "$2" > "$T/$1.conf"
	printf 'authserv_id = mx.example.org\nspf_test_zone = %s/tests/milter/zone\n' "$top_srcdir" >> "$T/$1.conf"
	printf '\n[list security@example.org]\nprefix = SEC\n' >> "$T/$1.conf"
}
# start NAME [STRACE-ARGS...]: the milter as root under strace (output in
# $T/NAME.strace), in the background; PID is the milter's own. (Its exit
# status under strace is not looked at: LeakSanitizer cannot run in a
# traced process.)
start() {
	_name=$1; shift
	strace -f -qq -o "$T/$_name.strace" "$@" -- "$EMBARGO_MILTER" -f -c "$T/$_name.conf" \
		2> "$T/$_name.log" &
	_strace=$!
	PID=
	for _i in $(seq 100); do PID=$(pgrep -P "$_strace" | head -1); [ -n "$PID" ] && break; sleep 0.05; done
}
# listening NAME: waits for the milter to say that it listens (or to exit)
listening() {
	for _i in $(seq 200); do
		grep -q "listening on" "$T/$1.log" && return 0
		kill -0 "$_strace" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
stop() {
	[ -n "$PID" ] && kill -TERM "$PID"
	wait "$_strace"
	PID=
}
# no_path_chown NAME: strace saw no chown or chmod by name (which follows links)
no_path_chown() { ! grep -E '(^|[ (])(chown|lchown|chmod|fchmodat)\(' "$T/$1.strace"; }
owner() { stat -c '%U:%G' "$1"; }

echo secret > "$T/victim"
chmod 600 "$T/victim"

## the user's own directory (install -d -o nobody -m 0750): the socket is
## the user's from the start; swapping it for a link between bind and a
## chown (held up here for 1.5 s) gets the user nothing
D=$T/spool-embargo
mkdir "$D"; chown nobody:"$NOGROUP" "$D"; chmod 750 "$D"
conf own "$D/milter.sock"
start own -e trace=setuid,bind,chown,lchown,fchownat,chmod,fchmodat \
	-e inject=chown,lchown,fchownat:delay_enter=1500000
for _i in $(seq 100); do [ -S "$D/milter.sock" ] && break; sleep 0.02; done
check "the socket appears in the user's directory" test -S "$D/milter.sock"
as_nobody sh -c "rm -f '$D/milter.sock' && ln -s '$T/victim' '$D/milter.sock'"
check "the user swapped the socket for a link to root's file" test -L "$D/milter.sock"
listening own
sleep 1.6
is "$(owner "$T/victim")" "root:root" "root's file stays root's"
is "$(stat -c %a "$T/victim")" 600 "... and keeps its mode"
check "no chown or chmod by name" no_path_chown own
_setuid=$(grep -n 'setuid(' "$T/own.strace" | head -1 | cut -d: -f1)
_bind=$(grep -n "bind(.*$D/milter.sock" "$T/own.strace" | head -1 | cut -d: -f1)
check "the socket is bound after the privilege drop" test -n "$_setuid" -a -n "$_bind" -a "${_bind:-0}" -gt "${_setuid:-0}"
stop
rm -f "$D/milter.sock"

# the same directory, started again: the socket is the user's, mode 0770
conf own2 "$D/milter.sock"
start own2 -e trace=setuid,bind,chown,lchown,fchownat,chmod,fchmodat
check "the milter starts in the user's directory" listening own2
is "$(owner "$D/milter.sock")" "nobody:$NOGROUP" "the socket is the user's"
is "$(stat -c %a "$D/milter.sock")" 770 "rw for the user and its group only"
stop
check "and it is removed at exit" test ! -e "$D/milter.sock"

# a link planted at the socket's name before the start is not followed
ln -s "$T/victim" "$D/milter.sock"
conf own3 "$D/milter.sock"
"$EMBARGO_MILTER" -f -c "$T/own3.conf" 2> "$T/own3.log"; rc=$?
is "$rc" 69 "a link where the socket goes: exit 69"
check "... it says so" grep -q "exists and is not a socket" "$T/own3.log"
is "$(owner "$T/victim")" "root:root" "... and the link's target stays root's"
check "... and the link stays" test -L "$D/milter.sock"
rm -f "$D/milter.sock"

## a directory only root can write (systemd's RuntimeDirectory=): root
## binds and hands the socket over without following a link
R=$T/run
mkdir "$R"; chmod 755 "$R"
conf root "$R/milter.sock"
start root -e trace=setuid,bind,chown,lchown,fchownat,chmod,fchmodat
check "the milter starts in root's directory" listening root
is "$(owner "$R/milter.sock")" "nobody:$NOGROUP" "the socket is given to the user"
is "$(stat -c %a "$R/milter.sock")" 770 "rw for the user and its group only"
check "no chown or chmod by name" no_path_chown root
check "the socket is handed over with fchownat(..., AT_SYMLINK_NOFOLLOW)" \
	grep -q 'fchownat(.*"milter.sock".*AT_SYMLINK_NOFOLLOW' "$T/root.strace"
stop

## directories that others can write are refused
# refused NAME DIR DESCRIPTION
refused() {
	conf "$1" "$2/milter.sock"
	"$EMBARGO_MILTER" -f -c "$T/$1.conf" 2> "$T/$1.log"; rc=$?
	is "$rc" 77 "$3: exit 77"
	check "$3: says why" grep -q "can be written by others than root and \[milter\] user" "$T/$1.log"
	check "$3: no socket" test ! -e "$2/milter.sock"
}
W=$T/world; mkdir "$W"; chmod 1777 "$W"
refused world "$W" "a world-writable directory (sticky, like /tmp)"
P=$T/postfixdir; mkdir "$P"; chown postfix "$P" 2>/dev/null || chown 1 "$P"; chmod 755 "$P"
refused other "$P" "a directory of another user"
G=$T/groupdir; mkdir "$G"; chgrp postfix "$G" 2>/dev/null || chgrp 1 "$G"; chmod 775 "$G"
refused group "$G" "a directory another group can write"
ln -s "$R" "$T/runlink"
conf link "$T/runlink/milter.sock"
"$EMBARGO_MILTER" -f -c "$T/link.conf" 2> "$T/link.log"; rc=$?
is "$rc" 77 "a socket directory that is a symbolic link: exit 77"
check "... it says so" grep -q "the socket's directory $T/runlink: " "$T/link.log"
check "no sanitizer report in any log" sh -c "! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' '$T'/*.log"
done_testing
