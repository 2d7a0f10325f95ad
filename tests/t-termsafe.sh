#!/bin/sh
# t-termsafe.sh - what a sender wrote never acts on the postmaster's
# terminal (Trust issue, item 13): an envelope sender with escape sequences
# in a quoted local part and no usable From, and a subject carrying
# controls, C1, bytes that are not UTF-8 and bidi overrides, are shown by
# every human output of embargoctl as visible escapes, while --json keeps
# them exact; embargo-mda's log lines carry no raw control either.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z

ESC=$(printf '\033')
# the envelope sender: "evil ESC]0;owned BEL ESC[2J ESC[1A"@example.net
ENV_FROM=$(printf '"evil\033]0;owned\007\033[2J\033[1A"@example.net')
# the subject as an RFC 2047 word: ESC[31m, C1 CSI (U+009B), RLO (U+202E), LRI (U+2066), DEL
SUBJ_RAW=$(printf 'Bug \033[31mred\302\233J \342\200\256txt.exe \342\201\246x\177')
SUBJ_B64=$(printf '%s' "$SUBJ_RAW" | base64 -w0)
{
	printf 'From: <>\nTo: %s\nSubject: =?UTF-8?B?%s?=\n' "$LIST" "$SUBJ_B64"
	printf 'Message-ID: <esc1@example.net>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\nDetails.\n'
} > "$T/esc.eml"
mda "$ENV_FROM" "$LIST" < "$T/esc.eml"
is "$rc" 0 "a report with escape sequences in its envelope sender is stored"
C=$(ctl case list --json | jqr '.[-1].id')

# raw: any C0 control but tab and newline, DEL, C1 (as UTF-8 or as bytes), the bidi controls
raw_controls() { LC_ALL=C grep -c -P '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|[\x80-\x9f]' "$1" || true; }

ctl case show "$C" > "$T/show.txt"
is "$(raw_controls "$T/show.txt")" 0 "case show: no raw control, C1 or bidi character"
check "case show: the sender's escapes are visible" grep -qF 'evil\x1b]0;owned\x07\x1b[2J\x1b[1A' "$T/show.txt"
check "case show: the subject's bidi controls are visible" grep -qF '\u202etxt.exe \u2066x' "$T/show.txt"
ctl case list > "$T/list.txt"
is "$(raw_controls "$T/list.txt")" 0 "case list: no raw control"
check "case list: the subject is shown escaped" grep -qF '\u202etxt.exe' "$T/list.txt"

# JSON gives what the database holds, byte for byte (embargo-mda's own
# clean-up of a subject is its business, not the display's)
db() { sqlite3 "$T/state/embargo.db" "$@"; }
STORED=$(db "SELECT subject FROM cases WHERE id = '$C'")
check "(the stored subject still holds the RLO)" sh -c "printf '%s' '$STORED' | grep -q '$(printf '\342\200\256')'"
is "$(show "$C" | jqr .subject)" "$STORED" "case show --json: the subject is exact"
# embargo-mda keeps the envelope's controls as \xNN from the start (envelope.c),
# so no raw control reaches the database either; JSON gives what it holds
STORED_ENV=$(db "SELECT envelope_from FROM messages WHERE case_id = '$C'")
is "$STORED_ENV" '"evil\x1b]0;owned\x07\x1b[2J\x1b[1A"@example.net' "(the stored envelope sender holds its controls escaped)"
is "$(show "$C" | jqr '.messages[0].from')" "$STORED_ENV" "case show --json: the envelope sender (no usable From) is exact"
is "$(show "$C" | jqr '.messages[0].envelope_from')" "$STORED_ENV" "case show --json: envelope_from is exact"
is "$(ctl case list --json | jqr '.[-1].subject')" "$STORED" "case list --json: the subject is exact"

# bytes that are not UTF-8 in a header (8-bit, no encoded word) never reach the terminal raw
printf 'From: "Mal\233ory" <mal@example.net>\nTo: %s\nSubject: caf\351 \233\061m\nMessage-ID: <esc2@example.net>\nDate: Mon, 23 Nov 2026 10:00:00 +0000\n\nx\n' "$LIST" > "$T/bytes.eml"
mda mal@example.net "$LIST" < "$T/bytes.eml"
C2=$(ctl case list --json | jqr '.[-1].id')
ctl case show "$C2" > "$T/show2.txt"
ctl case list > "$T/list2.txt"
is "$(raw_controls "$T/show2.txt")$(raw_controls "$T/list2.txt")" 00 "8-bit header bytes: no raw C1 byte in case show or case list"

# a member's name, as the postmaster typed it, is shown safe too
ctl member add "$LIST" bob@example.org --name "$(printf 'Bob \033[8mhidden')" >/dev/null
ctl member list "$LIST" > "$T/members.txt"
is "$(raw_controls "$T/members.txt")" 0 "member list: no raw control"
check "member list: the escape is visible" grep -qF 'Bob \x1b[8mhidden' "$T/members.txt"
is "$(ctl member list "$LIST" --json | jqr '.[] | select(.address == "bob@example.org") | .name')" "$(printf 'Bob \033[8mhidden')" "member list --json: the name is exact"

# the agenda on the terminal (it prints the subjects of open cases)
ctl agenda "$LIST" > "$T/agenda.txt"
is "$(raw_controls "$T/agenda.txt")" 0 "agenda: no raw control"
check "agenda: the subject is there, escaped" grep -qF '\u202etxt.exe' "$T/agenda.txt"

# the Markdown advisory is read on a terminal too; its JSON formats stay exact
ctl case advisory "$C" > "$T/advisory.md"
is "$(raw_controls "$T/advisory.md")" 0 "case advisory (Markdown): no raw control"
check "case advisory (Markdown): the subject's RLO is visible" grep -qF '\u202e' "$T/advisory.md"
check "case advisory --format osv: the JSON holds the exact subject" sh -c "ctl() { \"\$EMBARGOCTL\" \"\$@\"; }; ctl case advisory '$C' --format osv | jq -e --arg s '$STORED' '[.. | strings | select(contains(\$s))] | length > 0' >/dev/null"

# embargo-mda's log (stderr, as syslog gets it): what the sender wrote is escaped there too
printf 'From: x\nTo: %s\nSubject: s\nMessage-ID: <esc3@example.net>\n\nbody\n' "$LIST" |
	"$EMBARGO_MDA" -f "$ENV_FROM" -- "nobody@example.org" 2>"$T/mda3.err"
is "$?" 67 "(a message to an address that is no list: 67)"
is "$(raw_controls "$T/mda3.err")" 0 "embargo-mda's log lines: no raw control"

done_testing
