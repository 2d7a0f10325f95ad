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

# conf NAME [MILTER LINES...]: a configuration with two lists; security@
# has a max_message_size of 2000 unless NOLIMIT is set
conf() {
	_f=$T/$1.conf; shift
	{
		printf '[embargo]\nstate_dir = %s/state\n\n[milter]\n' "$T"
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '\n[list security@example.org]\nprefix = SEC\n'
		[ -n "${NOLIMIT:-}" ] || printf 'max_message_size = 2000   # bytes\n'
		printf '\n[list other@example.org]\nprefix = OTH\n'
	} > "$_f"
}

# start NAME: the milter with $T/NAME.conf, logging to $T/NAME.log; it has
# started when it says so (its socket file may be a stale one until then)
start() {
	"$EMBARGO_MILTER" -f -c "$T/$1.conf" 2> "$T/$1.log" &
	PID=$!
	for _i in $(seq 200); do
		[ -S "$T/$1.sock" ] && grep -q "listening on" "$T/$1.log" && return 0
		sleep 0.05
	done
	echo "Bail out! embargo-milter did not start: $(cat "$T/$1.log")"
	kill "$PID" 2>/dev/null
	exit 1
}

# stop NAME [SIGNAL]: SIGTERM (or SIGNAL), as Postfix's init or systemd
# would; it must exit 0, cleanly, and take its socket file with it
stop() {
	kill -"${2:-TERM}" "$PID"
	wait "$PID"
	is "$?" 0 "$1: the milter stops cleanly on SIG${2:-TERM}"
	check "$1: no sanitizer report in its log" sh -c "! grep -q -e 'ERROR: AddressSanitizer' -e 'ERROR: LeakSanitizer' -e 'runtime error:' '$T/$1.log'"
	check "$1: its socket file is gone" test ! -e "$T/$1.sock"
	PID=
}
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null' EXIT

# lua NAME SCRIPT [-D VAR=VALUE...]: runs tests/milter/SCRIPT.lua against the milter NAME
lua() {
	_name=$1; _script=$2; shift 2
	miltertest -D SOCK="unix:$T/$_name.sock" -D ID=$ID -D LIB="$M/lib.lua" "$@" -s "$M/$_script.lua" \
		> "$T/$_script.out" 2>&1
	_rc=$?
	while IFS= read -r _line; do
		case $_line in
		"ok - "*) ok 1 "$_script: ${_line#ok - }" ;;
		"not ok - "*) ok 0 "$_script: ${_line#not ok - }" ;;
		*) echo "# $_line" ;;
		esac
	done < "$T/$_script.out"
	is "$_rc" 0 "$_script.lua ran to its end"
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
check "a forged field in non-list mail is removed, and logged" \
	logged tag "NONLISTAR: client=192.0.2.10 for no list; removed Authentication-Results claiming our authserv-id: #1$"
lua tag spellings
check "a recipient the milter cannot read is logged as judged" \
	logged tag "recipient <security%example.org@example.org> may reach a list: judged as a list's"
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
lua reject rate6
check "the fourth from one /64: 451 4.7.1, naming the address" \
	logged reject "RATESIX4: 451 4.7.1 Too many messages to security@example.org from 2001:db8:6:4:ffff:1:2:3"
stop reject

## libspf2 runs in worker processes: a record that crashes it, or a lookup
## that hangs, costs that one lookup (temperror), not the milter
conf spfw "socket = unix:$T/spfw.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" \
	"rate_limit = 1000/600" "spf_timeout = 2"
start spfw
lua spfw hostile -D WANT=temperror
check "the milter is still running after libspf2 crashed" kill -0 "$PID"
check "it logs the crashed lookup, temperror for that message only" logged spfw \
	"SPF for <mallory@hostile.example> from 192.0.2.10: SPF lookup failed: its worker was killed by signal 6 .*; temperror for this message"
