#!/bin/sh
# t-mime-defects.sh - mail as real clients and gateways write it: defects a
# mail reader reads past (a multipart cut before its closing boundary, a
# repeated To:, junk before the headers, a line that is no header, PGP/MIME
# rewritten by Exchange, inline PGP in other charsets, a report quoting
# someone else's encrypted mail) are delivered with every part kept and a
# note for the team; what cannot be processed still shows its text. Safety
# does not move: nothing unprotected is ever shown as protected. The mail
# is made by Python's email package (tests/mimecorpus.py), s-nail and
# Sequoia's sq, the team's copy read back with the real gpg and compared
# byte for byte.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>'
person jane 'Jane <jane@example.net>'
person eve 'Eve <eve@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key
corpus() { python3 "$top_srcdir/tests/mimecorpus.py" "$@"; }
corpus poc "$T/poc.bin"

# deliver FILE: into embargo-mda from jane; then $T/p holds alice's copy in parts
deliver() {
	mark
	mda "${2:-jane@example.net}" $LIST < "$1"
	rm -rf "$T/p"; mkdir -p "$T/p"
	open_copy alice "$(fresh_to alice@example.org | head -1)" > "$T/p/entity"
	[ -s "$T/p/entity" ] && corpus parts "$T/p/entity" "$T/p"
}
summary_has() { grep -qF -- "$1" "$T/p/summary"; }
no_problem() { ! grep -q '^PROBLEM:' "$T/p/summary"; }
# the report's text and attachment, intact, as parts 1 and 2
intact() {
	printf 'The overflow is in parse_header().\n' | cmp -s - "$T/p/1.data" &&
		cmp -s "$T/poc.bin" "$T/p/2.data" && grep -qx poc.bin "$T/p/2.name"
}

## a multipart cut before its closing boundary
corpus truncated "$T/in.eml"
deliver "$T/in.eml"
is "$rc" 0 "truncated multipart: delivered"
check "... no PROBLEM in the summary" no_problem
check "... the note says it was truncated" summary_has 'Note:           the message was truncated; parts after 2 may be missing'
check "... text and attachment arrive byte for byte" intact

## the same, written by a real client (s-nail) and cut short
if command -v s-nail >/dev/null; then
	printf '#!/bin/sh\ncat > "%s/snail.eml"\n' "$T" > "$T/mta"; chmod +x "$T/mta"
	printf 'The overflow is in parse_header().\n' > "$T/body.txt"
	(cd "$T" && HOME=$T MAILRC=/dev/null s-nail -n -# -S mta="$T/mta" -S from=jane@example.net \
		-s 'Report' -a poc.bin $LIST < body.txt)
	corpus cut "$T/snail.eml"
	deliver "$T/snail.eml"
	is "$rc" 0 "s-nail's mail, truncated: delivered"
	check "... noted, not a PROBLEM" sh -c "grep -q 'truncated; parts after 2' '$T/p/summary' && ! grep -q PROBLEM '$T/p/summary'"
	check "... the attachment byte for byte" cmp -s "$T/poc.bin" "$T/p/2.data"
	check "... the text" grep -qx 'The overflow is in parse_header().' "$T/p/1.data"
else
	for i in 1 2 3 4; do echo "ok - # SKIP s-nail is not installed (contrib/setup.sh)"; _n=$((_n + 1)); done
fi

## two To: headers
corpus two-to "$T/in.eml"
deliver "$T/in.eml"
is "$rc" 0 "two To: headers: delivered"
check "... noted" summary_has 'Note:           the To: header appears more than once'
check "... no PROBLEM" no_problem
check "... text and attachment intact" intact

## a stray "From " line, and a bounce's preamble, before the headers
corpus from-line "$T/in.eml"
deliver "$T/in.eml"
check "mbox From line first: delivered intact, no PROBLEM" sh -c "[ $rc = 0 ] && ! grep -q PROBLEM '$T/p/summary'"
check "... text and attachment intact" intact
corpus preamble "$T/in.eml"
deliver "$T/in.eml"
is "$rc" 0 "a preamble before the headers: delivered"
check "... no PROBLEM" no_problem
check "... the note names the skipped text" summary_has 'bytes that are not headers ("This is the mail system at host mx.example.net."); they were skipped'
check "... the sender is read from the headers after it" summary_has 'This mail from: Jane <jane@example.net>'
check "... text and attachment intact" intact

