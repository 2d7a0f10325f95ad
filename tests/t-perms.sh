#!/bin/sh
# t-perms.sh - least privilege (issue "Reliability and security"): a state
# directory, database, spool directory or GnuPG home that others can write
# to, that belongs to someone else, or that is a symbolic link inside the
# state directory is refused, by embargo-mda with 75 (the mail waits in
# Postfix's queue and is delivered once the mode is fixed) and by embargoctl
# with 78, each naming the path and the fix; embargoctl init repairs what
# it owns; read bits alone are not refused. gpg, gpg-agent and sendmail run
# with the minimal environment, whatever embargo-mda and embargoctl were
# started with.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/pgp.sh"
setup
person alice 'Alice <alice@example.org>'
person jane 'Jane <jane@example.net>'
ctl member add "$LIST" alice@example.org --key "$T/alice.asc" >/dev/null 2>&1
list_key
S=$T/state
LH=$(LISTHOME)

db() { sqlite3 "$S/embargo.db" "$@"; }
ncases() { db "SELECT count(*) FROM cases"; }
nspool() { ls "$S/spool/new" "$S/spool/tmp" | grep -c '^20'; }
mode() { stat -c %a "$1"; }
# c ARGS...: embargoctl, keeping $rc and stderr in $T/ctl.err
c() { "$EMBARGOCTL" "$@" > "$T/ctl.out" 2> "$T/ctl.err"; rc=$?; }

printf 'Content-Type: text/plain; charset=utf-8\n\nThe secret heap overflow is in parse_header().\n' > "$T/secret.ent"
# report N: an encrypted report from jane with Message-ID N@example.net in $T/in.eml
report() {
	{ envelope 'Jane <jane@example.net>' "Report $1" "$1@example.net"; mime_encrypted jane "$T/secret.ent"; } > "$T/in.eml"
}

# One delivery first, so that every GnuPG home of the list exists.
report first
mda jane@example.net "$LIST" < "$T/in.eml"
is "$rc" 0 "a first encrypted report is delivered"
check "the list's members' home exists" test -d "$LH.members"

# --- group- or world-writable: refused, nothing stored, delivered once fixed ---
# refused NAME PATH KIND(dir|file)
refused() {
	_name=$1 _p=$2 _fix=700
	[ "$3" = file ] && _fix=600
	report "$_name"
	before=$(ncases) spooled=$(nspool)
	# sqlite3 (above) removes the -wal and -shm files on close; embargo
	# keeps them, so that they are there to be checked.
	ctl case list >/dev/null
	check "$_name: $_p exists" test -e "$_p"
	for bit in g+w o+w; do
		chmod "$bit" "$_p"
		mda jane@example.net "$LIST" < "$T/in.eml"
		is "$rc" 75 "$_name $bit: embargo-mda defers (75)"
		check "$_name $bit: the log line names the path" grep -qF "$_p is not private" "$T/mda.err"
		check "$_name $bit: ... its mode and owner" grep -qE "mode 0[0-7]{3}, owner [^ ]+ \\(uid [0-9]+\\)" "$T/mda.err"
		check "$_name $bit: ... and the fix" grep -qF "Fix: chmod $_fix $_p" "$T/mda.err"
		c case list
		is "$rc" 78 "$_name $bit: embargoctl case list refuses (78)"
		check "$_name $bit: embargoctl names the path" grep -qF "$_p is not private" "$T/ctl.err"
		chmod "${bit%+w}-w" "$_p"
	done
	is "$(ncases)/$(nspool)" "$before/$spooled" "$_name: nothing was stored or spooled"
	mda jane@example.net "$LIST" < "$T/in.eml"
	is "$rc" 0 "$_name: once the mode is fixed the same message is delivered (0)"
	is "$(ncases)" $((before + 1)) "$_name: ... once"
}
refused "state directory" "$S" dir
refused "database" "$S/embargo.db" file
refused "database WAL" "$S/embargo.db-wal" file
refused "spool/new" "$S/spool/new" dir
refused "spool/tmp" "$S/spool/tmp" dir
refused "the list's GnuPG home" "$LH" dir
refused "the members' GnuPG home" "$LH.members" dir

