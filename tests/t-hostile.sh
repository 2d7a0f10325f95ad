#!/bin/sh
# t-hostile.sh - hostile mail through the real embargo-mda: mail loops
# between lists, header injection through names, a storm of auto-replies,
# and a 50 MiB attachment that must reach the team intact.
. "$top_srcdir/tests/lib.sh"
setup "
[list security@other.example]
name = Other Team
prefix = OTH
policy = osm"
members alice@example.org
"$EMBARGOCTL" member add security@other.example bob@other.example >/dev/null
db() { sqlite3 "$T/state/embargo.db" "$@"; }

## A loop through two lists of this installation: the team copy of list A
## sent to list B carries A's loop header and is dropped, not answered.
send jane@example.net $LIST 'Jane <jane@example.net>' 'Loop seed' seed@example.net
copy=$(sent_to alice@example.org)
before=$(sent_count)
mda security@example.org security@other.example < "$copy"
is "$rc" 0 "our own team copy delivered to our other list is stored"
is "$(db "SELECT kind FROM messages WHERE list = 'security@other.example'")" loop "it is recognised as a loop"
is "$(sent_count)" "$before" "and nothing is sent for it"

## Across installations the loop header is not ours, but our mail carries
## List-Id: the other side stores it as list mail and does not fan it out.
sed 's/^X-Embargo-Loop: .*/X-Embargo-Loop: security@elsewhere.example/' "$copy" > "$T/foreign.eml"
mda security@elsewhere.example security@other.example < "$T/foreign.eml"
is "$(db "SELECT kind FROM messages WHERE list = 'security@other.example' ORDER BY id DESC LIMIT 1")" autoreply \
	"a foreign list's copy is list mail (List-Id): stored, never copied or answered"
is "$(sent_count)" "$before" "nothing is sent for it either"

## Header injection through a display name and an encoded subject.
printf 'From: "Eve\r\nBcc: victim@example.net" <eve@example.net>\nTo: %s\nSubject: =?utf-8?b?%s?=\nMessage-ID: <inj@example.net>\n\nhello\n' \
	"$LIST" "$(printf 'Hi\r\nBcc: victim2@example.net' | base64 -w0)" > "$T/inj.eml"
mda eve@example.net $LIST < "$T/inj.eml"
is "$rc" 0 "a message with CR/LF in its name and subject is stored"
check "no injected Bcc header reaches any outgoing mail" sh -c "! grep -qi '^Bcc:' $T/sent/*.msg"
check "no outgoing mail goes to the injected addresses" sh -c "! grep -qi 'victim' $T/sent/*.args.done"

## An auto-reply storm from one sender: stored, nothing sent.
before=$(sent_count)
for i in $(seq 1 30); do
	msg 'Bot <bot@example.net>' "Out of office $i" "ooo$i@example.net" 'Auto-Submitted: auto-replied' > "$T/ooo.eml"
	mda bot@example.net $LIST < "$T/ooo.eml"
done
is "$(db "SELECT count(*) FROM messages WHERE kind = 'autoreply' AND from_addr = 'bot@example.net'")" 30 \
	"30 auto-replies are all stored"
is "$(sent_count)" "$before" "and not one mail answers or copies them"

## A 50 MiB attachment reaches the team intact.
head -c 52428800 /dev/urandom > "$T/big.bin"
{
	printf 'From: Jane <jane@example.net>\nTo: %s\nSubject: Big proof of concept\nMessage-ID: <big@example.net>\n' "$LIST"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=BIG\n\n--BIG\nContent-Type: text/plain\n\nSee attached.\n'
	printf -- '--BIG\nContent-Type: application/octet-stream; name=poc.bin\nContent-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=poc.bin\n\n'
	base64 -w 76 "$T/big.bin"
	printf -- '--BIG--\n'
} > "$T/big.eml"
mda jane@example.net $LIST < "$T/big.eml"
is "$rc" 0 "a 50 MiB report is stored"
copy=$(grep -l '^Subject: \[SEC-.*\] Big proof of concept' $(sent_to alice@example.org))
awk '/^Content-Disposition: attachment; filename=poc.bin/ {on = 1; next} on && /^$/ && !body {body = 1; next} body && /^--/ {exit} body {print}' "$copy" |
	base64 -d > "$T/got.bin" 2>/dev/null
is "$(sha256sum < "$T/got.bin")" "$(sha256sum < "$T/big.bin")" "the team's copy carries the attachment byte for byte"
rm -f "$T/big.bin" "$T/got.bin" "$T/big.eml"

done_testing
