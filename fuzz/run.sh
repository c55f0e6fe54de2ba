#!/usr/bin/env bash
# Drives the fuzz targets. Every check prints one line, "PASS fuzz/<name>" or
# "FAIL fuzz/<name> (<reason>)"; the exit status is non-zero when any failed.
#
#   fuzz/run.sh build                 both engines (build/fuzz/libfuzzer, build/fuzz/afl)
#   fuzz/run.sh replay                every corpus file and regression once
#   fuzz/run.sh fuzz SECONDS          libFuzzer and AFL++ side by side, SECONDS
#                                     each, one target after the other
#   fuzz/run.sh repro FILE [TARGET]   runs one input with a trace of every
#                                     operation and a symbolised stack
#   fuzz/run.sh merge [DIR...]        regenerates the seeds and minimises them,
#                                     the corpus and DIRs into corpus/<target>
#
# Environment: FUZZ_TARGETS (default "ops misuse threads"), FUZZ_SEED (the
# libFuzzer seed, default 1), FUZZ_JOBS (engines run side by side, default 2),
# FUZZ_OUT (scratch, default build/fuzz/run).
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
targets=${FUZZ_TARGETS:-ops misuse threads}
seed=${FUZZ_SEED:-1}
out=${FUZZ_OUT:-$root/build/fuzz/run}
lf=$root/build/fuzz/libfuzzer
afl=$root/build/fuzz/afl
status=0

# symbolised sanitizer stacks
for d in /usr/lib/llvm-14/bin /usr/lib/llvm-*/bin; do
	[ -x "$d/llvm-symbolizer" ] && { export PATH="$PATH:$d"; break; }
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# libFuzzer options every run shares: memory for ASan plus a few 4 MiB zones,
# and -malloc_limit_mb left at its default (it only sees the sanitizer's heap)
# and no LeakSanitizer: it cannot see the allocator's memory, and thread
# creation makes libFuzzer re-run every threads input to look for leaks
lf_opts=(-rss_limit_mb=4096 -timeout=30 -max_len=4096 -detect_leaks=0)
# reproducible: no address randomisation when setarch can turn it off
norand=()
setarch -R true 2>/dev/null && norand=(setarch -R)

pass() { echo "PASS fuzz/$1"; }
fail() {
	echo "FAIL fuzz/$1 ($2)"
	status=1
}

# The first line of a log that says what went wrong.
reason_of() {
	local r
	r=$(grep -m1 -E 'ftfuzz: MISMATCH|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|ft_malloc: ' "$1" |
		sed -e 's/^==[0-9]*==//' -e 's/[()]/ /g' | cut -c1-220)
	echo "${r:-see $1}"
}

