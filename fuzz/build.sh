#!/bin/sh
# fuzz/build.sh OUTDIR - builds the libFuzzer harnesses with clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer, from the source tree
# this script is in.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: fuzz/build.sh OUTDIR}
mkdir -p "$out"
cc=${CLANG:-clang}
pkgs="glib-2.0 gio-2.0 gio-unix-2.0 gmime-3.0 sqlite3 json-glib-1.0"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE"
flags="$flags -DSYSCONFDIR=\"/etc\" -I$src/lib -I$src/mda -I$out $(pkg-config --cflags $pkgs)"
libs="$(pkg-config --libs $pkgs)"

glib-compile-resources --sourcedir="$src/lib" --target="$out/resources.c" \
	--generate-source --manual-register --c-name embargo "$src/lib/embargo.gresource.xml"
glib-compile-resources --sourcedir="$src/lib" --target="$out/resources.h" \
	--generate-header --manual-register --c-name embargo "$src/lib/embargo.gresource.xml"

lib_sources="$src/lib/address.c $src/lib/hdrbound.c $src/lib/caseid.c $src/lib/config.c $src/lib/keyfile.c
	$src/lib/policy.c $src/lib/embedded.c $src/lib/log.c $src/lib/termsafe.c $out/resources.c"
for extra in "$src"/lib/authres.c; do [ -f "$extra" ] && lib_sources="$lib_sources $extra"; done

# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-address" "$src/fuzz/fuzz-address.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-envelope" "$src/fuzz/fuzz-envelope.c" "$src/lib/envelope.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-config" "$src/fuzz/fuzz-config.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-inmsg" "$src/fuzz/fuzz-inmsg.c" "$src/mda/inmsg.c" "$src/mda/unquote.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-cvss" "$src/fuzz/fuzz-cvss.c" "$src/lib/cvss.c" "$src/lib/cvss31.c" "$src/lib/cvss40.c" $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-termsafe" "$src/fuzz/fuzz-termsafe.c" "$src/lib/termsafe.c" $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-command" "$src/fuzz/fuzz-command.c" "$src/lib/command.c" $libs
# the threading decision against a real store: the library's store and
# lifecycle sources, with gpgme for what the state directory's check links
thread_sources="$src/lib/cases.c $src/lib/messages.c $src/lib/members.c $src/lib/held.c $src/lib/pgppackets.c
	$src/lib/db.c $src/lib/statedir.c $src/lib/keyring.c $src/lib/gpg.c $src/lib/calendar.c $src/mda/route.c
	$src/mda/inmsg.c"
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-thread" "$src/fuzz/fuzz-thread.c" $thread_sources $lib_sources $libs \
	$(pkg-config --libs gpgme 2>/dev/null || echo -lgpgme)
# shellcheck disable=SC2086
$cc $flags -I"$src/milter" -o "$out/fuzz-spfwire" "$src/fuzz/fuzz-spfwire.c" "$src/milter/spf-worker.c" "$src/lib/termsafe.c" \
	"$src/lib/log.c" $libs -lspf2
if [ -f "$src/fuzz/fuzz-authres.c" ] && [ -f "$src/lib/authres.c" ]; then
	# shellcheck disable=SC2086
	$cc $flags -o "$out/fuzz-authres" "$src/fuzz/fuzz-authres.c" $lib_sources $libs
fi
# shellcheck disable=SC2086
$cc $flags $(pkg-config --cflags gpgme 2>/dev/null) -o "$out/fuzz-pgpsizes" "$src/fuzz/fuzz-pgpsizes.c" \
	"$src/lib/gpgsink.c" "$src/lib/pgppackets.c" $libs $(pkg-config --libs gpgme 2>/dev/null || echo -lgpgme)
