# tests/e2e/postfix-env.sh - a private mail system for the end-to-end tests.
#
# Source it from a TAP test script after tests/lib.sh, then call
#   e2e_enter "$@"     re-runs the script as root inside new network, mount
#                      and PID namespaces (or prints "1..0 # SKIP" and exits)
#   e2e_start          starts everything below and arms the teardown
#
# Inside the namespaces only loopback exists (plus the documentation
# addresses 192.0.2.0/24 and 198.51.100.0/24 added to lo, used as SMTP
# client addresses), so nothing can leave the machine. There run:
#   - dnsmasq on 127.0.0.1:53, the only resolver (a resolv.conf of the test
#     is bind-mounted over /etc/resolv.conf), with the SPF records of the
#     test domains: pass.test allows 192.0.2.0/24, fail.test allows nothing,
#     softfail.test ends in ~all, none.test has no record;
#   - a private Postfix instance (its own config, queue and data directories
#     under $T) with smtpd on 127.0.0.1:2525, the embargo pipe(8) transport
#     of contrib/postfix/ running the built embargo-mda as $E2E_USER, the
#     transport table of contrib/postfix/transport.example, and every other
#     domain relayed to [127.0.0.1]:2526;
#   - Postfix's smtp-sink on 127.0.0.1:2526, which keeps each mail it gets as
#     a file under $T/sink (envelope in X-Mail-Args:/X-Rcpt-Args: lines);
#   - embargo-milter on the unix socket $T/run/milter.sock as $E2E_USER (the
#     postfix account in its group), in smtpd_milters and non_smtpd_milters
#     (sendmail(1)), unless it is the stub that does not filter ($E2E_MILTER
#     is then "stub", otherwise "yes").
# Everything is stopped and $T removed on exit (KEEP=1 keeps $T), and the
# PID namespace ends whatever would be left when the script exits.
#
# Tunables: E2E_MILTER_CONF (extra lines for [milter]), E2E_LIST_CONF
# (extra lines for the list section).

PATH=$PATH:/usr/sbin:/sbin
E2E_PORT=2525
E2E_SINK_PORT=2526
E2E_USER=nobody
E2E_GROUP=$(id -gn nobody 2>/dev/null || echo nogroup)
E2E_TIMEOUT=${E2E_TIMEOUT:-30}

e2e_skip() { echo "1..0 # SKIP $*"; exit 0; }

# e2e_enter "$@": called first; skips when the machine cannot run the suite.
e2e_enter() {
	if [ -n "${EMBARGO_E2E_INSIDE:-}" ]; then
		return 0
	fi
	[ "$(id -u)" = 0 ] || e2e_skip "needs root (network and mount namespaces, a private Postfix)"
	for c in unshare ip setpriv postfix postconf postmap postqueue postsuper sendmail \
		smtp-sink swaks dnsmasq; do
		command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] ||
			e2e_skip "$c not installed (contrib/setup.sh installs it)"
	done
	getent passwd postfix >/dev/null || e2e_skip "no postfix account (install the postfix package)"
	getent group postdrop >/dev/null || e2e_skip "no postdrop group (install the postfix package)"
	unshare --net --mount --pid --fork --mount-proc true 2>/dev/null ||
		e2e_skip "unshare --net --mount --pid is not permitted here"
	EMBARGO_E2E_INSIDE=1 exec unshare --net --mount --pid --fork --mount-proc \
		-- "${BASH:-/bin/bash}" "$0" "$@"
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s until it succeeds;
# fails after SECONDS.
wait_for() {
	_wf_end=$(( $(date +%s) + $1 ))
	shift
	while ! "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_wf_end" ] || return 1
		sleep 0.1
	done
}

