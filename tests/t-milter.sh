#!/bin/sh
# t-milter.sh - embargo-milter (issue 4) driven by miltertest: the real
# binary in the foreground on a unix socket in a temporary directory, DNS
# replaced by tests/milter/zone (spf_test_zone). The Lua scripts in
# tests/milter/ print "ok - ..." lines; this runner numbers them, and checks
# the SMTP replies in the milter's log, where miltertest cannot see them.
. "$top_srcdir/tests/lib.sh"

command -v miltertest >/dev/null 2>&1 || { echo "1..0 # SKIP miltertest not installed (Debian package miltertest)"; exit 0; }

T=$(mktemp -d /tmp/embargo-t.XXXXXX)
M=$top_srcdir/tests/milter
ID=mx.example.org
PID=

# conf NAME [MILTER LINES...]: a configuration with two lists
conf() {
	_f=$T/$1.conf; shift
	{
		printf '[embargo]\nstate_dir = %s/state\n\n[milter]\n' "$T"
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '\n[list security@example.org]\nprefix = SEC\nmax_message_size = 2000   # bytes\n'
		printf '\n[list other@example.org]\nprefix = OTH\n'
	} > "$_f"
}

# start NAME: the milter with $T/NAME.conf, logging to $T/NAME.log
start() {
	"$EMBARGO_MILTER" -f -c "$T/$1.conf" 2> "$T/$1.log" &
	PID=$!
	for _i in $(seq 100); do [ -S "$T/$1.sock" ] && return 0; sleep 0.05; done
	echo "Bail out! embargo-milter did not start: $(cat "$T/$1.log")"
	kill "$PID" 2>/dev/null
	exit 1
}

# stop NAME: SIGTERM, as Postfix's init or systemd would; it must exit 0 and cleanly
stop() {
	kill -TERM "$PID"
	wait "$PID"
	is "$?" 0 "$1: the milter stops cleanly on SIGTERM"
	check "$1: no sanitizer report in its log" sh -c "! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' '$T/$1.log'"
	PID=
}
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null' EXIT

# lua NAME SCRIPT: runs tests/milter/SCRIPT.lua against the milter NAME
lua() {
	miltertest -D SOCK="unix:$T/$1.sock" -D ID=$ID -D LIB="$M/lib.lua" -s "$M/$2.lua" > "$T/$2.out" 2>&1
	_rc=$?
	while IFS= read -r _line; do
		case $_line in
		"ok - "*) ok 1 "$2: ${_line#ok - }" ;;
		"not ok - "*) ok 0 "$2: ${_line#not ok - }" ;;
		*) echo "# $_line" ;;
		esac
	done < "$T/$2.out"
	is "$_rc" 0 "$2.lua ran to its end"
}
logged() { grep -q -- "$2" "$T/$1.log"; }

## tag mode: every SPF result, the header, forged fields, non-list mail, sizes
conf tag "socket = unix:$T/tag.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" "rate_limit = 1000/600"
start tag
lua tag spf
lua tag authres
check "the log names the removed fields by index: ours (#1, #3, #4), not other.example's (#2)" \
	logged tag "FORGED1: .*spf=pass.*claiming our authserv-id: #1,#3,#4$"
check "no field is named removed for the foreign-only message" sh -c "! grep 'FOREIGN1: .*removed' '$T/tag.log'"
lua tag nonlist
check "non-list mail leaves no line in the log" sh -c "! grep -q NONLIST1 '$T/tag.log'"
lua tag size
check "SIZE= over the limit: 552 5.3.4" logged tag "SIZE1: 552 5.3.4 Message too big for this list (limit 2000 bytes)"
check "a body over the limit: 552 5.3.4" logged tag "SIZE5: 552 5.3.4 "
check "a lying SIZE=: 552 5.3.4" logged tag "SIZE6: 552 5.3.4 "
check "a message under the limit is not refused" sh -c "! grep -q 'SIZE2: 552' '$T/tag.log'"
stop tag

## reject mode and the rate limit
conf reject "socket = unix:$T/reject.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" \
	"spf_fail = reject   # refuse at RCPT" "rate_limit = 3/600"
start reject
lua reject reject
check "spf_fail = reject answers 550 5.7.23" \
	logged reject "REJ1: 550 5.7.23 SPF check failed: 192.0.2.20 is not allowed to send mail from mallory@fail.example"
check "... for the HELO identity of a null sender too" logged reject "REJ2: 550 5.7.23 .* from helo.example"
lua reject rate
check "the fourth message: 451 4.7.1" logged reject "RATE4: 451 4.7.1 Too many messages to security@example.org from 192.0.2.77"
check "the third was not refused" sh -c "! grep -q 'RATE3: 451' '$T/reject.log'"
stop reject

## the default authserv-id is the host name
conf host "socket = unix:$T/host.sock" "spf_test_zone = $M/zone"
start host
cat > "$T/host.lua" <<'EOL'
dofile(LIB)
local conn, r = message({})
print("# " .. tostring(added_ar(conn)))
is(added_ar(conn), HOST .. "; spf=pass smtp.mailfrom=jane@pass.example", "without authserv_id, the host name is ours")
done(conn)
EOL
miltertest -D SOCK="unix:$T/host.sock" -D HOST="$(hostname)" -D LIB="$M/lib.lua" -s "$T/host.lua" > "$T/host.out" 2>&1
is "$(grep -c '^ok - ' "$T/host.out")" 1 "without authserv_id, the host name is the authserv-id"
stop host

## configuration errors name the file, the line and the key, and exit 78
bad() { # bad DESCRIPTION EXPECTED-TEXT MILTER-LINE...
	_d=$1; _want=$2; shift 2
	conf bad "$@"
	"$EMBARGO_MILTER" -f -c "$T/bad.conf" > "$T/bad.out" 2>&1
	is "$?" 78 "$_d: exit 78"
	check "$_d: says '$_want'" grep -qF -- "$_want" "$T/bad.out"
}
bad "spf_fail = maybe" "bad.conf:6: [milter] spf_fail: 'maybe' must be tag or reject" "socket = unix:$T/x.sock" "spf_fail = maybe"
bad "rate_limit = 20" "bad.conf:7: [milter] rate_limit: '20' must be MESSAGES/SECONDS" "socket = unix:$T/x.sock" "authserv_id = a.example" "rate_limit = 20"
bad "a relative socket" "bad.conf:5: [milter] socket: 'unix:x.sock' is not" "socket = unix:x.sock"
bad "inet without a host" "[milter] socket: 'inet:8891' is not" "socket = inet:8891"
bad "an authserv-id with a ';'" "[milter] authserv_id: 'a;b' must be a host name" "authserv_id = a;b"
printf 'pass.example BOGUS v=spf1 -all\n' > "$T/badzone"
bad "a bad spf_test_zone line" "badzone:1: expected DOMAIN" "socket = unix:$T/x.sock" "spf_test_zone = $T/badzone"
bad "a missing spf_test_zone" "[milter] spf_test_zone:" "socket = unix:$T/x.sock" "spf_test_zone = $T/nonexistent"
conf bad "socket = unix:$T/x.sock"
sed -i 's/^max_message_size = 2000 .*/max_message_size = 2kB/' "$T/bad.conf"
"$EMBARGO_MILTER" -f -c "$T/bad.conf" > "$T/bad.out" 2>&1
is "$?" 78 "max_message_size = 2kB: exit 78"
check "max_message_size = 2kB: names the list's line" grep -qF "bad.conf:9: [list security@example.org] max_message_size: '2kB' is not a size in bytes" "$T/bad.out"

done_testing
