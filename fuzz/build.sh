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

lib_sources="$src/lib/address.c $src/lib/caseid.c $src/lib/config.c $src/lib/keyfile.c
	$src/lib/policy.c $src/lib/embedded.c $src/lib/log.c $out/resources.c"
for extra in "$src"/lib/authres.c; do [ -f "$extra" ] && lib_sources="$lib_sources $extra"; done

# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-address" "$src/fuzz/fuzz-address.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-envelope" "$src/fuzz/fuzz-envelope.c" "$src/lib/envelope.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-config" "$src/fuzz/fuzz-config.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-inmsg" "$src/fuzz/fuzz-inmsg.c" "$src/mda/inmsg.c" $lib_sources $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-cvss" "$src/fuzz/fuzz-cvss.c" "$src/lib/cvss.c" $libs
# shellcheck disable=SC2086
$cc $flags -o "$out/fuzz-command" "$src/fuzz/fuzz-command.c" "$src/lib/command.c" $libs
if [ -f "$src/fuzz/fuzz-authres.c" ] && [ -f "$src/lib/authres.c" ]; then
	# shellcheck disable=SC2086
	$cc $flags -o "$out/fuzz-authres" "$src/fuzz/fuzz-authres.c" $lib_sources $libs
fi
