#!/bin/sh
# t-valgrind.sh - the main paths of embargo-mda and embargoctl under
# valgrind's memcheck: no invalid access, no use of uninitialised memory,
# no definite or indirect leak. (The sanitizer build of the whole suite
# covers the rest; memcheck on every test would take too long here.)
. "$top_srcdir/tests/lib.sh"
if ! command -v valgrind >/dev/null 2>&1; then
	echo "1..0 # SKIP valgrind is not installed"
	exit 0
fi
if ldd "$EMBARGO_MDA" | grep -q libasan; then
	echo "1..0 # SKIP a sanitizer build cannot run under valgrind"
	exit 0
fi
setup
members alice@example.org bob@example.org

VG="valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --track-fds=no"

# vg_mda NAME WANT-STATUS SENDER RECIPIENT < message
vg_mda() {
	_name=$1; _want=$2; shift 2
	# shellcheck disable=SC2086
	$VG "$EMBARGO_MDA" -f "$1" -- "$2" 2>"$T/vg.err"
	_rc=$?
	is "$_rc" "$_want" "$_name: exit $_want under memcheck, no error or leak"
	[ "$_rc" = "$_want" ] || sed 's/^/# /' "$T/vg.err" | head -30
}
vg_ctl() {
	_name=$1; _want=$2; shift 2
	# shellcheck disable=SC2086
	$VG "$EMBARGOCTL" "$@" >/dev/null 2>"$T/vg.err"
	_rc=$?
	is "$_rc" "$_want" "$_name: exit $_want under memcheck, no error or leak"
	[ "$_rc" = "$_want" ] || sed 's/^/# /' "$T/vg.err" | head -30
}

msg 'Jane <jane@example.net>' 'Overflow in parser' vg1@example.net > "$T/m1"
vg_mda "new report" 0 jane@example.net $LIST < "$T/m1"
vg_mda "duplicate" 0 jane@example.net $LIST < "$T/m1"
id=$(ctl case list --json | jqr '.[0].id')
msg 'Jane <jane@example.net>' "Re: [$id] more" vg2@example.net > "$T/m2"
vg_mda "follow-up" 0 jane@example.net $LIST < "$T/m2"
msg 'Alice <alice@example.org>' "Re: [$id] thanks" vg3@example.org > "$T/m3"
vg_mda "answer to the reporter" 0 alice@example.org "security+$id-reporter@example.org" < "$T/m3"
printf 'From: a@b\nFrom: c@d\nContent-Type: multipart/mixed\n\n--x\n\0\n' > "$T/m4"
vg_mda "malformed input" 0 x@example.net $LIST < "$T/m4"
printf 'From: MAILER-DAEMON@example.net\nSubject: failure\n\nbounce\n' > "$T/m5"
vg_mda "bounce" 0 "" "security+$id-bounces@example.org" < "$T/m5"
vg_mda "no such list" 67 jane@example.net nobody@example.org < "$T/m1"
touch "$T/sendmail.fail"
msg 'Kim <kim@example.net>' 'Another' vg6@example.net > "$T/m6"
vg_mda "sendmail failing" 0 kim@example.net $LIST < "$T/m6"
rm "$T/sendmail.fail"
vg_ctl "outbox flush" 0 outbox flush
vg_ctl "case show --json" 0 case show "$id" --json
vg_ctl "member list --json" 0 member list $LIST --json
vg_ctl "unknown case" 65 case show SEC-2099-0001

# the lifecycle: commands applied and refused, the reporter told, reminders,
# agenda, stats and the three advisory formats
BODY='#severity high
#cvss CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N
#cve CVE-2026-40001 CVE-26-1
#summary Overflow in the parser.
#status triaged
#frobnicate

Commands and text.' msg 'Alice <alice@example.org>' "Re: [$id] cmds" vg7@example.org > "$T/m7"
vg_mda "commands" 0 alice@example.org "security+$id@example.org" < "$T/m7"
BODY='#fixed-in 1.2.3
#credit Jane
#status released' msg 'Alice <alice@example.org>' "Re: [$id] release" vg8@example.org > "$T/m8"
vg_mda "release, the reporter told" 0 alice@example.org "security+$id@example.org" < "$T/m8"
BODY='#status closed' msg 'Mallory <mallory@example.net>' "Re: [$id] x" vg9@example.net > "$T/m9"
vg_mda "commands from outside the team" 0 mallory@example.net "security+$id@example.org" < "$T/m9"
vg_ctl "remind" 0 remind --now 2026-12-30T00:00:00Z
vg_ctl "agenda --mail" 0 agenda $LIST --mail
vg_ctl "stats --json" 0 stats --json
for f in markdown osv csaf; do
	vg_ctl "case advisory --format $f" 0 case advisory "$id" --format $f
done
done_testing
