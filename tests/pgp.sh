# tests/pgp.sh - OpenPGP helpers for the t-pgp-*.sh tests, sourced after
# lib.sh: throwaway keys made with the real gpg, one short GnuPG home per
# person (/tmp/gpgXXXXXX: the agent's socket must fit in sun_path), messages
# built by gpg, and agents killed at the end.

unset DBUS_SESSION_BUS_ADDRESS DISPLAY GPG_TTY GNUPGHOME
_homes=""
GPGB="gpg --batch --quiet --no-tty --pinentry-mode loopback --passphrase="

# person NAME 'Display <address>' [ALGO [EXPIRY [EXTRA-GPG-OPTION]]]: a home
# in $H_NAME, a key (ALGO ed25519: cv25519 subkey; rsa3072: rsa3072 subkey;
# "signonly": no encryption subkey) with fingerprint $F_NAME, its public key
# in $T/NAME.asc.
person() {
	_p=$1; _uid=$2; _algo=${3:-ed25519}; _exp=${4:-never}; _opt=${5:-}
	_h=$(mktemp -d /tmp/gpgXXXXXX); chmod 700 "$_h"; _homes="$_homes $_h"
	_primary=$_algo; _sub=cv25519
	[ "$_algo" = rsa3072 ] && _sub=rsa3072
	[ "$_algo" = signonly ] && _primary=ed25519
	GNUPGHOME=$_h $GPGB $_opt --quick-gen-key "$_uid" "$_primary" sign,cert "$_exp" 2>/dev/null
	_f=$(GNUPGHOME=$_h gpg --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/ { print $10; exit }')
	[ "$_algo" = signonly ] || GNUPGHOME=$_h $GPGB $_opt --quick-add-key "$_f" "$_sub" encr "$_exp" 2>/dev/null
	GNUPGHOME=$_h gpg --batch --armor --export "$_f" > "$T/$_p.asc" 2>/dev/null
	eval "H_$_p=\$_h; F_$_p=\$_f"
}

# revoke NAME: revokes NAME's key with the certificate gpg made with it; $T/NAME.asc is re-exported.
revoke() {
	eval "_h=\$H_$1; _f=\$F_$1"
	sed 's/^:-----/-----/' "$_h/openpgp-revocs.d/$_f.rev" > "$T/$1.rev"
	GNUPGHOME=$_h gpg --batch --quiet --import "$T/$1.rev" 2>/dev/null
	GNUPGHOME=$_h gpg --batch --armor --export "$_f" > "$T/$1.asc" 2>/dev/null
}

# as NAME gpg-arguments...: gpg in NAME's home
as() { eval "_h=\$H_$1"; shift; GNUPGHOME=$_h $GPGB --trust-model always "$@"; }

LISTHOME() { echo "$T/state/gnupg/$LIST"; }

# list_key: makes the list's key and lets every person made so far know it
list_key() {
	ctl key generate "$LIST" >/dev/null
	ctl key export "$LIST" > "$T/list.asc"
	LISTFPR=$(sqlite3 "$T/state/embargo.db" "SELECT fingerprint FROM list_keys")
	for _h in $_homes; do GNUPGHOME=$_h gpg --batch --quiet --import "$T/list.asc" 2>/dev/null; done
}

# keyed_reader NAME ADDRESS: the list gets a key, and the pre-release reader
# ADDRESS a throwaway key of their own (with the list's, on the list's file)
keyed_reader() {
	person "$1" "$1 <$2>"
	list_key
	ctl key prerelease "$LIST" "$2" "$T/$1.asc" >/dev/null
}
# agents_done: stops the gpg agents of this list's homes
agents_done() { for _h in "$(LISTHOME)" "$(LISTHOME).prerelease"; do GNUPGHOME=$_h gpgconf --kill all 2>/dev/null; done; }

crlf() { sed 's/$/\r/'; }

# mime_encrypted NAME ENTITY-FILE [SIGN]: a multipart/encrypted body of ENTITY
# encrypted (and signed by NAME when SIGN is "sign") to the list key
mime_encrypted() {
	_s=""; [ "${3:-}" = sign ] && _s=--sign
	printf 'MIME-Version: 1.0\nContent-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="ENC"\n\nThis is an OpenPGP/MIME encrypted message.\n--ENC\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--ENC\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n'
	as "$1" --armor --encrypt $_s --recipient "$LISTFPR" < "$2"
	printf '\n--ENC--\n'
}

# mime_signed NAME ENTITY-FILE: a multipart/signed body of ENTITY (written
# without its last newline), signed by NAME over its CRLF form
mime_signed() {
	printf '%s' "$(cat "$2")" | crlf | head -c -1 > "$T/signed.crlf"
	as "$1" --armor --detach-sign < "$T/signed.crlf" > "$T/signed.sig"
	printf 'MIME-Version: 1.0\nContent-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-signature"; boundary="SIG"\n\nThis is an OpenPGP/MIME signed message.\n--SIG\n'
	printf '%s' "$(cat "$2")"
	printf '\n--SIG\nContent-Type: application/pgp-signature; name="signature.asc"\n\n'
	cat "$T/signed.sig"
	printf '\n--SIG--\n'
}

# envelope FROM SUBJECT MESSAGE-ID: the top headers, without MIME ones
envelope() {
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: <%s>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n' "$1" "$LIST" "$2" "$3"
}

# open_copy NAME FILE: the team copy FILE decrypted by NAME (the RFC 3156 entity)
open_copy() {
	sed -n '/-----BEGIN PGP MESSAGE-----/,/-----END PGP MESSAGE-----/p' "$2" | as "$1" --decrypt 2>/dev/null
}

# opened NAME FILE: FILE, a sent mail that must be encrypted, decrypted by
# NAME into a file of its own whose name it prints (empty when FILE is not
# PGP/MIME encrypted or NAME cannot decrypt it)
opened() {
	mkdir -p "$T/opened"; _o="$T/opened/$(basename "$2").$1"
	: > "$_o"
	grep -qi '^Content-Type: multipart/encrypted' "$2" && open_copy "$1" "$2" > "$_o"
	echo "$_o"
}

# fresh_opened NAME ADDRESS: the fresh mails to ADDRESS, each opened by NAME
fresh_opened() { for _m in $(fresh_to "$2"); do opened "$1" "$_m"; done; }

# verify_entity FILE: checks the multipart/signed entity FILE (CRLF) with the
# list's public key in a fresh home; prints gpg's GOODSIG line
verify_entity() {
	python3 - "$1" "$T/ve" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
b = re.search(rb'boundary="([^"]+)"', data).group(1)
parts = data.split(b'\r\n--' + b)
first = parts[1][2:]
sig = parts[2].split(b'\r\n\r\n', 1)[1]
open(sys.argv[2] + '.content', 'wb').write(first)
open(sys.argv[2] + '.sig', 'wb').write(sig)
PY
	# Run in $(...): a home of its own, cleaned up here, not at the end.
	_v=$(mktemp -d /tmp/gpgXXXXXX)
	GNUPGHOME=$_v gpg --batch --quiet --import "$T/list.asc" 2>/dev/null
	GNUPGHOME=$_v gpg --batch --status-fd 1 --verify "$T/ve.sig" "$T/ve.content" 2>/dev/null | grep GOODSIG
	GNUPGHOME=$_v gpgconf --kill all 2>/dev/null; rm -rf "$_v"
}

pgp_done() {
	for _h in $_homes "$(LISTHOME)" "$(LISTHOME).members" "$(LISTHOME).reporters"; do GNUPGHOME=$_h gpgconf --kill all 2>/dev/null; done
	for _h in $_homes; do rm -rf "$_h"; done
	done_testing
}