regressions_for() {
	local t=$1 f base
	for f in corpus/regressions/*; do
		[ -f "$f" ] || continue
		base=$(basename "$f")
		case $base in
		README*) ;;
		"$t"-*) echo "$f" ;;
		ops-* | misuse-* | threads-*) ;;
		*) echo "$f" ;;	# no target named: every target replays it
		esac
	done
}

do_build() {
	local e
	for e in libfuzzer afl; do
		if bash fuzz/build.sh "$e" >"$out/build-$e.log" 2>&1; then
			pass "build-$e"
		else
			fail "build-$e" "$(grep -m1 -E 'error|not found' "$out/build-$e.log" | cut -c1-200)"
		fi
	done
}

do_replay() {
	local t files n log
	for t in $targets; do
		log=$out/replay-$t.log
		if [ ! -x "$lf/$t" ]; then
			fail "replay-$t" "no binary $lf/$t: run fuzz/run.sh build"
			continue
		fi
		n=$(find "corpus/$t" -type f 2>/dev/null | wc -l)
		if ! "$lf/$t" "${lf_opts[@]}" -runs=0 "corpus/$t" >"$log" 2>&1; then
			fail "replay-$t" "corpus/$t: $(reason_of "$log")"
			continue
		fi
		mapfile -t files < <(regressions_for "$t")
		if [ ${#files[@]} -gt 0 ] && ! "$lf/$t" "${lf_opts[@]}" "${files[@]}" >>"$log" 2>&1; then
			fail "replay-$t" "corpus/regressions: $(grep -m1 '^Running: ' "$log.last" 2>/dev/null)$(reason_of "$log")"
			continue
		fi
		echo "fuzz/replay-$t: $n corpus files, ${#files[@]} regressions"
		pass "replay-$t"
	done
}

# libFuzzer on target $1 for $2 seconds, in a scratch corpus seeded from ours.
run_libfuzzer() {
	local t=$1 secs=$2 dir=$out/libfuzzer-$t
	rm -rf "$dir"
	mkdir -p "$dir/corpus" "$dir/artifacts"
	"${norand[@]}" "$lf/$t" "${lf_opts[@]}" -seed="$seed" -max_total_time="$secs" \
		-dict="fuzz/dict/$t.dict" -artifact_prefix="$dir/artifacts/" -print_final_stats=1 \
		"$dir/corpus" "corpus/$t" >"$dir/log" 2>&1
	echo $? >"$dir/rc"
}

# AFL++ on target $1 for $2 seconds.
run_afl() {
	local t=$1 secs=$2 dir=$out/afl-$t
	rm -rf "$dir"
	mkdir -p "$dir"
	# no startup calibration: the replay has already run every seed, and
	# calibrating ~800 seeds of a stateful target takes longer than the run
	AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
		AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_NO_WARN_INSTABILITY=1 \
		AFL_NO_STARTUP_CALIBRATION=1 AFL_FAST_CAL=1 \
		ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1 \
		timeout -k 10 $((secs + 120)) afl-fuzz -i "corpus/$t" -o "$dir/out" -m none -t 5000+ \
		-x "fuzz/dict/$t.dict" -V "$secs" -- "$afl/$t" >"$dir/log" 2>&1
	echo $? >"$dir/rc"
}

report_libfuzzer() {
	local t=$1 dir=$out/libfuzzer-$t rc runs eps cov
	rc=$(cat "$dir/rc" 2>/dev/null || echo 99)
	runs=$(grep -m1 -oE 'stat::number_of_executed_units: *[0-9]+' "$dir/log" | grep -oE '[0-9]+$')
	eps=$(grep -m1 -oE 'stat::average_exec_per_sec: *[0-9]+' "$dir/log" | grep -oE '[0-9]+$')
	cov=$(grep -E '^#[0-9]+' "$dir/log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' )
	echo "fuzz/libfuzzer-$t: seed $seed, ${runs:-?} runs, ${eps:-?} exec/s, ${cov:-?}"
	if [ "$rc" = 0 ]; then
		pass "libfuzzer-$t"
	else
		fail "libfuzzer-$t" "$(reason_of "$dir/log"); input in $(ls "$dir"/artifacts/* 2>/dev/null | head -1)"
	fi
}

report_afl() {
	local t=$1 dir=$out/afl-$t rc stats crashes hangs h bad=
	rc=$(cat "$dir/rc" 2>/dev/null || echo 99)
	stats=$dir/out/default/fuzzer_stats
	if [ ! -f "$stats" ]; then
		fail "afl-$t" "afl-fuzz did not start (exit $rc): $(grep -m1 -E 'PROGRAM ABORT|ERROR|\[-\]' "$dir/log" | cut -c1-200)"
		return
	fi
	echo "fuzz/afl-$t: $(grep -E '^(execs_done|execs_per_sec|bitmap_cvg|stability|corpus_count)' "$stats" |
		awk -F' *: *' '{printf "%s %s, ", $1, $2}' | sed 's/, $//')"
	crashes=$(find "$dir/out/default/crashes" -type f ! -name README.txt 2>/dev/null | wc -l)
	hangs=$(find "$dir/out/default/hangs" -type f 2>/dev/null)
	if [ "$crashes" -gt 0 ]; then
		fail "afl-$t" "$crashes input(s) in $dir/out/default/crashes/"
		return
	fi
	# a hang counts when it still hangs (or crashes) under the libFuzzer build
	for h in $hangs; do
		if ! "$lf/$t" "${lf_opts[@]}" -timeout=60 "$h" >"$dir/hang.log" 2>&1; then
			bad=$h
			break
		fi
	done
	if [ -n "$bad" ]; then
		fail "afl-$t" "hang $bad: $(reason_of "$dir/hang.log")"
	elif [ "$rc" != 0 ]; then
		fail "afl-$t" "afl-fuzz exit status $rc: $(grep -m1 -E 'PROGRAM ABORT|\[-\]' "$dir/log" | cut -c1-200)"
	else
		[ -n "$hangs" ] && echo "fuzz/afl-$t: $(echo "$hangs" | wc -w) slow input(s) AFL++ called hangs run in under 60 s alone: not counted"
		pass "afl-$t"
	fi
}

do_fuzz() {
	local secs=$1 t
	for t in $targets; do
		if [ "${FUZZ_JOBS:-2}" -ge 2 ]; then
			run_libfuzzer "$t" "$secs" &
			run_afl "$t" "$secs" &
			wait
		else
			run_libfuzzer "$t" "$secs"
			run_afl "$t" "$secs"
		fi
		report_libfuzzer "$t"
		report_afl "$t"
	done
}

do_repro() {
	local file=${1:?usage: fuzz/run.sh repro FILE [TARGET]} t=${2:-}
	if [ -z "$t" ]; then
		case $(basename "$file") in
		ops-*) t=ops ;; misuse-*) t=misuse ;; threads-*) t=threads ;;
		esac
		for x in ops misuse threads; do
			case $file in *corpus/$x/* | *-$x/* | *"$x"-*) t=${t:-$x} ;; esac
		done
	fi
	t=${t:-ops}
	[ -x "$lf/$t" ] || bash fuzz/build.sh libfuzzer >/dev/null
	echo "== target $t, input $file ($(wc -c <"$file") bytes); trace on stderr"
	FZ_TRACE=${FZ_TRACE:-1} FZ_NO_CAPTURE=${FZ_NO_CAPTURE:-1} "${norand[@]}" "$lf/$t" "${lf_opts[@]}" "$file"
}

do_merge() {
	local t seeds=$out/seeds
	rm -rf "$seeds"
	python3 fuzz/tools/gen.py dict fuzz/dict >/dev/null
	python3 fuzz/tools/gen.py seeds "$seeds" >/dev/null
	for t in $targets; do
		local new=$out/merge-$t extra=()
		rm -rf "$new"
		mkdir -p "$new" "corpus/$t"
		for d in "$@"; do
			[ -d "$d/$t" ] && extra+=("$d/$t")
		done
		"$lf/$t" "${lf_opts[@]}" -merge=1 "$new" "corpus/$t" "$seeds/$t" "${extra[@]}" \
			>"$out/merge-$t.log" 2>&1 || { fail "merge-$t" "$(reason_of "$out/merge-$t.log")"; continue; }
		rm -rf "corpus/$t"
		mv "$new" "corpus/$t"
		echo "fuzz/merge-$t: $(ls "corpus/$t" | wc -l) files in corpus/$t"
		pass "merge-$t"
	done
}

mkdir -p "$out"
cmd=${1:-}
shift || true
case $cmd in
build) do_build ;;
replay) do_replay ;;
fuzz) do_fuzz "${1:-60}" ;;
repro) do_repro "$@" ;;
merge) do_merge "$@" ;;
*)
	sed -n '2,20p' "$0"
	exit 2
	;;
esac
exit $status
