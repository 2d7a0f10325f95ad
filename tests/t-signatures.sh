#!/bin/sh
# t-signatures.sh - signatures as real clients write them: an RFC 3156
# multipart/signed is checked over the bytes that arrived (its signed part
# may end right at the delimiter, with no line break of its own), and an
# S/MIME signature, which embargo does not check, is never called bad.
# A tampered signed part stays bad.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1

# the stored message with MESSAGE-ID as JSON (from case show)
m() { sqlite3 "$T/state/embargo.db" "SELECT case_id FROM messages WHERE message_id = '$1'" | head -1 > "$T/mc"
	show "$(cat "$T/mc")" | jq -c ".messages[] | select(.message_id == \"$1\")"; }
sig() { m "$1" | jqr '.signature.status'; }

# signed_mixed MID BREAK [TAMPER]: a multipart/signed by alice whose signed
# part is a multipart/mixed; BREAK "yes": a line break after its closing
# delimiter, inside what is signed; "no": the signed part ends at "--MIX--".
# The signature is made with gpg over exactly those bytes in CRLF form.
signed_mixed() {
	{ printf 'Content-Type: multipart/mixed; boundary="MIX"\n\n--MIX\nContent-Type: text/plain; charset=utf-8\n\n'
	  printf 'The overflow is in parse_header().\n--MIX\nContent-Type: text/x-diff; name="fix.diff"\n\n'
	  printf -- '--- a/p.c\n+++ b/p.c\n@@ -1 +1 @@\n-x\n+y\n--MIX--'
	  [ "$2" = yes ] && printf '\n'; } > "$T/part"
	sed 's/$/\r/' "$T/part" | head -c -$([ "$2" = yes ] && echo 0 || echo 1) > "$T/part.crlf"
	as alice --armor --detach-sign < "$T/part.crlf" > "$T/part.sig"
	[ -n "${3:-}" ] && sed -i 's/parse_header/parse_footer/' "$T/part"
	{ envelope 'Alice <alice@example.org>' 'Signed patch' "$1"
	  printf 'MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SIG"\n\n--SIG\n'
	  cat "$T/part"
	  printf '\n--SIG\nContent-Type: application/pgp-signature; name="signature.asc"\n\n'
	  cat "$T/part.sig"
	  printf '\n--SIG--\n'; } > "$T/in.eml"
	# gpg itself agrees with what the test signed
	[ -n "${3:-}" ] || as alice --verify "$T/part.sig" "$T/part.crlf" 2>/dev/null
}

## RFC 3156: the signed part with and without its own last line break
for shape in yes no; do
	signed_mixed "b-$shape@example.org" $shape
	check "(gpg verifies the signed bytes, line break: $shape)" test $? = 0
	mda alice@example.org "$LIST" < "$T/in.eml"
	is "$rc" 0 "signed part, line break after its end: $shape: exit 0"
	is "$(sig "b-$shape@example.org")" good "... the signature is good"
done
signed_mixed t-no@example.org no tamper
mda alice@example.org "$LIST" < "$T/in.eml"
is "$(sig t-no@example.org)" bad "the same, its text changed after signing: bad"
signed_mixed t-yes@example.org yes tamper
mda alice@example.org "$LIST" < "$T/in.eml"
is "$(sig t-yes@example.org)" bad "... with the line break too: bad"

## the same inside PGP/MIME encryption to the list key
list_key
signed_mixed e-no@example.org no
sed '1,/^$/d' "$T/in.eml" > "$T/signed.ent"
sed -n '/^Content-Type: multipart\/signed/,/^$/p' "$T/in.eml" > "$T/signed.hdr"
cat "$T/signed.hdr" "$T/signed.ent" > "$T/inner.ent"
{ envelope 'Alice <alice@example.org>' 'Encrypted signed patch' e-no@example.org
  mime_encrypted alice "$T/inner.ent"; } > "$T/in.eml"
mda alice@example.org "$LIST" < "$T/in.eml"
is "$(sig e-no@example.org)" good "signed part without its own line break, encrypted: good"

## S/MIME, as corporate clients sign: not checked, so neither bad nor good
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj '/CN=Rita/emailAddress=rita@example.net' \
	-keyout "$T/rita.key" -out "$T/rita.crt" 2>/dev/null
printf 'Content-Type: text/plain\n\nThe overflow is in parse_header().\n' > "$T/smime.ent"
openssl cms -sign -signer "$T/rita.crt" -inkey "$T/rita.key" -in "$T/smime.ent" > "$T/smime.body" 2>/dev/null
check "(openssl made a multipart/signed)" grep -q 'multipart/signed' "$T/smime.body"
for type in x-pkcs7-signature pkcs7-signature; do
	mark
	{ envelope 'Rita <rita@example.net>' "S/MIME signed report ($type)" "sm-$type@example.net"
	  sed "s|application/x-pkcs7-signature|application/$type|g" "$T/smime.body"; } > "$T/in.eml"
	mda rita@example.net "$LIST" < "$T/in.eml"
	is "$rc" 0 "an S/MIME-signed report (application/$type): exit 0"
	is "$(sig "sm-$type@example.net")" smime-unverified "... its signature: smime-unverified, not bad"
	_c=$(fresh_to alice@example.org)
	check "... the team is shown an S/MIME signature, not verified" \
		sh -c "tr -d '\\r' < '$(opened alice "$_c")' | grep -qx 'Signature: *S/MIME signature, not verified'"
done
# the same signed text changed: still not checked, never "good"
{ envelope 'Rita <rita@example.net>' 'S/MIME tampered' sm-t@example.net
  sed 's/parse_header/parse_footer/' "$T/smime.body"; } > "$T/in.eml"
mda rita@example.net "$LIST" < "$T/in.eml"
is "$(sig sm-t@example.net)" smime-unverified "an S/MIME signature over changed text: smime-unverified, never good"

pgp_done
