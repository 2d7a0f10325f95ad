#!/bin/sh
# t-spam.sh - spam verdicts from a real rspamd (tests/rspamd.sh): GTUBE is
# held, a normal report is not; spam_action tag and off; spam_check none
# asks nobody; and a filter that is down, answers garbage or never answers
# costs neither the report nor more than spam_timeout.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/rspamd.sh"

if ! command -v rspamd >/dev/null; then
	echo "1..0 # SKIP rspamd is not installed (contrib/setup.sh installs it)"
	exit 0
fi

# --- helpers
DB() { sqlite3 "$T/state/embargo.db" "$@"; }
# conf_main LINE...: adds LINEs to the [embargo] section
conf_main() { for _l in "$@"; do sed -i "/^\[embargo\]/a $_l" "$T/embargo.conf"; done; }
ncases() { DB "SELECT count(*) FROM cases"; }
case_of() { DB "SELECT coalesce(case_id, '') FROM messages WHERE message_id = '$1'"; }
log_has() { grep -q -- "$1" "$T/mda.err"; }
is_held() { spam_is_held "$T/state/embargo.db" "$1"; }
n=0
# report SENDER [BODY]: a new report from SENDER, Message-ID rN@example.net
report() {
	n=$((n + 1))
	BODY=${2:-Details of the problem.} send "$1" $LIST "$1" "Problem number $n" "r$n@example.net"
}
gtube() { report "$1" "Buy now. $RSPAMD_GTUBE"; }
# a fake rspamd (python3) that answers every request the way MODE says:
# garbage (HTTP 200, no JSON), huge (an endless answer), hang (reads the
# request and never answers), record (a valid "no action"); each request's
# first line is appended to $T/fake.log.
fake_start() {
	cat > "$R/fake.py" <<'EOF'
import socketserver, sys, time
mode, log = sys.argv[1], sys.argv[2]
class H(socketserver.StreamRequestHandler):
    def handle(self):
        first = self.rfile.readline()
        with open(log, "ab") as f:
            f.write(first)
        n = 0
        while True:
            line = self.rfile.readline().strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                n = int(line.split(b":")[1])
        self.rfile.read(n)
        if mode == "hang":
            time.sleep(30)
        elif mode == "huge":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{\"a\":\"")
            try:
                for _ in range(10000):
                    self.wfile.write(b"x" * 65536)
            except OSError:
                pass
        else:
            body = b"<html>not json</html>" if mode == "garbage" else \
                b'{"action":"no action","score":0.5,"symbols":{}}'
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
class S(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
s = S(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
EOF
	rm -f "$R/fake.port"
	: > "$R/fake.log"
	python3 "$R/fake.py" "$1" "$R/fake.log" > "$R/fake.port" &
	fake_pid=$!
	while [ ! -s "$R/fake.port" ]; do sleep 0.05; done
	FAKE_URL=http://127.0.0.1:$(cat "$R/fake.port")
}
fake_stop() { kill "$fake_pid"; wait "$fake_pid" 2>/dev/null; }
# spam_setup [LIST LINE...]: a fresh list with the filter at URL (default rspamd's)
spam_setup() {
	[ -z "${T:-}" ] || [ -n "${KEEP:-}" ] || rm -rf "$T"
	setup "$@"
	conf_main "spam_timeout = 2" "rspamd_url = ${URL:-$RSPAMD_URL}" "spam_check = rspamd"
	members alice@example.org bob@example.org
}

R=$(mktemp -d /tmp/embargo-rspamd.XXXXXX)
rspamd_start "$R" || { echo "Bail out! rspamd did not start"; exit 1; }

## spam_check = none (the default): rspamd is never asked, GTUBE is a report
fake_start record
setup
conf_main "rspamd_url = $FAKE_URL"
members alice@example.org bob@example.org
gtube jane@example.net
is "$rc" 0 "spam_check none: GTUBE is delivered"
is "$(sent_to_count jane@example.net)/$(sent_to_count alice@example.org)" 1/1 \
	"... acknowledged and copied to the team, as without a filter"
is "$(grep -c . "$R/fake.log")" 0 "... and nothing asked the filter"
fake_stop

## hold (the default with a filter): GTUBE is held, no mail to anyone
spam_setup
gtube spammer@example.net
is "$rc" 0 "GTUBE: exit 0"
check "GTUBE is held" is_held r$n@example.net
is "$(sent_to_count spammer@example.net)" 0 "... the sender is not acknowledged"
is "$(sent_to_count alice@example.org)" 0 "... the team gets no copy"
check "... the verdict is logged" log_has "spam check: rspamd: reject, score 15.00 \[GTUBE(0.00)\]"
check "... rspamd saw the envelope" grep -q "from: <spammer@example.net>.*rcpts: <$LIST>" "$R/rspamd.log"

## a duplicate and a bounce are not put to the filter
mda spammer@example.net $LIST < "$T/in.eml"
is "$rc" 0 "GTUBE again: exit 0"
check "... a duplicate is not asked about" log_has "spam check: not asked (a duplicate)"
BODY="$RSPAMD_GTUBE" send '' $LIST mailer-daemon@example.net "Undelivered Mail" b1@example.net
check "a bounce is not asked about" log_has "spam check: not asked (a bounce)"
is "$(sent_to_count alice@example.org)" 0 "... and neither reaches the team"

## a normal report is not held
report rita@example.net
is "$rc" 0 "a normal report: exit 0"
C=$(case_of r$n@example.net)
check "... is not held" test -z "$(DB "SELECT held FROM cases WHERE id = '$C'")"
is "$(sent_to_count rita@example.net)/$(sent_to_count alice@example.org)" 1/1 \
	"... acknowledged and copied to the team"
check "... the verdict is logged" log_has "spam check: rspamd: no action, score 0.00"
check "the team's copy of a normal report is not marked" \
	test -z "$(hdr "$(sent_to alice@example.org)" X-Embargo-Spam)"

## a follow-up on an existing case is never held: it reaches the team marked
BODY="More: $RSPAMD_GTUBE" send rita@example.net "security+$C@example.org" rita@example.net \
	"Re: Problem" "f1@example.net"
is "$(case_of f1@example.net)" "$C" "a reporter's follow-up that rspamd rejects lands on the case"
is "$(sent_to_count alice@example.org)" 2 "... and reaches the team"
f=$(ls -t $(sent_to alice@example.org) | head -1)
is "$(hdr "$f" X-Embargo-Spam)" "rspamd: reject, score 15.00" "... marked X-Embargo-Spam"

## a member's mail is not put to the filter
BODY="$RSPAMD_GTUBE" send alice@example.org "security+$C@example.org" alice@example.org "Re: x" m1@example.net
check "a member's mail is not asked about" log_has "spam check: not asked (a member's mail)"
is "$(sent_to_count bob@example.org)" 3 "... and reaches the team"

## the client's address (-a, pipe(8)'s ${client_address}) goes to rspamd
n=$((n + 1))
msg ip@example.net "Problem number $n" "r$n@example.net" > "$T/in.eml"
"$EMBARGO_MDA" -f ip@example.net -a 192.0.2.7 -- $LIST < "$T/in.eml" 2>"$T/mda.err"
is "$?" 0 "-a 192.0.2.7: delivered"
check "... rspamd got the client's address" grep -q "ip: 192.0.2.7, from: <ip@example.net>" "$R/rspamd.log"
for a in '' 'not-an-address'; do
	n=$((n + 1))
	msg ip@example.net "Problem number $n" "r$n@example.net" > "$T/in.eml"
	"$EMBARGO_MDA" -f ip@example.net -a "$a" -- $LIST < "$T/in.eml" 2>"$T/mda.err"
	is "$?/$(case_of r$n@example.net | grep -c .)" 0/1 "-a '$a': delivered, no address for rspamd"
done
check "... an address that is none is logged" log_has "client address 'not-an-address' is not an IP address; ignored"

## spam_action = tag: delivered, the team's copy marked, no acknowledgement
spam_setup "spam_action = tag"
gtube tagme@example.net
C=$(case_of r$n@example.net)
check "tag: GTUBE opens a case" test -n "$C"
check "... not held" test -z "$(DB "SELECT held FROM cases WHERE id = '$C'")"
is "$(sent_to_count tagme@example.net)" 0 "... no acknowledgement"
f=$(sent_to alice@example.org)
is "$(hdr "$f" Subject)" "[$C] [spam?] Problem number $n" "... the team's copy is tagged [spam?]"
is "$(hdr "$f" X-Embargo-Spam)" "rspamd: reject, score 15.00" "... and carries X-Embargo-Spam"
check "... its summary says so" grep -q "^SPAM?: .*likely spam (rspamd: reject" "$f"
is "$(DB "SELECT detail FROM events WHERE case_id = '$C' AND what = 'ack-suppressed'")" \
	"likely spam (rspamd: reject, score 15.00)" "... the withheld acknowledgement is on the case"

## spam_action = off: as without a filter, rspamd not asked
spam_setup "spam_action = off"
gtube offme@example.net
is "$(sent_to_count offme@example.net)/$(sent_to_count alice@example.org)" 1/1 \
	"off: GTUBE is acknowledged and copied"
check "... rspamd is not asked" log_has "spam check: not asked (spam_action = off)"

## a person releases held spam (a false positive): a case, acknowledged once
spam_setup
gtube fp@example.net
H=$(ctl held list --json | jqr '.[0].id')
check "GTUBE is held as an item" is_held r$n@example.net
ctl held release "$H" > "$T/rel.out" 2>&1
is "$?" 0 "held release: exit 0"
check "... the item became a case" \
	test -n "$(DB "SELECT case_id FROM held_items WHERE id = '$H' AND state = 'released'")"
is "$(sent_to_count fp@example.net)/$(sent_to_count alice@example.org)" 1/1 \
	"... the sender acknowledged once, the team given a copy"
ctl held release "$H" > "$T/rel2.out" 2>&1
is "$?" 65 "a second release is refused"
is "$(sent_to_count fp@example.net)/$(sent_to_count alice@example.org)" 1/1 "... and sends nothing"
is "$(grep -c "from: <fp@example.net>" "$R/rspamd.log")" 1 "the release did not ask the filter again"

## rspamd stopped: delivered as a case, logged, exit 0
spam_setup
rspamd_stop
gtube down@example.net
is "$rc" 0 "rspamd down: exit 0, no deferral"
check "... a case is opened" test -n "$(case_of r$n@example.net)"
is "$(sent_to_count down@example.net)/$(sent_to_count alice@example.org)" 1/1 \
	"... acknowledged and copied"
check "... the failure is logged" log_has "spam check: no verdict from rspamd (.*/checkv2: .*); taken as not spam"

## a filter answering garbage, an endless answer, or nothing at all
for mode in garbage huge hang; do
	fake_start $mode
	URL=$FAKE_URL
	spam_setup
	URL=
	start=$(date +%s)
	gtube $mode@example.net
	took=$(($(date +%s) - start))
	is "$rc" 0 "$mode: exit 0"
	check "... a case is opened" test -n "$(case_of r$n@example.net)"
	is "$(sent_to_count $mode@example.net)" 1 "... the sender is acknowledged"
	check "... the filter was asked" grep -q "^POST /checkv2 " "$R/fake.log"
	eval "took_$mode=$took"
	case $mode in
	garbage) why="the answer is not JSON" ;;
	huge) why="the answer is larger than" ;;
	hang) why="timed out" ;;
	esac
	check "... the reason is logged ($why)" log_has "spam check: no verdict from rspamd (.*$why"
	fake_stop
done
# bounded by spam_timeout (2 s), measured against garbage's immediate
# answer, so that a slow machine (or memcheck) does not count
check "an endless answer costs at most spam_timeout (${took_huge}s, garbage ${took_garbage}s)" \
	test "$took_huge" -le $((took_garbage + 3))
check "no answer costs at most spam_timeout (${took_hang}s, garbage ${took_garbage}s)" \
	test "$took_hang" -le $((took_garbage + 3))

rspamd_stop
[ -n "${KEEP:-}" ] || rm -rf "$R"
done_testing
