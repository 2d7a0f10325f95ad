#!/bin/sh
# t-pgp-keys.sh - the list's key pair and members' keys (issue 3, "Keys"):
# key generate and export, member add --key with every refusal and --force,
# fingerprints and expiry in member list --json, keyrings kept apart.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
c() { out=$(ctl "$@" 2>"$T/ctl.err"); rc=$?; }

## the list's key
c key export "$LIST"
is "$rc" 65 "key export before key generate: 65"
check "... and says to run key generate" grep -q 'key generate' "$T/ctl.err"
c key generate "$LIST"
is "$rc" 0 "key generate: 0"
FPR=$(sqlite3 "$T/state/embargo.db" "SELECT fingerprint FROM list_keys WHERE list = '$LIST'")
is "$(echo "$FPR" | grep -cE '^[0-9A-F]{40}$')" 1 "key generate: the fingerprint is stored"
check "key generate: it names the fingerprint" sh -c "echo '$out' | grep -q $FPR"
H=$(LISTHOME)
is "$(stat -c %a "$H")" 700 "the list's home is 0700"
is "$(stat -c %a "$T/state/gnupg")" 700 "STATE_DIR/gnupg is 0700"
is "$(cat "$H/gpg-agent.conf" 2>/dev/null)" disable-scdaemon \
	"the list's agent is told not to look for a smartcard on every signature"
rm "$H/gpg-agent.conf"
c init
is "$(cat "$H/gpg-agent.conf" 2>/dev/null)" disable-scdaemon "init writes it for a key made before"
echo "# the postmaster's" > "$H/gpg-agent.conf"
c init
is "$(cat "$H/gpg-agent.conf")" "# the postmaster's" "... and leaves one the postmaster wrote alone"
printf 'disable-scdaemon\n' > "$H/gpg-agent.conf"
is "$(GNUPGHOME=$H gpg --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^sec/ {print $4}')" 22 \
	"the primary key is ed25519 (algorithm 22)"
is "$(GNUPGHOME=$H gpg --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^ssb/ {print $4 ":" $12}')" "18:e" \
	"the subkey is cv25519 (algorithm 18), for encryption"
is "$(GNUPGHOME=$H gpg --with-colons --list-secret-keys 2>/dev/null | awk -F: '/^sec/ {print $7}')" "" \
	"the key does not expire"
check "the secret key has no passphrase (signing needs no prompt)" \
	sh -c "echo x | GNUPGHOME=$H gpg --batch --pinentry-mode error --sign >/dev/null 2>&1"
is "$(GNUPGHOME=$H gpg --with-colons --list-keys 2>/dev/null | awk -F: '/^uid/ {print $10}')" \
	"Example Security Team <$LIST>" "the user id is the list's name and address"
c key generate "$LIST"
is "$rc" 65 "a second key generate: 65"
check "... says there is a key already" grep -q 'already has a key' "$T/ctl.err"
is "$(sqlite3 "$T/state/embargo.db" "SELECT fingerprint FROM list_keys")" "$FPR" "... and keeps the first"
c key export "$LIST"
is "$rc" 0 "key export: 0"
echo "$out" > "$T/list.asc"
check "key export prints an armored public key" grep -q -- '-----BEGIN PGP PUBLIC KEY BLOCK-----' "$T/list.asc"
check "... and no secret key" sh -c "! grep -q 'PRIVATE KEY' '$T/list.asc'"
V=$(mktemp -d /tmp/gpgXXXXXX); _homes="$_homes $V"
GNUPGHOME=$V gpg --batch --quiet --import "$T/list.asc" 2>/dev/null
is "$(GNUPGHOME=$V gpg --with-colons --list-keys 2>/dev/null | awk -F: '/^fpr/ {print $10; exit}')" "$FPR" \
	"the exported key is the list's key"
c key export nosuch@example.org
is "$rc" 65 "key export of an unknown list: 65"
c key frobnicate "$LIST"
is "$rc" 64 "an unknown key command: 64"

## members' keys
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>' rsa3072
person old 'Old <old@example.org>' ed25519 1y --faked-system-time=20200101T000000
person gone 'Gone <gone@example.org>'
revoke gone
person sig 'Sig <sig@example.org>' signonly
person short 'Short <short@example.org>' ed25519 2030-01-01

c member add "$LIST" alice@example.org --name Alice --key "$T/alice.asc"
is "$rc" 0 "member add --key (ed25519/cv25519): 0"
check "... names the key" sh -c "echo '$out' | grep -q $F_alice"
c member add "$LIST" bob@example.org --key "$T/bob.asc"
is "$rc" 0 "member add --key (RSA 3072): 0"
c member add "$LIST" old@example.org --key "$T/old.asc"
is "$rc" 65 "an expired key is refused: 65"
check "... saying it has expired" grep -q 'expired' "$T/ctl.err"
check "... and how to override" grep -q -- '--force' "$T/ctl.err"
is "$(ctl member list "$LIST" --json | jqr '[.[] | select(.address == "old@example.org")] | length')" 0 \
	"... and the member is not added"
