#!/bin/sh
# t-utf8-addr.sh - envelope addresses that are not ASCII, through the real
# embargo-mda and embargoctl: a UTF-8 (SMTPUTF8) envelope sender, a UTF-8 or
# 8-bit recipient extension, a sender that is not valid UTF-8 at all. Postfix
# accepts each of them and runs embargo-mda with them in argv, in the C
# locale; each must be stored with exit 0, open a case and reach the team,
# and no byte that is not valid UTF-8 may reach the database or a mail. A
# fault on the way defers (75) with nothing written, and the same delivery
# succeeds afterwards.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
DB=$T/state/embargo.db
q() { sqlite3 "$DB" "$1"; }
# pipe(8) runs us with LC_ALL=C and no LANG: the charset of the locale is ASCII
export LC_ALL=C
unset LANG LANGUAGE

# the stored mail of the outbox row of KIND caused by message row ROW
mail_of() {
	_mid=$(q "SELECT message_id FROM outbox WHERE cause = $1 AND kind = '$2' LIMIT 1")
	[ -n "$_mid" ] && grep -lix "Message-Id: <$_mid>" "$T"/sent/*.msg 2>/dev/null | head -1
}
# the team copy FILE as UTF-8 text: its summary is 8-bit in the charset it names
as_text() {
	_cs=$(grep -aio 'charset="\{0,1\}[A-Za-z0-9_-]*' "$1" | head -1 | sed 's/.*=//; s/"//')
	iconv -f "${_cs:-UTF-8}" -t UTF-8 "$1" 2>/dev/null
}
# valid_utf8 TEXT: TEXT is valid UTF-8 (iconv refuses anything else)
valid_utf8() { printf '%s' "$1" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; }

# stored NAME SENDER RECIPIENT FILE: delivers FILE and checks what every such
# delivery must get. Leaves $row, $case and $copy (the team copy file).
stored() {
	name=$1
	before=$(q "SELECT coalesce(max(id), 0) FROM messages")
	mda "$2" "$3" < "$4"
	is "$rc" 0 "$name: embargo-mda exits 0"
	check "$name: and says nothing about usage" sh -c "! grep -q usage '$T/mda.err'"
	is "$(q "SELECT count(*) FROM messages WHERE id > $before")" 1 "$name: the message is stored"
	row=$(q "SELECT max(id) FROM messages")
	check "$name: the spool keeps the exact bytes that arrived" \
		cmp -s "$(q "SELECT spool_path FROM messages WHERE id = $row")" "$4"
	case=$(q "SELECT case_id FROM messages WHERE id = $row")
	ok "$([ -n "$case" ] && echo 1)" "$name: it belongs to a case ($case)"
	is "$(show "$case" | jqr .status)" received "$name: the case is open"
	is "$(q "SELECT group_concat(state) FROM outbox WHERE cause = $row AND kind = 'team-copy'")" sent \
		"$name: the team copy is sent"
	copy=$(mail_of "$row" team-copy)
	[ -n "$copy" ] || copy=/dev/null
	check "$name: to every member" sh -c "grep -qx alice@example.org '${copy%.msg}.args.done' && grep -qx bob@example.org '${copy%.msg}.args.done'"
	check "$name: its headers are 7-bit" sh -c "! sed '/^\$/q' '$copy' | grep -q '[^ -~	]'"
	for col in envelope_from recipient; do
		ok "$(valid_utf8 "$(q "SELECT $col FROM messages WHERE id = $row")" && echo 1)" \
			"$name: messages.$col is valid UTF-8"
	done
	ok "$(show "$case" | jq -e . >/dev/null && echo 1)" "$name: case show --json is valid JSON"
}

# --- a UTF-8 envelope sender (SMTPUTF8) ---
msg "Jorg <jorg@example.net>" "utf8 sender" "u1@example.net" > "$T/u1.eml"
stored "UTF-8 sender" 'jörg@exämple.org' "$LIST" "$T/u1.eml"
is "$(q "SELECT envelope_from FROM messages WHERE id = $row")" 'jörg@exämple.org' \
	"UTF-8 sender: stored as given"
is "$(show "$case" | jqr '.messages[0].envelope_from')" 'jörg@exämple.org' \
	"UTF-8 sender: case show names it"
ok "$(as_text "$copy" | grep -q 'envelope jörg@exämple.org' && echo 1)" "UTF-8 sender: the team copy names it"
is "$(q "SELECT count(*) FROM outbox WHERE cause = $row AND kind = 'ack'")" 0 \
	"UTF-8 sender: no acknowledgement is queued"
is "$(show "$case" | jqr '.events[] | select(.what == "ack-suppressed") | .detail')" \
	'the envelope sender is not an ASCII address (an acknowledgement would need SMTPUTF8)' \
	"UTF-8 sender: the case says why there was no acknowledgement"
check "UTF-8 sender: no sendmail argv carries a non-ASCII byte" sh -c \
	"! cat '$T'/sent/*.args.done | grep -q '[^ -~]'"

# --- the same with a UTF-8 From: neither address can be answered ---
msg "Jörg <jörg@exämple.org>" "utf8 from" "u2@example.net" > "$T/u2.eml"
stored "UTF-8 sender and From" 'jörg@exämple.org' "$LIST" "$T/u2.eml"
is "$(show "$case" | jqr '.messages[0].from')" 'jörg@exämple.org' \
	"UTF-8 sender and From: case show names the sender"

# --- a UTF-8 recipient extension ---
msg "Jane <jane@example.net>" "utf8 extension" "u3@example.net" > "$T/u3.eml"
stored "UTF-8 extension" jane@example.net 'security+jörg@example.org' "$T/u3.eml"
is "$(q "SELECT recipient FROM messages WHERE id = $row")" 'security+jörg@example.org' \
	"UTF-8 extension: the recipient is stored as given"
is "$(q "SELECT kind FROM messages WHERE id = $row")" report "UTF-8 extension: it is a report"
is "$(q "SELECT group_concat(state) FROM outbox WHERE cause = $row AND kind = 'ack'")" sent \
	"UTF-8 extension: the ASCII sender is acknowledged"

# --- an extension Postfix unquotes to a space: "security+a b"@example.org ---
msg "Jane <jane@example.net>" "space extension" "u4@example.net" > "$T/u4.eml"
stored "spaced extension" jane@example.net 'security+a b@example.org' "$T/u4.eml"

# --- a sender that is not valid UTF-8 (raw 8-bit bytes) ---
bad=$(printf 'j\377rg\r@ex\303mple.org')
msg "Jane <jane2@example.net>" "8-bit sender" "u5@example.net" > "$T/u5.eml"
stored "8-bit sender" "$bad" "$LIST" "$T/u5.eml"
is "$(q "SELECT envelope_from FROM messages WHERE id = $row")" 'j\xffrg\x0d@ex\xc3mple.org' \
	"8-bit sender: stored escaped"
check "8-bit sender: no raw 0xFF byte in the database" sh -c "! grep -qa \"\$(printf '\\377')\" '$DB'"
ok "$(as_text "$copy" | grep -qF 'envelope j\xffrg\x0d@ex\xc3mple.org' && echo 1)" "8-bit sender: the team copy names it escaped"
check "8-bit sender: the log says it was escaped" grep -q 'not valid UTF-8' "$T/mda.err"

# --- a recipient extension that is not valid UTF-8 ---
msg "Jane <jane3@example.net>" "8-bit extension" "u6@example.net" > "$T/u6.eml"
stored "8-bit extension" jane3@example.net "$(printf 'security+\377\376@example.org')" "$T/u6.eml"
is "$(q "SELECT recipient FROM messages WHERE id = $row")" 'security+\xff\xfe@example.org' \
	"8-bit extension: the recipient is stored escaped"

# --- a member writing to a UTF-8 extension: refused, stored, the member told ---
before=$(q "SELECT coalesce(max(id), 0) FROM messages")
mark
send alice@example.org 'security+sëc@example.org' "Alice <alice@example.org>" "member to utf8 ext" "u7@example.org"
is "$rc" 0 "member to a UTF-8 extension: exit 0"
is "$(q "SELECT count(*) FROM messages WHERE id > $before")" 1 "member to a UTF-8 extension: stored"
ok "$(fresh_to alice@example.org | grep -q . && echo 1)" "member to a UTF-8 extension: the member hears back"

# --- redelivery of a UTF-8 sender's report: processed once ---
mda 'jörg@exämple.org' "$LIST" < "$T/u1.eml"
is "$rc" 0 "redelivery: exit 0"
is "$(q "SELECT count(*) FROM messages WHERE message_id = 'u1@example.net'")" 1 "redelivery: still one message row"

# --- what is no list still bounces, and only that ---
msg "Jane <jane@example.net>" "no list" "u8@example.net" > "$T/u8.eml"
mda 'jörg@exämple.org' 'sécurité@example.org' < "$T/u8.eml"
is "$rc" 67 "a UTF-8 address that is no list: 67"
mda jane@example.net 'nolist+jörg@example.org' < "$T/u8.eml"
is "$rc" 67 "a UTF-8 extension of an address that is no list: 67"
mda jane@example.net "$(printf 's\377curity+x@example.org')" < "$T/u8.eml"
is "$rc" 67 "an 8-bit address that is no list: 67"
check "and the log shows it escaped" grep -qF 's\xffcurity+x@example.org' "$T/mda.err"

# --- a fault defers with nothing written; the retry stores it once ---
msg "Jane <jane4@example.net>" "retried" "u9@example.net" > "$T/u9.eml"
n0=$(q "SELECT count(*) FROM messages")
mv "$T/state/spool/tmp" "$T/state/spool/tmp.away"
: > "$T/state/spool/tmp"
mda 'jörg@exämple.org' "$LIST" < "$T/u9.eml"
is "$rc" 75 "spool unwritable, UTF-8 sender: 75"
rm -f "$T/state/spool/tmp"
mv "$T/state/spool/tmp.away" "$T/state/spool/tmp"
is "$(q "SELECT count(*) FROM messages")" "$n0" "spool unwritable: nothing was written"
stored "retry after the fault" 'jörg@exämple.org' "$LIST" "$T/u9.eml"
is "$(q "SELECT count(*) FROM messages WHERE message_id = 'u9@example.net'")" 1 "retry: one message row"

# --- sendmail down: committed with 0, the team copy waits in the outbox ---
msg "Jane <jane5@example.net>" "sendmail down" "u10@example.net" > "$T/u10.eml"
: > "$T/sendmail.fail"
mda "$bad" 'security+jörg@example.org' < "$T/u10.eml"
is "$rc" 0 "sendmail down, 8-bit sender, UTF-8 extension: 0 (stored)"
row=$(q "SELECT id FROM messages WHERE message_id = 'u10@example.net'")
ok "$([ -n "$row" ] && echo 1)" "sendmail down: the message is committed"
is "$(q "SELECT group_concat(state) FROM outbox WHERE cause = ${row:-0} AND kind = 'team-copy'")" pending \
	"sendmail down: the team copy is pending"
rm -f "$T/sendmail.fail"
ctl outbox flush > /dev/null
is "$(q "SELECT group_concat(state) FROM outbox WHERE cause = ${row:-0} AND kind = 'team-copy'")" sent \
	"outbox flush: the team copy is sent"

# --- embargoctl: names and addresses that are not ASCII ---
ctl member add "$LIST" carol@example.org --name 'Jörg Müller' > /dev/null 2> "$T/ctl.err"
is "$?" 0 "member add --name with a UTF-8 name: 0"
is "$(ctl member list "$LIST" --json | jqr '.[] | select(.address == "carol@example.org") | .name')" 'Jörg Müller' \
	"the name is stored as given"
ctl member add "$LIST" dave@example.org --name "$(printf 'J\377rg')" > /dev/null 2> "$T/ctl.err"
is "$?" 64 "member add --name that is not UTF-8: 64"
check "it says why" grep -q 'not valid UTF-8' "$T/ctl.err"
is "$(ctl member list "$LIST" --json | jqr '.[] | select(.address == "dave@example.org") | .address')" "" \
	"and nobody is added"
ctl member add "$LIST" 'jörg@exämple.org' > /dev/null 2> "$T/ctl.err"
is "$?" 65 "member add with a UTF-8 address is refused (team mail needs ASCII): 65"
ctl case list --list 'sécurité@example.org' > /dev/null 2> "$T/ctl.err"
is "$?" 65 "case list --list with a UTF-8 address: no such list (65)"
check "it says so, not that the bytes were wrong" grep -q 'is not a list' "$T/ctl.err"

done_testing
