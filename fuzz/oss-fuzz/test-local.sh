#!/usr/bin/env bash
# Runs fuzz/oss-fuzz/build.sh the way OSS-Fuzz does, on this machine, for
# libFuzzer and for AFL++ (libAFLDriver), then checks what it produced: one
# fuzzer, .options, .dict and _seed_corpus.zip per target, and every fuzzer
# replays its seed corpus without a crash. PASS/FAIL lines like make check.
set -u
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
status=0
work=$root/build/fuzz/oss
rm -rf "$work"
mkdir -p "$work"
check_out() {
	local engine=$1 out=$2 t name
	for t in $(ls fuzz/targets | sed 's/\.c$//'); do
		name=ft_malloc_$t
		for f in "$name" "$name.options" "$name.dict" "${name}_seed_corpus.zip"; do
			[ -s "$out/$f" ] || { echo "FAIL fuzz/oss-$engine-$t (missing $f)"; status=1; continue 2; }
		done
		rm -rf "$work/seeds-$t" && mkdir -p "$work/seeds-$t"
		(cd "$work/seeds-$t" && unzip -q "$out/${name}_seed_corpus.zip")
		if [ "$engine" = libfuzzer ]; then
			"$out/$name" -runs=0 -rss_limit_mb=4096 "$work/seeds-$t" >"$work/$engine-$t.log" 2>&1
		else
			# libAFLDriver without afl-fuzz: runs the files named on the command line
			"$out/$name" "$work/seeds-$t"/* >"$work/$engine-$t.log" 2>&1
		fi
		if [ $? -eq 0 ]; then
			echo "fuzz/oss-$engine-$t: $(ls "$work/seeds-$t" | wc -l) seeds replayed"
			echo "PASS fuzz/oss-$engine-$t"
		else
			echo "FAIL fuzz/oss-$engine-$t (seed replay failed, see $work/$engine-$t.log)"
			status=1
		fi
	done
}
san="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address,undefined -fsanitize-address-use-after-scope"
if CC=clang CXX=clang++ CFLAGS="$san -fsanitize=fuzzer-no-link" CXXFLAGS="$san -fsanitize=fuzzer-no-link" \
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT=$work/out-libfuzzer WORK=$work/work-libfuzzer \
	bash fuzz/oss-fuzz/build.sh >"$work.libfuzzer.log" 2>&1; then
	check_out libfuzzer "$work/out-libfuzzer"
else
	echo "FAIL fuzz/oss-libfuzzer (build.sh failed, see $work.libfuzzer.log)"
	status=1
fi
if command -v afl-clang-fast >/dev/null && [ -f /usr/lib/afl/libAFLDriver.a ]; then
	if CC=afl-clang-fast CXX=afl-clang-fast++ CFLAGS="-O1 -fsanitize=address" CXXFLAGS="-O1 -fsanitize=address" \
		LIB_FUZZING_ENGINE=/usr/lib/afl/libAFLDriver.a OUT=$work/out-afl WORK=$work/work-afl AFL_QUIET=1 \
		bash fuzz/oss-fuzz/build.sh >"$work.afl.log" 2>&1; then
		check_out afl "$work/out-afl"
	else
		echo "FAIL fuzz/oss-afl (build.sh failed, see $work.afl.log)"
		status=1
	fi
fi
exit $status
