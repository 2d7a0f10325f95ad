#!/bin/sh
# t-fuzz-corpus.sh - every fuzz harness (fuzz/, built by "make check" with
# fuzz/replay.c) runs once over each input of its seed corpus
# (fuzz/corpus/NAME): seconds, in every build. In the sanitizer build this is
# the corpus under AddressSanitizer and UndefinedBehaviorSanitizer; the
# long, searching run is t-fuzz.sh's (libFuzzer, the -Werror build only).
: "${top_srcdir:?}" "${top_builddir:?}"
n=0
log=$(mktemp /tmp/embargo-fuzz-corpus.XXXXXX)
for dir in "$top_srcdir"/fuzz/corpus/*/; do
	name=$(basename "$dir")
	h=$top_builddir/fuzz/fuzz-$name
	n=$((n + 1))
	if [ ! -x "$h" ]; then
		echo "not ok $n - fuzz-$name: no harness for the corpus fuzz/corpus/$name"
		continue
	fi
	# one path per input: the way both replay.c and libFuzzer run each once
	# shellcheck disable=SC2046
	if "$h" $(find "$dir" -type f | LC_ALL=C sort) >"$log" 2>&1; then
		echo "ok $n - fuzz-$name: $(grep -c '^replay: .* bytes)$\|^Running: ' "$log") seed inputs without a crash, leak or sanitizer report"
	else
		echo "not ok $n - fuzz-$name fails on its own seed corpus"
		grep -E 'ERROR|SUMMARY|#[0-9] |replay: |Running: ' "$log" | tail -20 | sed 's/^/# /'
	fi
done
# every harness has a corpus to replay
for src in "$top_srcdir"/fuzz/fuzz-*.c; do
	name=$(basename "$src" .c)
	n=$((n + 1))
	if [ -d "$top_srcdir/fuzz/corpus/${name#fuzz-}" ]; then
		echo "ok $n - $name has a seed corpus"
	else
		echo "not ok $n - $name has no seed corpus (fuzz/corpus/${name#fuzz-})"
	fi
done
rm -f "$log"
echo "1..$n"