# --- owned by someone else, or a link: refused, and init cannot repair it ---
if id nobody >/dev/null 2>&1; then
	chown nobody "$S/spool/new"
	report owner
	mda jane@example.net "$LIST" < "$T/in.eml"
	is "$rc" 75 "a spool directory owned by another user: embargo-mda defers (75)"
	check "the log line names the owner and says to chown" sh -c \
		"grep -q 'owner nobody' '$T/mda.err' && grep -qF 'chown' '$T/mda.err'"
	c case list
	is "$rc" 78 "... embargoctl case list refuses (78)"
	c init
	is "$rc" 78 "... embargoctl init cannot repair that (78)"
	chown "$(id -u)" "$S/spool/new"
else
	for i in 1 2 3 4; do _n=$((_n + 1)); echo "ok $_n # SKIP no nobody user"; done
fi

mv "$S/embargo.db" "$T/elsewhere.db"
ln -s "$T/elsewhere.db" "$S/embargo.db"
report link
mda jane@example.net "$LIST" < "$T/in.eml"
is "$rc" 75 "a database that is a symbolic link: embargo-mda defers (75)"
check "the log line says it is a link" grep -q 'symbolic link' "$T/mda.err"
c case list
is "$rc" 78 "... embargoctl case list refuses (78)"
rm "$S/embargo.db"
mv "$T/elsewhere.db" "$S/embargo.db"

# --- read bits alone are not refused ---
chmod 750 "$S" "$S/spool/new"
chmod 640 "$S/embargo.db"
mda jane@example.net "$LIST" < "$T/in.eml"
is "$rc" 0 "a state directory its group can read (0750, database 0640): delivered (0)"
c case list
is "$rc" 0 "... embargoctl works (0)"

# --- embargoctl init repairs what it owns ---
chmod 777 "$S" "$S/spool" "$S/spool/new" "$S/spool/tmp" "$S/gnupg" "$LH" "$LH.members" "$LH.reporters"
chmod 666 "$S/embargo.db" "$S/embargo.db-wal" "$S/embargo.db-shm"
c init
is "$rc" 0 "embargoctl init on a state directory everyone can write to: 0"
for d in "$S" "$S/spool" "$S/spool/new" "$S/spool/tmp" "$S/gnupg" "$LH" "$LH.members" "$LH.reporters"; do
	is "$(mode "$d")" 700 "init made ${d#$T/} 0700 again"
done
for f in "$S/embargo.db" "$S/embargo.db-wal" "$S/embargo.db-shm"; do
	is "$(mode "$f")" 600 "init made ${f#$T/} 0600 again"
done
report repaired
mda jane@example.net "$LIST" < "$T/in.eml"
is "$rc" 0 "after init, delivered (0)"

# --- the environment gpg, gpg-agent and sendmail see ---
# A hostile environment: a gpgconf of our own first in PATH, another
# GnuPG home and agent, and variables nobody asked for.
mkdir "$T/evil"
printf '#!/bin/sh\ntouch "%s/evil/ran"\nexit 1\n' "$T" > "$T/evil/gpgconf"
cp "$T/evil/gpgconf" "$T/evil/gpg"
chmod +x "$T/evil/gpgconf" "$T/evil/gpg"
hostile() {
	env PATH="$T/evil:$PATH" GNUPGHOME=/nonexistent GPG_AGENT_INFO=junk FOO=bar \
		LD_LIBRARY_PATH=/nonexistent DISPLAY=:99 GPG_TTY=/dev/pts/99 \
		DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent LANG=de_DE.UTF-8 "$@"
}
# (gpg is given its home as GNUPGHOME, one of the state directory's.)
BAD='GNUPGHOME=/nonexistent|GPG_AGENT_INFO=|FOO=|LD_LIBRARY_PATH=|DISPLAY=|GPG_TTY=|DBUS_SESSION_BUS_ADDRESS=|LANG=|/evil'

