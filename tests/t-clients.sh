#!/bin/sh
# t-clients.sh - reports as the real clients write them, through the real
# embargo-mda: neomutt in batch mode (plain, and PGP/MIME encrypted to the
# list's key), GNU mailutils' mail (attachment, text in UTF-8 and in
# ISO-8859-1) and rnp, the OpenPGP engine of Thunderbird (inline armor,
# encrypted, and encrypted and signed by a known and an unknown key). The
# team's copy is opened with a member's key and compared byte for byte with
# what the client was given. A client that is not installed is skipped
# (contrib/setup.sh installs them).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>'
person jane 'Jane <jane@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key
corpus() { python3 "$top_srcdir/tests/mimecorpus.py" "$@"; }
corpus poc "$T/poc.bin"
# the clients' own homes and configuration, nothing of the user running this
mkdir -p "$T/home"
export HOME="$T/home" LC_ALL=C.UTF-8
unset MAILRC NEOMUTT_CONFIG

# The "sendmail" the clients are given: keeps the message in $T/out.eml.
printf '#!/bin/sh\ncat > "%s/out.eml"\n' "$T" > "$T/mta"
chmod +x "$T/mta"

# deliver FILE [SENDER]: into embargo-mda; then $T/p holds alice's copy in parts
deliver() {
	mark
	mda "${2:-jane@example.net}" $LIST < "$1"
	rm -rf "$T/p"; mkdir -p "$T/p"
	open_copy alice "$(fresh_to alice@example.org | head -1)" > "$T/p/entity"
	[ -s "$T/p/entity" ] && corpus parts "$T/p/entity" "$T/p"
}
summary_has() { grep -qF -- "$1" "$T/p/summary"; }
no_problem() { [ -s "$T/p/summary" ] && ! grep -q 'PROBLEM\|could not process' "$T/p/summary"; }
# the text given to the client, intact, as part 1, and poc.bin as part 2
intact() {
	cmp -s "$1" "$T/p/1.data" && cmp -s "$T/poc.bin" "$T/p/2.data" && grep -qx poc.bin "$T/p/2.name"
}
skip() { # skip N REASON
	for _i in $(seq "$1"); do echo "ok $((_n + 1)) - # SKIP $2"; _n=$((_n + 1)); done
}
printf 'The overflow is in parse_header().\nGr\303\274\303\237e, caf\303\251 \342\202\2545\n' > "$T/body.utf8"

## neomutt, batch mode
if command -v neomutt >/dev/null; then
	cat > "$T/neomuttrc" <<EOF