## a line in the header block that is no header field
corpus bad-name "$T/in.eml"
deliver "$T/in.eml"
is "$rc" 0 "an invalid header name: delivered"
check "... noted" summary_has 'a line that is not a header field was ignored'
check "... no PROBLEM; text and attachment intact" sh -c "! grep -q PROBLEM '$T/p/summary'" 
check "... text and attachment intact" intact

## PGP/MIME cut before its closing boundary
printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret heap overflow is in parse_header().\n' > "$T/secret.ent"
as jane --armor --encrypt --recipient "$LISTFPR" < "$T/secret.ent" > "$T/secret.asc"
corpus encrypted-truncated "$T/in.eml" "$T/secret.asc"
deliver "$T/in.eml"
is "$rc" 0 "truncated PGP/MIME: delivered"
check "... decrypted" summary_has 'Encryption:     decrypted (was encrypted to the list key)'
check "... and noted" summary_has 'the message was truncated'
check "... the secret text arrives" grep -qx 'The secret heap overflow is in parse_header().' "$T/p/1.data"

## PGP/MIME rewritten by Exchange, signed by a member
printf 'Content-Type: multipart/mixed; boundary="IN"\n\n--IN\nContent-Type: text/plain; charset=utf-8\n\nSigned and sealed words.\n--IN\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="poc.bin"\nContent-Transfer-Encoding: base64\n\n%s\n--IN--\n' \
	"$(base64 -w 76 "$T/poc.bin")" > "$T/ex.ent"
as bob --armor --encrypt --sign --recipient "$LISTFPR" < "$T/ex.ent" > "$T/ex.asc"
corpus exchange "$T/in.eml" "$T/ex.asc" 'Bob <bob@example.org>'
deliver "$T/in.eml" bob@example.org
is "$rc" 0 "Exchange-mangled PGP/MIME: delivered"
check "... decrypted and said to be repaired" summary_has 'decrypted (was encrypted to the list key); repaired: a mail server had rewritten its PGP/MIME as multipart/mixed'
check "... the signature verified" summary_has "Signature:      good, key $F_bob"
check "... no PROBLEM" no_problem
check "... the inner text" grep -qx 'Signed and sealed words.' "$T/p/1.data"
check "... the inner attachment byte for byte" cmp -s "$T/poc.bin" "$T/p/2.data"
check "... no ciphertext left in the copy" sh -c "! grep -q 'BEGIN PGP MESSAGE' '$T/p/entity' $T/p/*.data"
corpus exchange-text "$T/in.eml" "$T/ex.asc" 'Bob <bob@example.org>'
deliver "$T/in.eml" bob@example.org
check "... not that shape (text in the first part): not opened" sh -c "! grep -q '^Encryption:     decrypted' '$T/p/summary' && grep -q 'BEGIN PGP MESSAGE' '$T/p/3.data'"

## inline PGP in other charsets
for cs in iso-8859-1 windows-1252; do
	python3 -c 'import sys; sys.stdout.buffer.write("Gr\u00fc\u00dfe, caf\u00e9 \u201cquoted\u201d \u20ac5\n".encode(sys.argv[1], "replace"))' $cs > "$T/plain.$cs"
	as jane --armor --encrypt --recipient "$LISTFPR" < "$T/plain.$cs" > "$T/inline.asc"
	corpus inline "$T/in.eml" "$T/inline.asc" $cs
	deliver "$T/in.eml"
	python3 -c 'import sys; sys.stdout.buffer.write(open(sys.argv[1], "rb").read().decode(sys.argv[2]).encode())' "$T/plain.$cs" $cs > "$T/want"
	check "inline PGP in $cs: decrypted" summary_has 'Encryption:     decrypted'
	check "... arrives as UTF-8, intact" cmp -s "$T/want" "$T/p/1.data"
done
printf 'Gr\374\337e aus K\366ln\n' > "$T/plain.l1"
as jane --armor --encrypt --recipient "$LISTFPR" < "$T/plain.l1" | sed '1a Charset: ISO-8859-1' > "$T/inline.asc"
corpus inline "$T/in.eml" "$T/inline.asc" us-ascii
deliver "$T/in.eml"
check "the armor's Charset: header is followed" grep -qx 'Grüße aus Köln' "$T/p/1.data"