lua spfw hostile -D WANT=temperror
check "a second crash: a new worker, the same answer, still running" kill -0 "$PID"
workers=$(pgrep -P "$PID" | tr '\n' ' ')
check "the SPF workers are processes of their own" test -n "$workers"
for w in $workers; do
	check "worker $w runs the milter's binary" test "$(readlink "/proc/$w/exe")" = "$(readlink -f "$EMBARGO_MILTER")"
	check "worker $w holds no descriptor but its socket and stdio" \
		test "$(ls "/proc/$w/fd" | sort -n | tr '\n' ' ')" = "0 1 2 "
	if [ "$(id -u)" = 0 ]; then
		is "$(awk '/^Uid:/ { print $2 }' "/proc/$w/status")" "$(id -u nobody)" \
			"worker $w of a milter left running as root runs as nobody"
	fi
	check "worker $w leaves no core file" grep -q '^Max core file size *0 ' "/proc/$w/limits"
	# AddressSanitizer's shadow memory rules out an address-space limit
	if ! ldd "$EMBARGO_MILTER" | grep -q libasan; then
		check "worker $w has at most 256 MiB of address space" \
			grep -q '^Max address space *268435456 ' "/proc/$w/limits"
	fi
done
kill -STOP $workers
lua spfw spf-hang
check "a hanging lookup ends at spf_timeout" logged spfw \
	"SPF for <jane@pass.example> from 192.0.2.10: SPF lookup took longer than 2 s; temperror for this message"
stop spfw

## what code that a libspf2 bug lets into a worker can do: with the milter
## running as the user who owns the state (nobody here), tests/milter/
## intruder.c, preloaded, tries at the worker's first request to read that
## state, signal the milter and write a file; Landlock stops all three
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1 &&
	command -v cc >/dev/null 2>&1 && ! ldd "$EMBARGO_MILTER" | grep -q libasan &&
	cc -shared -fPIC -o "$T/intruder.so" "$M/intruder.c" -ldl 2>"$T/intruder.cc"; then
	mkdir -p "$T/box"; chown nobody "$T/box"; chmod 755 "$T"
	echo "the list's secret key" > "$T/box/state"; chown nobody "$T/box/state"; chmod 600 "$T/box/state"
	conf intr "socket = unix:$T/box/intr.sock" "authserv_id = $ID" "spf_test_zone = $M/zone"
	chmod 644 "$T/intr.conf"
	setpriv --reuid=nobody --regid="$(id -gn nobody)" --clear-groups -- env LD_PRELOAD="$T/intruder.so" \
		INTRUDER_SECRET="$T/box/state" INTRUDER_FILE="$T/box/planted" \
		"$EMBARGO_MILTER" -f -c "$T/intr.conf" 2> "$T/intr.log" &
	PID=$!
	for _i in $(seq 200); do grep -q "listening on" "$T/intr.log" && break; sleep 0.05; done
	cat > "$T/intr.lua" <<'EOL'
dofile(LIB)
local conn, r = message({ qid = "INTR1", from = "<jane@pass.example>" })
is(added_ar(conn), ID .. "; spf=pass smtp.mailfrom=jane@pass.example", "the lookup itself is judged as usual")
done(conn)
EOL
	miltertest -D SOCK="unix:$T/box/intr.sock" -D ID=$ID -D LIB="$M/lib.lua" -s "$T/intr.lua" > "$T/intr.out" 2>&1
	is "$(grep -c '^ok - ' "$T/intr.out")" 1 "with the intruder in its worker, the lookup is judged as usual"
	_line=$(grep '^intruder: ' "$T/intr.log")
	echo "# $_line"
	_abi=$(echo "$_line" | sed -n 's/.*Landlock ABI \([0-9]*\);.*/\1/p')
	if [ "${_abi:-0}" -ge 1 ]; then
		check "a worker cannot read the state of the user it runs as" sh -c "echo '$_line' | grep -q 'read the state: Permission denied'"
		check "... nor write a file" sh -c "echo '$_line' | grep -q 'write a file: Permission denied'"
		check "... nor leave one behind" test ! -e "$T/box/planted"
	else
		_n=$((_n + 1)); echo "ok $_n # SKIP the kernel has no Landlock"
	fi
	if [ "${_abi:-0}" -ge 6 ]; then
		check "... nor signal the milter (Landlock ABI 6)" sh -c "echo '$_line' | grep -q 'signal the milter: Operation not permitted'"
	fi
	kill -TERM "$PID"; wait "$PID"; PID=