# The agent is started by gpg, so it is seen in /proc rather than under
# strace -f, which would wait for the daemon to end.
GNUPGHOME=$LH gpgconf --kill gpg-agent
report agent
hostile "$EMBARGO_MDA" -f jane@example.net -- "$LIST" < "$T/in.eml" 2> "$T/mda.err"
is "$?" 0 "a report delivered with a hostile environment (0)"
is "$(sqlite3 "$S/embargo.db" "SELECT encrypted FROM messages WHERE message_id = 'agent@example.net'")" 1 \
	"... was decrypted with the list key"
agent=$(pgrep -f "gpg-agent --homedir $LH" | head -1)
if [ -n "$agent" ] && [ -r "/proc/$agent/environ" ]; then
	tr '\0' '\n' < "/proc/$agent/environ" > "$T/agent.env"
	check "the gpg-agent it started has none of the hostile variables" sh -c "! grep -Eq '$BAD' '$T/agent.env'"
	check "... and the fixed PATH" grep -qx 'PATH=/usr/sbin:/usr/bin:/sbin:/bin' "$T/agent.env"
else
	_n=$((_n + 1)); echo "ok $_n # SKIP no gpg-agent seen for the list's home"
	_n=$((_n + 1)); echo "ok $_n # SKIP no gpg-agent seen for the list's home"
fi

if command -v strace >/dev/null 2>&1 && strace -o /dev/null true 2>/dev/null; then
	# envs PROGRAM-PATTERN: the environments of the programs started, one line each
	envs() { grep -E "execve\(\"[^\"]*($1)\"" "$T/trace" | grep -v 'resumed' | sed 's/.*\], \[//'; }
	report traced
	# LeakSanitizer cannot run under ptrace; the other sanitizers still do.
	hostile env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		strace -f -v -s 512 -e trace=execve -o "$T/trace" \
		"$EMBARGO_MDA" -f jane@example.net -- "$LIST" < "$T/in.eml" 2> "$T/mda.err"
	is "$?" 0 "a report delivered under strace with a hostile environment (0)"
	check "strace saw embargo-mda get the hostile variables" sh -c "head -1 '$T/trace' | grep -q 'GNUPGHOME=/nonexistent'"
	envs '/gpg[a-z-]*' > "$T/gpg.env"
	check "gpg ran to decrypt" sh -c "grep -E 'execve\\(\"[^\"]*/gpg\"' '$T/trace' | grep -q -- '--decrypt'"
	check "no gpg or gpgconf saw a hostile variable" sh -c "test -s '$T/gpg.env' && ! grep -Eq '$BAD' '$T/gpg.env'"
	is "$(grep -vc '"PATH=/usr/sbin:/usr/bin:/sbin:/bin"' "$T/gpg.env")" 0 "every one had the fixed PATH"
	is "$(grep '"GNUPGHOME=' "$T/gpg.env" | grep -vcF "\"GNUPGHOME=$S/gnupg/")" 0 \
		"every GNUPGHOME a gpg saw is one of the state directory's homes"
	is "$(grep -c '"HOME=' "$T/gpg.env")" "$(grep -c . "$T/gpg.env")" "... and a HOME"
	check "... the state directory" grep -qF "\"HOME=$S\"" "$T/gpg.env"
	check "the gpgconf and gpg in the hostile PATH never ran" test ! -e "$T/evil/ran"
	envs "$T/sendmail" > "$T/sendmail.env"
	check "sendmail ran" test -s "$T/sendmail.env"
	check "sendmail saw no hostile variable either" sh -c "test -s '$T/sendmail.env' && ! grep -Eq '$BAD' '$T/sendmail.env'"

	hostile strace -f -v -s 512 -e trace=execve -o "$T/trace" env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" \
		"$EMBARGOCTL" key export "$LIST" > "$T/key.asc" 2>/dev/null
	is "$?" 0 "embargoctl key export with a hostile environment (0)"
	envs '/gpg[a-z-]*' > "$T/gpg.env"
	check "its gpg saw no hostile variable" sh -c "test -s '$T/gpg.env' && ! grep -Eq '$BAD' '$T/gpg.env'"
else
	echo "# strace is not usable here: the environment of gpg is not traced"
fi

pgp_done
