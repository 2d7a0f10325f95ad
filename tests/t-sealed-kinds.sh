#!/bin/sh
# t-sealed-kinds.sh - nothing about a case reaches the team unencrypted on a
# list with a key. Every kind of mail embargo writes is provoked through the
# real programs (embargo-mda, embargoctl, real gpg): the acknowledgement, the
# team's copy, an answer, every notice (a bounce to the reporter, an answer
# that could not be decrypted, one sent without its quotes, one withheld, a
# member key about to expire, a reporter key held, a member's mail to an
# unknown case, commands from outside), a command's confirmation, a
# pre-release draft, the reporter's update, a reminder, an agenda, the
# digest of held mail and the notice of a mail given up. Then every outbox row to a member of the team
# (or a pre-release reader) must be PGP/MIME encrypted and open with the key
# of each of its readers; and every kind of row in the outbox must be one
# this test knows, so that a new kind of mail fails here until it is checked.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup 'prerelease.distributors = dist@example.com'
sed -i 's/^\[embargo\]$/[embargo]\noutbox_give_up = 1d/' "$T/embargo.conf"
DOM=example.org
DB="$T/state/embargo.db"
q() { sqlite3 "$DB" "$1"; }
# times: gpg checks keys against the real clock, so the deliveries happen now
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
at() { date -u -d "$1" +%Y-%m-%dT%H:%M:%SZ; }

person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>' rsa3072
person soon 'Soon <soon@example.org>' ed25519 20d
person dist 'Dist <dist@example.com>'
person max 'Max <max@example.net>'
person jane 'Jane <jane@example.net>'
person other 'Other <jane@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
ctl member add "$LIST" soon@example.org --key "$T/soon.asc" >/dev/null 2>&1
ctl member add "$LIST" carol@example.org >/dev/null 2>&1
list_key
ctl key prerelease "$LIST" dist@example.com "$T/dist.asc" >/dev/null 2>&1
is "$(q "SELECT count(*) FROM members WHERE fingerprint IS NOT NULL")" 3 "three members with keys, one without"

case_of() { q "SELECT case_id FROM messages WHERE message_id = '$1'"; }

## a report from a reporter without a key: the acknowledgement and the team's copy;
## the member key that expires in 20 days: its notice
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'Heap overflow' r1@example.net
is "$rc" 0 "a report: exit 0"
C=$(case_of r1@example.net)

## an answer to the reporter, and its copy to the team
BODY='We can reproduce it.' send bob@example.org "security+$C-reporter@$DOM" 'Bob <bob@example.org>' "Re: [$C] Heap overflow" a1@example.org
is "$rc" 0 "an answer: exit 0"

## the answer bounces: the team is told (naming the reporter)
{ printf 'From: Mail Delivery System <postmaster@mx.example.net>\nTo: security+%s-bounces@%s\nSubject: Delivery Status Notification (Failure)\nMessage-ID: <b1@mx.example.net>\nDate: Mon, 23 Nov 2026 10:05:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="BND"\n\n' "$C" "$DOM"
  printf -- '--BND\nContent-Type: text/plain\n\nYour message could not be delivered.\n--BND\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; jane@example.net\nAction: failed\nStatus: 5.1.1\n--BND--\n'; } > "$T/in.eml"
mda '' "security+$C-bounces@$DOM" < "$T/in.eml"
is "$rc" 0 "a bounce of the answer: exit 0"

## an answer encrypted to a key the list does not hold: the team is told
printf 'Content-Type: text/plain\n\nThe fix is in commit abc123.\n' > "$T/a2.ent"
{ envelope 'Bob <bob@example.org>' "Re: [$C] Heap overflow" a2@example.org
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream\n\n'
  as jane --armor --encrypt --recipient "$F_jane" < "$T/a2.ent"
  printf '\n--ENC--\n'; } > "$T/in.eml"
