#!/bin/sh
# t-badinput.sh - malformed input through the real embargo-mda: broken MIME,
# missing or ambiguous From, 8-bit headers, NUL bytes, unknown charsets,
# huge headers, deep nesting, header injection by encoded CR/LF, empty mail.
# Each is stored, reaches the team, and never crashes embargo-mda; where it
# cannot be processed cleanly the problem is recorded and the raw message
# is attached to the team copy, byte for byte.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org bob@example.org
DB=$T/state/embargo.db
HEAD='To: security@example.org
Date: Mon, 23 Nov 2026 10:00:00 +0000
MIME-Version: 1.0'
n=0

q() { sqlite3 "$DB" "$1"; }
# the decoded content of the base64 part named original.eml in mail FILE
original_of() {
	awk '
		state == 2 && /^--/ { exit }
		state == 2 { print; next }
		/filename="?original\.eml"?/ { state = 1 }
		state == 1 && /^$/ { state = 2 }
	' "$1" | base64 -d
}
has_original() { grep -Eq 'filename="?original\.eml' "$1"; }
# the stored mail of the outbox row of KIND caused by message row ROW
mail_of() {
	_mid=$(q "SELECT message_id FROM outbox WHERE cause = $1 AND kind = '$2' LIMIT 1")
	[ -n "$_mid" ] && grep -lix "Message-Id: <$_mid>" "$T"/sent/*.msg 2>/dev/null | head -1
}

# feed NAME FLAGGED: delivers $T/NAME.eml from the envelope sender NAME@example.net
# and checks what every bad input must get. FLAGGED: yes (a problem must be
# recorded) or any. Leaves $row (message row), $case, $copy (team copy file),
# $problem and $sender for further checks.
feed() {
	name=$1; flagged=$2
	sender=$name@example.net
	n=$((n + 1))
	before=$(q "SELECT coalesce(max(id), 0) FROM messages")
	"$EMBARGO_MDA" -f "$sender" -- "$LIST" < "$T/$name.eml" > /dev/null 2> "$T/$name.err"
	rc=$?
	is "$rc" 0 "$name: embargo-mda exits 0"
	is "$(q "SELECT count(*) FROM messages WHERE id > $before")" 1 "$name: the message is stored (one message row)"
	row=$(q "SELECT max(id) FROM messages")
	kind=$(q "SELECT kind FROM messages WHERE id = $row")
	ok "$(case $kind in report|followup) echo 1;; esac)" "$name: stored as a report or follow-up (kind '$kind')"
	spool=$(q "SELECT spool_path FROM messages WHERE id = $row")
	check "$name: the spool keeps the exact bytes that arrived" cmp -s "$spool" "$T/$name.eml"
	case=$(q "SELECT case_id FROM messages WHERE id = $row")
	ok "$([ -n "$case" ] && echo 1)" "$name: it belongs to a case ($case)"
	problem=$(show "$case" | jq -r --argjson id "${row:-0}" '.messages[] | select(.id == $id) | .problem // empty')
	if [ "$flagged" = yes ]; then
		ok "$([ -n "$problem" ] && echo 1)" "$name: the problem is recorded ($problem)"
		check "$name: and logged with the reason" grep -qF "$problem" "$T/$name.err"
	fi
	is "$(q "SELECT group_concat(state) FROM outbox WHERE cause = $row AND kind = 'team-copy'")" sent \
		"$name: one team copy is sent"
	copy=$(mail_of "$row" team-copy)
	ok "$([ -n "$copy" ] && [ -s "$copy" ] && echo 1)" "$name: the team copy reached sendmail"
	[ -n "$copy" ] || copy=/dev/null
	check "$name: to every member" sh -c "grep -qx alice@example.org '${copy%.msg}.args.done' && grep -qx bob@example.org '${copy%.msg}.args.done'"
	check "$name: its headers are 7-bit" sh -c "! sed '/^\$/q' '$copy' | LC_ALL=C grep -q '[^ -~	]'"
	check "$name: no header line is longer than 998 characters" sh -c "! sed '/^\$/q' '$copy' | awk 'length(\$0) > 998 { f = 1 } END { exit !f }'"
	if [ -n "$problem" ]; then
		check "$name: the team copy says it could not be processed" grep -q '^PROBLEM: ' "$copy"
		check "$name: the raw message is attached as original.eml" has_original "$copy"
		original_of "$copy" > "$T/$name.orig"
		check "$name: the attachment decodes to exactly the bytes that arrived" cmp -s "$T/$name.orig" "$T/$name.eml"
	fi
}

# --- broken MIME ---
printf '%s\nFrom: Jane <jane@example.net>\nSubject: no boundary\nMessage-ID: <nobound@example.net>\nContent-Type: multipart/mixed\n\n--xyz\nContent-Type: text/plain\n\nhello\n--xyz--\n' \
	"$HEAD" > "$T/nobound.eml"
feed nobound yes
first_case=$case
check "nobound: the problem names the missing boundary" sh -c "echo '$problem' | grep -q boundary"

printf '%s\nFrom: Jane <jane@example.net>\nSubject: unterminated\nMessage-ID: <unterm@example.net>\nContent-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain\n\nfirst part\n--b1\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\n' \
	"$HEAD" > "$T/unterm.eml"
feed unterm no
is "$problem" "" "unterm: a multipart cut before its closing boundary is read past, not a problem"
check "unterm: the team copy keeps its parts and notes the truncation" sh -c \
	"grep -q '^Note:           the message was truncated; parts after 2 may be missing' '$copy' && grep -q '^first part' '$copy' && grep -q '^AAAA' '$copy'"

# --- From: missing, twice, two mailboxes ---
printf '%s\nSubject: no from\nMessage-ID: <nofrom@example.net>\n\nbody without From\n' "$HEAD" > "$T/nofrom.eml"
feed nofrom yes
is "$(show "$case" | jqr .reporter)" "$sender" "nofrom: the reporter falls back to the envelope sender"
is "$(q "SELECT recipients FROM outbox WHERE cause = $row AND kind = 'ack'")" "$sender" \
	"nofrom: the acknowledgement goes to the envelope sender"

printf '%s\nFrom: Jane <jane@example.net>\nFrom: Max <max@example.net>\nSubject: two from\nMessage-ID: <twofrom@example.net>\n\nbody\n' \
	"$HEAD" > "$T/twofrom.eml"
feed twofrom yes
is "$(show "$case" | jqr .reporter)" "$sender" "twofrom: neither From is believed; the reporter is the envelope sender"

printf '%s\nFrom: Jane <jane@example.net>, Max <max@example.net>\nSubject: two mailboxes\nMessage-ID: <twombox@example.net>\n\nbody\n' \
	"$HEAD" > "$T/twombox.eml"
feed twombox yes
is "$(show "$case" | jqr .reporter)" "$sender" "twombox: the reporter is the envelope sender"

# --- 8-bit headers ---
printf '%s\nFrom: Ren\351 <rene@example.net>\nSubject: S\351curit\351 latin1\nMessage-ID: <latin1@example.net>\n\nbody latin1\n' \
	"$HEAD" > "$T/latin1.eml"
feed latin1 any
subj=$(show "$case" | jqr .subject)
check "latin1: the subject is kept as valid UTF-8" sh -c "echo '$subj' | iconv -f UTF-8 -t UTF-8 >/dev/null && echo '$subj' | grep -q 'curit.* latin1'"
is "$(show "$case" | jqr .reporter)" rene@example.net "latin1: the From address is still read"
check "latin1: the body reaches the team" grep -q 'body latin1' "$copy"

printf '%s\nFrom: Ren\303\251 <rene@example.net>\nSubject: S\303\251curit\303\251 \342\234\223 utf8\nMessage-ID: <utf8@example.net>\n\nbody utf8\n' \
	"$HEAD" > "$T/utf8.eml"
feed utf8 any
is "$(show "$case" | jqr .subject)" "$(printf 'S\303\251curit\303\251 \342\234\223 utf8')" "utf8: the subject is decoded as UTF-8"
is "$(show "$case" | jqr .reporter_name)" "$(printf 'Ren\303\251')" "utf8: and the reporter's name"
check "utf8: the body reaches the team" grep -q 'body utf8' "$copy"

# --- NUL bytes ---
printf '%s\nFrom: Jane <jane@example.net>\nSubject: nul\nMessage-ID: <nul@example.net>\n\nbefore\000after\000\nend\n' \
	"$HEAD" > "$T/nul.eml"
feed nul yes
check "nul: the problem names the NUL bytes" sh -c "echo '$problem' | grep -q NUL"

# --- an unknown charset, in a follow-up to the first case ---
printf '%s\nFrom: Jane <jane@example.net>\nSubject: Re: [%s] charset\nMessage-ID: <charset@example.net>\nContent-Type: text/plain; charset="x-no-such-charset"\nContent-Transfer-Encoding: 8bit\n\nunknown charset body \374mlaut\n' \
	"$HEAD" "$first_case" > "$T/charset.eml"
feed charset any
is "$kind" followup "charset: stored as a follow-up to its case"
is "$case" "$first_case" "charset: on the case named in the subject"
if [ -z "$problem" ]; then
	check "charset: the body reaches the team untouched" sh -c "LC_ALL=C grep -q \"unknown charset body $(printf '\374')mlaut\" '$copy'"
fi

# --- a header line of 200 KB ---
{
	printf '%s\nFrom: Jane <jane@example.net>\nMessage-ID: <huge@example.net>\nSubject: huge ' "$HEAD"
	head -c 204800 /dev/zero | tr '\0' a
	printf '\nX-Huge: '
	head -c 204800 /dev/zero | tr '\0' 'b'
	printf '\n\nhuge body\n'
} > "$T/huge.eml"
feed huge any
ok "$([ "$(show "$case" | jqr '.subject | length')" -le 200 ] && echo 1)" "huge: the stored subject is bounded"
is "$(q "SELECT substr(subject, 1, 10) FROM cases WHERE id = '$case'")" "huge aaaaa" "huge: the subject starts as written"
[ -z "$problem" ] && check "huge: the body reaches the team" grep -q 'huge body' "$copy"
ok "$([ "$(wc -c < "$copy")" -lt 100000 ] && echo 1)" "huge: the huge header is not copied to the team verbatim"

# --- 10,000 headers ---
{
	printf '%s\nFrom: Jane <jane@example.net>\nSubject: many headers\nMessage-ID: <many@example.net>\n' "$HEAD"
	awk 'BEGIN { for (i = 0; i < 10000; i++) printf "X-Filler-%d: value %d\n", i, i }'
	printf '\nmany body\n'
} > "$T/many.eml"
feed many any
is "$(show "$case" | jqr .subject)" "many headers" "many: the subject among 10,000 headers is found"
[ -z "$problem" ] && check "many: the body reaches the team" grep -q 'many body' "$copy"

# --- MIME nesting 200 and 1,000 deep ---
nest() { # nest DEPTH: multipart/mixed inside multipart/mixed, DEPTH levels
	printf '%s\nFrom: Jane <jane@example.net>\nSubject: nested %s\nMessage-ID: <nest%s@example.net>\n' "$HEAD" "$1" "$1"
	awk -v n="$1" 'BEGIN {
		printf "Content-Type: multipart/mixed; boundary=\"b0\"\n\n"
		for (i = 0; i < n - 1; i++)
			printf "--b%d\nContent-Type: multipart/mixed; boundary=\"b%d\"\n\n", i, i + 1
		printf "--b%d\nContent-Type: text/plain\n\ndeepest part\n", n - 1
		for (i = n - 1; i >= 0; i--)
			printf "--b%d--\n", i
	}'
}
nest 200 > "$T/nest200.eml"
feed nest200 yes
nest 1000 > "$T/nest1000.eml"
feed nest1000 yes

# --- encoded-words that decode to CR/LF must not inject a header ---
printf '%s\nFrom: Jane <jane@example.net>\nSubject: =?utf-8?q?a=0D=0AX-Injected:_1?=\nMessage-ID: <crlf@example.net>\n\nbody\n' \
	"$HEAD" > "$T/crlf.eml"
feed crlf any
subj=$(show "$case" | jqr .subject)
is "$(printf '%s' "$subj" | wc -l)" 0 "crlf: the stored subject is one line ($subj)"
check "crlf: no injected header in the team copy" sh -c "! grep -qi '^X-Injected' '$copy'"
ack=$(mail_of "$row" ack)
ok "$([ -n "$ack" ] && echo 1)" "crlf: the reporter is acknowledged"
check "crlf: no injected header in the acknowledgement" sh -c "[ -n '$ack' ] && ! grep -qi '^X-Injected' '$ack'"
check "crlf: the team copy's Subject is one header" sh -c "[ \$(sed '/^\$/q' '$copy' | grep -ci '^Subject:') = 1 ]"

# --- an empty message, and one that is only headers ---
: > "$T/empty.eml"
feed empty yes
is "$(show "$case" | jqr .reporter)" "$sender" "empty: the reporter is the envelope sender"
is "$(wc -c < "$T/empty.orig")" 0 "empty: the attached original is empty too"

printf 'From: Jane <jane@example.net>\nSubject: headers only\nMessage-ID: <honly@example.net>' > "$T/honly.eml"
feed honly any
is "$(show "$case" | jqr .subject)" "headers only" "honly: the subject is read"
is "$(show "$case" | jqr .reporter)" jane@example.net "honly: and the reporter"

# --- a garbage envelope sender, and one carrying CR/LF ---
for env in "not an address" "$(printf 'jane@example.net\r\nX-Injected: 1')"; do
	n=$((n + 1))
	printf '%s\nFrom: Jane <jane@example.net>\nSubject: odd sender %s\nMessage-ID: <env%s@example.net>\n\nbody\n' "$HEAD" "$n" "$n" > "$T/env$n.eml"
	label="envelope sender '$(echo "$env" | tr '\r\n' '  ')'"
	before=$(q "SELECT coalesce(max(id), 0) FROM messages")
	"$EMBARGO_MDA" -f "$env" -- "$LIST" < "$T/env$n.eml" > /dev/null 2>&1
	is "$?" 0 "$label: exit 0"
	row=$(q "SELECT max(id) FROM messages")
	is "$(q "SELECT count(*) FROM messages WHERE id > $before")" 1 "$label: stored"
	is "$(q "SELECT group_concat(kind) FROM outbox WHERE cause = $row")" team-copy \
		"$label: the team gets a copy, no acknowledgement goes to it"
	copy=$(mail_of "$row" team-copy)
	check "$label: no injected header in the team copy" sh -c "[ -n '$copy' ] && ! grep -qi '^X-Injected' '$copy'"
done

# --- address groups nested 45,000 deep: 90 KB that GMime would recurse on ---
# Under a normal 8 MiB stack, so that a bound, not a bigger stack, is what
# keeps embargo-mda alive. The rejection happens before GMime sees the mail:
# stored, shown to the team with the raw original, never acknowledged (the
# headers that say whether it is automatic mail were not read).
ulimit -s 8192 2>/dev/null || true
groups() { awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "a:" }'; }
for h in Cc From Reply-To Resent-From Disposition-Notification-To; do
	f=group$(echo "$h" | tr -d - | tr A-Z a-z)
	{
		[ "$h" = From ] || printf 'From: Jane <jane@example.net>\n'
		printf '%s\nSubject: nested groups in %s\nMessage-ID: <%s@example.net>\n%s: %s\n\nbody %s\n' \
			"$HEAD" "$h" "$f" "$h" "$(groups 45000)" "$f"
	} > "$T/$f.eml"
	feed "$f" yes
	check "$f: the problem names the nested groups" sh -c "echo '$problem' | grep -q 'nests groups'"
	is "$(q "SELECT count(*) FROM outbox WHERE cause = $row AND kind = 'ack'")" 0 \
		"$f: no acknowledgement: the mail was never parsed"
	check "$f: the reason for it is recorded" sh -c "sqlite3 '$DB' \"SELECT detail FROM events WHERE message = $row AND what = 'ack-suppressed'\" | grep -q 'not parsed'"
done
# folded over many lines, and in the header of an attached message
{
	printf 'From: Jane <jane@example.net>\n%s\nSubject: folded groups\nMessage-ID: <groupfold@example.net>\nTo: security@example.org' "$HEAD"
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "\n a:a:a:a:a:a:a:a:a:a:a:a:a:a:a" }'
	printf '\n\nbody\n'
} > "$T/groupfold.eml"
feed groupfold yes
{
	printf 'From: Jane <jane@example.net>\n%s\nSubject: groups in an attached message\nMessage-ID: <groupinner@example.net>\n' "$HEAD"
	printf 'Content-Type: multipart/mixed; boundary=B\n\n--B\nContent-Type: text/plain\n\nsee attached\n--B\n'
	printf 'Content-Type: message/rfc822\n\nFrom: x@example.net\nTo: %s\nSubject: inner\n\ninner\n--B--\n' "$(groups 45000)"
} > "$T/groupinner.eml"
feed groupinner yes
# groups as people write them still pass
printf 'From: Jane <jane@example.net>\n%s\nSubject: ordinary groups\nMessage-ID: <groupok@example.net>\nCc: undisclosed-recipients:;, Team: "Bob: B" <bob@example.net>, x@example.net;\n\nordinary groups body\n' \
	"$HEAD" > "$T/groupok.eml"
feed groupok any
is "$problem" "" "groupok: ordinary groups are no problem"
check "groupok: the body reaches the team" grep -q 'ordinary groups body' "$copy"

# --- all of them, once more: redelivery changes nothing ---
cases_before=$(q "SELECT count(*) FROM cases"); rows_before=$(q "SELECT count(*) FROM messages")
fails=0
for f in nobound unterm nofrom twofrom twombox latin1 utf8 nul charset huge many nest200 nest1000 crlf empty honly \
	groupcc groupfrom groupreplyto groupresentfrom groupdispositionnotificationto groupfold groupinner groupok; do
	"$EMBARGO_MDA" -f "$f@example.net" -- "$LIST" < "$T/$f.eml" > /dev/null 2>&1 || fails=$((fails + 1))
done
is "$fails" 0 "every bad input redelivered: exit 0 again"
is "$(q "SELECT count(*) FROM cases") $(q "SELECT count(*) FROM messages")" "$cases_before $rows_before" \
	"and no second case or message row"

done_testing