c member add "$LIST" gone@example.org --key "$T/gone.asc"
is "$rc" 65 "a revoked key is refused: 65"
check "... saying it is revoked" grep -q 'revoked' "$T/ctl.err"
c member add "$LIST" sig@example.org --key "$T/sig.asc"
is "$rc" 65 "a key that cannot encrypt is refused: 65"
check "... saying it has no encryption subkey" grep -q 'encryption' "$T/ctl.err"
c member add "$LIST" carol@example.org --key "$T/alice.asc"
is "$rc" 65 "a key with no user id for the address is refused: 65"
check "... saying so" grep -q 'no user id' "$T/ctl.err"
printf 'not a key\n' > "$T/junk.asc"
c member add "$LIST" dave@example.org --key "$T/junk.asc"
is "$rc" 65 "a file without a key is refused: 65"
c member add "$LIST" dave@example.org --key "$T/nonexistent.asc"
is "$rc" 66 "a missing key file: 66"
cat "$T/alice.asc" "$T/bob.asc" > "$T/two.asc"
c member add "$LIST" alice@example.org --key "$T/two.asc"
is "$rc" 65 "a file with two keys is refused: 65"
check "... saying to give one" grep -q 'exactly one' "$T/ctl.err"

c member add "$LIST" old@example.org --key "$T/old.asc" --force
is "$rc" 0 "--force adds the expired key: 0"
check "... and says what it overrode" grep -q 'force.*expired' "$T/ctl.err"
c member add "$LIST" carol@example.org --key "$T/alice.asc" --force
is "$rc" 0 "--force adds a key without the address"
check "... and says what it overrode" grep -q 'force.*no user id' "$T/ctl.err"
c member add "$LIST" short@example.org --key "$T/short.asc"
is "$rc" 0 "a key with an expiry date: 0"

J=$(ctl member list "$LIST" --json)
is "$(echo "$J" | jqr '.[] | select(.address == "alice@example.org") | .fingerprint')" "$F_alice" \
	"member list --json: alice's fingerprint"
is "$(echo "$J" | jqr '.[] | select(.address == "alice@example.org") | .expires')" null \
	"member list --json: alice's key does not expire"
is "$(echo "$J" | jqr '.[] | select(.address == "bob@example.org") | .fingerprint')" "$F_bob" \
	"member list --json: bob's (RSA) fingerprint"
is "$(echo "$J" | jqr '.[] | select(.address == "short@example.org") | .expires' | cut -c1-4)" 2030 \
	"member list --json: the key's expiry date"
is "$(echo "$J" | jqr '.[] | select(.address == "old@example.org") | .expires' | cut -c1-4)" 2020 \
	"member list --json: the forced expired key's expiry"
ctl member add "$LIST" nokey@example.org >/dev/null
J=$(ctl member list "$LIST" --json)
is "$(echo "$J" | jqr '.[] | select(.address == "nokey@example.org") | .fingerprint')" null \
	"member list --json: a member without a key has a null fingerprint"
check "member list (text) shows the fingerprint" sh -c "'$EMBARGOCTL' member list '$LIST' | grep '^alice@' | grep -q $F_alice"

