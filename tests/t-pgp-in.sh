#!/bin/sh
# t-pgp-in.sh - what comes in protected (issue 3, "Incoming"): PGP/MIME
# encrypted, signed, both ways nested, inline armored and clear-signed; the
# protected subject; signature status per message checked in the right
# keyring; every bad input stored and handed to the team; a dead or hung
# gpg-agent deferring (75) and a later delivery working.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>' rsa3072
person jane 'Jane <jane@example.net>'
person kim 'Kim <kim@example.net>'
person eve 'Eve <eve@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key
DOM=example.org

mark() { ls "$T"/sent/*.msg 2>/dev/null | sort > "$T/mark"; }
fresh() { ls "$T"/sent/*.msg 2>/dev/null | sort | comm -13 "$T/mark" -; }
fresh_to() { for _f in $(fresh); do grep -qx -- "$1" "${_f%.msg}.args.done" && echo "$_f"; done; }
lastcase() { ctl case list --json | jqr '.[-1].id'; }
# the stored message with MESSAGE-ID as JSON (from case show)
m() { sqlite3 "$T/state/embargo.db" "SELECT case_id FROM messages WHERE message_id = '$1'" | head -1 > "$T/mc"
	show "$(cat "$T/mc")" | jq -c ".messages[] | select(.message_id == \"$1\")"; }
sig() { m "$1" | jqr '.signature.status'; }
signer() { m "$1" | jqr '.signature.fingerprint'; }
enc() { m "$1" | jqr '.encrypted'; }
# the team copy alice got since mark, decrypted
alice_copy() { open_copy alice "$(fresh_to alice@example.org | head -1)"; }
nmsgs() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM messages"; }
deliver() { mda "$1" "$2" < "$T/in.eml"; }

printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret heap overflow is in parse_header().\n' > "$T/secret.ent"

## PGP/MIME encrypted report
mark
{ envelope 'Jane <jane@example.net>' 'Encrypted report' e1@example.net; mime_encrypted jane "$T/secret.ent"; } > "$T/in.eml"
deliver jane@example.net $LIST
is "$rc" 0 "PGP/MIME encrypted: exit 0"
is "$(enc e1@example.net)" true "... stored as encrypted"
is "$(sig e1@example.net)" none "... with no signature"
alice_copy > "$T/c.out"
check "... the team copy holds the decrypted text" grep -q 'secret heap overflow' "$T/c.out"
check "... and no ciphertext of the report" sh -c "! grep -q 'BEGIN PGP MESSAGE' '$T/c.out'"
check "... the summary says it was decrypted" grep -q '^Encryption:     decrypted' "$T/c.out"
check "... the summary's signature line" grep -q '^Signature:      none' "$T/c.out"
a=$(fresh_to jane@example.net)
check "... a reporter without a key is told how to send one" grep -q 'attach your OpenPGP public key' "$a"
check "... and the acknowledgement says nothing of the report" sh -c "! grep -q 'heap overflow' '$a'"

## protected headers
mark
printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\nSubject: Remote code execution in the updater\n\nDetails inside.\n' > "$T/ph.ent"
{ envelope 'Jane <jane@example.net>' '...' ph1@example.net; mime_encrypted jane "$T/ph.ent"; } > "$T/in.eml"
deliver jane@example.net $LIST
C=$(lastcase)
is "$(show "$C" | jqr .subject)" "Remote code execution in the updater" "protected headers: the case takes the inner subject"
alice_copy > "$T/c.out"
check "... the team sees it inside" grep -q 'Remote code execution in the updater' "$T/c.out"

## signed then encrypted (one OpenPGP message), by a reporter whose key we hold
mark
{ envelope 'Kim <kim@example.net>' 'my key' k0@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="M"\n\n--M\nContent-Type: text/plain\n\nhere is my key\n--M\nContent-Type: application/pgp-keys\n\n'
  cat "$T/kim.asc"; printf '\n--M--\n'; } > "$T/in.eml"
deliver kim@example.net $LIST
KC=$(lastcase)
mark
{ envelope 'Kim <kim@example.net>' "Re: [$KC] more" k1@example.net; mime_encrypted kim "$T/secret.ent" sign; } > "$T/in.eml"
deliver kim@example.net $LIST
is "$rc" 0 "signed+encrypted: exit 0"
is "$(enc k1@example.net)" true "signed+encrypted: encrypted"
is "$(sig k1@example.net)" good "signed+encrypted by a reporter whose key we hold: good"
is "$(signer k1@example.net)" "$F_kim" "... with the reporter's fingerprint"
alice_copy > "$T/c.out"
check "... the summary says good and names the key" grep -q "^Signature:      good, key $F_kim" "$T/c.out"
check "... the team copy has the text" grep -q 'secret heap overflow' "$T/c.out"

## signed then encrypted by someone unknown
{ envelope 'Eve <eve@example.net>' 'signed by eve' v1@example.net; mime_encrypted eve "$T/secret.ent" sign; } > "$T/in.eml"
deliver eve@example.net $LIST
is "$(sig v1@example.net)" unknown-key "signed+encrypted by an unknown key: unknown-key"
is "$(signer v1@example.net)" "$F_eve" "... naming the fingerprint gpg gave"
is "$(enc v1@example.net)" true "... and still decrypted"

## signed then encrypted, the signed text changed after signing: a bad signature
mark
as kim --compress-algo none --sign < "$T/secret.ent" > "$T/s.gpg"
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[1], "wb").write(d.replace(b"parse_header", b"parse_footer"))' "$T/s.gpg"
{ envelope 'Kim <kim@example.net>' "Re: [$KC] tampered inside" v2@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream\n\n'
  # --no-literal: the signed packets as they are, inside the encryption
  as kim --no-literal --compress-algo none --armor --encrypt --recipient "$LISTFPR" < "$T/s.gpg" 2>/dev/null
  printf '\n--ENC--\n'; } > "$T/in.eml"
deliver kim@example.net $LIST
is "$rc" 0 "signed+encrypted, the signature bad: exit 0"
is "$(enc v2@example.net)" true "... decrypted"
is "$(sig v2@example.net)" bad "... the signature is bad"
alice_copy > "$T/c.out"
check "... the team copy has the text as it came" grep -q 'secret heap overflow is in parse_footer' "$T/c.out"
check "... and says the signature is bad" grep -q '^Signature:      bad' "$T/c.out"

## multipart/signed inside multipart/encrypted, from a member
mark
mime_signed alice "$T/secret.ent" > "$T/signed.ent"
{ envelope 'Alice <alice@example.org>' "Re: [$KC] reproduced" s1@example.org; mime_encrypted alice "$T/signed.ent"; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$rc" 0 "multipart/signed inside multipart/encrypted: exit 0"
is "$(m s1@example.org | jqr .kind)" discussion "... a member's discussion"
is "$(sig s1@example.org)" good "... the member's signature is good (members' keyring)"
is "$(signer s1@example.org)" "$F_alice" "... alice's fingerprint"
is "$(enc s1@example.org)" true "... encrypted"
open_copy bob "$(fresh_to bob@example.org)" > "$T/c.out"
check "... bob's copy has the text" grep -q 'secret heap overflow' "$T/c.out"

## multipart/signed, plain
{ envelope 'Alice <alice@example.org>' "Re: [$KC] signed" s2@example.org; mime_signed alice "$T/secret.ent"; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$(sig s2@example.org)" good "multipart/signed by a member: good"
is "$(enc s2@example.org)" false "... not encrypted"
is "$(m s2@example.org | jqr .signature.partial)" false "... covering the whole message"
{ envelope 'Eve <eve@example.net>' "signed by a stranger" s3@example.net; mime_signed eve "$T/secret.ent"; } > "$T/in.eml"
deliver eve@example.net $LIST
is "$(sig s3@example.net)" unknown-key "multipart/signed by an unknown key: unknown-key"
{ envelope 'Alice <alice@example.org>' "Re: [$KC] tampered" s4@example.org; mime_signed alice "$T/secret.ent" | sed 's/parse_header/parse_footer/'; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$(sig s4@example.org)" bad "a tampered multipart/signed: bad"

## a member whose key signs with a subkey: the signer is named by the
## primary key, the one on file (what signed_commands compares)
person dan 'Dan <dan@example.org>'
as dan --quick-add-key "$F_dan" ed25519 sign never 2>/dev/null
GNUPGHOME=$H_dan gpg --batch --armor --export "$F_dan" > "$T/dan.asc" 2>/dev/null
GNUPGHOME=$H_dan gpg --batch --quiet --import "$T/list.asc" 2>/dev/null
ctl member add "$LIST" dan@example.org --key "$T/dan.asc" >/dev/null 2>&1
{ envelope 'Dan <dan@example.org>' "Re: [$KC] subkey" s8@example.org; mime_signed dan "$T/secret.ent"; } > "$T/in.eml"
check "(the signature is made by a subkey)" sh -c "gpg --list-packets '$T/signed.sig' 2>/dev/null | grep -q 'keyid $(echo "$F_dan" | cut -c25-40)' && exit 1; exit 0"
deliver dan@example.org "security+$KC@$DOM"
is "$(sig s8@example.org)" good "multipart/signed by a signing subkey: good"
is "$(signer s8@example.org)" "$F_dan" "... named by the primary key"
{ envelope 'Dan <dan@example.org>' "Re: [$KC] subkey inside" s9@example.org; mime_encrypted dan "$T/secret.ent" sign; } > "$T/in.eml"
deliver dan@example.org "security+$KC@$DOM"
is "$(sig s9@example.org)" good "signed by a signing subkey, then encrypted: good"
is "$(signer s9@example.org)" "$F_dan" "... named by the primary key"

## a reporter's key never vouches for a member
{ envelope 'Alice <alice@example.org>' "Re: [$KC] signed by kim" s5@example.org; mime_signed kim "$T/secret.ent"; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$(sig s5@example.org)" unknown-key "a member's mail signed by a reporter's key: unknown-key (members' keyring only)"
mark
{ envelope 'Alice <alice@example.org>' "Re: [$KC] signed by bob" s7@example.org; mime_signed bob "$T/secret.ent"; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$(sig s7@example.org)" good "alice's mail signed by bob's key: good (a member's key)"
is "$(signer s7@example.org)" "$F_bob" "... naming bob's key"
open_copy bob "$(fresh_to bob@example.org)" > "$T/c.out"
check "... and the summary says it is not the sender's key" grep -q 'NOT the key on file for the sender' "$T/c.out"

## a valid signature over only part of the message
{ envelope 'Alice <alice@example.org>' "Re: [$KC] partly signed" s6@example.org
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="OUT"\n\n--OUT\n'
  mime_signed alice "$T/secret.ent" | sed 1d
  printf '\n--OUT\nContent-Type: text/plain\n\nPlease also run rm -rf.\n--OUT--\n'; } > "$T/in.eml"
deliver alice@example.org "security+$KC@$DOM"
is "$(sig s6@example.org)" good "a signature over one part: the signature itself is good"
is "$(m s6@example.org | jqr .signature.partial)" true "... but marked partial"

## inline PGP
mark
{ envelope 'Kim <kim@example.net>' "Re: [$KC] inline" i1@example.net; printf '\n'
  printf 'The secret inline report.\n' | as kim --armor --encrypt --sign --recipient "$LISTFPR"; } > "$T/in.eml"
deliver kim@example.net $LIST
is "$rc" 0 "inline PGP, encrypted and signed: exit 0"
is "$(enc i1@example.net)" true "... decrypted"
is "$(sig i1@example.net)" good "... signature good"
alice_copy > "$T/c.out"
check "... the team copy has the text" grep -q 'The secret inline report' "$T/c.out"
check "... and not the armor" sh -c "! grep -q 'BEGIN PGP MESSAGE' '$T/c.out'"
{ envelope 'Kim <kim@example.net>' "Re: [$KC] clearsigned" i2@example.net; printf '\n'
  printf 'A clear-signed note.\n' | as kim --clearsign; } > "$T/in.eml"
deliver kim@example.net $LIST
is "$(sig i2@example.net)" good "clear-signed text: good"
is "$(m i2@example.net | jqr .signature.partial)" false "... covering everything"
{ envelope 'Kim <kim@example.net>' "Re: [$KC] clearsigned+" i3@example.net; printf '\nAdded later, unsigned.\n'
  printf 'A clear-signed note.\n' | as kim --clearsign; } > "$T/in.eml"
deliver kim@example.net $LIST
is "$(m i3@example.net | jqr .signature.partial)" true "clear-signed text with unsigned text around it: partial"

## mixed encrypted and plaintext parts (EFAIL)
mark
{ envelope 'Jane <jane@example.net>' "mixed" x1@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="OUT"\n\n--OUT\nContent-Type: text/html\n\n<img src="http://evil.example/INJECTED\n--OUT\n'
  mime_encrypted jane "$T/secret.ent" | sed 1d
  printf '\n--OUT\nContent-Type: text/plain\n\nUNPROTECTED TAIL">\n--OUT--\n'; } > "$T/in.eml"
deliver jane@example.net $LIST
is "$rc" 0 "encrypted and plaintext parts mixed: exit 0"
is "$(enc x1@example.net)" true "... the encrypted part is decrypted"
alice_copy > "$T/c.out"
check "... the team sees the decrypted text" grep -q 'secret heap overflow' "$T/c.out"
check "... and none of the unprotected parts" sh -c "! grep -q 'INJECTED\|UNPROTECTED TAIL' '$T/c.out'"
check "... the summary says they were removed" grep -q 'unprotected parts removed' "$T/c.out"

## could not decrypt: wrong key, truncated armor, garbage, no MDC
for bad in wrongkey truncated garbage nomdc; do
	mark
	n0=$(nmsgs)
	{ envelope 'Jane <jane@example.net>' "bad $bad" "b-$bad@example.net"
	  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream\n\n'
	  case $bad in
	  wrongkey) as jane --armor --encrypt --recipient "$F_eve" < "$T/secret.ent" 2>/dev/null || \
	            { GNUPGHOME=$H_jane gpg --batch --quiet --import "$T/eve.asc" 2>/dev/null; as jane --armor --encrypt --recipient "$F_eve" < "$T/secret.ent"; } ;;
	  truncated) as jane --armor --encrypt --recipient "$LISTFPR" < "$T/secret.ent" | head -4 ;;
	  garbage) printf -- '-----BEGIN PGP MESSAGE-----\n\nbm90IGEgbWVzc2FnZSBhdCBhbGwK\n=abcd\n-----END PGP MESSAGE-----\n' ;;
	  nomdc) as jane --armor --encrypt --rfc2440 --cipher-algo CAST5 --recipient "$LISTFPR" < "$T/secret.ent" 2>/dev/null ;;
	  esac
	  printf '\n--ENC--\n'; } > "$T/in.eml"
	deliver jane@example.net $LIST
	is "$rc" 0 "$bad: exit 0"
	is "$(nmsgs)" $((n0 + 1)) "$bad: stored"
	is "$(enc "b-$bad@example.net")" false "$bad: not decrypted"
	check "$bad: the problem says could not decrypt" sh -c "m() { :; }; sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'b-$bad@example.net'\" | grep -q 'could not decrypt'"
	alice_copy > "$T/c.out"
	check "$bad: the team is told, encrypted" grep -q 'could not decrypt' "$T/c.out"
	check "$bad: with the original attached" grep -q 'original.eml' "$T/c.out"
	check "$bad: and never the plaintext" sh -c "! grep -q 'secret heap overflow' '$T/c.out'"
done
check "wrong key: the problem names the key it was encrypted to" sh -c \
	"sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'b-wrongkey@example.net'\" | grep -q 'encrypted to key'"
check "no MDC: the problem says so" sh -c \
	"sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'b-nomdc@example.net'\" | grep -q 'integrity'"

## a dead gpg-agent defers, and a later delivery works
LH=$(LISTHOME)
# Killed, and unable to start again: as root no permission bit stops gpg, so
# the home is told to start an "agent" that exits at once.
GNUPGHOME=$LH gpgconf --kill gpg-agent
printf 'agent-program /bin/false\n' >> "$LH/gpg.conf"
n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'while the agent is dead' d1@example.net; mime_encrypted jane "$T/secret.ent"; } > "$T/in.eml"
deliver jane@example.net $LIST
is "$rc" 75 "dead gpg-agent: exit 75"
is "$(nmsgs)" "$n0" "... nothing stored"
check "... the log says the agent" grep -q 'agent' "$T/mda.err"
sed -i '/^agent-program/d' "$LH/gpg.conf"
mark
deliver jane@example.net $LIST
is "$rc" 0 "the agent back: the same message is delivered (0)"
is "$(enc d1@example.net)" true "... and decrypted"
alice_copy > "$T/c.out"
check "... the team gets it" grep -q 'secret heap overflow' "$T/c.out"

## a hung gpg-agent is bounded by time_limit
sed -i 's/^\[embargo\]$/[embargo]\ntime_limit = 5/' "$T/embargo.conf"
GNUPGHOME=$LH gpg-connect-agent /bye >/dev/null 2>&1
AP=$(pgrep -f "gpg-agent --homedir $LH " | head -1)
kill -STOP "$AP"
n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'while the agent hangs' h1@example.net; mime_encrypted jane "$T/secret.ent"; } > "$T/in.eml"
start=$(date +%s)
deliver jane@example.net $LIST
is "$rc" 75 "hung gpg-agent: exit 75"
check "... within the time limit (and some)" test $(( $(date +%s) - start )) -le 8
is "$(nmsgs)" "$n0" "... nothing stored"
kill -CONT "$AP"
deliver jane@example.net $LIST
is "$rc" 0 "the agent resumed: delivered (0)"

pgp_done
