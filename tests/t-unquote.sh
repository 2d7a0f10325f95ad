#!/bin/sh
# t-unquote.sh - an answer to a reporter without a key, on a case that holds
# encrypted mail, goes out in the clear: only what the member wrote above the
# first quote marker of any client's style may go (Outlook's banner and
# header block, "On ... wrote:" in several languages, forwards, "> "), and
# an answer that would still repeat decrypted text is not sent at all; the
# member is told either way. Real gpg, real embargo-mda.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
export EMBARGO_NOW=2026-11-23T10:00:00Z
person alice 'Alice <alice@example.org>'
person bob 'Bob <bob@example.org>'
person max 'Max <max@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
ctl member add "$LIST" bob@example.org --key "$T/bob.asc" >/dev/null 2>&1
list_key
q() { sqlite3 "$T/state/embargo.db" "$1"; }

# The reporter, who gives no key, reports encrypted to the list key.
SECRET='The overflow in parse_chunk() happens when the length field exceeds the buffer; SECRET-PAYLOAD-9931 triggers it on every build we tried.'
printf 'Content-Type: text/plain; charset=utf-8; protected-headers="v1"\nSubject: Hidden overflow in parse_chunk\n\nHello team,\n\n%s\n\nRegards, Max\n' "$SECRET" > "$T/report.ent"
{ envelope 'Max <max@example.net>' '...' rep@example.net; mime_encrypted max "$T/report.ent"; } > "$T/in.eml"
mda max@example.net "$LIST" < "$T/in.eml"
C=$(q "SELECT case_id FROM messages WHERE message_id = 'rep@example.net'")
is "$(q "SELECT encrypted FROM messages WHERE message_id = 'rep@example.net'")" 1 "the report arrived encrypted ($C)"
WRAPPED=$(printf '%s\n' "$SECRET" | fold -s -w 50)

n=0
# answer STYLE BODY: bob's unencrypted answer to the reporter; sets $a (the
# mail to the reporter, if any) and $note (the notice to bob, if any)
answer() {
	n=$((n + 1)); label=$1
	mark
	# bob's client shows the subject from inside the encryption, and answers with it
	BODY=$2 send bob@example.org "security+$C-reporter@example.org" 'Bob <bob@example.org>' "Re: [$C] Hidden overflow in parse_chunk" "ans$n@example.org"
	a=$(fresh_to max@example.net | head -1)
	# the notice is about the case: encrypted to bob, like all the team's mail
	note=$(fresh_opened bob bob@example.org | xargs grep -l '^Subject: \[.*\] Your answer' 2>/dev/null | head -1)
}
# cut STYLE BODY: the answer goes, with only the text above the quote
cut() {
	answer "$@"
	is "$rc" 0 "$label: exit 0"
	ok "$([ -n "$a" ] && echo 1)" "$label: the answer goes to the reporter"
	[ -n "$a" ] || a=/dev/null
	check "$label: with what bob wrote above the quote" grep -q 'Thanks for the report' "$a"
	check "$label: without any of the decrypted report" sh -c "! grep -q 'SECRET-PAYLOAD-9931\|parse_chunk\|length field' '$a'"
	check "$label: nor anything below the quote" sh -c "! grep -q 'BELOW-THE-QUOTE' '$a'"
	check "$label: saying where the rest was left out" grep -q 'quoted text removed, with everything below it' "$a"
	check "$label: under a subject that does not repeat the encrypted one" grep -q "^Subject: \[$C\] Your report\$" "$a"
	ok "$([ -n "$note" ] && echo 1)" "$label: bob is told what was left out"
	ok "$(for _f in $(fresh_to alice@example.org); do open_copy alice "$_f"; done | grep -q 'BELOW-THE-QUOTE' && echo 1)" \
		"$label: the team's (encrypted) copy still has all of it"
}

cut 'Outlook banner' "Thanks for the report, we can reproduce it.

-----Original Message-----
From: Max <max@example.net>
Sent: Monday, November 23, 2026 10:00 AM
To: security@example.org
Subject: Encrypted report

