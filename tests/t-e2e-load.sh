#!/bin/bash
# End to end under load on the private Postfix of tests/e2e/postfix-env.sh:
# 400 reports from 100 senders arrive at once over several SMTP sessions
# and go through the embargo pipe(8) transport at a destination concurrency
# of 4. Afterwards only counts and integrity are checked: one case and one
# acknowledgement per report, each team copy delivered once, nothing left
# in the queue, the database intact and no outbox row pending. 400 keep
# four deliveries contending for the store all the way through, in both
# builds, within the suite's time; bench/load-run sends 1,000 (LOAD_REPORTS,
# a multiple of 100, and LOAD_SESSIONS change the load) and prints the
# throughput. Root only, in its own namespaces; skipped otherwise.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/postfix-env.sh"
e2e_enter "$@"
command -v perl >/dev/null 2>&1 && perl -MNet::SMTP -e 1 2>/dev/null ||
	e2e_skip "perl with Net::SMTP is needed to send the load"
command -v sqlite3 >/dev/null 2>&1 || e2e_skip "sqlite3 not installed"

N=${LOAD_REPORTS:-400}
SENDERS=100
SESSIONS=${LOAD_SESSIONS:-10}
LIMIT=${LOAD_TIME_LIMIT:-480}   # seconds for the queue to drain

E2E_MILTER_CONF="rate_limit = none"
E2E_LIST_CONF="ack_limit = 1000"
e2e_start
# The pipe transport at a fixed concurrency; deferred mail (there should be
# none) is retried soon enough to be seen within the time limit.
postconf -c "$PF" -e "embargo_destination_concurrency_limit = 4" \
	"minimal_backoff_time = 10s" "maximal_backoff_time = 20s" "queue_run_delay = 10s"
postfix -c "$PF" reload >/dev/null 2>&1
echo "# embargo-milter in smtpd_milters: $E2E_MILTER"

# The client: SESSIONS processes at once, each with one SMTP session from
# 192.0.2.10 (SPF pass for pass.test), together sending N reports with
# distinct senders (r0 .. r99@pass.test), subjects and Message-IDs.
cat > "$T/send.pl" <<'EOP'
use strict; use warnings; use Net::SMTP; use POSIX qw(strftime);
my ($n, $sessions, $port, $senders, $to) = @ARGV;
my $date = strftime("%a, %d %b %Y %H:%M:%S +0000", gmtime);
my @kids;
for my $s (0 .. $sessions - 1) {
	my $pid = fork // die "fork: $!";
	if ($pid) { push @kids, $pid; next; }
	my $smtp = Net::SMTP->new("127.0.0.1", Port => $port, LocalAddr => "192.0.2.10",
		Hello => "client.pass.test", Timeout => 120) or die "connect: $@";
	my $bad = 0;
	for (my $i = $s; $i < $n; $i += $sessions) {
		my $from = sprintf("r%d\@pass.test", $i % $senders);
		my $ok = $smtp->mail($from) && $smtp->to($to) && $smtp->data(
			"From: Reporter $i <$from>\r\nTo: $to\r\nSubject: Load report $i: overflow in module $i\r\n"
			. "Message-ID: <load-$i\@pass.test>\r\nDate: $date\r\n\r\n"
			. "Details of problem $i.\r\n");
		unless ($ok) { $bad++; print STDERR "report $i: ", $smtp->code, " ", $smtp->message; $smtp->reset; }
	}
	$smtp->quit;
	exit($bad ? 1 : 0);
}
my $fail = 0;
for (@kids) { waitpid($_, 0); $fail++ if $?; }
exit($fail ? 1 : 0);
EOP

start=$(date +%s.%N)
perl "$T/send.pl" "$N" "$SESSIONS" "$E2E_PORT" "$SENDERS" "$LIST" 2>"$T/send.err"
rc=$?
sent=$(date +%s.%N)
is "$rc" 0 "smtpd accepts all $N reports from $SENDERS senders over $SESSIONS sessions"
e2e_diag "$T/send.err"

# Wait (polling, bounded) until everything is delivered: the reports to
# embargo-mda and the mail it sends to the sink.
delivered() { grep -c "to=<$LIST>, relay=embargo,.*status=sent" "$T/maillog"; }
drained() { [ "$(delivered)" -ge "$N" ] && queue_empty; }
end=$(( ${start%.*} + LIMIT ))
while ! drained && [ "$(date +%s)" -lt "$end" ]; do sleep 0.5; done
check "the queue drains within $LIMIT seconds" drained
done_at=$(date +%s.%N)
# bench/load-run reads this line
awk -v n="$N" -v a="$start" -v s="$sent" -v d="$done_at" 'BEGIN {
	printf "# load: %d reports, sent in %.1f s, drained in %.1f s, %.1f reports/s end to end\n",
		n, s - a, d - a, n / (d - a) }'

DB=$T/state/embargo.db
is "$(e2e_ctl case list --json | jq length)" "$N" "exactly $N cases"
is "$(delivered)" "$N" "exactly $N deliveries through the embargo transport"
deferred=$(grep -c 'relay=embargo,.*status=deferred' "$T/maillog")
echo "# deliveries deferred on the way: $deferred"
is "$(grep -c 'status=bounced' "$T/maillog")" 0 "nothing bounced"

# The sink: an acknowledgement per report (to the reporter) and a team copy
# per report (one mail to both members). smtp-sink writes a file per mail.
sinkfiles() { find "$T/sink" -type f | sort; }
wait_for 30 sh -c "[ \$(grep -l -i -F 'X-Rcpt-Args: <bob@team.test>' '$T'/sink/* | grep -c .) -ge $N ]" || true
acks=$(sinkfiles | xargs grep -l -i -E '^X-Rcpt-Args: <r[0-9]+@pass\.test>' | grep -c .)
is "$acks" "$N" "exactly $N acknowledgements reach the sink"
is "$(sinkfiles | xargs grep -h -i -E -o '^X-Rcpt-Args: <r[0-9]+@pass\.test>' | sort | uniq -c |
	awk '{print $1}' | sort -u | tr '\n' ' ')" "$(( N / SENDERS )) " \
	"each sender gets one acknowledgement per report"
team=$(sinkfiles | xargs grep -l -i -F 'X-Rcpt-Args: <alice@team.test>')
is "$(echo "$team" | grep -c .)" "$N" "exactly $N team copies reach alice"
is "$(sinkfiles | xargs grep -l -i -F 'X-Rcpt-Args: <bob@team.test>' | grep -c .)" "$N" \
	"exactly $N team copies reach bob"
is "$(echo "$team" | xargs grep -L -i -F 'X-Rcpt-Args: <bob@team.test>' | grep -c .)" 0 \
	"each team copy is one mail to both members"
is "$(echo "$team" | xargs grep -h -i -m1 '^Message-ID:' | sort -u | grep -c .)" "$N" \
	"the team copies are $N distinct mails (none delivered twice)"
is "$(sinkfiles | xargs grep -h -i -m1 '^Message-ID:' | sort | uniq -d | grep -c .)" 0 \
	"no mail reaches the sink twice"
is "$(sink_count)" "$((2 * N))" "nothing else reaches the sink"

is "$(postqueue -c "$PF" -p | grep -v '^Mail queue is empty' | grep -c .)" 0 \
	"no message left in the queue (postqueue -p)"
is "$(sqlite3 "$DB" 'PRAGMA integrity_check')" ok "the database passes PRAGMA integrity_check"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state = 'pending'")" 0 "no outbox row pending"
is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE state = 'sent'")" "$((2 * N))" \
	"the outbox holds $((2 * N)) sent rows"

done_testing
