#!/bin/sh
# t-pgp-reporter-keys.sh - who may set a reporter's OpenPGP key ("Trust"
# issue, item 3). A key offered by mail (attached application/pgp-keys, an
# Autocrypt header) for an address that has a key on file is taken only
# when the key on file signed it; the first key of an address only from the
# report that opens a case. Anything else is held (pending_keys), the team
# is told, and a member's "#key accept FINGERPRINT" (or embargoctl key
# accept) takes it. Answers to the reporter are checked with gpg
# --list-packets and decrypted with the right key.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>'
person kim 'Kim <kim@example.net>'
person kim2 'Kim <kim@example.net>'
person kim3 'Kim <kim@example.net>'
person mallory 'Kim <kim@example.net>'
person mallory2 'Kim <kim@example.net>'
person lee 'Lee <lee@example.net>'
person nora 'Nora <nora@example.net>'
# pat's key, first made to expire on 2027-01-01, then extended: pat-old.asc is the stale copy
person pat 'Pat <pat@example.net>' ed25519 2027-01-01 --faked-system-time=20250101T000000
cp "$T/pat.asc" "$T/pat-old.asc"
as pat --quick-set-expire "$F_pat" 2031-01-01 2>/dev/null
as pat --quick-set-expire "$F_pat" 2031-01-01 '*' 2>/dev/null
as pat --armor --export "$F_pat" > "$T/pat.asc"
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key

DB=$T/state/embargo.db
onfile() { sqlite3 "$DB" "SELECT fingerprint FROM reporter_keys WHERE address = '$1'"; }
held() { sqlite3 "$DB" "SELECT fingerprint FROM pending_keys WHERE address = '$1' ORDER BY id" | paste -sd, -; }
# the key ids a mail FILE is encrypted to, sorted
enc_to() { sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$1" |
	gpg --batch --list-packets 2>/dev/null | sed -n 's/.*pubkey enc packet:.*keyid \([0-9A-F]*\).*/\1/p' | sort | paste -sd, -; }
# the encryption subkey's key id of NAME
subkey() { eval "_h=\$H_$1; _f=\$F_$1"; GNUPGHOME=$_h gpg --with-colons --list-keys "$_f" 2>/dev/null | awk -F: '/^sub/ { print $5; exit }'; }
# mixed FROM SUBJECT MID KEYFILE [HEADER]: a plain mail with the key attached
mixed() {
	envelope "$1" "$2" "$3"; [ -n "${5:-}" ] && printf '%s\n' "$5"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="MIX"\n\n--MIX\nContent-Type: text/plain\n\nHere is my key.\n--MIX\nContent-Type: application/pgp-keys; name="key.asc"\n\n'
	cat "$4"; printf '\n--MIX--\n'
}
# signed_nested NAME ENTITY-FILE: multipart/signed by NAME over ENTITY (a
# multipart, whose closing delimiter line ends with its CRLF)
signed_nested() {
	crlf < "$2" > "$T/signed.crlf"
	as "$1" --armor --detach-sign < "$T/signed.crlf" > "$T/signed.sig"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SIG"\n\n--SIG\n'
	cat "$2"
	printf '\n--SIG\nContent-Type: application/pgp-signature; name="signature.asc"\n\n'
	cat "$T/signed.sig"
	printf '\n--SIG--\n'
}
# notice_about FPR: the team notices (decrypted by alice) since mark that name FPR
notice_about() { for _f in $(fresh_to alice@example.org); do open_copy alice "$_f" | grep -q "$1" && echo "$_f"; done; }
# answer TEXT MID: bob answers the reporter of $C through the list
answer() { BODY=$1 send bob@example.org "security+$C-reporter@$DOM" 'Bob <bob@example.org>' "Re: [$C] x" "$2"; }

## the first key comes with the report that opens the case
mark
mixed 'Kim <kim@example.net>' 'Auth bypass' k1@example.net "$T/kim.asc" > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
C=$(ctl case list --json | jqr '.[-1].id')
is "$rc" 0 "a report with a key: exit 0"
is "$(onfile kim@example.net)" "$F_kim" "the report's key is taken as the first key"
is "$(enc_to "$(fresh_to kim@example.net)")" "$(subkey kim)" "... and the acknowledgement is encrypted to it"