$SECRET
BELOW-THE-QUOTE"

cut 'Outlook header block' "Thanks for the report.

________________________________
From: Max <max@example.net>
Sent: Monday, November 23, 2026 10:00
To: security@example.org
Subject: Encrypted report

$SECRET
BELOW-THE-QUOTE"

cut 'Outlook header block, no line' "Thanks for the report.

*From:* Max <max@example.net>
*Sent:* Monday, November 23, 2026 10:00
$SECRET
BELOW-THE-QUOTE"

cut 'On ... wrote: over unprefixed text' "Thanks for the report.

On Mon, 23 Nov 2026 at 10:00, Max <max@example.net> wrote:
$SECRET
BELOW-THE-QUOTE"

cut 'On ... wrote: over two lines' "Thanks for the report.

On Mon, 23 Nov 2026 at 10:00, Max Mustermann
<max@example.net> wrote:

$SECRET
BELOW-THE-QUOTE"
check "On ... wrote: over two lines: the attribution goes too" sh -c "! grep -q 'On Mon, 23 Nov' '$a'"

cut 'German attribution' "Thanks for the report.

Am 23.11.2026 um 10:00 schrieb Max <max@example.net>:
$SECRET
BELOW-THE-QUOTE"

cut 'French attribution' "Thanks for the report.

Le lun. 23 nov. 2026 à 10:00, Max <max@example.net> a écrit :
$SECRET
BELOW-THE-QUOTE"

cut 'Gmail forward' "Thanks for the report, forwarding what we have.

---------- Forwarded message ---------
From: Max <max@example.net>
Date: Mon, Nov 23, 2026 at 10:00 AM

$SECRET
BELOW-THE-QUOTE"

cut 'Apple forward' "Thanks for the report.

Begin forwarded message:

$SECRET
BELOW-THE-QUOTE"

cut 'inline answers between > quotes' "Thanks for the report.

> $SECRET
BELOW-THE-QUOTE, an inline answer
> Regards, Max"

## decrypted text that no marker announces: nothing goes, bob is told why
for style in pasted rewrapped; do
	case $style in
	pasted) body="Thanks for the report. You wrote: $SECRET" ;;
	rewrapped) body="Thanks for the report. Your text, for the record:
$WRAPPED" ;;
	esac
	answer "$style" "$body"
	is "$rc" 0 "$label: exit 0"
	is "$a" "" "$label: an answer repeating the decrypted report is not sent at all"
	ok "$([ -n "$note" ] && echo 1)" "$label: bob is told it was not sent"
	ok "$(fresh_opened alice alice@example.org | xargs grep -l 'was not sent' 2>/dev/null | grep -q . && echo 1)" \
		"$label: and so is the rest of the team"
	[ -n "$note" ] || note=/dev/null
	check "$label: and why" grep -q 'repeats 60 or more characters of encrypted' "$note"
	check "$label: the notice quotes nothing of the report" sh -c "! grep -q 'SECRET-PAYLOAD-9931\|parse_chunk' '$note'"
	is "$(q "SELECT count(*) FROM events WHERE case_id = '$C' AND what = 'answer-not-sent' AND message = (SELECT id FROM messages WHERE message_id = 'ans$n@example.org')")" 1 \
		"$label: the case records it"
	is "$(q "SELECT kind FROM messages WHERE message_id = 'ans$n@example.org'")" answer "$label: the answer is stored"
done

## nothing above the quote: nothing goes
answer 'only a quote' "> $SECRET"
is "$a" "" "only a quote: nothing goes to the reporter"
ok "$([ -n "$note" ] && echo 1)" "only a quote: bob is told"

## a plain answer, and a short mention of the report, still go
answer 'plain' "Thanks for the report. We fixed parse_chunk() in 1.2.3 and will credit you."
ok "$([ -n "$a" ] && grep -q 'We fixed parse_chunk' "$a" && echo 1)" "a plain answer naming a function of the report goes"
is "$note" "" "... and bob gets no notice"

done_testing
