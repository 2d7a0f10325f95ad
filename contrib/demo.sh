#!/bin/sh
# contrib/demo.sh - a plain-text report through the real embargo-mda, with
# what happened printed: the case, the acknowledgement, the team's copy.
# Runs from a built tree (BUILD, default ./_build) in a throwaway directory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
mda=$build/mda/embargo-mda
ctl=$build/embargoctl/embargoctl
demo=$(mktemp -d /tmp/embargo-demo.XXXXXX)
cp "$top/tests/fake-sendmail" "$demo/sendmail"

cat > "$demo/embargo.conf" <<EOC
[embargo]
state_dir = $demo/state
sendmail = $demo/sendmail -i

[list security@example.org]
name = Example Security Team
prefix = SEC
policy = cncf
EOC
export EMBARGO_CONFIG=$demo/embargo.conf
# The demo may run as root on a fresh machine; embargo refuses that unless told.
export EMBARGO_ALLOW_ROOT=1

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "embargoctl init; two team members"
"$ctl" init
"$ctl" member add security@example.org alice@example.org --name "Alice Maintainer"
"$ctl" member add security@example.org bob@example.org --name "Bob Reviewer"

step "A reporter writes to security@example.org"
cat > "$demo/report.eml" <<'EOM'
From: Jane Doe <jane@example.net>
To: security@example.org
Subject: Heap overflow in the config parser
Message-ID: <report-1@example.net>
Date: Mon, 23 Nov 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

A key longer than 4096 bytes overflows a stack buffer in parse_key().
Proof of concept attached in my next mail.
EOM
cat "$demo/report.eml"

step "Postfix's pipe(8) runs: embargo-mda -f jane@example.net -- security@example.org"
"$mda" -f jane@example.net -- security@example.org < "$demo/report.eml"
echo "exit status $? (0: stored and committed)"

step "The same message delivered again (a Postfix retry)"
"$mda" -f jane@example.net -- security@example.org < "$demo/report.eml"
echo "exit status $? (a duplicate: nothing new)"

step "embargoctl case list"
"$ctl" case list
id=$("$ctl" case list | awk 'NR==1 {print $1}')

step "Alice answers the reporter through security+$id-reporter@example.org"
cat > "$demo/answer.eml" <<EOM
From: Alice Maintainer <alice@example.org>
To: security+$id-reporter@example.org
Subject: Re: [$id] Heap overflow in the config parser
Message-ID: <answer-1@example.org>
Date: Mon, 23 Nov 2026 11:00:00 +0000

Thanks Jane, we can reproduce it and are working on a fix.
EOM
"$mda" -f alice@example.org -- "security+$id-reporter@example.org" < "$demo/answer.eml"
echo "exit status $?"

step "Bob triages it with commands at the top of a mail to security+$id@example.org"
cat > "$demo/triage.eml" <<EOM
From: Bob Reviewer <bob@example.org>
To: security+$id@example.org
Subject: Re: [$id] Heap overflow in the config parser
Message-ID: <triage-1@example.org>
Date: Mon, 23 Nov 2026 12:00:00 +0000

#severity high
#cvss CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H
#assign alice@example.org
#status triaged

Confirmed on 1.4.2; Alice takes it.
EOM
"$mda" -f bob@example.org -- "security+$id@example.org" < "$demo/triage.eml"
echo "exit status $?"

step "embargoctl case show $id"
"$ctl" case show "$id"

step "embargoctl case advisory $id --format markdown"
"$ctl" case advisory "$id" --format markdown

for f in $(ls -tr "$demo"/sent/*.msg); do
	rcpts=$(sed -n '/^--$/,$p' "${f%.msg}.args.done" | tail -n +2 | tr '\n' ' ')
	step "Mail sent to: $rcpts"
	cat "$f"
done
printf '\nEverything is in %s (database: state/embargo.db, raw spool: state/spool/new).\n' "$demo"