## keys that expire within 30 days: named by member list, the team told once per key
DB="$T/state/embargo.db"
notices() { sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE kind = 'notice' AND subject LIKE '%$1%'"; }
# notice_sent TEXT: the sent mail of the notice whose subject names TEXT
notice_sent() {
	_mid=$(sqlite3 "$DB" "SELECT message_id FROM outbox WHERE kind = 'notice' AND subject LIKE '%$1%' LIMIT 1")
	[ -n "$_mid" ] && grep -l "^Message-I[Dd]: <$_mid>" "$T"/sent/*.msg | head -1
}
days_before() { date -u -d "@$(( $(date -u -d "$1" +%s) - $2 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ; }
person soon 'Soon <soon@example.org>' ed25519 2027-06-01
person later 'Later <later@example.org>' ed25519 2027-09-01
c member add "$LIST" soon@example.org --key "$T/soon.asc"
is "$rc" 0 "a key that expires in months: added"
c member add "$LIST" later@example.org --key "$T/later.asc"
EXP=$(sqlite3 "$DB" "SELECT expires FROM members WHERE address = 'soon@example.org'")
EXP2=$(sqlite3 "$DB" "SELECT expires FROM members WHERE address = 'later@example.org'")
is "$(ctl member list "$LIST" --json | jqr '.[] | select(.address == "soon@example.org") | .expires_soon')" false \
	"member list --json: months away is not expires_soon"
check "member list (text): no marker months away" sh -c "! '$EMBARGOCTL' member list '$LIST' | grep -q 'key expires'"
is "$(notices soon@example.org)" 0 "... and no notice"
NOW=$(days_before "$EXP" 25)
out=$(EMBARGO_NOW=$NOW ctl member list "$LIST" 2>"$T/ctl.err")
is "$(echo "$out" | grep '^soon@example.org' | grep -o 'key expires .*')" "key expires ${EXP%%T*} (in 25 days)" \
	"member list (text), 25 days before: 'key expires DATE (in 25 days)'"
is "$(echo "$out" | grep -c 'key expires ')" 1 "... only that member is marked (not the expired, nor the unexpiring)"
J=$(EMBARGO_NOW=$NOW ctl member list "$LIST" --json 2>/dev/null)
is "$(echo "$J" | jqr '.[] | select(.address == "soon@example.org") | .expires_soon')" true "member list --json: expires_soon true"
is "$(echo "$J" | jqr '[.[] | select(.expires_soon)] | length')" 1 "... and false for every other member"
is "$(echo "$J" | jqr '[.[] | select(has("expires_soon") | not)] | length')" 0 "... present for every member"
is "$(notices soon@example.org)" 1 "the team is told in one notice"
f=$(notice_sent soon@)
check "... which was sent" test -n "$f"
# the list has a key: the notice is encrypted to the members with a usable key, like all team mail
o=$(opened alice "${f:-/dev/null}")
check "... encrypted, naming the member, the key and the date" sh -c "grep -q 'soon@example.org' '$o' && grep -q '$F_soon' '$o' && grep -q '${EXP%%T*}' '$o'"
check "... none of which shows outside" sh -c "! grep -q '$F_soon' '$f'"
is "$(sed '1,/^--$/d' "${f%.msg}.args.done" | sort | paste -sd, -)" \
	"$(sqlite3 "$DB" "SELECT address FROM members WHERE list = '$LIST' AND fingerprint IS NOT NULL AND (expires IS NULL OR expires > '$NOW') ORDER BY address" | paste -sd, -)" \
	"... to every member of the list with a usable key"
check "... from the list, auto-generated" sh -c "grep -q '^Auto-Submitted: auto-generated' '$f' && grep -q '^From: \(.*<\)\?$LIST>\?$' '$f'"
is "$(sqlite3 "$DB" "SELECT envelope_from FROM outbox WHERE kind = 'notice' AND subject LIKE '%soon@%'")" "" "... with a null return path"
EMBARGO_NOW=$NOW ctl member list "$LIST" >/dev/null 2>&1
EMBARGO_NOW=$(days_before "$EXP" 3) ctl member list "$LIST" --json >/dev/null 2>&1
is "$(notices soon@example.org)" 1 "member list again (and nearer the date): not told twice"
export EMBARGO_NOW=$(days_before "$EXP" 20)
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'A report' kn1@example.net
is "$rc" 0 "a delivery while the key expires soon: exit 0"
is "$(notices soon@example.org)" 1 "... does not tell again either"
export EMBARGO_NOW=$(days_before "$EXP2" 10)
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'Another report' kn2@example.net
is "$rc" 0 "a delivery 10 days before another key expires: exit 0"
is "$(notices later@example.org)" 1 "embargo-mda tells the team of that key"
is "$(sqlite3 "$DB" "SELECT m.message_id FROM outbox o JOIN messages m ON m.id = o.cause WHERE o.kind = 'notice' AND o.subject LIKE '%later@%'")" \
	kn2@example.net "... in the delivery's transaction (caused by that message)"
f=$(notice_sent later@)
check "... and it was sent, encrypted" sh -c "test -n '$f' && grep -q '$F_later' '$(opened alice "${f:-/dev/null}")'"
send jane@example.net "$LIST" 'Jane <jane@example.net>' 'Third report' kn3@example.net
EMBARGO_NOW=$EMBARGO_NOW ctl member list "$LIST" >/dev/null 2>&1
is "$(notices later@example.org)" 1 "... once"
is "$(notices soon@example.org)" 1 "an expired key is not told about"
unset EMBARGO_NOW

## the keyrings are apart
M="$T/state/gnupg/$LIST.members"
is "$(stat -c %a "$M")" 700 "the members' home is 0700"
check "alice's key is in the members' keyring" sh -c "GNUPGHOME='$M' gpg --list-keys $F_alice >/dev/null 2>&1"
check "... not in the list's own home" sh -c "! GNUPGHOME='$H' gpg --list-keys $F_alice >/dev/null 2>&1"
check "refused keys were never imported" sh -c "! GNUPGHOME='$M' gpg --list-keys $F_gone >/dev/null 2>&1"
check "... (nor the sign-only one)" sh -c "! GNUPGHOME='$M' gpg --list-keys $F_sig >/dev/null 2>&1"
check "no secret key outside the list's home" sh -c "! GNUPGHOME='$M' gpg --list-secret-keys 2>/dev/null | grep -q sec"

pgp_done
