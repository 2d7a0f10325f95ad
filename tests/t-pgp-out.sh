#!/bin/sh
# t-pgp-out.sh - what goes out once the list has a key (issue 3, "Outgoing"):
# one team copy encrypted to every member's key and signed by the list key
# (RFC 3156), the real subject only inside (protected headers), members
# without a key skipped or sent a plain copy (keyless_members), the
# acknowledgement and answers encrypted to a reporter whose key we hold.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>' rsa3072
person old 'Old <old@example.org>' ed25519 1y --faked-system-time=20200101T000000
person jane 'Jane <jane@example.net>'
person kim 'Kim <kim@example.net>'
person lee 'Lee <lee@example.net>'
person max 'Max <max@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
ctl member add "$LIST" carol@example.org >/dev/null 2>&1
ctl member add "$LIST" old@example.org --key "$T/old.asc" --force >/dev/null 2>&1

mark() { ls "$T"/sent/*.msg 2>/dev/null | sort > "$T/mark"; }
fresh() { ls "$T"/sent/*.msg 2>/dev/null | sort | comm -13 "$T/mark" -; }
fresh_to() { for _f in $(fresh); do grep -qx -- "$1" "${_f%.msg}.args.done" && echo "$_f"; done; }
rcpts() { sed '1,/^--$/d' "${1%.msg}.args.done" | sort | paste -sd, -; }
nrows() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM outbox WHERE kind = '$1' AND cause = (SELECT max(id) FROM messages)"; }

## no list key yet: everything as before, plain
mark
send jane@example.net $LIST 'Jane <jane@example.net>' 'Heap overflow in parser' p1@example.net
is "$rc" 0 "without a list key: exit 0"
f=$(fresh_to alice@example.org)
is "$(rcpts "$f")" "alice@example.org,bob@example.org,carol@example.org,old@example.org" \
	"without a list key: one plain copy to every member"
check "without a list key: the copy is plain" grep -q 'Details of the problem' "$f"
check "... with its real subject" grep -q '^Subject: \[SEC-2026-0001\] Heap overflow in parser' "$f"

list_key

## a plain report, the list now has a key
mark
send jane@example.net $LIST 'Jane <jane@example.net>' 'Heap overflow in the lexer' p2@example.net
C=SEC-2026-0002
is "$rc" 0 "with a list key: exit 0"
is "$(nrows team-copy)" 1 "one team-copy row"
f=$(fresh_to alice@example.org)
is "$(rcpts "$f")" "alice@example.org,bob@example.org" "the copy goes to the members with a usable key, in one mail"
is "$(fresh_to carol@example.org)" "" "a member without a key gets nothing (keyless_members = skip)"
check "... and that is logged" grep -q 'not sent to carol@example.org.*keyless_members = skip' "$T/mda.err"
is "$(fresh_to old@example.org)" "" "a member whose key has expired gets nothing"
check "... and that is logged too" grep -q 'old@example.org' "$T/mda.err"
check "the copy is multipart/encrypted (RFC 3156)" grep -q '^Content-Type: multipart/encrypted;' "$f"
check "... with protocol application/pgp-encrypted" grep -q 'protocol="application/pgp-encrypted"' "$f"
check "the outer From does not name the reporter" sh -c "! grep -i '^From:' '$f' | grep -q Jane"
is "$(hdr "$f" Subject)" "[$C] ..." "the outer subject is only the case tag"
check "the real subject is nowhere outside" sh -c "! grep -q 'lexer' '$f'"
check "the report's text is nowhere outside" sh -c "! grep -q 'Details of the problem' '$f'"
check "the copy still comes from the list and replies to the case" grep -qi "^Reply-To: security+$C@example.org" "$f"
open_copy alice "$f" > "$T/alice.out"
check "alice can decrypt it" grep -q 'Details of the problem' "$T/alice.out"
check "... it carries the summary block" grep -q "Case:           $C" "$T/alice.out"
check "... and the real subject as a protected header" grep -q '^Subject: \[SEC-2026-0002\] Heap overflow in the lexer' "$T/alice.out"
check "... marked protected-headers=v1" grep -q 'protected-headers="\?v1' "$T/alice.out"
check "... inside a multipart/signed" grep -q 'multipart/signed.*micalg="pgp-' "$T/alice.out"
is "$(verify_entity "$T/alice.out" | awk '{print $3}')" "$(echo "$LISTFPR" | cut -c25-40)" \
	"the signature is good and made by the list key"
open_copy bob "$f" > "$T/bob.out"
check "bob (RSA 3072) can decrypt the same mail" grep -q 'Details of the problem' "$T/bob.out"
is "$(sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$f" | gpg --list-packets 2>/dev/null | grep -c '^:pubkey enc packet')" 2 \
	"one encryption, to the two members' keys"
a=$(fresh_to jane@example.net)
check "the acknowledgement to a reporter without a key stays plain" grep -q 'Thank you for your report' "$a"

## keyless_members = plain
printf 'keyless_members = plain\n' >> "$T/embargo.conf"
mark
send jane@example.net $LIST 'Jane <jane@example.net>' 'Third problem' p3@example.net
is "$(nrows team-copy)" 2 "keyless_members = plain: two team-copy rows"
is "$(rcpts "$(fresh_to carol@example.org)")" "carol@example.org,old@example.org" "... a plain one to the members without a usable key"
check "... which is plain" grep -q 'Details of the problem' "$(fresh_to carol@example.org)"
check "... and logged" grep -q 'sent unencrypted to carol@example.org' "$T/mda.err"
is "$(rcpts "$(fresh_to alice@example.org)")" "alice@example.org,bob@example.org" "... and the encrypted one to the others"
sed -i '/^keyless_members/d' "$T/embargo.conf"
printf 'keyless_members = sometimes\n' >> "$T/embargo.conf"
ctl case list >/dev/null 2>"$T/err"
is "$?" 78 "keyless_members must be skip or plain"
check "... the error names the key" grep -q 'keyless_members' "$T/err"
sed -i '/^keyless_members/d' "$T/embargo.conf"

## a reporter who attaches a key: the acknowledgement is encrypted to it
mark
{ envelope 'Kim <kim@example.net>' 'Auth bypass' k1@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="MIX"\n\n--MIX\nContent-Type: text/plain\n\nThe login can be bypassed.\n--MIX\nContent-Type: application/pgp-keys; name="kim.asc"\n\n'
  cat "$T/kim.asc"; printf '\n--MIX--\n'; } > "$T/in.eml"
mda kim@example.net $LIST < "$T/in.eml"
K=$(ctl case list --json | jqr '.[-1].id')
is "$rc" 0 "a report with an attached key: exit 0"
is "$(sqlite3 "$T/state/embargo.db" "SELECT fingerprint FROM reporter_keys WHERE address = 'kim@example.net'")" "$F_kim" \
	"the reporter's key is kept, by fingerprint"
check "... in the reporters' keyring" sh -c "GNUPGHOME='$(LISTHOME).reporters' gpg --list-keys $F_kim >/dev/null 2>&1"
check "... not in the members' keyring" sh -c "! GNUPGHOME='$(LISTHOME).members' gpg --list-keys $F_kim >/dev/null 2>&1"
a=$(fresh_to kim@example.net)
check "the acknowledgement is encrypted" grep -q 'multipart/encrypted' "$a"
check "... its text is not outside" sh -c "! grep -q 'Thank you' '$a'"
open_copy kim "$a" > "$T/kim.out"
check "kim can decrypt it" grep -q 'Thank you for your report' "$T/kim.out"
is "$(verify_entity "$T/kim.out" | awk '{print $3}')" "$(echo "$LISTFPR" | cut -c25-40)" "... and it is signed by the list"

## a member's signed answer: re-signed by the list, encrypted to the reporter
mark
printf 'Content-Type: text/plain\n\nWe have a fix for you to test.' > "$T/answer.ent"
{ envelope 'Bob <bob@example.org>' "Re: [$K] Auth bypass" a1@example.org; mime_signed bob "$T/answer.ent"; } > "$T/in.eml"
mda bob@example.org "security+$K-reporter@example.org" < "$T/in.eml"
is "$rc" 0 "a member's signed answer: exit 0"
a=$(fresh_to kim@example.net)
check "the answer to the reporter is encrypted" grep -q 'multipart/encrypted' "$a"
open_copy kim "$a" > "$T/kim.out"
check "the reporter can decrypt it" grep -q 'We have a fix for you to test' "$T/kim.out"
is "$(grep -c '^Content-Type: application/pgp-signature' "$T/kim.out")" 1 "it carries one signature (the list's, not the member's)"
is "$(verify_entity "$T/kim.out" | awk '{print $3}')" "$(echo "$LISTFPR" | cut -c25-40)" "... made by the list key"
check "nothing in it names bob" sh -c "! grep -qi 'bob' '$T/kim.out'"
is "$(show "$K" | jqr '.messages[-1].signature.status')" good "the member's signature was good (members' keyring)"
# sealing the answer borrows the member's body, which the team's copy carries too
amid=$(hdr "$a" Message-ID)
open_copy alice "$(fresh_to alice@example.org | head -1)" > "$T/alice-copy.out"
check "the team's copy has the answer" grep -q 'We have a fix for you to test' "$T/alice-copy.out"
check "... without the headers its sealing for the reporter put inside it" \
	sh -c "test -n '$amid' && ! grep -qF '$amid' '$T/alice-copy.out' && ! grep -q '^To: kim@example.net' '$T/alice-copy.out'"

## Autocrypt
mark
KD=$(gpg --dearmor < "$T/lee.asc" | base64 -w0)
send lee@example.net $LIST 'Lee <lee@example.net>' 'Another one' ac1@example.net \
	"Autocrypt: addr=lee@example.net; prefer-encrypt=mutual; keydata=$KD"
is "$(sqlite3 "$T/state/embargo.db" "SELECT fingerprint FROM reporter_keys WHERE address = 'lee@example.net'")" "$F_lee" \
	"an Autocrypt header's key is kept"
check "... and the acknowledgement is encrypted to it" grep -q 'multipart/encrypted' "$(fresh_to lee@example.net)"
send mallory@example.net $LIST 'Mallory <mallory@example.net>' 'Autocrypt for someone else' ac2@example.net \
	"Autocrypt: addr=someone@example.net; keydata=$KD"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM reporter_keys WHERE address IN ('someone@example.net', 'mallory@example.net')")" 0 \
	"an Autocrypt header for another address is ignored"

## a member's answer that could not be decrypted: nothing to the reporter, the team is told
mark
printf 'Content-Type: text/plain\n\nThe secret fix is in commit abc123.\n' > "$T/answer2.ent"
{ envelope 'Bob <bob@example.org>' "Re: [$K] Auth bypass" a2@example.org
  printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream\n\n'
  as jane --armor --encrypt --recipient "$F_jane" < "$T/answer2.ent"
  printf '\n--ENC--\n'; } > "$T/in.eml"
mda bob@example.org "security+$K-reporter@example.org" < "$T/in.eml"
is "$rc" 0 "an answer encrypted to a key we do not hold: exit 0"
is "$(fresh_to kim@example.net)" "" "... nothing is sent to the reporter"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM outbox WHERE kind = 'answer' AND cause = (SELECT id FROM messages WHERE message_id = 'a2@example.org')")" 0 \
	"... not even queued (no answer row)"
is "$(sqlite3 "$T/state/embargo.db" "SELECT kind || '|' || case_id FROM messages WHERE message_id = 'a2@example.org'")" "answer|$K" \
	"... the answer is stored on the case"
check "... marked as not decrypted" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'a2@example.org'\" | grep -q 'could not decrypt'"
is "$(show "$K" | jqr '[.events[] | select(.what == "answer-not-sent")] | length')" 1 "... an answer-not-sent event on the case"
# the notice names the case: encrypted, like all the team's mail on a list with a key
n=$(for _f in $(fresh_opened bob bob@example.org); do grep -l 'nothing was sent to the reporter' "$_f"; done)
is "$(echo "$n" | grep -c .)" 1 "the member who wrote is told: nothing was sent to the reporter"
check "... that we could not decrypt it" grep -q 'could not decrypt' "$n"
is "$(rcpts "$T/sent/$(basename "${n%.bob}")")" "alice@example.org,bob@example.org" \
	"... and so is the team (every member with a usable key)"
check "... the notice does not carry the ciphertext" sh -c "! grep -q 'BEGIN PGP MESSAGE' '$n'"
check "no mail with the ciphertext leaves for anyone outside the team" \
	sh -c "for f in $(fresh | tr '\n' ' '); do sed '1,/^--\$/d' \"\${f%.msg}.args.done\" | grep -qv '@example.org\$' && exit 1; done; exit 0"

## a refusal never quotes a subject that was inside the encryption
mark
printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\nSubject: Hidden inner subject\n\nSomething.\n' > "$T/ph.ent"
{ envelope 'Bob <bob@example.org>' '...' r1@example.org; mime_encrypted bob "$T/ph.ent"; } > "$T/in.eml"
mda bob@example.org security+SEC-2099-0999@example.org < "$T/in.eml"
is "$rc" 0 "a member's encrypted mail to an unknown case: exit 0"
is "$(sqlite3 "$T/state/embargo.db" "SELECT kind FROM messages WHERE message_id = 'r1@example.org'")" refused "... refused"
m=$(fresh_to bob@example.org)
is "$(echo "$m" | grep -c .)" 1 "... the member gets the refusal notice"
# team mail: encrypted to the member's key
n=$(opened bob "${m:-/dev/null}")
check "... which says why" grep -q 'SEC-2099-0999' "$n"
check "... and does not quote the protected subject" sh -c "! grep -q 'Hidden inner subject' '$n' '${m:-/dev/null}'"
check "... only the outer one" grep -q '(subject: \.\.\.)' "$n"

## an unencrypted answer on a case that came in encrypted does not quote it
mark
printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret trigger is CHUNK-4711.\n' > "$T/q.ent"
{ envelope 'Max <max@example.net>' 'Encrypted report' q1@example.net; mime_encrypted max "$T/q.ent"; } > "$T/in.eml"
mda max@example.net "$LIST" < "$T/in.eml"
QC=$(sqlite3 "$T/state/embargo.db" "SELECT case_id FROM messages WHERE message_id = 'q1@example.net'")
BODY='Thanks, confirmed.

Max wrote:
> The secret trigger is CHUNK-4711.

We will fix it.' send bob@example.org "security+$QC-reporter@example.org" 'Bob <bob@example.org>' "Re: [$QC] x" q2@example.org
a=$(fresh_to max@example.net | xargs grep -l 'Thanks, confirmed' | head -1)
check "the answer goes to the reporter who gave no key, unencrypted" test -n "$a"
check "... without the decrypted text it quoted" sh -c "! grep -q 'CHUNK-4711' '$a'"
check "... nor anything below the quote (t-unquote.sh)" sh -c "! grep -q 'We will fix it' '$a'"
check "... saying so where the quote was" grep -q 'quoted text removed' "$a"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM events WHERE case_id = '$QC' AND what = 'answer-unquoted'")" 1 \
	"... and the case's log records it"
mark
BODY='> quoting the plain report is fine
Thanks.' send bob@example.org "security+SEC-2026-0001-reporter@example.org" 'Bob <bob@example.org>' "Re: [SEC-2026-0001] x" q3@example.org
check "on a case with nothing encrypted, an answer keeps its quotes" \
	grep -q 'quoting the plain report is fine' "$(fresh_to jane@example.net)"

## a key that became unusable in the keyring while the database still vouches
## for it: the encryption names it, gpg is asked about each key, and the
## others still get their copy
revoke alice
GNUPGHOME=$(LISTHOME).members gpg --batch --quiet --import "$T/alice.rev" 2>/dev/null
mark
send jane@example.net $LIST 'Jane <jane@example.net>' 'Revoked member key' rv1@example.net
RC=$(ctl case list --json | jqr '.[-1].id')
is "$rc" 0 "a member's key revoked in the keyring only: exit 0"
is "$(nrows team-copy)" 1 "... one team-copy row"
f=$(fresh_to bob@example.org)
is "$(rcpts "$f")" "bob@example.org" "... to the other member with a usable key"
open_copy bob "$f" > "$T/bob.out"
check "... which bob can decrypt" grep -q 'Revoked member key' "$T/bob.out"
is "$(verify_entity "$T/bob.out" | awk '{print $3}')" "$(echo "$LISTFPR" | cut -c25-40)" "... signed by the list key"
is "$(fresh_to alice@example.org)" "" "... the member with the revoked key gets nothing"
check "... gpg's refusal of the key is logged" grep -q "gpg refused the key(s) $F_alice" "$T/mda.err"
check "... and the member is named as without a usable key" grep -q 'not sent to alice@example.org.*no usable key' "$T/mda.err"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM events WHERE case_id = '$RC' AND what = 'encryption-failed'")" 0 \
	"... no encryption-failed event: the copy went out"

## the same for the team mails embargo writes itself (here a command's
## confirmation): the database's word first, then each key
mark
BODY='#severity high' send bob@example.org "security+$RC@example.org" 'Bob <bob@example.org>' "Re: [$RC] x" cmd1@example.org
is "$rc" 0 "a member's command while another member's key is revoked in the keyring only: exit 0"
is "$(ctl case show "$RC" --json | jqr .severity)" high "... applied"
f=$(fresh_to bob@example.org)
is "$(rcpts "$f")" "bob@example.org" "... the confirmation goes to the member with a usable key"
open_copy bob "$f" > "$T/bob.out"
check "... encrypted, and bob can read it" grep -q 'severity' "$T/bob.out"
is "$(fresh_to alice@example.org)" "" "... the member with the revoked key gets nothing"
check "... gpg's refusal is logged, and each reader's key checked" \
	grep -q "mail: gpg refused the key(s) $F_alice; checking each reader's key" "$T/mda.err"

## the same for a reporter's key: mail to them goes out as it would without a key
revoke kim
GNUPGHOME=$(LISTHOME).reporters gpg --batch --quiet --import "$T/kim.rev" 2>/dev/null
mark
send kim@example.net $LIST 'Kim <kim@example.net>' 'After my key was revoked' k2@example.net
is "$rc" 0 "a reporter's key revoked in the keyring only: exit 0"
a=$(fresh_to kim@example.net)
check "... the acknowledgement is sent" test -n "$a"
check "... not encrypted" grep -q 'Thank you for your report' "$a"
check "... and the log says the key is no longer usable" grep -q "key $F_kim of kim@example.net is no longer usable" "$T/mda.err"
mark
BODY='Thanks, we are on it.' send bob@example.org "security+$K-reporter@example.org" 'Bob <bob@example.org>' "Re: [$K] Auth bypass" a3@example.org
is "$rc" 0 "a member's answer to that reporter: exit 0"
a=$(fresh_to kim@example.net)
check "... goes out" grep -q 'we are on it' "$a"
check "... not encrypted, as for a reporter without a key" sh -c "! grep -q 'multipart/encrypted' '$a'"
check "... and is logged" grep -q "key $F_kim of kim@example.net is no longer usable" "$T/mda.err"

pgp_done
