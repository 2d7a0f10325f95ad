# tests/rspamd.sh - a private rspamd for the tests: its own configuration,
# run and db directories under a directory the test owns, its normal worker
# alone on a loopback port of its own, as the test's user. Source it, then
# rspamd_start DIR; rspamd_stop ends it (an EXIT trap calls it too).
#
# The configuration is rspamd's core without its Lua rules, DNS or
# statistics: it starts in a second or two, asks nothing of the network,
# and still knows GTUBE (RSPAMD_GTUBE), which it answers with "reject".
# Nothing here touches a system rspamd or 127.0.0.1:11333.

RSPAMD_GTUBE='XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X'
RSPAMD_PID=

# spam_is_held DB MESSAGE-ID: the message was held for rspamd's GTUBE
# verdict: a held item (helditems.c) with the verdict and its score, and
# no message row, so no case. SPAM_SQLITE: how to run sqlite3 (e.g. as the
# store's owner).
spam_is_held() {
	[ -n "$(${SPAM_SQLITE:-sqlite3} "$1" "SELECT id FROM held_items
		WHERE message_id = '$2' AND state = 'held' AND spam_score IS NOT NULL
		AND why = 'spam (rspamd: reject, score 15.00)'
		AND NOT EXISTS (SELECT 1 FROM messages WHERE message_id = '$2')")" ]
}

# free_port: a TCP port on 127.0.0.1 nothing listens on just now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# rspamd_ping URL: true when something answers URL/ping with 200.
rspamd_ping() {
	python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/ping", timeout=1)' \
		"$1" 2>/dev/null
}

# rspamd_start DIR: starts rspamd, waits until it answers, and sets
# RSPAMD_URL (http://127.0.0.1:PORT) and RSPAMD_PID; arms an EXIT trap
# that stops it (a trap set later replaces it: stop it yourself then). Returns 1, with the
# reason on stderr, when rspamd is not installed or does not come up.
rspamd_start() {
	_rd=$1
	command -v rspamd >/dev/null || { echo "rspamd is not installed (contrib/setup.sh)" >&2; return 1; }
	mkdir -p "$_rd/run" "$_rd/db" "$_rd/tmp"
	printf 'com\nnet\norg\nexample\ninvalid\ntest\n' > "$_rd/tld.dat"
	_port=$(free_port)
	cat > "$_rd/rspamd.conf" <<EOC
options {
	pidfile = "$_rd/run/rspamd.pid";
	filters = "";
	tempdir = "$_rd/tmp";
	dynamic_conf = "$_rd/db/dynamic.conf";
	history_file = "$_rd/db/history";
	control_socket = "$_rd/run/control.sock mode=0600";
	url_tld = "$_rd/tld.dat";
	dns { nameserver = ["127.0.0.1:9"]; timeout = 1s; retransmits = 1; }
	allow_raw_input = true;
}
logging { type = "file"; filename = "$_rd/rspamd.log"; level = "info"; }
actions { reject = 15; add_header = 6; greylist = 4; }
worker "normal" { bind_socket = "127.0.0.1:$_port"; count = 1; mime = true; }
EOC
	# rspamd refuses to run its workers as root unless told to (-i): the
	# tests run as root in CI, and as whoever they are elsewhere.
	_ins=
	[ "$(id -u)" != 0 ] || _ins=-i
	rspamd -f -c "$_rd/rspamd.conf" -u "$(id -un)" -g "$(id -gn)" $_ins \
		> "$_rd/rspamd.out" 2>&1 &
	RSPAMD_PID=$!
	RSPAMD_URL=http://127.0.0.1:$_port
	trap rspamd_stop EXIT
	_until=$(($(date +%s) + 60))
	until rspamd_ping "$RSPAMD_URL"; do
		if [ "$(date +%s)" -gt $_until ] || ! kill -0 "$RSPAMD_PID" 2>/dev/null; then
			echo "rspamd did not start: $(tail -3 "$_rd/rspamd.out" "$_rd/rspamd.log" 2>/dev/null)" >&2
			rspamd_stop
			return 1
		fi
		sleep 0.05
	done
}

# rspamd_stop: ends the rspamd rspamd_start started, if it runs.
rspamd_stop() {
	[ -n "$RSPAMD_PID" ] || return 0
	kill "$RSPAMD_PID" 2>/dev/null
	wait "$RSPAMD_PID" 2>/dev/null
	RSPAMD_PID=
}