mda bob@example.org "security+$C-reporter@$DOM" < "$T/in.eml"
is "$rc" 0 "an answer the list cannot decrypt: exit 0"

## a reporter key offered in a follow-up: held, and the team told
KD=$(gpg --dearmor < "$T/other.asc" | base64 -w0)
send jane@example.net "$LIST" 'Jane <jane@example.net>' "Re: [$C] more" f1@example.net \
	"Autocrypt: addr=jane@example.net; prefer-encrypt=mutual; keydata=$KD"
is "$rc" 0 "a follow-up offering a key: exit 0"

## a member's commands: confirmed to the team; a pre-release draft to its readers
BODY='#severity high
#notify distributors' send alice@example.org "security+$C@$DOM" 'Alice <alice@example.org>' "Re: [$C] Heap overflow" c1@example.org
is "$rc" 0 "a member's commands: exit 0"

## commands from outside: the sender is told they were not applied
BODY='#severity low' send eve@example.net "security+$C@$DOM" 'Eve <eve@example.net>' "Re: [$C] Heap overflow" e1@example.net
is "$rc" 0 "commands from outside: exit 0"

## a member's mail to a case that does not exist: the member is told
send bob@example.org "security+SEC-2099-0999@$DOM" 'Bob <bob@example.org>' 'Re: [SEC-2099-0999] x' u1@example.org
is "$rc" 0 "a member's mail to an unknown case: exit 0"

## an encrypted report: an answer with a quote goes without it, one that is only a quote does not go
printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret trigger is CHUNK-4711.\n' > "$T/q.ent"
{ envelope 'Max <max@example.net>' 'Encrypted report' q1@example.net; mime_encrypted max "$T/q.ent"; } > "$T/in.eml"
mda max@example.net "$LIST" < "$T/in.eml"
QC=$(case_of q1@example.net)
BODY='Thanks, confirmed.

Max wrote:
> The secret trigger is CHUNK-4711.' send bob@example.org "security+$QC-reporter@$DOM" 'Bob <bob@example.org>' "Re: [$QC] x" q2@example.org
is "$rc" 0 "an unencrypted answer with a quote: exit 0"
BODY='> The secret trigger is CHUNK-4711.' send bob@example.org "security+$QC-reporter@$DOM" 'Bob <bob@example.org>' "Re: [$QC] x" q3@example.org
is "$rc" 0 "an answer that is only a quote: exit 0"

## a case rejected: the reporter is told
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'Not a bug' r2@example.net
RC=$(case_of r2@example.net)
BODY='#reject Working as documented.' send alice@example.org "security+$RC@$DOM" 'Alice <alice@example.org>' "Re: [$RC] Not a bug" c2@example.org
is "$(ctl case show "$RC" --json | jqr .stage)" closed "a rejected case is closed"

## a report nobody answers, whose team copy the MTA never takes
echo 20000 > "$T/sendmail.max-size"
BODY=$(head -c 30000 /dev/urandom | base64 -w 76) send big@example.net "$LIST" 'Big <big@example.net>' 'Large report' r3@example.net

## held mail, and its digest (embargoctl held digest)
send scanner@scan.example "$LIST" 'Scanner <scanner@scan.example>' 'Finding: open redirect' h1@scan.example 'Auto-Submitted: auto-generated'
ctl held digest >/dev/null 2>"$T/ctl.err"
rc=$?; ok "$( { [ $rc = 0 ] || [ $rc = 75 ]; } && echo 1)" "held digest: exit 0 (75: the refused row still waits)"

## a reminder and an agenda (embargoctl); the team copy given up, and the team told
ctl remind --now "$(at '+10 days')" >/dev/null 2>"$T/ctl.err"
rc=$?; ok "$( { [ $rc = 0 ] || [ $rc = 75 ]; } && echo 1)" "remind: exit 0 (75: the refused row still waits)"
ctl agenda "$LIST" --mail --now "$(at '+10 days')" >/dev/null 2>"$T/ctl.err"
rc=$?; ok "$( { [ $rc = 0 ] || [ $rc = 75 ]; } && echo 1)" "agenda --mail: exit 0 (75: the refused row still waits)"

