#!/bin/sh
# t-fuzz.sh - a short, bounded run of every libFuzzer harness in fuzz/
# (clang, AddressSanitizer, UndefinedBehaviorSanitizer, leak checks) over
# its seed corpus. A crash, leak or sanitizer report fails the test; long
# runs belong to bench/fuzz. FUZZ_SECONDS sets the time per harness.
: "${top_srcdir:?}" "${top_builddir:?}"
seconds=${FUZZ_SECONDS:-6}
n=0

if ! command -v clang >/dev/null 2>&1; then
	echo "1..0 # SKIP clang is not installed"
	exit 0
fi
out=$top_builddir/fuzz-bin
if ! "$top_srcdir/fuzz/build.sh" "$out" >"$top_builddir/fuzz-build.log" 2>&1; then
	echo "not ok 1 - the fuzz harnesses build"
	sed 's/^/# /' "$top_builddir/fuzz-build.log" | tail -20
	echo "1..1"
	exit 0
fi
n=$((n + 1))
echo "ok $n - the fuzz harnesses build"

for h in "$out"/fuzz-*; do
	[ -x "$h" ] || continue
	name=${h##*/fuzz-}
	work=$(mktemp -d /tmp/embargo-fuzz.XXXXXX)
	cp -r "$top_srcdir/fuzz/corpus/$name/." "$work/" 2>/dev/null
	if (cd "$work" && "$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=0 "$work" >"$work/log" 2>&1); then
		n=$((n + 1))
		echo "ok $n - fuzz-$name: $(grep -o 'Done [0-9]* runs' "$work/log") without a crash, leak or sanitizer report"
	else
		n=$((n + 1))
		echo "not ok $n - fuzz-$name found a problem"
		grep -E 'ERROR|SUMMARY|#0|#1|#2|#3' "$work/log" | head -20 | sed 's/^/# /'
		ls "$work"/crash-* "$work"/leak-* 2>/dev/null | sed 's/^/# kept: /'
		cp "$work"/crash-* "$work"/leak-* "$top_builddir/" 2>/dev/null
	fi
	rm -rf "$work"
done
echo "1..$n"