else
	_n=$((_n + 1)); echo "ok $_n # SKIP the worker sandbox test needs root, nobody, setpriv, cc, no sanitizer"
fi

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

## SIGHUP: a new configuration for new connections; a bad one changes nothing
# hupconf VERSION SECURITY-SIZE [MILTER LINES...]: $T/hup-VERSION.conf, with
# security@ (max_message_size SECURITY-SIZE) and other@ when OTHER_SIZE is set
hupconf() {
	_f=$T/hup-$1.conf; _size=$2; shift 2
	{
		printf '[embargo]\nstate_dir = %s/state\n\n[milter]\nsocket = unix:%s/hup.sock\n' "$T" "$T"
		printf 'spf_test_zone = %s/zone\n' "$M"
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '\n[list security@example.org]\nprefix = SEC\nmax_message_size = %s\n' "$_size"
		[ -z "${OTHER_SIZE:-}" ] || printf '\n[list other@example.org]\nprefix = OTH\nmax_message_size = %s\n' "$OTHER_SIZE"
	} > "$_f"
}
hupconf v1 2000 "authserv_id = $ID" "rate_limit = 1000/600"
OTHER_SIZE=1000 hupconf v2 5000 "authserv_id = mx2.example.org" "spf_fail = reject" "rate_limit = 2/600"
OTHER_SIZE=1000 hupconf bad1 5000 "authserv_id = mx2.example.org" "spf_fail = maybe" "rate_limit = 2/600"
OTHER_SIZE=1000 hupconf bad2 5000 "authserv_id = mx2.example.org" "spf_fail = reject" "rate_limit = 2/600" \
	"spf_test_zone = $T/nonexistent"
OTHER_SIZE=1kB hupconf bad3 5000 "authserv_id = mx2.example.org" "spf_fail = reject" "rate_limit = 2/600"
OTHER_SIZE=1000 hupconf v3 5000 "authserv_id = mx2.example.org" "spf_fail = reject" "rate_limit = 2/600" \
	"socket = unix:$T/elsewhere.sock"
cp "$T/hup-v1.conf" "$T/hup.conf"
start hup
# $T/reload VERSION: hup-VERSION.conf becomes hup.conf ("none": there is no
# hup.conf), then SIGHUP, then it waits for the milter's verdict in its log
cat > "$T/reload" <<EOS
#!/bin/sh
verdicts() { grep -c -e 'reloaded: ' -e 'reload failed' "$T/hup.log"; }
before=\$(verdicts)
if [ "\$1" = none ]; then rm -f "$T/hup.conf"; else cp "$T/hup-\$1.conf" "$T/hup.conf"; fi
kill -HUP $PID || exit 1
for i in \$(seq 200); do [ "\$(verdicts)" -gt "\$before" ] && exit 0; sleep 0.05; done
exit 1
EOS
chmod +x "$T/reload"
lua hup reload -D RELOAD="$T/reload" -D ID2=mx2.example.org
check "the reload is logged with what is now in force" \
	logged hup "reloaded: authserv-id mx2.example.org, 2 lists, spf_fail = reject, rate limit 2/600"
check "the connection open across the reload was judged by v1" \
	logged hup "HELD1: 552 5.3.4 Message too big for this list (limit 2000 bytes)"

check "a file with a bad value: the milter says it reloaded nothing" "$T/reload" bad1
_l=$(grep -n 'spf_fail = maybe' "$T/hup-bad1.conf" | cut -d: -f1)
check "... and names the file, the line and the key" \
	logged hup "reload failed, the configuration in force stays: $T/hup.conf:$_l: \[milter\] spf_fail: 'maybe' must be tag or reject"
check "a missing spf_test_zone: nothing reloaded" "$T/reload" bad2
check "... and said so" logged hup "reload failed, the configuration in force stays: $T/hup.conf: \[milter\] spf_test_zone: "
check "a bad list: nothing reloaded" "$T/reload" bad3
_l=$(grep -n 'max_message_size = 1kB' "$T/hup-bad3.conf" | cut -d: -f1)
check "... and said so, with its line" \
	logged hup "reload failed, .*hup.conf:$_l: \[list other@example.org\] max_message_size: '1kB' is not a size in bytes"
