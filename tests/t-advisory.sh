#!/bin/sh
# t-advisory.sh - embargoctl case advisory, the real binary: Markdown that
# carries every field the team set and nothing private; OSV and CSAF 2.0
# documents that the official schemas (tests/schemas) accept, checked by a
# real JSON Schema validator (Debian's python3-jsonschema, offline), for a
# full case, an empty one, CVSS 4.0 ones and CVSS 3.0 ones (one given with
# #cvss); exit statuses 64, 65 and 78.
. "$top_srcdir/tests/lib.sh"
setup
members alice@example.org
DB=$T/state/embargo.db
S=$top_srcdir/tests/schemas
# Debian's python3 and its python3-jsonschema, not whatever else PATH has
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
NOW=2026-12-02T12:00:00Z

# c ARGS...: embargoctl at a fixed now, keeping $rc, stdout in $out (and
# $T/out), stderr in $T/err
c() {
	EMBARGO_NOW=$NOW "$EMBARGOCTL" "$@" > "$T/out" 2> "$T/err"
	rc=$?
	out=$(cat "$T/out")
	cat "$T/err" >> "$T/all.err"
}
# valid_osv FILE, valid_csaf FILE [EXTRA-SCHEMAS]: the validator's verdict,
# its output in $T/valid.out
valid_osv() {
	"$PY" "$top_srcdir/tests/validate-json.py" "$S/osv-schema.json" "$1" > "$T/valid.out" 2>&1
}
valid_csaf() {
	"$PY" "$top_srcdir/tests/validate-json.py" "$S/csaf_json_schema.json" "$1" \
		"$S/cvss-v3.0.json" "$S/cvss-v3.1.json" "$S/cvss-v2.0.json" > "$T/valid.out" 2>&1
}
j() { jq -r "$1" "$T/out"; }
sql() { sqlite3 "$DB" "$1"; }
# advisories ID NAME: the three formats of case ID into $T/NAME.md, .osv, .csaf
advisories() {
	c case advisory "$1"; cp "$T/out" "$T/$2.md"
	c case advisory "$1" --format osv; cp "$T/out" "$T/$2.osv"
	c case advisory "$1" --format csaf; cp "$T/out" "$T/$2.csaf"
}
# every product id that CSAF FILE refers to is defined in its product tree
# (CSAF mandatory test 6.1.1)
products_defined() {
	jq -e '([.product_tree.full_product_names[]?.product_id]) as $known
		| [.vulnerabilities[] | (.product_status // {} | .[][]), (.scores // [] | .[].products[]),
		   (.remediations // [] | .[].product_ids[])] | all(. as $p | $known | any(. == $p))' "$1" > /dev/null
}

# --- the validator itself: present, and able to say no ---
check "python3 has the jsonschema module (Debian: python3-jsonschema)" "$PY" -c 'import jsonschema'
printf '{"id": "SEC-2026-0001", "summary": 3}\n' > "$T/bad.osv"
valid_osv "$T/bad.osv"
is "$?" 1 "the validator rejects a broken OSV document (exit 1)"
check "naming the missing field" grep -q "'modified' is a required property" "$T/valid.out"
check "and the id without a registered prefix" grep -q '^/id:' "$T/valid.out"
cat > "$T/bad.csaf" <<'EOF'
{"document": {"category": "csaf_base", "csaf_version": "2.0", "title": "t",
  "publisher": {"category": "vendor", "name": "n", "namespace": "https://example.org"},
  "tracking": {"id": "X-1", "status": "final", "version": "1", "initial_release_date": "2026-12-01T00:00:00Z",
    "current_release_date": "yesterday",
    "revision_history": [{"date": "2026-12-01T00:00:00Z", "number": "1", "summary": "s"}]}},
 "product_tree": {"full_product_names": [{"product_id": "P", "name": "p"}]},
 "vulnerabilities": [{"scores": [{"products": ["P"], "cvss_v3": {"version": "3.1",
   "vectorString": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "baseScore": 9.8, "baseSeverity": "SEVERE"}}]}]}
EOF
valid_csaf "$T/bad.csaf"
is "$?" 1 "the validator rejects a broken CSAF document (exit 1)"
check "a date that is no RFC 3339 date-time" grep -q 'current_release_date' "$T/valid.out"
check "a CVSS severity the CVSS 3.1 schema (resolved locally) does not allow" grep -q 'SEVERE' "$T/valid.out"
"$PY" "$top_srcdir/tests/validate-json.py" "$S/csaf_json_schema.json" "$T/bad.csaf" > "$T/valid.out" 2>&1
is "$?" 2 "without the CVSS schemas, a CVSS \$ref is an error (exit 2), never a download"

# --- a case with everything set ---
send jane@example.net $LIST 'Jane Doe <jane@example.net>' 'Heap overflow in parser' r1@example.net
id=$(ctl case list --json | jqr '.[0].id')
BODY='Team only: the exploit needs XYZZY-SECRET.' \
	send alice@example.org "security+$id@example.org" 'Alice <alice@example.org>' "Re: [$id] Heap overflow" t1@example.org
is "$rc" 0 "a member's mail to the team's thread of the case is delivered"
VEC='CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'
sql "UPDATE cases SET severity = 'high', cvss_vector = '$VEC', cvss_score = 9.8,
	cvss_rating = 'Critical', affected = '1.0 to 1.4.2', fixed_in = '1.4.3', credit = 'Ada Lovelace',
	embargo_until = '2026-12-15', summary = 'Heap overflow in the \"config\" parser
A crafted configuration file overflows a heap buffer:	a \\ backslash.

Upgrade to 1.4.3.' WHERE id = '$id';
	INSERT INTO case_cves (case_id, cve, added_at) VALUES ('$id', 'CVE-2026-12345', '2026-11-24T10:00:00Z'),
		('$id', 'CVE-2026-12346', '2026-11-24T10:00:01Z');"

c case advisory "$id"
is "$rc" 0 "case advisory: 0 (Markdown by default)"
is "$(head -n 1 "$T/out")" "# [$id] Heap overflow in the \"config\" parser" \
	"the title is the case id and the summary's first line"
for want in "CVE: CVE-2026-12345, CVE-2026-12346" "Severity: high" "9.8 (Critical)" "$VEC" \
            "Affected versions: 1.0 to 1.4.2" "Fixed in: 1.4.3" "Credit: Ada Lovelace" \
            "Reported: $(date -u +%Y-%m-%d)" "Embargo until: 2026-12-15" \
            "A crafted configuration file overflows a heap buffer"; do
	check "the Markdown carries '$want'" grep -qF -- "$want" "$T/out"
done
check "nothing says released before the release" sh -c "! grep -q Released '$T/out'"
c case advisory "$(echo "$id" | tr A-Z a-z)" --format markdown
is "$rc" 0 "--format markdown, and a case id in lower case: 0"

advisories "$id" full
for f in md osv csaf; do
	check "the $f advisory never names the reporter's address" sh -c "! grep -q 'jane@example.net' '$T/full.$f'"
	check "nor quotes the report or the team's discussion" \
		sh -c "! grep -Eq 'Details of the problem|XYZZY-SECRET|alice@example.org' '$T/full.$f'"
done

c case advisory "$id" --format osv
is "$rc" 0 "--format osv: 0"
check "the OSV document is valid against the OSV schema" valid_osv "$T/out"
is "$(j .id)" CVE-2026-12345 "OSV id: the first CVE id"
is "$(j '.aliases | join(" ")')" "CVE-2026-12346 $id" "aliases: the other CVE id and the case id"
is "$(j .schema_version)" 1.6.2 "schema_version 1.6.2 (the first with CVSS_V4)"
is "$(j .summary)" "Heap overflow in the \"config\" parser" "summary: the summary's first line"
check "details: the rest of the summary" sh -c "jq -r .details '$T/out' | grep -q 'a \\\\ backslash'"
check "details: the affected versions" sh -c "jq -r .details '$T/out' | grep -qF 'Affected versions: 1.0 to 1.4.2'"
check "details: the fixed version" sh -c "jq -r .details '$T/out' | grep -qF 'Fixed in: 1.4.3'"
is "$(j '.severity | map(.type + " " + .score) | join(",")')" "CVSS_V3 $VEC" "severity: the CVSS 3.1 vector"
is "$(j '.credits[0].name')" "Ada Lovelace" "credits: the credit"
is "$(j .database_specific.case_id)" "$id" "database_specific: the case id"
is "$(j '.database_specific | [.severity, .cvss_score, .cvss_rating, .fixed_in] | map(tostring) | join(" ")')" \
	"high 9.8 Critical 1.4.3" "database_specific: severity, score, rating, fixed version"
is "$(j .modified)" "$NOW" "modified: now"
is "$(j .published)" "$NOW" "published: now, before the release"
check "no affected entry without a package ecosystem" sh -c "[ \"\$(jq 'has(\"affected\")' '$T/out')\" = false ]"

c case advisory "$id" --format csaf
is "$rc" 0 "--format csaf: 0"
check "the CSAF document is valid against the CSAF 2.0 schema (and FIRST's CVSS schemas)" valid_csaf "$T/out"
is "$(j .document.category)" csaf_security_advisory "category csaf_security_advisory: it has products"
is "$(j .document.csaf_version)" 2.0 "csaf_version 2.0"
is "$(j '.document.publisher | [.category, .name, .namespace] | join("|")')" \
	"vendor|Example Security Team|https://example.org" "publisher: the list's name, https:// and its domain"
is "$(j .document.tracking.id)" "$id" "tracking id: the case id"
is "$(j '.document.tracking | [.status, .version, .revision_history[-1].number] | join(" ")')" "draft 0 0" \
	"before the release: a draft, version 0"
is "$(j .document.distribution.tlp.label)" AMBER "before the release: TLP:AMBER"
is "$(j .document.lang)" en "lang en"
is "$(j '.vulnerabilities | map(.cve) | join(" ")')" "CVE-2026-12345 CVE-2026-12346" \
	"one vulnerability per CVE id, the first first"
is "$(j '.vulnerabilities[0].ids[0].text')" "$id" "ids: the case id"
is "$(j '.vulnerabilities[0].scores[0].cvss_v3 | [.version, .vectorString, .baseScore, .baseSeverity] | map(tostring) | join(" ")')" \
	"3.1 $VEC 9.8 CRITICAL" "scores: a cvss_v3 object with version, vector, score and severity"
check "the score is written as 9.8, not 9.8000000000000007" grep -Eq '"baseScore": 9\.8,?$' "$T/out"
is "$(j '.vulnerabilities[0].acknowledgments[0].names[0]')" "Ada Lovelace" "acknowledgments: the credit"
is "$(j '.vulnerabilities[0].remediations[0] | [.category, .details] | join(" ")')" "vendor_fix Fixed in 1.4.3." \
	"remediations: a vendor fix naming the fixed version"
is "$(j '.vulnerabilities[0].product_status | [.known_affected[0], .fixed[0]] | join(" ")')" \
	"CSAFPID-AFFECTED CSAFPID-FIXED" "product_status: known_affected and fixed"
is "$(j '.product_tree.full_product_names | map(.name) | join("|")')" \
	"Affected versions: 1.0 to 1.4.2|Fixed in: 1.4.3" "the products: the affected and the fixed versions"
check "every product id used is defined (CSAF test 6.1.1)" products_defined "$T/out"
check "the description note carries the whole summary" \
	sh -c "jq -r '.vulnerabilities[0].notes[0].text' '$T/out' | grep -q 'Upgrade to 1.4.3'"

# --- released ---
sql "INSERT INTO case_stages (case_id, stage, reached_at) VALUES ('$id', 'triaged', '2026-11-25T08:00:00Z'),
	('$id', 'fixing', '2026-11-26T08:00:00Z'), ('$id', 'released', '2026-12-01T09:30:00Z');
	UPDATE cases SET status = 'released' WHERE id = '$id';"
advisories "$id" rel
check "released: the Markdown gives the release date" grep -qF "Released: 2026-12-01" "$T/rel.md"
check "and no longer the embargo date" sh -c "! grep -q 'Embargo until' '$T/rel.md'"
check "released: the OSV document is valid" valid_osv "$T/rel.osv"
is "$(jq -r .published "$T/rel.osv")" 2026-12-01T09:30:00Z "OSV published: when the case reached the released stage"
check "released: the CSAF document is valid" valid_csaf "$T/rel.csaf"
is "$(jq -r '.document.tracking | [.status, .version, .initial_release_date, .current_release_date] | join(" ")' "$T/rel.csaf")" \
	"final 1 2026-12-01T09:30:00Z 2026-12-01T09:30:00Z" "CSAF: final, version 1, released then"
is "$(jq -r .document.distribution.tlp.label "$T/rel.csaf")" WHITE "released: TLP:WHITE"
is "$(jq -r '.vulnerabilities[0].release_date' "$T/rel.csaf")" 2026-12-01T09:30:00Z "the vulnerability's release date"

# --- a case with nothing set ---
send bob@example.net $LIST 'bob@example.net' 'Crash on empty input' r2@example.net
id2=$(ctl case list --json | jqr '.[1].id')
advisories "$id2" empty
is "$(head -n 1 "$T/empty.md")" "# [$id2] Crash on empty input" "no summary: the Markdown title is the subject"
check "and the Markdown has its timeline" grep -q "^- Reported: " "$T/empty.md"
check "an empty case still gives a valid OSV document" valid_osv "$T/empty.osv"
is "$(jq -r .id "$T/empty.osv")" "x_$id2" "without a CVE id, the OSV id is the case id behind OSV's x_ prefix"
is "$(jq -r '[has("aliases"), has("severity"), has("credits"), has("details")] | map(tostring) | join(" ")' "$T/empty.osv")" \
	"false false false false" "and no aliases, severity, credits or details"
is "$(jq -r .summary "$T/empty.osv")" "Crash on empty input" "OSV summary: the subject"
check "an empty case still gives a valid CSAF document" valid_csaf "$T/empty.csaf"
is "$(jq -r .document.category "$T/empty.csaf")" csaf_base "without versions, category csaf_base (no products to name)"
is "$(jq -r '[has("product_tree"), (.vulnerabilities[0] | has("cve"), has("product_status"), has("scores"))] | map(tostring) | join(" ")' "$T/empty.csaf")" \
	"false false false false" "and no product tree, CVE, product status or scores"
is "$(jq -r '.vulnerabilities[0].ids[0].text' "$T/empty.csaf")" "$id2" "the vulnerability carries the case id"

# --- CVSS 4.0, with affected versions only ---
send carol@example.net $LIST 'carol@example.net' 'Auth bypass' r3@example.net
id3=$(ctl case list --json | jqr '.[2].id')
V4='CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N'
sql "UPDATE cases SET cvss_vector = '$V4', cvss_score = 9.3, cvss_rating = 'Critical', affected = '2.0 and later',
	summary = 'Authentication bypass' WHERE id = '$id3';
	INSERT INTO case_cves (case_id, cve, added_at) VALUES ('$id3', 'CVE-2026-20001', '2026-11-24T10:00:00Z');"
advisories "$id3" v4
check "CVSS 4.0: the Markdown gives vector and score" grep -qF "9.3 (Critical), \`$V4\`" "$T/v4.md"
check "CVSS 4.0: the OSV document is valid" valid_osv "$T/v4.osv"
is "$(jq -r '.severity[0] | .type + " " + .score' "$T/v4.osv")" "CVSS_V4 $V4" "OSV severity: CVSS_V4 with the vector"
check "CVSS 4.0: the CSAF document is valid" valid_csaf "$T/v4.csaf"
is "$(jq -r '.vulnerabilities[0] | has("scores")' "$T/v4.csaf")" false "CSAF 2.0 has no CVSS 4.0 score field: no scores"
is "$(jq -r '.vulnerabilities[0].notes[] | select(.title == "CVSS v4.0") | .text' "$T/v4.csaf")" \
	"Base score 9.3 (Critical): $V4" "the CVSS 4.0 vector and score are in a note"
is "$(jq -r '.vulnerabilities[0].product_status | keys | join(" ")' "$T/v4.csaf")" known_affected \
	"affected versions only: known_affected, no fixed product"
check "and every product id used is defined" products_defined "$T/v4.csaf"

# --- CVSS 3.0 and a fixed version, without affected versions ---
send dave@example.net $LIST 'dave@example.net' 'XSS in admin page' r4@example.net
id4=$(ctl case list --json | jqr '.[3].id')
V30='CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'
sql "UPDATE cases SET cvss_vector = '$V30', cvss_score = 6.1, cvss_rating = 'Medium', fixed_in = '3.2.1'
	WHERE id = '$id4';"
advisories "$id4" v30
check "CVSS 3.0, fixed only: the OSV document is valid" valid_osv "$T/v30.osv"
is "$(jq -r '.severity[0].type' "$T/v30.osv")" CVSS_V3 "a CVSS 3.0 vector is CVSS_V3"
check "CVSS 3.0, fixed only: the CSAF document is valid" valid_csaf "$T/v30.csaf"
is "$(jq -r '.vulnerabilities[0].notes[] | select(.title == "CVSS v3.0") | .text' "$T/v30.csaf")" \
	"Base score 6.1 (Medium): $V30" "a score with no affected product to name goes into a note"
is "$(jq -r '.vulnerabilities[0].remediations[0].product_ids[0]' "$T/v30.csaf")" CSAFPID-FIXED \
	"the fix names the fixed product when no affected one is known"
check "and every product id used is defined" products_defined "$T/v30.csaf"

# --- CVSS 3.0 given by the team with #cvss, with affected versions ---
send erin@example.net $LIST 'erin@example.net' 'Sandbox escape' r5@example.net
id5=$(ctl case list --json | jqr '.[4].id')
V30C='CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U'
mark
BODY="#cvss $V30C
#affected 4.0 to 4.2" send alice@example.org "security+$id5@example.org" 'Alice <alice@example.org>' \
	"Re: [$id5] Sandbox escape" t5@example.org
is "$rc" 0 "#cvss with a CVSS 3.0 vector: delivered"
c case show "$id5" --json
is "$(j '.cvss | [.vector, .score, .rating] | map(tostring) | join(" ")')" "$V30C 10 Critical" \
	"embargoctl shows the 3.0 vector as given and its 3.0 base score"
# 10 x 0.92 is 9.200000000000001 in doubles: 3.0's Roundup makes it 9.3
check "the confirmation gives 3.0's temporal score (3.1 would say 9.2)" \
	grep -qF "$V30C = 10.0 (Critical); temporal 9.3, environmental 9.3" $(fresh_to alice@example.org)
advisories "$id5" v30c
check "CVSS 3.0 from #cvss: the OSV document is valid" valid_osv "$T/v30c.osv"
is "$(jq -r '.severity[0] | .type + " " + .score' "$T/v30c.osv")" "CVSS_V3 $V30C" \
	"OSV severity: CVSS_V3 with the 3.0 vector"
check "CVSS 3.0 from #cvss: the CSAF document is valid (FIRST's cvss-v3.0 schema)" valid_csaf "$T/v30c.csaf"
is "$(jq -r '.vulnerabilities[0].scores[0].cvss_v3 | [.version, .vectorString, .baseScore, .baseSeverity] | map(tostring) | join(" ")' "$T/v30c.csaf")" \
	"3.0 $V30C 10 CRITICAL" "CSAF scores: cvss_v3 with version 3.0 and the 3.0 vector"
sed 's|"version": "3.0"|"version": "3.1"|' "$T/v30c.csaf" > "$T/v30c-bad.csaf"
valid_csaf "$T/v30c-bad.csaf"
is "$?" 1 "the schemas refuse a 3.0 vector labelled 3.1, so the check above can fail"

# --- exit statuses ---
c case advisory SEC-1999-9999
is "$rc" 65 "an unknown case: 65"
check "it says so" grep -q 'no case SEC-1999-9999' "$T/err"
c case advisory "$id" --format xml
is "$rc" 64 "an unknown format: 64"
check "naming it" grep -q "unknown format 'xml'" "$T/err"
c case advisory "$id" --format
is "$rc" 64 "--format without its value: 64"
c case advisory
is "$rc" 64 "no case id: 64"
c case advisory "$id" "$id2"
is "$rc" 64 "two case ids: 64"
c case advisory "$id" --json
is "$rc" 64 "an option of another command: 64"
check "the usage names case advisory" grep -q 'case advisory CASE-ID \[--format markdown|osv|csaf\]' "$T/err"
sed "s|^state_dir = .*|state_dir = $T/fresh|" "$EMBARGO_CONFIG" > "$T/fresh.conf"
c -c "$T/fresh.conf" case advisory "$id"
is "$rc" 78 "before init (no database): 78"
sed "s|^\[list .*|[list other@example.org]|" "$EMBARGO_CONFIG" > "$T/other.conf"
c -c "$T/other.conf" case advisory "$id"
is "$rc" 78 "a case whose list is no longer configured: 78"

# under the sanitizers, a report goes to standard error
check "no sanitizer report from any run" sh -c "! grep -Eq 'Sanitizer|runtime error' '$T/all.err'"

done_testing
