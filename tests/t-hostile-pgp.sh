#!/bin/sh
# t-hostile-pgp.sh - hostile content inside the encryption: what embargo-mda
# parses after decrypting is bounded like the outer message. Address groups
# nested 45,000 deep in a message attached inside an encrypted report (they
# overflowed an 8 MiB stack in GMime): stored, shown to the team, no crash.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
person alice 'Alice <alice@example.org>'
person max 'Max <max@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
list_key
q() { sqlite3 "$T/state/embargo.db" "$1"; }
ulimit -s 8192 2>/dev/null || true

{ printf 'Content-Type: multipart/mixed; boundary=IN\n\n--IN\nContent-Type: text/plain\n\nsee attached\n'
  printf -- '--IN\nContent-Type: message/rfc822\n\nFrom: x@example.net\nCc: '
  awk 'BEGIN { for (i = 0; i < 45000; i++) printf "a:" }'
  printf '\nSubject: inner\n\ninner\n--IN--\n'; } > "$T/nest.ent"
{ envelope 'Max <max@example.net>' 'Encrypted nested groups' encnest@example.net; mime_encrypted max "$T/nest.ent"; } > "$T/in.eml"
mark
mda max@example.net "$LIST" < "$T/in.eml"
is "$rc" 0 "nested groups inside the encryption: embargo-mda exits 0"
is "$(q "SELECT count(*) FROM messages WHERE message_id = 'encnest@example.net'")" 1 "... the message is stored"
problem=$(q "SELECT problem FROM messages WHERE message_id = 'encnest@example.net'")
ok "$(echo "$problem" | grep -q 'could not decrypt' && echo 1)" "... as one that could not be processed ($problem)"
check "... with the raw message kept in the spool" cmp -s "$(q "SELECT spool_path FROM messages WHERE message_id = 'encnest@example.net'")" "$T/in.eml"
copy=$(fresh_to alice@example.org | head -1)
ok "$([ -n "$copy" ] && echo 1)" "... and the team gets it"
[ -n "$copy" ] || copy=/dev/null
open_copy alice "$copy" > "$T/copy.out"
check "... which says it could not be decrypted" grep -q 'PROBLEM: .*could not decrypt' "$T/copy.out"
check "... with the original attached" grep -q 'original.eml' "$T/copy.out"

done_testing
