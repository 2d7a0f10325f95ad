#!/bin/sh
# t-pgp-sizes.sh - what a decryption may produce ("Trust" issue, item 5):
# a compressed OpenPGP message of under a kilobyte that stands for 300 MB
# (a decompression bomb, made here by the real gpg) is stopped at the bound
# (max_decrypted_size, by default four times the message size limit), the
# original is stored, the team told "could not decrypt: too large" and
# embargo-mda exits 0 with nothing large in the database or the outbox; the
# same inline and as an opaque signed message; a configured bound is obeyed
# both ways; an ordinary encrypted report still decrypts. Compressed data
# that keeps gpg busy without writing is stopped after decrypt_time_limit
# seconds of gpg's processor time, with the same outcome.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person jane 'Jane <jane@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
list_key

# the team copy alice got since mark, decrypted, quoted-printable lines joined
alice_copy() { open_copy alice "$(fresh_to alice@example.org | head -1)" | sed -e :a -e '/=$/N; s/=\n//; ta'; }
nmsgs() { sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM messages"; }
problem() { sqlite3 "$T/state/embargo.db" "SELECT problem FROM messages WHERE message_id = '$1'"; }
encrypted() { sqlite3 "$T/state/embargo.db" "SELECT encrypted FROM messages WHERE message_id = '$1'"; }
dbsize() { sqlite3 "$T/state/embargo.db" "SELECT coalesce(sum(length(body)), 0) FROM outbox" 2>/dev/null || echo 0; }
# mime_body MID SUBJECT: a PGP/MIME message around the armored text on stdin
mime_around() {
	envelope 'Jane <jane@example.net>' "$2" "$1"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream\n\n'
	cat
	printf '\n--ENC--\n'
}
# too_large MID WHAT: the checks every stopped message must pass
too_large() {
	is "$rc" 0 "$2: exit 0"
	is "$(nmsgs)" $((n0 + 1)) "$2: stored"
	is "$(encrypted "$1")" 0 "$2: not marked decrypted"
	check "$2: the problem says could not decrypt: too large" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = '$1'\" | grep -q 'could not decrypt: too large'"
	alice_copy > "$T/c.out"
	check "$2: the team is told, encrypted" grep -q 'could not decrypt: too large' "$T/c.out"
	check "$2: with the original attached" grep -q 'original.eml' "$T/c.out"
	sz=$(du -sk "$T/state" | cut -f1)
	ok "$( [ "$sz" -lt 20000 ] && echo 1)" "$2: nothing large was stored ($sz KiB in the state directory)"
	out=$(cat "$T"/sent/*.msg | wc -c)
	ok "$( [ "$out" -lt 5000000 ] && echo 1)" "$2: nothing large was sent ($out bytes in all)"
}

# The bomb: 300 MB of zeros, bzip2 at level 9, encrypted to the list.
head -c 300M /dev/zero | as jane --armor --encrypt -z 9 --compress-algo bzip2 --recipient "$LISTFPR" > "$T/bomb.asc"
bsz=$(wc -c < "$T/bomb.asc")
ok "$( [ "$bsz" -lt 2048 ] && echo 1)" "the bomb is small ($bsz bytes armored)"

## PGP/MIME: the default bound (4 x 10 MB: no max_message_size)
mark; n0=$(nmsgs)
mime_around bomb1@example.net 'Bomb' < "$T/bomb.asc" > "$T/in.eml"
/usr/bin/time -f '%M' -o "$T/rss" "$EMBARGO_MDA" -f jane@example.net -- "$LIST" < "$T/in.eml" 2>"$T/mda.err"
rc=$?
too_large bomb1@example.net "PGP/MIME bomb"
check "... the problem names the default bound" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'bomb1@example.net'\" | grep -q 'more than 40960000 bytes once decompressed (max_decrypted_size)'"
# A weak proxy only: the bound is 40 MB; unbounded, 300 MB would be held.
rss=$(cat "$T/rss")
ok "$( [ "$rss" -lt 250000 ] && echo 1)" "... embargo-mda's memory stayed below the plaintext's size (max RSS $rss KiB)"

## delivered again: still a duplicate, nothing new
n0=$(nmsgs)
deliver() { mda jane@example.net "$LIST" < "$T/in.eml"; }
deliver
is "$rc" 0 "the bomb delivered again: exit 0"
is "$(nmsgs)" "$n0" "... and no second message"

## inline armored, in a text part
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Inline bomb' bomb2@example.net
  printf 'Content-Type: text/plain\n\n'; cat "$T/bomb.asc"; } > "$T/in.eml"
deliver
too_large bomb2@example.net "inline bomb"

## an opaque signed message (gpg --sign, not encrypted): gpg writes its text too
head -c 300M /dev/zero | as jane --armor --sign -z 9 --compress-algo bzip2 > "$T/sbomb.asc"
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Signed bomb' bomb3@example.net
  printf 'Content-Type: text/plain\n\n'; cat "$T/sbomb.asc"; } > "$T/in.eml"
deliver
is "$rc" 0 "opaque signed bomb: exit 0"
is "$(nmsgs)" $((n0 + 1)) "... stored"
sz=$(du -sk "$T/state" | cut -f1)
ok "$( [ "$sz" -lt 20000 ] && echo 1)" "... nothing large was stored ($sz KiB)"
alice_copy > "$T/c.out"
check "... the team is told it could not be decrypted" grep -q 'could not decrypt' "$T/c.out"

## an ordinary encrypted report still decrypts
mark; n0=$(nmsgs)
printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret heap overflow is in parse_header().\n' > "$T/secret.ent"
{ envelope 'Jane <jane@example.net>' 'Ordinary' ok1@example.net; mime_encrypted jane "$T/secret.ent"; } > "$T/in.eml"
deliver
is "$rc" 0 "an ordinary encrypted report: exit 0"
is "$(encrypted ok1@example.net)" 1 "... decrypted"
is "$(problem ok1@example.net)" "" "... with no problem"
alice_copy > "$T/c.out"
check "... the team copy holds the text" grep -q 'secret heap overflow' "$T/c.out"

## a key that is a compressed packet: jane's key with 60 MB of user ids, in
## under 256 KB.
## gpg would list (and hold) every one of them: refused before gpg runs.
## time_limit is short here, so that without the check the delivery would
## end in a deferral (75) rather than run for long.
sed -i '/^\[embargo\]/a time_limit = 20' "$T/embargo.conf"
GNUPGHOME=$H_jane gpg --export "$F_jane" > "$T/jane.gpg" 2>/dev/null
python3 - "$T" <<'PY'
import sys, zlib
t = sys.argv[1]
uid = b'\xb4\x20' + b'K' * 32
co = zlib.compressobj(9, zlib.DEFLATED, -15)
parts = [co.compress(open(t + '/jane.gpg', 'rb').read())]
for i in range(60):
    parts.append(co.compress(uid * 30000))
parts.append(co.flush())
open(t + '/keybomb.gpg', 'wb').write(b'\xa3\x01' + b''.join(parts))
PY
ksz=$(wc -c < "$T/keybomb.gpg")
ok "$( [ "$ksz" -lt 262144 ] && echo 1)" "the key bomb is under the key size limit ($ksz bytes)"
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Key bomb' kb1@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="M"\n\n--M\nContent-Type: text/plain\n\nmy key\n--M\nContent-Type: application/pgp-keys\nContent-Transfer-Encoding: base64\n\n'
  base64 "$T/keybomb.gpg"; printf '\n--M--\n'; } > "$T/in.eml"
deliver
is "$rc" 0 "an attached key that is a compressed packet: exit 0"
is "$(nmsgs)" $((n0 + 1)) "... stored"
check "... refused before gpg, saying why" grep -q 'holds a compressed packet (tag 8): not a plain OpenPGP key' "$T/mda.err"
is "$(sqlite3 "$T/state/embargo.db" "SELECT count(*) FROM reporter_keys WHERE address = 'jane@example.net'")" 0 "... and not kept"
is "$(ctl key pending "$LIST" --json | jq length)" 0 "... nor held"
mark; n0=$(nmsgs)
KD=$(base64 -w0 "$T/keybomb.gpg")
{ envelope 'Jane <jane@example.net>' 'Key bomb 2' kb2@example.net; printf 'Autocrypt: addr=jane@example.net; keydata=%s\n' "$KD"
  printf 'Content-Type: text/plain\n\nsee header\n'; } > "$T/in.eml"
deliver
is "$rc" 0 "the same in an Autocrypt header: exit 0"
check "... refused before gpg" grep -q 'holds a compressed packet (tag 8)' "$T/mda.err"

## a detached signature that is a compressed packet (gpg reads it through, writing nothing)
python3 - "$T" <<'PY'
import sys, zlib
t = sys.argv[1]
co = zlib.compressobj(9, zlib.DEFLATED, -15)
parts = [co.compress(b'\xa8\x03PGP' * 200000) for i in range(30)]
parts.append(co.flush())
open(t + '/sigbomb.gpg', 'wb').write(b'\xa3\x01' + b''.join(parts))
PY
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Signed bomb' sb1@example.net
  printf 'MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SIG"\n\n--SIG\nContent-Type: text/plain\n\nhello\n--SIG\nContent-Type: application/pgp-signature\nContent-Transfer-Encoding: base64\n\n'
  base64 "$T/sigbomb.gpg"; printf '\n--SIG--\n'; } > "$T/in.eml"
deliver
is "$rc" 0 "a signature that is a compressed packet: exit 0"
is "$(nmsgs)" $((n0 + 1)) "... stored"
is "$(sqlite3 "$T/state/embargo.db" "SELECT signature FROM messages WHERE message_id = 'sb1@example.net'")" bad "... the signature is bad"
check "... not given to gpg, saying why" grep -q 'the signature holds a compressed packet (tag 8): not checked' "$T/mda.err"

## compressed data that makes gpg work without writing: inside the
## encryption, a compressed packet of a compressed packet of 18 GB of
## marker packets (a minute or more of gpg's processor time, in some 30 KB);
## no byte reaches the size bound. gpg is stopped after decrypt_time_limit
## seconds of processor time; without that, the delivery would run into
## time_limit (20 s here) and be deferred (75), again and again.
sed -i '/^\[embargo\]/a decrypt_time_limit = 2' "$T/embargo.conf"
python3 - "$T" <<'PY'
import sys, zlib
t = sys.argv[1]
# 3000 x 1e6 marker packets, deflated; the deflate stream of identical
# chunks repeats, so it is built from two pieces rather than by deflating
# 18 GB here; then deflated again, as the body of the outer packet.
chunk = b'\xa8\x03PGP' * 1000000
co = zlib.compressobj(9, zlib.DEFLATED, -15)
first = co.compress(chunk) + co.flush(zlib.Z_SYNC_FLUSH)
again = co.compress(chunk) + co.flush(zlib.Z_SYNC_FLUSH)
end = co.flush()
co2 = zlib.compressobj(9, zlib.DEFLATED, -15)
parts = [co2.compress(b'\xa3\x01' + first)]
parts += [co2.compress(again) for i in range(2999)]
parts += [co2.compress(end), co2.flush()]
open(t + '/cpubomb.pgp', 'wb').write(b'\xa3\x01' + b''.join(parts))
PY
# --no-literal: the packets above are the encrypted data itself
as jane --armor --encrypt --no-literal --compress-algo none --recipient "$LISTFPR" < "$T/cpubomb.pgp" > "$T/cpubomb.asc" 2>/dev/null
csz=$(wc -c < "$T/cpubomb.asc")
ok "$( [ "$csz" -gt 1000 ] && [ "$csz" -lt 100000 ] && echo 1)" "the processor bomb is small ($csz bytes armored)"
# took_long MID WHAT: the checks every message gpg was stopped on must pass
took_long() {
	is "$rc" 0 "$2: exit 0"
	is "$(nmsgs)" $((n0 + 1)) "$2: stored"
	is "$(encrypted "$1")" 0 "$2: not marked decrypted"
	check "$2: the problem says could not decrypt: took longer" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = '$1'\" | grep -q 'could not decrypt: took longer than 2 s of processor time (decrypt_time_limit)'"
	alice_copy > "$T/c.out"
	check "$2: the team is told" grep -q 'could not decrypt: took longer than 2 s' "$T/c.out"
	check "$2: with the original attached" grep -q 'original.eml' "$T/c.out"
	sz=$(du -sk "$T/state" | cut -f1)
	ok "$( [ "$sz" -lt 20000 ] && echo 1)" "$2: nothing large was stored ($sz KiB in the state directory)"
}
mark; n0=$(nmsgs)
mime_around cpu1@example.net 'Busy' < "$T/cpubomb.asc" > "$T/in.eml"
deliver
took_long cpu1@example.net "PGP/MIME processor bomb"
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Inline busy' cpu2@example.net
  printf 'Content-Type: text/plain\n\n'; cat "$T/cpubomb.asc"; } > "$T/in.eml"
deliver
took_long cpu2@example.net "inline processor bomb"
## the same not encrypted: an armored message that is the compressed packet
## (gpg reads it as it reads an opaque signed message)
python3 - "$T" <<'PY'
import base64, sys
t = sys.argv[1]
data = open(t + '/cpubomb.pgp', 'rb').read()
crc = 0xB704CE
for b in data:
    crc ^= b << 16
    for i in range(8):
        crc <<= 1
        if crc & 0x1000000:
            crc ^= 0x1864CFB
crc &= 0xFFFFFF
b64 = base64.b64encode(data).decode()
with open(t + '/cpuplain.asc', 'w') as f:
    f.write('-----BEGIN PGP MESSAGE-----\n\n')
    f.write('\n'.join(b64[i:i + 64] for i in range(0, len(b64), 64)))
    f.write('\n=' + base64.b64encode(crc.to_bytes(3, 'big')).decode() + '\n-----END PGP MESSAGE-----\n')
PY
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Opaque busy' cpu3@example.net
  printf 'Content-Type: text/plain\n\n'; cat "$T/cpuplain.asc"; } > "$T/in.eml"
deliver
is "$rc" 0 "the same, not encrypted: exit 0"
is "$(nmsgs)" $((n0 + 1)) "... stored"
sz=$(du -sk "$T/state" | cut -f1)
ok "$( [ "$sz" -lt 20000 ] && echo 1)" "... nothing large was stored ($sz KiB)"
alice_copy > "$T/c.out"
check "... the team is told" grep -q 'could not decrypt: took longer than 2 s' "$T/c.out"
## the bound leaves ordinary reports alone
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Ordinary 2' ok2@example.net; mime_encrypted jane "$T/secret.ent" sign; } > "$T/in.eml"
deliver
is "$rc" 0 "with decrypt_time_limit = 2, an ordinary signed and encrypted report: exit 0"
is "$(encrypted ok2@example.net)" 1 "... decrypted"
is "$(problem ok2@example.net)" "" "... with no problem"
alice_copy > "$T/c.out"
check "... the team copy holds the text" grep -q 'secret heap overflow' "$T/c.out"
sed -i '/^decrypt_time_limit = 2/d' "$T/embargo.conf"
sed -i '/^time_limit = 20/d' "$T/embargo.conf"

## a configured bound: 1 MB; a report of 2 MB of text is stopped, one of 500 kB is not
sed -i '/^\[embargo\]/a max_decrypted_size = 1000000' "$T/embargo.conf"
python3 -c "
import sys
line = 'log line: request handled without error in 12 ms by worker 7\n'
for name, size in (('big', 2000000), ('small', 500000)):
    with open(sys.argv[1] + '/' + name + '.ent', 'w') as f:
        f.write('Content-Type: text/plain; charset=utf-8\n\n')
        f.write((line * (size // len(line) + 1))[:size])
" "$T"
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Big log' big1@example.net; mime_encrypted jane "$T/big.ent"; } > "$T/in.eml"
deliver
too_large big1@example.net "2 MB with max_decrypted_size = 1000000"
check "... the problem names the configured bound" sh -c "sqlite3 '$T/state/embargo.db' \"SELECT problem FROM messages WHERE message_id = 'big1@example.net'\" | grep -q 'more than 1000000 bytes'"
mark; n0=$(nmsgs)
{ envelope 'Jane <jane@example.net>' 'Small log' small1@example.net; mime_encrypted jane "$T/small.ent"; } > "$T/in.eml"
deliver
is "$rc" 0 "500 kB with max_decrypted_size = 1000000: exit 0"
is "$(encrypted small1@example.net)" 1 "... decrypted"
alice_copy > "$T/c.out"
check "... the team copy holds all of it" sh -c "grep -c 'by worker 7' '$T/c.out' | grep -qx $(python3 -c 'print(500000 // 61)')"

pgp_done