## a plain report quoting a PGP message to someone else, and a key block
as jane --import "$T/eve.asc" 2>/dev/null
as jane --armor --encrypt --recipient "$F_eve" < "$T/secret.ent" > "$T/to-eve.asc"
corpus quoted "$T/in.eml" "$T/to-eve.asc" "$T/eve.asc"
deliver "$T/in.eml"
is "$rc" 0 "a report quoting a PGP message to others: delivered"
check "... as plain mail, no alarm" sh -c "grep -q '^Encryption:     none (plain mail)' '$T/p/summary' && ! grep -qi 'decrypt' '$T/p/summary' && ! grep -q PROBLEM '$T/p/summary'"
check "... the note says what it is" summary_has "the text holds a PGP message not encrypted to the list's key: shown as it is"
python3 -c 'import sys
print("The client crashes on this message:\n\n" + open(sys.argv[1]).read() + "\nand this key:\n\n" + open(sys.argv[2]).read(), end="")' \
	"$T/to-eve.asc" "$T/eve.asc" > "$T/want"
check "... the text with both blocks as they were" cmp -s "$T/want" "$T/p/1.data"
is "$(sqlite3 "$T/state/embargo.db" "SELECT problem IS NULL FROM messages WHERE message_id = 'quoted@example.net'")" 1 "... stored without a problem"

## the same two with Sequoia's sq writing the OpenPGP: its packets, not gpg's
if command -v sq >/dev/null; then
	printf 'Gr\374\337e aus K\366ln\n' | sq encrypt --recipient-cert "$T/list.asc" > "$T/sq-list.asc"
	corpus inline "$T/in.eml" "$T/sq-list.asc" iso-8859-1
	sed -i 's/^Message-ID: .*/Message-ID: <sq-inline@example.net>/' "$T/in.eml"
	deliver "$T/in.eml"
	check "sq's inline message to the list: decrypted" summary_has 'Encryption:     decrypted'
	check "... from ISO-8859-1 to UTF-8" grep -qx 'Grüße aus Köln' "$T/p/1.data"
	sq encrypt --recipient-cert "$T/eve.asc" < "$T/secret.ent" > "$T/sq-eve.asc"
	corpus quoted "$T/in.eml" "$T/sq-eve.asc" "$T/eve.asc"
	sed -i 's/^Message-ID: .*/Message-ID: <sq-quoted@example.net>/' "$T/in.eml"
	deliver "$T/in.eml"
	check "a report quoting sq's message to others: plain, noted, no PROBLEM" sh -c \
		"grep -q '^Encryption:     none' '$T/p/summary' && grep -q 'not encrypted to the list' '$T/p/summary' && ! grep -q PROBLEM '$T/p/summary'"
else
	for i in 1 2 3; do echo "ok - # SKIP sq is not installed (contrib/setup.sh)"; _n=$((_n + 1)); done
fi

## safety: a truncated multipart/mixed of a decryptable part and a plain one
printf 'The protected words.\n' > "$T/prot.txt"
as jane --armor --encrypt --recipient "$LISTFPR" < "$T/prot.txt" > "$T/prot.asc"
corpus mixed-truncated "$T/in.eml" "$T/prot.asc"
deliver "$T/in.eml"
is "$rc" 0 "truncated mixed, protected and plain parts: delivered"
check "... the plain part is said to be unprotected and removed" summary_has 'decrypted (was encrypted to the list key); unprotected parts removed'
check "... the decrypted text alone is shown" cmp -s "$T/prot.txt" "$T/p/1.data"
check "... nothing of the plain part inside the copy" sh -c "! grep -q 'UNPROTECTED TEXT' '$T/p/entity'"
check "... the truncation noted" summary_has 'the message was truncated'

## what cannot be processed still shows the text that can be read
corpus two-from "$T/in.eml"
deliver "$T/in.eml"
is "$rc" 0 "two From: headers: delivered"
check "... still could not be processed" summary_has 'PROBLEM:        could not process this message (several From addresses)'
check "... says the text parts follow, unprotected" summary_has 'text, unprotected and unverified'
check "... the text part as UTF-8" grep -qx 'Café text that can be read.' "$T/p/1.data"
check "... the original attached" grep -qx original.eml "$T/p/2.name"

pgp_done
