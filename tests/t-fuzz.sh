#!/bin/sh
# t-fuzz.sh - a short, bounded run of every libFuzzer harness in fuzz/
# (clang, AddressSanitizer, UndefinedBehaviorSanitizer, leak checks), each
# starting from its seed corpus. A crash, leak or sanitizer report fails
# the test; long runs by hand: fuzz/build.sh OUTDIR, then OUTDIR/fuzz-NAME
# -max_total_time=N fuzz/corpus/NAME. FUZZ_SECONDS sets the time per
# harness.
#
# The harnesses are built by a build of their own, "configure
# --enable-fuzzing CC=clang" (with -O1, as the old hand-kept build had: it
# compiles faster), in fuzz-clang/ of this build tree: configured
# once, then only brought up to date. It runs in the -Werror build's suite;
# the sanitizer build skips it (its t-fuzz-corpus.sh replays the corpus
# under the sanitizers), so the search runs once per tests/run-all.
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-6}
n=0

if ! command -v clang >/dev/null 2>&1; then
	echo "1..0 # SKIP clang is not installed"
	exit 0
fi
if [ -n "${EMBARGO_MDA:-}" ] && ldd "$EMBARGO_MDA" 2>/dev/null | grep -q libasan; then
	echo "1..0 # SKIP the sanitizer build replays the corpus (t-fuzz-corpus.sh); libFuzzer runs in the -Werror build"
	exit 0
fi
out=$top_builddir/fuzz-clang
log=$top_builddir/fuzz-build.log
srcdir=$(cd "$top_srcdir" && pwd)
mkdir -p "$out"
if ! { { [ -f "$out/config.status" ] ||
	(cd "$out" && "$srcdir/configure" --enable-fuzzing CC=clang CFLAGS='-g -O1'); } &&
	make -C "$out" -j"${FUZZ_JOBS:-2}" fuzzers; } >"$log" 2>&1; then
	echo "not ok 1 - the fuzz harnesses build (configure --enable-fuzzing CC=clang)"
	grep -E 'error|Error' "$log" | tail -20 | sed 's/^/# /'
	echo "1..1"
	exit 0
fi
n=$((n + 1))
echo "ok $n - the fuzz harnesses build (configure --enable-fuzzing CC=clang)"

for dir in "$top_srcdir"/fuzz/corpus/*/; do
	name=$(basename "$dir")
	h=$out/fuzz/fuzz-$name
	n=$((n + 1))
	if [ ! -x "$h" ]; then
		echo "not ok $n - fuzz-$name was not built"
		continue
	fi
	work=$(mktemp -d /tmp/embargo-fuzz.XXXXXX)
	cp -r "$dir." "$work/" 2>/dev/null
	if (cd "$work" && "$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=0 "$work" >"$work/log" 2>&1); then
		echo "ok $n - fuzz-$name: $(grep -o 'Done [0-9]* runs' "$work/log") without a crash, leak or sanitizer report"
	else
		echo "not ok $n - fuzz-$name found a problem"
		grep -E '^==[0-9]+==ERROR|^SUMMARY|^    #[0-9]+ 0x' "$work/log" | head -30 | sed 's/^/# /'
		ls "$work"/crash-* "$work"/leak-* 2>/dev/null | sed 's/^/# kept: /'
		cp "$work"/crash-* "$work"/leak-* "$top_builddir/" 2>/dev/null
	fi
	rm -rf "$work"
done
echo "1..$n"
