#!/bin/sh
# fuzz/build.sh OUTDIR - builds the libFuzzer harnesses (clang,
# AddressSanitizer, UndefinedBehaviorSanitizer) for a long run by hand: a
# thin wrapper around "configure --enable-fuzzing CC=clang && make fuzzers"
# in OUTDIR/build, which leaves OUTDIR/fuzz-NAME links to the harnesses.
# What each harness links is in fuzz/Makefile.inc, nowhere else.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: fuzz/build.sh OUTDIR}
mkdir -p "$out/build"
out=$(cd "$out" && pwd)
[ -f "$out/build/config.status" ] ||
	(cd "$out/build" && "$src/configure" --enable-fuzzing CC="${CLANG:-clang}")
make -C "$out/build" -j"${JOBS:-2}" fuzzers
for h in "$out"/build/fuzz/fuzz-*; do
	[ -x "$h" ] && ln -sf "$h" "$out/${h##*/}"
done