set sendmail="$T/mta"
set use_from=yes
set from="Jane <jane@example.net>"
set charset=utf-8
set send_charset=utf-8
set copy=no
set record=""
set crypt_use_gpgme=yes
set pgp_default_key=$F_jane
EOF
	(cd "$T" && neomutt -n -F "$T/neomuttrc" -s 'Report' -a poc.bin -- $LIST < body.utf8) >/dev/null 2>&1
	deliver "$T/out.eml"
	is "$rc" 0 "neomutt's plain report with an attachment: delivered"
	check "... plain mail, unsigned, no PROBLEM" sh -c "grep -qx 'Encryption:     none (plain mail)' '$T/p/summary' &&
		grep -qx 'Signature:      none' '$T/p/summary' && ! grep -q 'PROBLEM\|could not process' '$T/p/summary'"
	check "... text and attachment byte for byte" intact "$T/body.utf8"

	# Batch mode ignores $crypt_autoencrypt (and this neomutt has no -C);
	# what it does encrypt is a draft that was encrypted when it was
	# postponed ($postpone_encrypt): -H with such a draft, resumed as it is,
	# is sent encrypted to its recipients. The list's key is certified by
	# Jane, as a user does, so that no prompt asks about its validity.
	as jane --quick-lsign-key "$LISTFPR" >/dev/null 2>&1
	{ printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n'; cat "$T/body.utf8"; } |
		as jane --armor --encrypt --recipient "$F_jane" > "$T/self.asc"
	{ printf 'From: Jane <jane@example.net>\nTo: %s\nSubject: Report\nMIME-Version: 1.0\n' $LIST
	  printf 'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="D"\n\n'
	  printf -- '--D\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n--D\nContent-Type: application/octet-stream\n\n'
	  cat "$T/self.asc"; printf -- '\n--D--\n'; } > "$T/draft.eml"
	rm -f "$T/out.eml"
	(cd "$T" && GNUPGHOME=$H_jane neomutt -n -F "$T/neomuttrc" -e 'set resume_draft_files' \
		-H draft.eml -a poc.bin -- < /dev/null) >/dev/null 2>&1
	check "neomutt wrote PGP/MIME" grep -qi '^Content-Type: multipart/encrypted' "$T/out.eml"
	deliver "$T/out.eml"
	is "$rc" 0 "... delivered"
	check "... decrypted, no PROBLEM" sh -c "grep -qx 'Encryption:     decrypted (was encrypted to the list key)' '$T/p/summary' &&
		! grep -q 'PROBLEM\|could not process' '$T/p/summary'"
	check "... text and attachment byte for byte" intact "$T/body.utf8"
	check "... no ciphertext, no plaintext outside the copy's encryption" sh -c \
		"! grep -q 'BEGIN PGP MESSAGE' '$T/p/entity' && ! grep -q 'parse_header' $(fresh_to alice@example.org | head -1)"
else
	skip 8 'neomutt is not installed (contrib/setup.sh)'
fi

## GNU mailutils' mail
if [ -x /usr/bin/mail.mailutils ]; then
	mu() { (cd "$T" && /usr/bin/mail.mailutils -n -E "set sendmail=sendmail:$T/mta" \
		-a 'From: Jane <jane@example.net>' -s 'Report' "$@" -A poc.bin $LIST) >/dev/null 2>&1; }
	mu -E 'set charset=utf-8' < "$T/body.utf8"
	deliver "$T/out.eml"
	is "$rc" 0 "mailutils, UTF-8 text and an attachment: delivered"
	check "... plain, no PROBLEM" sh -c "grep -qx 'Encryption:     none (plain mail)' '$T/p/summary' && ! grep -q 'PROBLEM\|could not process' '$T/p/summary'"
	check "... text and attachment byte for byte" intact "$T/body.utf8"
	printf 'Gr\374\337e aus K\366ln: parse_header()\n' > "$T/body.l1"
	printf 'Gr\303\274\303\237e aus K\303\266ln: parse_header()\n' > "$T/want.l1"
	mu -E 'set charset=iso-8859-1' < "$T/body.l1"
	check "mailutils labels the ISO-8859-1 text" grep -qi '^Content-Type: text/plain; charset=iso-8859-1' "$T/out.eml"
	deliver "$T/out.eml"
	check "... delivered, no PROBLEM" no_problem
	check "... the text arrives as UTF-8, the attachment intact" intact "$T/want.l1"
	# in the C locale mailutils labels UTF-8 text "charset=ASCII"; the
	# team still gets the bytes as they were written
	(export LC_ALL=C; mu < "$T/body.utf8")
	check "mailutils in the C locale labels UTF-8 as ASCII" grep -q '^Content-Type: text/plain; charset=ASCII' "$T/out.eml"
	deliver "$T/out.eml"
	check "... delivered, no PROBLEM" no_problem
	check "... the bytes and the attachment intact" intact "$T/body.utf8"
else
	skip 9 'mailutils is not installed (contrib/setup.sh)'
fi

## rnp: inline armor in the body
if command -v rnp >/dev/null && command -v rnpkeys >/dev/null; then
	R=$T/rnp; mkdir -p "$R"
	rnpkeys --homedir "$R" --import "$T/list.asc" >/dev/null 2>&1
	# the senders' secret keys, made by gpg, have no passphrase
	for p in bob jane; do
		as $p --armor --export-secret-keys "$(eval echo \$F_$p)" > "$T/$p.sec"
		rnpkeys --homedir "$R" --import "$T/$p.sec" >/dev/null 2>&1
	done
	rnp --homedir "$R" --encrypt --armor -r "$LISTFPR" --output "$T/rnp1.asc" "$T/body.utf8" >/dev/null 2>&1
	corpus inline "$T/in.eml" "$T/rnp1.asc" utf-8
	deliver "$T/in.eml"
	is "$rc" 0 "rnp's inline armor: delivered"
	check "... decrypted, unsigned, no PROBLEM" sh -c "grep -qx 'Encryption:     decrypted (was encrypted to the list key)' '$T/p/summary' &&
		grep -qx 'Signature:      none' '$T/p/summary' && ! grep -q 'PROBLEM\|could not process' '$T/p/summary'"
	check "... the text byte for byte" cmp -s "$T/body.utf8" "$T/p/1.data"
	# Bob writes as a member, Jane as a reporter embargo has no key of
	for p in bob jane; do
		tld=net; [ $p = bob ] && tld=org
		rnp --homedir "$R" --encrypt --sign -u "$(eval echo \$F_$p)" --password= --armor -r "$LISTFPR" \
			--output "$T/rnp-$p.asc" "$T/body.utf8" < /dev/null >/dev/null 2>&1
		corpus inline "$T/in.eml" "$T/rnp-$p.asc" utf-8
		sed -i -e "s/^Message-ID: .*/Message-ID: <rnp-$p@example.net>/" \
			-e "s/^From: Jane <jane@example.net>/From: $p <$p@example.$tld>/" "$T/in.eml"
		deliver "$T/in.eml" $p@example.$tld
		check "rnp encrypted and signed by $p: delivered, decrypted, no PROBLEM" sh -c "[ $rc = 0 ] &&
			grep -qx 'Encryption:     decrypted (was encrypted to the list key)' '$T/p/summary' && ! grep -q 'PROBLEM\|could not process' '$T/p/summary'"
		check "... the text byte for byte" cmp -s "$T/body.utf8" "$T/p/1.data"
		cp "$T/p/summary" "$T/summary.$p"
	done
	check "... the member's signature is good, by its key" grep -qx "Signature:      good, key $F_bob, checked against the members' keys" "$T/summary.bob"
	check "... the reporter's, whose key embargo lacks, is unknown, not good" \
		grep -qx "Signature:      unknown-key, key $F_jane, checked against the reporters' keys" "$T/summary.jane"
else
	skip 9 'rnp is not installed (contrib/setup.sh)'
fi

pgp_done
