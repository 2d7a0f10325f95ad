#!/bin/sh
# t-fixteam.sh - a case's fix team through the real embargo-mda and
# embargoctl: CodeGate's "identify relevant engineers ... these selected
# developers become the Fix Team". #fixteam add and remove several members
# at once, only members of the list, a refused command changing nothing;
# the handler of #assign stays one person beside the team; the team shown
# by "case show" (text and --json), the agenda and the advisory's credits.
. "$top_srcdir/tests/lib.sh"
setup 'policy = codegate'
members alice@example.org bob@example.org carol@example.org
export EMBARGO_NOW=2026-11-23T10:00:00Z
DOM=example.org

team_of() { show "$C" | jq -c '.fix_team'; }
# cmd FROM MESSAGE-ID BODY: a mail to the case's team address
cmd() { BODY=$3 send "$1" "security+$C@$DOM" "$1" "Re: [$C] overflow" "$2"; }
confirm() { fresh_to alice@example.org | xargs grep -l 'Commands from' 2>/dev/null | head -1; }

send jane@example.net $LIST 'Jane <jane@example.net>' 'Heap overflow' r1@example.net
C=SEC-2026-0001
is "$(team_of)" '[]' "a new case has no fix team"

## several members at once, beside one handler
mark
cmd alice@example.org f1@example.org "#assign alice@example.org
#fixteam add bob@example.org Carol@Example.org"
is "$rc" 0 "#fixteam add: exit 0"
is "$(team_of)" '["bob@example.org","carol@example.org"]' "#fixteam add records every member named"
is "$(show "$C" | jqr .assignee)" alice@example.org "the handler stays the one person of #assign"
check "the confirmation names who joined" grep -q 'fix team: carol@example.org added' "$(confirm)"

## only members of the list; a refused #fixteam changes nothing
mark
cmd alice@example.org f2@example.org "#fixteam add dave@example.org mallory@example.net"
is "$(team_of)" '["bob@example.org","carol@example.org"]' "a non-member is refused, and the whole command with them"
check "the refusal says why" grep -q 'dave@example.org is not a member of security@example.org: only members join a fix team' "$(confirm)"
mark
cmd alice@example.org f3@example.org "#fixteam remove carol@example.org dave@example.org"
is "$(team_of)" '["bob@example.org","carol@example.org"]' "removing one not on the team refuses the whole command"
check "... saying who is not on it" grep -q 'dave@example.org is not on the fix team' "$(confirm)"
mark
cmd alice@example.org f4@example.org "#fixteam promote bob@example.org"
check "an unknown verb is refused with the spelling" grep -q 'expected #fixteam add ADDRESS... or #fixteam remove' "$(confirm)"

## remove; and nobody from outside the team changes it
cmd alice@example.org f5@example.org "#fixteam remove carol@example.org"
is "$(team_of)" '["bob@example.org"]' "#fixteam remove takes a member off"
BODY='#fixteam add carol@example.org' send eve@example.net "security+$C@$DOM" eve@example.net "Re: [$C] x" e1@example.net
is "$(team_of)" '["bob@example.org"]' "#fixteam from outside the team changes nothing"

## shown by case show and the agenda
ctl case show "$C" > "$T/show.txt"
check "case show lists the fix team" grep -qx '  fix team  bob@example.org' "$T/show.txt"
ctl agenda $LIST --now 2026-11-23T12:00:00Z > "$T/agenda.txt"
check "the agenda names the fix team beside the handler" \
	sh -c "grep -q 'handler alice@example.org' '$T/agenda.txt' && grep -qx '   fix team: bob@example.org' '$T/agenda.txt'"

## the advisory credits the fix team: OSV as REMEDIATION_DEVELOPER, CSAF
## in its acknowledgments, both accepted by the official schemas
S=$top_srcdir/tests/schemas
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
ctl member add "$LIST" bob@example.org --name 'Bob Builder' > /dev/null
cmd alice@example.org f6@example.org "#fixteam add carol@example.org
#credit Jane Doe
#summary Heap overflow in the chunk parser.
#cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
#cve CVE-2026-12345
#fixed-in 1.4.3"
ctl case advisory "$C" --format osv > "$T/a.osv"
is "$(jq -c '[.credits[] | [.name, .type // "-"]]' "$T/a.osv")" \
	'[["Jane Doe","-"],["Bob Builder","REMEDIATION_DEVELOPER"],["carol@example.org","REMEDIATION_DEVELOPER"]]' \
	"OSV credits the fix team as remediation developers, by name where one is on file"
"$PY" "$top_srcdir/tests/validate-json.py" "$S/osv-schema.json" "$T/a.osv" > "$T/valid.out" 2>&1
is "$?" 0 "... and the OSV schema accepts it"
ctl case advisory "$C" --format csaf > "$T/a.csaf"
is "$(jq -c '[.vulnerabilities[0].acknowledgments[].names]' "$T/a.csaf")" \
	'[["Jane Doe"],["Bob Builder","carol@example.org"]]' "CSAF acknowledges the fix team"
"$PY" "$top_srcdir/tests/validate-json.py" "$S/csaf_json_schema.json" "$T/a.csaf" \
	"$S/cvss-v3.0.json" "$S/cvss-v3.1.json" "$S/cvss-v2.0.json" > "$T/valid.out" 2>&1
is "$?" 0 "... and the CSAF schema accepts it"
check "the Markdown advisory names the fix team" grep -q 'Fix team.*Bob Builder, carol@example.org' "$(ctl case advisory "$C" > "$T/a.md"; echo "$T/a.md")"

done_testing