## someone else writes as kim with an attached key: held, the team told
mark
mixed 'Kim <kim@example.net>' "Re: [$C] Auth bypass" m1@example.net "$T/mallory.asc" > "$T/in.eml"
mda attacker@example.com $LIST < "$T/in.eml"
is "$rc" 0 "a follow-up with another key: exit 0"
is "$(onfile kim@example.net)" "$F_kim" "... the key on file is not replaced"
is "$(held kim@example.net)" "$F_mallory" "... the offered key is held"
check "... not in the reporters' keyring" sh -c "! GNUPGHOME='$(LISTHOME).reporters' gpg --list-keys $F_mallory >/dev/null 2>&1"
n=$(notice_about "$F_mallory")
is "$(echo "$n" | grep -c .)" 1 "... the team is told, once"
open_copy alice "$n" > "$T/n.txt"
check "... the notice says it was not taken" grep -q 'It was NOT taken' "$T/n.txt"
check "... and how to accept it" grep -q "#key accept $F_mallory" "$T/n.txt"
check "... and that mail stays encrypted to the key on file" grep -q "$F_kim" "$T/n.txt"
is "$(show "$C" | jqr '[.events[] | select(.what == "key-held")] | length')" 1 "... a key-held event on the case"

## the same key again: still held, no second notice
mark
mixed 'Kim <kim@example.net>' "Re: [$C] again" m2@example.net "$T/mallory.asc" > "$T/in.eml"
mda attacker@example.com $LIST < "$T/in.eml"
is "$(held kim@example.net)" "$F_mallory" "the same key again: held once"
is "$(notice_about "$F_mallory" | grep -c .)" 0 "... and the team is not told again"

## an Autocrypt header in an auto-reply
mark
KD=$(gpg --dearmor < "$T/mallory2.asc" | base64 -w0)
send attacker@example.com $LIST 'Kim <kim@example.net>' "Auto: Re: [$C] out of office" m3@example.net \
	'Auto-Submitted: auto-replied' "Autocrypt: addr=kim@example.net; prefer-encrypt=mutual; keydata=$KD"
is "$rc" 0 "an auto-reply with an Autocrypt header: exit 0"
is "$(onfile kim@example.net)" "$F_kim" "... the key on file is not replaced"
is "$(held kim@example.net)" "$F_mallory,$F_mallory2" "... its key is held"
is "$(notice_about "$F_mallory2" | grep -c .)" 1 "... and the team is told"

## a new report from kim's address with another key
mark
mixed 'Kim <kim@example.net>' 'Another bug' m4@example.net "$T/mallory.asc" > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$rc" 0 "a new report with another key: exit 0"
is "$(onfile kim@example.net)" "$F_kim" "... the key on file is not replaced"
is "$(enc_to "$(fresh_to kim@example.net)")" "$(subkey kim)" "... the acknowledgement goes to the key on file"

## an answer to kim is encrypted to kim's key, not to any key offered since
mark
answer 'We have a fix for you to test.' a1@example.org
a=$(fresh_to kim@example.net)
is "$(enc_to "$a")" "$(subkey kim)" "the answer is encrypted to the key on file only"
check "... kim can read it" sh -c "sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' '$a' | GNUPGHOME=$H_kim gpg --batch --decrypt 2>/dev/null | grep -q 'fix for you'"
check "... the offered key cannot" sh -c "! sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' '$a' | GNUPGHOME=$H_mallory gpg --batch --decrypt >/dev/null 2>&1"

