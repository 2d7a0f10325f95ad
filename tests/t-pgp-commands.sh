#!/bin/sh
# t-pgp-commands.sh - commands on a list with keys (issue 5): with
# signed_commands = yes only a good signature by the member's own key makes
# a command count; confirmations are encrypted to the team; the advisory
# draft of #notify reaches pre-release readers encrypted to their keys and
# never in the clear.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup 'signed_commands = yes
prerelease.distributors = dist@example.com, nokey@example.com'
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>'
person dist 'Distributor <dist@example.com>'
person eve 'Eve <alice@example.org>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key

field() { show "$C" | jqr "$1"; }
# signed_cmd SIGNER FROM MESSAGE-ID TEXT: a member's mail to the case's team
# address, multipart/signed by SIGNER
signed_cmd() {
	printf 'Content-Type: text/plain; charset=utf-8\n\n%s\n' "$4" > "$T/entity"
	{ envelope "$2" "Re: [$C] overflow" "$3"; mime_signed "$1" "$T/entity"; } > "$T/in.eml"
	mda "$2" "security+$C@$DOM" < "$T/in.eml"
}
opened() { open_copy alice "$1"; }

send jane@example.net $LIST 'Jane <jane@example.net>' 'Heap overflow' r1@example.net
C=SEC-2026-0001

## unsigned commands on a signed list change nothing
mark
BODY='#severity high' send alice@example.org "security+$C@$DOM" alice@example.org "Re: [$C] x" u1@example.org
is "$rc" 0 "unsigned command: exit 0"
is "$(field .severity)" null "an unsigned command on a signed list changes nothing"
conf=$(fresh_to alice@example.org | head -1)
check "the confirmation is encrypted to the team" grep -q 'BEGIN PGP MESSAGE' "$conf"
opened "$conf" > "$T/conf.txt"
check "the refusal names the missing signature" grep -q 'accepts commands only in mail signed' "$T/conf.txt"

## signed by another key claiming the member's address
mark
signed_cmd eve alice@example.org s0@example.org '#severity low'
is "$(field .severity)" null "a command signed by a key not the member's changes nothing"

## signed by the member: applied
mark
signed_cmd alice alice@example.org s1@example.org '#severity high
#summary Heap overflow in the chunk parser.
#fixed-in 1.4.3
#cve CVE-2026-12345

Signed and sealed.'
is "$(field .severity)" high "a command signed by the member's own key is applied"
is "$(field .fixed_in)" 1.4.3 "all the signed commands are applied"

## #notify: encrypted to the reader with a key; nobody in the clear
ctl key prerelease "$LIST" dist@example.com "$T/dist.asc" >/dev/null 2>&1
is "$?" 0 "key prerelease imports a pre-release reader's key"
ctl key prerelease "$LIST" stranger@example.com "$T/dist.asc" >/dev/null 2>&1
is "$?" 65 "key prerelease refuses an address on no pre-release list"
mark
signed_cmd alice alice@example.org s2@example.org '#notify distributors'
d=$(fresh_to dist@example.com)
is "$(echo "$d" | grep -c .)" 1 "the pre-release reader with a key gets the draft"
check "the draft is encrypted" grep -q 'BEGIN PGP MESSAGE' "$d"
check "the draft is not readable outside" sh -c "! grep -q 'chunk parser' '$d'"
sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$d" | as dist --decrypt > "$T/draft.txt" 2>/dev/null
check "the reader can decrypt the advisory draft" grep -q 'Heap overflow in the chunk parser' "$T/draft.txt"
check "the draft says it is embargoed" grep -q 'embargoed draft' "$T/draft.txt"
is "$(fresh_to nokey@example.com)" "" "a pre-release reader without a key gets nothing"
conf=$(fresh_to alice@example.org | xargs grep -l 'BEGIN PGP MESSAGE' | head -1)
opened "$conf" > "$T/conf.txt"
check "the confirmation says how many readers the draft goes to" \
	grep -q 'notify: the advisory draft goes to 1 of 2 readers of the pre-release list distributors' "$T/conf.txt"
check "... and names the reader who got nothing, and why" \
	grep -q 'notify: NOT sent to nokey@example.com (no key on file that can encrypt now' "$T/conf.txt"
is "$(sqlite3 "$T/state/embargo.db" "SELECT reader || '|' || coalesce(fingerprint, 'none') FROM notify_readers ORDER BY rowid" | paste -sd' ' -)" \
	"dist@example.com|$F_dist nokey@example.com|none" "what each reader was queued is recorded"
is "$(show "$C" | jq -c '[.notify_readers[] | [.list, .reader, .fingerprint, (.reason != null)]]')" \
	"[[\"distributors\",\"dist@example.com\",\"$F_dist\",false],[\"distributors\",\"nokey@example.com\",null,true]]" \
	"case show --json lists what each reader was queued"
ctl case show "$C" > "$T/show.txt"
check "case show names the reader who got nothing" \
	grep -q '^  notified  distributors nokey@example.com: NOTHING SENT, no key on file' "$T/show.txt"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM outbox WHERE kind = 'prerelease'")" 1 \
	"one pre-release mail in the outbox"

## #release to the list obeys the same rule: unsigned, nothing; signed by the member, released
send scanner@scan.example $LIST 'scanner@scan.example' 'Finding' h1@scan.example 'Auto-Submitted: auto-generated'
H=HELD-2026-0001
BODY="#release $H" send alice@example.org $LIST alice@example.org 'release' u2@example.org
is "$(ctl held show $H --json | jqr .state)" held "an unsigned #release on a signed list changes nothing"
printf 'Content-Type: text/plain; charset=utf-8\n\n#release %s\n' "$H" > "$T/entity"
{ envelope alice@example.org 'release' s3@example.org; mime_signed alice "$T/entity"; } > "$T/in.eml"
mda alice@example.org "$LIST" < "$T/in.eml"
is "$(ctl held show $H --json | jqr '.state + "|" + .decided_by')" "released|alice@example.org" \
	"a #release signed by the member's own key releases the item"

pgp_done