check "no file at all: nothing reloaded" "$T/reload" none
check "... and said so" logged hup "reload failed, .*hup.conf:0: cannot read"
check "the milter is still running" kill -0 "$PID"
lua hup reload-kept -D ID2=mx2.example.org

check "a new socket in a reload: reloaded all the same" "$T/reload" v3
check "... but it says the socket changes only at a restart" \
	logged hup "reload: \[milter\] socket is now unix:$T/elsewhere.sock, but the milter listens on unix:$T/hup.sock until it is restarted"
check "... and it listens where it did" test -S "$T/hup.sock" -a ! -e "$T/elsewhere.sock"

# SIGHUP must never reach libmilter's own signal thread, which would stop
# the milter: a burst of them, and the milter is still there and serving
for _i in $(seq 50); do kill -HUP "$PID"; done
sleep 1
check "after 50 SIGHUPs in a row the milter is still running" kill -0 "$PID"
check "... and reloaded, never stopped" sh -c "! grep -q -e 'stopping' -e 'stopped by itself' '$T/hup.log'"
cat > "$T/alive.lua" <<'EOL'
dofile(LIB)
local conn, r = message({ qid = "ALIVE1", ip = "192.0.2.120" })
is(added_ar(conn), ID2 .. "; spf=pass smtp.mailfrom=jane@pass.example", "still serving, with the configuration reloaded")
done(conn)
EOL
miltertest -D SOCK="unix:$T/hup.sock" -D ID2=mx2.example.org -D LIB="$M/lib.lua" -s "$T/alive.lua" > "$T/alive.out" 2>&1
is "$(grep -c '^ok - ' "$T/alive.out")" 1 "after the burst of SIGHUPs, a message is judged as before"
stop hup

## the steps the milter asks the MTA to send and to wait for, per connection
## and its configuration: no body (and no DATA) when no list has a size limit
conf proto "socket = unix:$T/proto.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" "rate_limit = 1000/600"
start proto
lua proto proto -D LIMITS=yes
check "a size limit: the body is refused while it arrives, 552 5.3.4" logged proto "PROTO4: 552 5.3.4 "
check "... and the list message is logged with its SPF result" \
	logged proto "PROTO1: client=192.0.2.10 from=<mallory@fail.example> spf=fail"
stop proto
NOLIMIT=1 conf proto0 "socket = unix:$T/proto0.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" "rate_limit = 1000/600"
start proto0
lua proto0 proto -D LIMITS=no
check "no size limit: the list message is logged with its SPF result" \
	logged proto0 "PROTO1: client=192.0.2.10 from=<mallory@fail.example> spf=fail"
check "... and so is the big one, not refused" logged proto0 "PROTO4: client=192.0.2.10 from=<jane@pass.example> spf=pass"
check "... mail for no list leaves no line" sh -c "! grep -q PROTO2 '$T/proto0.log'"
stop proto0
# a reload from no limit to a limit: new connections get the body again
NOLIMIT=1 conf protoh "socket = unix:$T/protoh.sock" "authserv_id = $ID" "spf_test_zone = $M/zone"
conf protoh-limit "socket = unix:$T/protoh.sock" "authserv_id = $ID" "spf_test_zone = $M/zone"
start protoh
cat > "$T/protoh-reload" <<EOS
#!/bin/sh
cp "$T/protoh-limit.conf" "$T/protoh.conf" && kill -HUP $PID || exit 1
for i in \$(seq 200); do grep -q 'reloaded: ' "$T/protoh.log" && exit 0; sleep 0.05; done
exit 1
EOS
chmod +x "$T/protoh-reload"
lua protoh proto-reload -D RELOAD="$T/protoh-reload"
check "the new connection's SIZE=5000 was refused with 552 5.3.4" \
	logged protoh "PRL1: 552 5.3.4 Message too big for this list (limit 2000 bytes)"
check "the connection open across the reload was judged without a limit" \
	logged protoh "PRL2: client=192.0.2.10 from=<jane@pass.example> spf=pass"
stop protoh

