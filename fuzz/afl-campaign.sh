#!/usr/bin/env bash
# A long AFL++ campaign on one target: one main instance (-M, with a CmpLog
# binary for input-to-state comparisons) and N secondaries (-S, each with its
# own power schedule), all on the ASan+UBSan build, sharing one sync dir.
# Resumes when the output dir exists. At the end: afl-whatsup's summary, every
# crash listed (exit status 1 when there is any), and the union of the queues
# in OUT/queue-all/<target>/ for `fuzz/run.sh merge OUT/queue-all`.
#
#   fuzz/afl-campaign.sh TARGET SECONDS [SECONDARIES [OUT]]
#   e.g. fuzz/afl-campaign.sh ops 3600 1      (1 CPU-hour on each of 2 cores)
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
t=${1:?usage: fuzz/afl-campaign.sh TARGET SECONDS [SECONDARIES [OUT]]}
secs=${2:-3600}
n=${3:-1}
out=${4:-$root/build/fuzz/campaign/$t}
bash fuzz/build.sh afl >/dev/null || exit 1
FUZZ_TARGETS=$t bash fuzz/build.sh aflcmplog >/dev/null || exit 1
bin=$root/build/fuzz/afl/$t
cmplog=$root/build/fuzz/aflcmplog/$t
mkdir -p "$out"
input=(-i "corpus/$t")
[ -d "$out/main/queue" ] && input=(-i -)	# resume
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
	AFL_NO_WARN_INSTABILITY=1 AFL_IMPORT_FIRST=1 AFL_NO_AFFINITY=${AFL_NO_AFFINITY:-1} \
	AFL_AUTORESUME=1
export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:allocator_may_return_null=1
common=(-o "$out" -m none -t 5000+ -x "fuzz/dict/$t.dict" -V "$secs")
pids=()
afl-fuzz "${input[@]}" "${common[@]}" -M main -c "$cmplog" -- "$bin" >"$out/main.log" 2>&1 &
pids+=($!)
schedules=(explore fast coe lin quad exploit rare)
for i in $(seq 1 "$n"); do
	sleep 2
	afl-fuzz "${input[@]}" "${common[@]}" -S "sec$i" -p "${schedules[$(( (i - 1) % 7 ))]}" \
		-- "$bin" >"$out/sec$i.log" 2>&1 &
	pids+=($!)
done
echo "afl-campaign: target $t, $secs s, main + $n secondaries in $out (pids ${pids[*]})"
wait "${pids[@]}"
afl-whatsup -s -d "$out" 2>/dev/null | sed -n '/Summary stats/,$p'
for s in "$out"/*/fuzzer_stats; do
	inst=$(basename "$(dirname "$s")")
	echo "$inst: $(grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|bitmap_cvg|saved_crashes|saved_hangs|stability)' "$s" |
		awk -F' *: *' '{printf "%s %s, ", $1, $2}' | sed 's/, $//')"
done
rm -rf "$out/queue-all/$t"
mkdir -p "$out/queue-all/$t"
find "$out"/*/queue -maxdepth 1 -type f -exec cp {} "$out/queue-all/$t/" \; 2>/dev/null
crashes=$(find "$out"/*/crashes -type f ! -name README.txt 2>/dev/null)
if [ -n "$crashes" ]; then
	echo "afl-campaign: CRASHES (reproduce with: make fuzz-repro FILE=... FUZZ_TARGET=$t):"
	echo "$crashes"
	exit 1
fi
echo "afl-campaign: no crashes; queue union in $out/queue-all/$t"