port_open() { bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
as_user() { setpriv --reuid="$E2E_USER" --regid="$E2E_GROUP" --clear-groups -- "$@"; }
e2e_ctl() { as_user "$EMBARGOCTL" -c "$T/embargo.conf" "$@"; }

e2e_diag() { # e2e_diag FILE...: the tail of each file as TAP comments
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "# --- $f"
		tail -n 40 "$f" | sed 's/^/#   /'
	done
}

e2e_teardown() {
	trap - EXIT INT TERM
	if [ -n "${_e2e_postfix_up:-}" ]; then
		postfix -c "$PF" stop >/dev/null 2>&1
		wait_for 10 sh -c "! postfix -c '$PF' status" || true
	fi
	for p in ${_e2e_pids:-}; do kill "$p" 2>/dev/null; done
	for p in ${_e2e_pids:-}; do wait "$p" 2>/dev/null; done
	if [ -n "${_e2e_failed_diag:-}" ] || [ "${_failed:-0}" != 0 ]; then
		e2e_diag "$T/maillog" "$T/milter.log" "$T/dnsmasq.log"
	fi
	[ -n "${KEEP:-}" ] || rm -rf "$T"
	[ -z "${KEEP:-}" ] || echo "# kept $T"
}

e2e_bail() { _e2e_failed_diag=1; echo "Bail out! $*"; exit 1; }

# The stub of embargo-milter says that it "does not filter yet" (in its
# help, or when it starts, and then exits at once).
e2e_milter_is_stub() { "$EMBARGO_MILTER" -h 2>&1 | grep -q 'does not filter yet'; }

e2e_start() {
	T=$(mktemp -d /tmp/embargo-e2e.XXXXXX)
	chmod 755 "$T"
	trap e2e_teardown EXIT
	trap 'exit 1' INT TERM
	PF=$T/postfix
	mkdir -p "$PF" "$T/queue" "$T/data" "$T/sink" "$T/state"
	chown postfix "$T/data" "$T/sink"
	chown "$E2E_USER:$E2E_GROUP" "$T/state"
	chmod 700 "$T/state"

	# The network: loopback, and client addresses for the SMTP sessions.
	ip link set lo up || e2e_bail "cannot bring up lo"
	for a in 192.0.2.10 192.0.2.11 192.0.2.12 192.0.2.13 192.0.2.14 192.0.2.20 192.0.2.21 \
		192.0.2.30 198.51.100.7; do
		ip addr add "$a/32" dev lo || e2e_bail "cannot add $a to lo"
	done

	# The resolver: dnsmasq, authoritative for .test and the reverse zones
	# of the client addresses, so that no query waits for a timeout.
	printf 'nameserver 127.0.0.1\noptions timeout:2 attempts:2\n' > "$T/resolv.conf"
	mount --bind "$T/resolv.conf" /etc/resolv.conf || e2e_bail "cannot bind-mount resolv.conf"
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--listen-address=127.0.0.1 --bind-interfaces --port=53 \
		--user="$E2E_USER" --group="$E2E_GROUP" --pid-file= --log-facility=- --log-queries \
		--local=/test/ --local=/2.0.192.in-addr.arpa/ --local=/100.51.198.in-addr.arpa/ \
		--txt-record=pass.test,"v=spf1 ip4:192.0.2.0/24 -all" \
		--txt-record=fail.test,"v=spf1 -all" \
		--txt-record=softfail.test,"v=spf1 ~all" \
		--txt-record=team.test,"v=spf1 ip4:192.0.2.30 -all" \
		--txt-record=hostile.test,"v=spf1 -all exp=why.hostile.test" \
		--txt-record=why.hostile.test,"$(printf '%%{d}.%.0s' $(seq 50))" \
		--address=/mx.example.org/127.0.0.1 \
		>"$T/dnsmasq.log" 2>&1 &
	_e2e_pids="$_e2e_pids $!"

	# The sink for everything that leaves the instance.
	smtp-sink -u postfix -h sink.test -d "$T/sink/%Y%m%d%H%M%S." \
		127.0.0.1:$E2E_SINK_PORT 64 >"$T/sink.log" 2>&1 &
	_e2e_pids="$_e2e_pids $!"

	# Setgid Postfix commands (postdrop, run by sendmail -C) accept a
	# configuration directory only when the default main.cf lists it: the
	# namespace gets its own /etc/postfix saying so.
	mkdir -p "$T/etc-postfix"
	cp -a /etc/postfix/. "$T/etc-postfix/"
	echo "alternate_config_directories = $PF" >> "$T/etc-postfix/main.cf"
	mount --bind "$T/etc-postfix" /etc/postfix || e2e_bail "cannot bind-mount /etc/postfix"

	# The milter's socket belongs to its user and group, mode 0660: the
	# postfix account joins that group (README: adduser postfix embargo), in
	# the namespace's own /etc/group.
	awk -F: -v OFS=: -v g="$E2E_GROUP" \
		'$1 == g { $4 = ($4 == "" ? "postfix" : $4 ",postfix") } { print }' /etc/group > "$T/group"
	mount --bind "$T/group" /etc/group || e2e_bail "cannot bind-mount /etc/group"
	mkdir -p "$T/run"
	E2E_MILTER_SOCK=$T/run/milter.sock

	cat > "$T/embargo.conf" <<EOC
[embargo]
state_dir = $T/state
sendmail = /usr/sbin/sendmail -C $PF -i

[milter]
socket = unix:$E2E_MILTER_SOCK
user = $E2E_USER
authserv_id = mx.example.org
${E2E_MILTER_CONF:-}

[list $LIST]
name = Example Security Team
prefix = SEC
policy = cncf
${E2E_LIST_CONF:-}
EOC
	chmod 644 "$T/embargo.conf"
	e2e_ctl init >/dev/null || e2e_bail "embargoctl init failed"
	for m in alice@team.test bob@team.test; do
		e2e_ctl member add "$LIST" "$m" >/dev/null || e2e_bail "member add $m failed"
	done

	_e2e_postfix_conf
	postfix -c "$PF" check >"$T/postfix-check.log" 2>&1 ||
		{ e2e_diag "$T/postfix-check.log"; e2e_bail "postfix check failed"; }
	E2E_MILTER=stub
	if ! e2e_milter_is_stub && _e2e_start_milter; then
		E2E_MILTER=yes
		postconf -c "$PF" -e "smtpd_milters = unix:$E2E_MILTER_SOCK" \
			"non_smtpd_milters = unix:$E2E_MILTER_SOCK" "milter_default_action = tempfail"
	fi
	postfix -c "$PF" start >"$T/postfix-start.log" 2>&1 ||
		{ e2e_diag "$T/postfix-start.log" "$T/maillog"; e2e_bail "postfix start failed"; }
	_e2e_postfix_up=1
	wait_for "$E2E_TIMEOUT" port_open $E2E_PORT ||
		e2e_bail "smtpd does not answer on 127.0.0.1:$E2E_PORT"
	wait_for "$E2E_TIMEOUT" port_open $E2E_SINK_PORT ||
		e2e_bail "smtp-sink does not answer on 127.0.0.1:$E2E_SINK_PORT"
	wait_for "$E2E_TIMEOUT" port_open 53 ||
		e2e_bail "dnsmasq does not answer on 127.0.0.1:53"
}

# _e2e_start_milter: starts embargo-milter and waits until it listens;
# returns 1 when it is the stub (it exits saying so), bails out on any
# other early exit.
_e2e_start_milter() {
	"$EMBARGO_MILTER" -c "$T/embargo.conf" -f >"$T/milter.log" 2>&1 </dev/null &
	_e2e_milter_pid=$!
	_e2e_pids="$_e2e_pids $_e2e_milter_pid"
	wait_for "$E2E_TIMEOUT" sh -c "! kill -0 $_e2e_milter_pid || [ -S '$E2E_MILTER_SOCK' ]" ||
		{ e2e_diag "$T/milter.log"; e2e_bail "embargo-milter does not listen on $E2E_MILTER_SOCK"; }
	kill -0 "$_e2e_milter_pid" 2>/dev/null && return 0
	grep -q 'does not filter yet' "$T/milter.log" && return 1
	e2e_diag "$T/milter.log"
	e2e_bail "embargo-milter exited at start"
}

# The instance's main.cf and master.cf: the shipped snippets of
# contrib/postfix/ with the test's paths and account put in.
_e2e_postfix_conf() {
	snip=$top_srcdir/contrib/postfix
	{
		cat <<EOC
compatibility_level = 3.6
queue_directory = $T/queue
data_directory = $T/data
mail_owner = postfix
setgid_group = postdrop
maillog_file_prefixes = $T
maillog_file = $T/maillog
myhostname = mx.example.org
mydomain = example.org
myorigin = example.org
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains = example.org
relay_recipient_maps = inline:{ $LIST=ok, other@example.org=ok, postmaster@example.org=ok }
relayhost = [127.0.0.1]:$E2E_SINK_PORT
smtpd_peername_lookup = no
alias_maps =
alias_database =
local_recipient_maps =
biff = no
delay_warning_time = 0
smtp_connect_timeout = 5s
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS G_DEBUG
export_environment = TZ MAIL_CONFIG LANG LSAN_OPTIONS ASAN_OPTIONS UBSAN_OPTIONS G_DEBUG
EOC
		# embargo's own lines, as shipped (the milter is added by e2e_start).
		grep -v -E '^[[:space:]]*(#|$)|^(transport_maps|smtpd_milters|non_smtpd_milters|milter_default_action)[[:space:]]*=' \
			"$snip/main.cf.snippet"
		echo "transport_maps = hash:$PF/transport"
	} > "$PF/main.cf"

	{
		cat <<EOC
127.0.0.1:$E2E_PORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOC
		# The embargo transport as shipped, run as the test's account on the
		# built embargo-mda with the test's configuration.
		sed -n '/^embargo[[:space:]]/,$p' "$snip/master.cf.snippet" |
			sed -e "s|user=embargo|user=$E2E_USER|" \
				-e "s|argv=[^ ]*embargo-mda|argv=$EMBARGO_MDA -c $T/embargo.conf|"
	} > "$PF/master.cf"

	cp "$snip/transport.example" "$PF/transport"
	# an address routed to embargo that is no list, and one that is not embargo's
	printf 'other@example.org embargo:\npostmaster@example.org relay:[127.0.0.1]:%s\n' \
		"$E2E_SINK_PORT" >> "$PF/transport"
	postmap -c "$PF" "hash:$PF/transport" || e2e_bail "postmap of the transport table failed"
}

# --- clients and observers -------------------------------------------------

# smtp ADDR FROM TO FILE [SWAKS-OPTIONS...]: one SMTP session from client
# address ADDR; the transcript is in $T/swaks.out, the status in $rc.
smtp() {
	_addr=$1 _from=$2 _to=$3 _file=$4
	shift 4
	swaks --server 127.0.0.1:$E2E_PORT --local-interface "$_addr" --helo "client.${_from#*@}" \
		--from "$_from" --to "$_to" --data "@$_file" --timeout 30 "$@" >"$T/swaks.out" 2>&1
	rc=$?
}
# the final reply to the DATA (or the first refusal) of the last session
smtp_reply() { grep -E '^<~?\*+ [0-9]{3}|^<~? *[45][0-9]{2}[ -]' "$T/swaks.out" | tail -1; }
last_data_reply() { grep -E '^ *<~?\*?\*? *[0-9]{3} ' "$T/swaks.out" | tail -2 | head -1; }

# mail FILE FROM TO SUBJECT MESSAGE-ID [HEADER...]: writes a message file
mail_file() {
	_f=$1 _fr=$2 _t=$3 _s=$4 _m=$5
	shift 5
	{
		printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\nDate: %s\n' \
			"$_fr" "$_t" "$_s" "$_m" "$(date -R)"
		for h in "$@"; do printf '%s\n' "$h"; done
		printf '\n%s\n' "${BODY:-Details of the problem.}"
	} > "$_f"
}

queue_ids() { postqueue -c "$PF" -j 2>/dev/null | jq -r '.queue_id'; }
queue_count() { queue_ids | grep -c .; }
queue_empty() { [ "$(queue_count)" = 0 ]; }
# the queue entries (JSON lines) whose recipients include ADDRESS
queue_for() { postqueue -c "$PF" -j 2>/dev/null | jq -c --arg a "$1" 'select(any(.recipients[]; .address == $a))'; }

# sink files whose envelope recipients include ADDRESS (complete ones only:
# smtp-sink writes the envelope first and the message while it arrives)
sink_to() {
	grep -l -i -F "X-Rcpt-Args: <$1>" "$T"/sink/* 2>/dev/null
}
sink_to_count() { sink_to "$1" | grep -c .; }
sink_count() { ls "$T/sink" | grep -c .; }
sink_sender() { sed -n 's/^X-Mail-Args: <\([^>]*\)>.*/\1/p' "$1" | head -1; }

# settle: waits until the queue is empty (everything delivered or bounced)
settle() { wait_for "${1:-$E2E_TIMEOUT}" queue_empty; }

# maillog_has REGEX
maillog_has() { grep -q -E -- "$1" "$T/maillog"; }