EMBARGO_NOW=$(at '+10 days') ctl outbox flush >/dev/null 2>&1
rm -f "$T/sendmail.max-size"

## every kind of mail and notice was provoked
# KINDS: every outbox kind there is, with the audience it goes to; a kind
# that is not here fails below until it is added with its check.
KINDS='ack:stranger team-copy:team answer:reporter notice:team confirm:team prerelease:readers reporter-update:reporter reminder:team agenda:team held-digest:team undelivered:team'
for k in $KINDS; do
	kind=${k%%:*}
	is "$(q "SELECT count(*) > 0 FROM outbox WHERE kind = '$kind'")" 1 "a mail of kind $kind was written (to the ${k#*:})"
done
for kind in $(q "SELECT DISTINCT kind FROM outbox ORDER BY kind"); do
	case " $KINDS " in
	*" $kind:"*) ok 1 "the outbox kind '$kind' is one this test checks" ;;
	*) ok 0 "the outbox kind '$kind' is one this test checks" ;;
	esac
done
for s in 'Mail to the reporter bounced' 'Could not decrypt your answer' \
	'Your answer went out without the quoted text' 'Your answer was not sent to the reporter' \
	'Key of soon@example.org expires' 'OpenPGP key held for jane@example.net' \
	'Not delivered: unknown case' 'Commands not applied'; do
	is "$(q "SELECT count(*) > 0 FROM outbox WHERE kind = 'notice' AND subject LIKE '%$s%'")" 1 "a notice: $s"
done

## every row to a member of the team or a pre-release reader is encrypted to each of them
mkdir -p "$T/rows"
q "SELECT writefile('$T/rows/' || id || '.eml', body) FROM outbox_bodies" >/dev/null
# who opens mail to ADDRESS: the person whose key it was given, or nobody
reader_of() {
	case $1 in
	alice@example.org) echo alice ;; bob@example.org) echo bob ;; soon@example.org) echo soon ;;
	dist@example.com) echo dist ;; carol@example.org) echo nobody ;; *) echo "" ;;
	esac
}
for id in $(q "SELECT id FROM outbox ORDER BY id"); do
	kind=$(q "SELECT kind FROM outbox WHERE id = $id")
	subject=$(q "SELECT subject FROM outbox WHERE id = $id")
	for r in $(q "SELECT recipients FROM outbox WHERE id = $id"); do
		who=$(reader_of "$r")
		[ -n "$who" ] || continue
		f="$T/rows/$id.eml"
		if [ "$who" = nobody ]; then
			ok 0 "row $id ($kind: $subject) went to $r, who has no key"
			continue
		fi
		o=$(opened "$who" "$f")
		check "row $id ($kind: $subject) to $r: PGP/MIME encrypted, and $who can open it" \
			sh -c "grep -qi '^Content-Type: multipart/encrypted' '$f' && grep -qi '^Content-Type: multipart/signed' '$o'"
		is "$(hdr "$f" Subject)" "$(q "SELECT CASE WHEN case_id IS NULL THEN '...' ELSE '[' || case_id || '] ...' END FROM outbox WHERE id = $id")" \
			"... and shows no more than its case outside"
	done
done
# the notice of the bounce names the reporter: never in the clear
for id in $(q "SELECT id FROM outbox WHERE kind = 'notice' AND subject LIKE '%bounced%'"); do
	check "the bounce notice (row $id) does not show the reporter's address outside" \
		sh -c "! grep -q 'jane@example.net' '$T/rows/$id.eml'"
	check "... it names it inside" grep -q 'jane@example.net' "$(opened alice "$T/rows/$id.eml")"
done
done_testing