## a mail signed by the key on file, but the key outside the signature
mark
printf 'Content-Type: text/plain\n\nSigned text.' > "$T/text.ent"
{ envelope 'Kim <kim@example.net>' "Re: [$C] part" m5@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="OUT"\n\n--OUT\n'
  mime_signed kim "$T/text.ent"
  printf '\n--OUT\nContent-Type: application/pgp-keys\n\n'; cat "$T/mallory.asc"; printf '\n--OUT--\n'; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim" "a key beside (not inside) a signature by the key on file is not taken"
KD=$(gpg --dearmor < "$T/mallory.asc" | base64 -w0)
{ envelope 'Kim <kim@example.net>' "Re: [$C] ac" m6@example.net; printf 'Autocrypt: addr=kim@example.net; keydata=%s\n' "$KD"
  mime_signed kim "$T/text.ent"; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim" "an Autocrypt header on a mail signed by the key on file is not taken"

## a rollover signed by the key on file is taken
mark
{ printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="IN"\n\n--IN\nContent-Type: text/plain\n\nMy new key.\n--IN\nContent-Type: application/pgp-keys\n\n'
  cat "$T/kim2.asc"; printf '\n--IN--\n'; } > "$T/roll.ent"
{ envelope 'Kim <kim@example.net>' "Re: [$C] new key" r1@example.net; signed_nested kim "$T/roll.ent"; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$rc" 0 "a new key signed by the key on file: exit 0"
is "$(onfile kim@example.net)" "$F_kim2" "... becomes the key on file"
n=$(notice_about "$F_kim2")
is "$(echo "$n" | grep -c .)" 1 "... and the team is told"
open_copy alice "$n" > "$T/n2.txt"
check "... that the key changed, signed by the old one" grep -q 'signed by the key on file' "$T/n2.txt"
mark
answer 'Second answer.' a2@example.org
is "$(enc_to "$(fresh_to kim@example.net)")" "$(subkey kim2)" "... later answers are encrypted to the new key"
## the old key cannot roll it back now
mark
{ envelope 'Kim <kim@example.net>' "Re: [$C] old" r2@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="IN"\n\n--IN\nContent-Type: text/plain\n\nold\n--IN\nContent-Type: application/pgp-keys\n\n' > "$T/old.ent"
  cat "$T/mallory.asc" >> "$T/old.ent"; printf '\n--IN--\n' >> "$T/old.ent"; signed_nested kim "$T/old.ent"; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim2" "a key signed by the former key is not taken"

## a rollover inside a signed and encrypted message
{ printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="IN"\n\n--IN\nContent-Type: text/plain\n\nAnd another.\n--IN\nContent-Type: application/pgp-keys\n\n'
  cat "$T/kim3.asc"; printf '\n--IN--\n'; } > "$T/roll3.ent"
{ envelope 'Kim <kim@example.net>' "Re: [$C] newer key" r3@example.net; mime_encrypted kim "$T/roll3.ent" sign; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim2" "signed and encrypted by the former key: not taken"
{ envelope 'Kim <kim@example.net>' "Re: [$C] newer key" r4@example.net; mime_encrypted kim2 "$T/roll3.ent" sign; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim3" "signed and encrypted by the key on file: taken"
{ envelope 'Kim <kim@example.net>' "Re: [$C] enc only" r5@example.net; mime_encrypted mallory "$T/old.ent"; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
is "$(onfile kim@example.net)" "$F_kim3" "encrypted to the list but unsigned: not taken"

## a first key from a follow-up is held; a member accepts it
mark
send lee@example.net $LIST 'Lee <lee@example.net>' 'XSS' l1@example.net
L=$(ctl case list --json | jqr '.[-1].id')
mixed 'Lee <lee@example.net>' "Re: [$L] XSS" l2@example.net "$T/lee.asc" > "$T/in.eml"
mda lee@example.net $LIST < "$T/in.eml"
is "$(onfile lee@example.net)" "" "a first key in a follow-up is not taken"
is "$(held lee@example.net)" "$F_lee" "... it is held"
is "$(notice_about "$F_lee" | grep -c .)" 1 "... and the team is told"
mark
BODY="#key accept $(echo "$F_lee" | sed 's/..../& /g')" send bob@example.org "security+$L@$DOM" 'Bob <bob@example.org>' "Re: [$L] XSS" l3@example.org
is "$rc" 0 "#key accept: exit 0"
is "$(onfile lee@example.net)" "$F_lee" "... the held key becomes lee's key"
is "$(held lee@example.net)" "" "... and is no longer held"
c=$(for _f in $(fresh_to alice@example.org); do open_copy alice "$_f" | grep -q 'Commands from' && echo "$_f"; done | head -1)
check "... the team gets the confirmation" sh -c "[ -n '$c' ]"
open_copy alice "$c" > "$T/c.txt"
check "... which names the address and the key" grep -q "key: lee@example.net is now $F_lee (had none)" "$T/c.txt"
is "$(show "$L" | jqr '[.events[] | select(.what == "key")] | length')" 1 "... and the case's log has it"
mark
C=$L answer 'Thanks lee.' a3@example.org
is "$(enc_to "$(fresh_to lee@example.net)")" "$(subkey lee)" "... answers to lee are encrypted to it"

## #key accept for a key nobody offered: refused
mark
BODY="#key accept $F_alice" send bob@example.org "security+$L@$DOM" 'Bob <bob@example.org>' "Re: [$L] XSS" l4@example.org
c=$(for _f in $(fresh_to alice@example.org); do open_copy alice "$_f" | grep -q 'Commands from' && echo "$_f"; done | head -1)
open_copy alice "$c" > "$T/c.txt"
check "#key accept of a key not held is refused" grep -q "no key $F_alice is held" "$T/c.txt"
## from outside the team: changes nothing
send kim@example.net "security+$L@$DOM" 'Kim <kim@example.net>' "Re: [$L] XSS" l5@example.net
BODY="#key accept $F_mallory kim@example.net" send kim@example.net $LIST 'Kim <kim@example.net>' "Re: [$C] x" l6@example.net
is "$(onfile kim@example.net)" "$F_kim3" "#key accept from outside the team changes nothing"

## a second report with a first key, from an address that has another case: held
send nora@example.net $LIST 'Nora <nora@example.net>' 'One' n1@example.net
mixed 'Nora <nora@example.net>' 'Two' n2@example.net "$T/nora.asc" > "$T/in.eml"
mda nora@example.net $LIST < "$T/in.eml"
is "$(onfile nora@example.net)" "" "a first key in a second report of the same address is not taken"
is "$(held nora@example.net)" "$F_nora" "... it is held"

## a stale copy of the key on file does not bring its expiry back
mixed 'Pat <pat@example.net>' 'Pat report' p1@example.net "$T/pat.asc" > "$T/in.eml"
mda pat@example.net $LIST < "$T/in.eml"
exp() { sqlite3 "$DB" "SELECT substr(expires, 1, 10) FROM reporter_keys WHERE address = '$1'"; }
is "$(exp pat@example.net)" 2031-01-01 "the key's expiry is recorded"
P=$(ctl case list --json | jqr '.[-1].id')
mixed 'Pat <pat@example.net>' "Re: [$P] old" p2@example.net "$T/pat-old.asc" > "$T/in.eml"
mda attacker@example.com $LIST < "$T/in.eml"
is "$(onfile pat@example.net)" "$F_pat" "a stale copy of the key on file: the same key"
is "$(exp pat@example.net)" 2031-01-01 "... its earlier expiry is not taken (read from the keyring after the merge)"
is "$(held pat@example.net)" "" "... and nothing is held"

## embargoctl key pending / accept / drop
ctl key pending "$LIST" --json > "$T/p.json"
is "$(jq length "$T/p.json")" 3 "key pending lists the held keys"
is "$(jq -r '.[] | select(.address == "nora@example.net") | .fingerprint' "$T/p.json")" "$F_nora" "... with address and fingerprint"
ctl key accept "$LIST" "$F_nora" >/dev/null
is "$?" 0 "key accept: 0"
is "$(onfile nora@example.net)" "$F_nora" "... the key becomes nora's"
ctl key drop "$LIST" "$F_mallory2" >/dev/null
is "$(held kim@example.net)" "$F_mallory" "key drop forgets a held key"
ctl key accept "$LIST" "$F_mallory2" 2>/dev/null
is "$?" 65 "key accept of a key not held: 65"

pgp_done
