#!/bin/sh
# t-pgp-longpath.sh - a state directory so deep that gpg-agent's socket
# path passes what a socket address holds: the list key cannot sign there.
# A report is then deferred whole (exit 75, nothing stored, nobody told),
# never stored and acknowledged without the team's copy; "embargoctl init"
# and "key generate" at that depth either work (gpg's socket directory
# under /run/user/UID) or refuse, saying why.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
OTHER=other@example.org
setup "
[list $OTHER]
name = Other
prefix = OTH"
person alice 'Alice <alice@example.org>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
list_key
for _h in "$(LISTHOME)" "$(LISTHOME).members"; do GNUPGHOME=$_h gpgconf --kill all 2>/dev/null; done

# The same state, moved where the list home is about 120 bytes deep.
DEEP=$T/$(printf 'd%.0s' $(seq 60))
mkdir "$DEEP"
mv "$T/state" "$DEEP/state"
sed -i "s|^state_dir = .*|state_dir = $DEEP/state|" "$T/embargo.conf"
DB=$DEEP/state/embargo.db
H=$DEEP/state/gnupg/$LIST
ok "$( [ "$(printf '%s/S.gpg-agent' "$H" | wc -c)" -gt 107 ] && echo 1)" \
	"the agent's socket in the list home is longer than sun_path"

## a report on the keyed list: sealed, or deferred whole
mark
send reporter@example.net "$LIST" 'Rita <reporter@example.net>' 'Overflow in the parser' lp1@example.net
if [ "$rc" = 75 ]; then
	ok 1 "a report the list key cannot seal: exit 75"
	is "$(sqlite3 "$DB" "SELECT count(*) FROM messages")" 0 "... nothing stored"
	is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox")" 0 "... nothing queued"
	is "$(fresh_count)" 0 "... no acknowledgement, nothing sent"
	check "... the log says the home is too deep for the agent's socket" \
		grep -q 'signing with the list key: .*socket' "$T/mda.err"
else
	is "$rc" 0 "a report delivered at depth (gpg has a socket directory under /run/user)"
	_c=$(fresh_to alice@example.org)
	check "... the team's copy is sealed to alice and reads the report" \
		grep -q 'Overflow in the parser' "$(opened alice "$_c")"
	is "$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE kind = 'team-copy'")" 1 "... one team copy queued"
fi

## an encrypted report: the list key cannot decrypt it either
mark
printf 'Content-Type: text/plain\n\nThe secret overflow.\n' > "$T/secret.ent"
{ envelope 'Rita <reporter@example.net>' 'Encrypted report' lp2@example.net
  mime_encrypted alice "$T/secret.ent"; } > "$T/in.eml"
mda reporter@example.net "$LIST" < "$T/in.eml"
if [ "$rc" = 75 ]; then
	is "$(sqlite3 "$DB" "SELECT count(*) FROM messages WHERE message_id = 'lp2@example.net'")" 0 \
		"an encrypted report the list key cannot open: exit 75, nothing stored"
	is "$(fresh_count)" 0 "... nothing sent"
else
	is "$rc" 0 "an encrypted report at depth: delivered"
	check "... decrypted for the team" \
		grep -q 'secret overflow' "$(opened alice "$(fresh_to alice@example.org)")"
fi

## init and key generate at that depth work, or refuse clearly
ctl init > "$T/init.out" 2> "$T/init.err"; irc=$?
ok "$( { [ $irc = 0 ] || { [ $irc = 78 ] && grep -q "$LIST: its key cannot be used: .*socket" "$T/init.err"; }; } && echo 1)" \
	"init at depth: works, or exit 78 naming the list and its socket"
ctl key generate "$OTHER" > "$T/kg.out" 2> "$T/kg.err"; krc=$?
nkeys=$(sqlite3 "$DB" "SELECT count(*) FROM list_keys WHERE list = '$OTHER'")
ok "$( { { [ $krc = 0 ] && [ "$nkeys" = 1 ]; } ||
	{ [ $krc = 78 ] && [ "$nkeys" = 0 ] && grep -q "no key made: .*longer than a socket path may be" "$T/kg.err"; }; } && echo 1)" \
	"key generate at depth: a key made, or exit 78 saying why and no key recorded"

for _h in "$H" "$H.members" "$DEEP/state/gnupg/$OTHER"; do
	GNUPGHOME=$_h gpgconf --kill all 2>/dev/null
	GNUPGHOME=$_h gpgconf --remove-socketdir 2>/dev/null
done
pgp_done