## the socket file: removed at exit (above, in stop), a stale one replaced,
## a live one left to the milter that listens on it
conf sock "socket = unix:$T/sock.sock" "authserv_id = $ID" "spf_test_zone = $M/zone"
start sock
"$EMBARGO_MILTER" -f -c "$T/sock.conf" > "$T/sock2.out" 2>&1
is "$?" 69 "a second milter on the socket of a running one: exit 69"
check "... it says that another process listens there" \
	grep -qF "cannot listen on unix:$T/sock.sock: $T/sock.sock: another process listens on it" "$T/sock2.out"
check "... and leaves the socket alone" test -S "$T/sock.sock"
kill -KILL "$PID"; wait "$PID" 2>/dev/null; PID=
check "a milter that dies (SIGKILL) leaves its socket file behind" test -S "$T/sock.sock"
start sock
check "the next start replaces that stale socket" logged sock "replacing the socket $T/sock.sock, left by a milter"
lua sock nonlist
stop sock INT
rm -f "$T/sock.sock"; : > "$T/sock.sock"
"$EMBARGO_MILTER" -f -c "$T/sock.conf" > "$T/sock3.out" 2>&1
is "$?" 69 "a file that is no socket where the socket goes: exit 69"
check "... it says so" grep -qF "$T/sock.sock exists and is not a socket; it is left alone" "$T/sock3.out"
check "... and the file is left alone" test -f "$T/sock.sock"
rm -f "$T/sock.sock"

## the rate limit's table is capped (EMBARGO_MILTER_RATE_TABLE_MAX for the test)
conf cap "socket = unix:$T/cap.sock" "authserv_id = $ID" "spf_test_zone = $M/zone" "rate_limit = 2/600"
EMBARGO_MILTER_RATE_TABLE_MAX=50; export EMBARGO_MILTER_RATE_TABLE_MAX
start cap
unset EMBARGO_MILTER_RATE_TABLE_MAX
check "the milter says how many addresses the rate limit remembers" logged cap "remembers at most 50 client addresses"
lua cap ratecap
check "it says when the table is full and it forgets addresses" \
	logged cap "rate limit: the table of client addresses is full (50): forgot [0-9]*, the least recently seen"
is "$(grep -c 'table of client addresses is full' "$T/cap.log")" 1 "... once per window, not once per address"
stop cap
EMBARGO_MILTER_RATE_TABLE_MAX=lots "$EMBARGO_MILTER" -f -c "$T/cap.conf" > "$T/cap2.out" 2>&1
is "$?" 64 "EMBARGO_MILTER_RATE_TABLE_MAX=lots: exit 64"
check "... and says why" grep -qF "EMBARGO_MILTER_RATE_TABLE_MAX: 'lots' is not a number from 1" "$T/cap2.out"

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
bad "rate_ipv6_prefix = 0" "[milter] rate_ipv6_prefix: '0' is not a number from 1 to 128" "socket = unix:$T/x.sock" "rate_ipv6_prefix = 0"
bad "rate_ipv6_prefix = 129" "[milter] rate_ipv6_prefix: '129' is not a number from 1 to 128" "socket = unix:$T/x.sock" "rate_ipv6_prefix = 129"
bad "spf_timeout = 0" "[milter] spf_timeout: '0' is not a number from 1 to 300" "socket = unix:$T/x.sock" "spf_timeout = 0"
printf 'pass.example BOGUS v=spf1 -all\n' > "$T/badzone"
bad "a bad spf_test_zone line" "badzone:1: expected DOMAIN" "socket = unix:$T/x.sock" "spf_test_zone = $T/badzone"
bad "a missing spf_test_zone" "[milter] spf_test_zone:" "socket = unix:$T/x.sock" "spf_test_zone = $T/nonexistent"
conf bad "socket = unix:$T/x.sock"
sed -i 's/^max_message_size = 2000 .*/max_message_size = 2kB/' "$T/bad.conf"
"$EMBARGO_MILTER" -f -c "$T/bad.conf" > "$T/bad.out" 2>&1
is "$?" 78 "max_message_size = 2kB: exit 78"
check "max_message_size = 2kB: names the list's line" grep -qF "bad.conf:9: [list security@example.org] max_message_size: '2kB' is not a size in bytes" "$T/bad.out"

done_testing
