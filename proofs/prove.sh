#!/usr/bin/env bash
# proofs/prove.sh FILE.c... — the proof gate (Frama-C WP, with -wp-rte).
#
#   bash proofs/prove.sh src/core/*.c        (from the repository root; `make prove`)
#
# 1. Builds, if missing, a project-local Why3 configuration in proofs/.why3/
#    (why3 config detect + cvc5 through proofs/cvc5.drv) and checks that WP can
#    use cvc4, z3 and cvc5 (proofs/prover-check.c: one true goal each must prove,
#    one false goal none may prove).
# 2. Runs WP on each file in its own frama-c process, one more process at a
#    time than there are cores, provers in stages: cvc4 on every goal, then z3
#    on what is left, then cvc5 on the rest.
# 3. Prints "PASS|FAIL prove FILE: V/T goals" per file (unproved goals listed
#    below a FAIL), the totals and the share of src/ lines that are in src/core/.
#    Exits non-zero if any goal is not valid, if any property WP handled stays
#    unknown (report plugin), or if frama-c itself fails.
#
# Full log: build/prove.log; per-file JSON and CSV reports: build/prove-runs.tar.  Environment knobs (all optional):
#   PROVE_TIMEOUT  seconds per goal and prover (default 15)
#   PROVE_JOBS     frama-c processes at once  (default: cores + 1)
#   PROVE_PAR      prover processes in all    (default PROVE_JOBS; each process gets PROVE_PAR / PROVE_JOBS)
#   PROVE_CACHE    0 disables the WP cache in proofs/.cache/ (default 1)
set -u -o pipefail

t_start=$(date +%s)
proofs_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$proofs_dir")
timeout=${PROVE_TIMEOUT:-15}
# One process more than cores: a frama-c process leaves its core idle between
# goals (on 2 cores with 2 processes, 874 s of CPU in 572 s, a quarter idle);
# with 3, the proof from nothing took 466 s.
jobs=${PROVE_JOBS:-$(( $(nproc 2>/dev/null || echo 1) + 1 ))}
par=${PROVE_PAR:-$jobs}
use_cache=${PROVE_CACHE:-1}

die() { echo "prove: $*" >&2; exit 2; }

[ $# -gt 0 ] || die "usage: bash proofs/prove.sh FILE.c... (no file given)"
for tool in frama-c why3 python3; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (tests/deps.sh installs it)"
done

# Files relative to the repository root: -Isrc -Iinclude are relative to it.
files=()
for f in "$@"; do
	[ -f "$f" ] || die "no such file: $f"
	files+=("$(realpath --relative-to="$root" "$f")")
done
cd "$root" || die "cannot cd to $root"

mkdir -p build || die "cannot create build/"
log=build/prove.log
work=$(mktemp -d "${TMPDIR:-/tmp}/prove.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$work"' EXIT

# ---- 1. Why3 configuration -------------------------------------------------------
w3dir=$proofs_dir/.why3
w3conf=$w3dir/why3.conf
export WHY3CONFIG=$w3conf

build_why3_config() {
	local datadir cvc5 cvc5_version tmp=$work/why3.conf
	mkdir -p "$w3dir" || return 1
	datadir=$(why3 --print-datadir 2>/dev/null) || { echo "why3 --print-datadir failed"; return 1; }
	[ -f "$datadir/drivers/cvc4_16.gen" ] || { echo "missing $datadir/drivers/cvc4_16.gen"; return 1; }
	if ! why3 -C "$tmp" config detect >"$work/detect.log" 2>&1; then
		cat "$work/detect.log"; return 1
	fi
	cvc5=$(command -v cvc5) || { echo "cvc5 is not installed"; return 1; }
	cvc5_version=$("$cvc5" --version 2>/dev/null | sed -n 's/^This is cvc5 version \([0-9][0-9.]*\).*/\1/p' | head -n 1)
	[ -n "$cvc5_version" ] || { echo "cannot read the version of $cvc5"; return 1; }
	# Why3 resolves `import` relative to the importing driver: point it at the datadir.
	sed "s|^import \"\([^/\"]*\)\"|import \"$datadir/drivers/\1\"|" \
		"$proofs_dir/cvc5.drv" >"$w3dir/cvc5.drv" || return 1
	cat >>"$tmp" <<-EOF

	[prover]
	command = "$cvc5 --tlimit-per=%t000 --lang=smt2 %f"
	driver = "$w3dir/cvc5.drv"
	editor = ""
	in_place = false
	interactive = false
	name = "CVC5"
	shortcut = "cvc5"
	version = "$cvc5_version"
	EOF
	mv "$tmp" "$w3conf"
}

# Runs the three provers on proofs/prover-check.c; prints what is wrong, if anything.
check_provers() {
	local out=$work/check
	mkdir -p "$out"
	frama-c "$proofs_dir/prover-check.c" -wp -wp-prover cvc4,z3,cvc5 -wp-run-all-provers \
		-wp-timeout 3 -wp-par "$par" -wp-report-json "$out/check.json" >"$out/check.log" 2>&1
	local rc=$?
	if [ ! -s "$out/check.json" ]; then
		echo "frama-c failed on the prover check (exit $rc):"; sed 's/^/    /' "$out/check.log"
		return 1
	fi
	python3 - "$out/check.json" "$out/check.log" <<-'PY'
	import json, sys
	axs = json.load(open(sys.argv[1])).get("wp:axiomatics", {}).get("", {})
	good, bad = axs.get("lemma_must_prove", {}), axs.get("lemma_must_not_prove", {})
	errors = []
	for p in ("CVC4", "Z3", "CVC5"):
	    keys = [k for k in good if k.split(":")[0] == p]
	    if not keys or good[keys[0]].get("valid", 0) != 1:
	        errors.append("%s does not prove a trivial goal" % p)
	    for k in [k for k in bad if k.split(":")[0] == p]:
	        if bad[k].get("valid", 0):
	            errors.append("%s proves a false goal (broken driver?)" % p)
	if bad.get("wp:main", {}).get("valid", 0):
	    errors.append("a false goal was proved")
	if errors:
	    print("\n".join(errors)); print("---- frama-c output:")
	    sys.stdout.write("".join("    " + l for l in open(sys.argv[2])))
	    sys.exit(1)
	PY
}

t0=$(date +%s)
if [ ! -s "$w3conf" ] || [ ! -s "$w3dir/cvc5.drv" ] || [ "$proofs_dir/cvc5.drv" -nt "$w3conf" ]; then
	msg=$(build_why3_config) || { echo "FAIL prove: cannot build $w3conf:"; echo "$msg" | sed 's/^/    /'; exit 1; }
fi
if ! msg=$(check_provers); then
	# Stale configuration (provers upgraded or moved)? Rebuild once and retry.
	rm -f "$w3conf"
	msg2=$(build_why3_config) || { echo "FAIL prove: cannot build $w3conf:"; echo "$msg2" | sed 's/^/    /'; exit 1; }
	if ! msg=$(check_provers); then
		echo "FAIL prove: WP cannot use every prover (config $w3conf):"
		echo "$msg" | sed 's/^/    /'
		exit 1
	fi
fi
t_check=$(( $(date +%s) - t0 ))

# ---- 2. WP -------------------------------------------------------------------------
# One frama-c process per file (each file's functions are proved against the
# contracts in the headers, whichever file their bodies are in), $jobs at a time,
# largest first: frama-c generates and simplifies goals in a single thread, so
# this is what uses the second core. Provers run in stages in each process:
# cvc4 on every goal, then z3 on what is left, then cvc5 on what is still left.
cache=()
if [ "$use_cache" != 0 ]; then
	mkdir -p "$proofs_dir/.cache"
	cache=(-wp-session "$proofs_dir/.cache" -wp-cache update)
fi
wp_par=$(( par / jobs )); [ "$wp_par" -ge 1 ] || wp_par=1

# prove_one N FILE: runs WP on FILE; results in $work/run.N/.
prove_one() {
	local dir=$work/run.$1 f=$2 rc
	mkdir -p "$dir"
	echo "$f" >"$dir/files"
	local cmd=(frama-c -cpp-extra-args="-Isrc -Iinclude -D__FRAMAC__" "$f"
		-kernel-warn-key annot-error=abort
		-metrics -metrics-by-function
		-then -no-metrics
		-wp -wp-rte -wp-par "$wp_par" -wp-timeout "$timeout" "${cache[@]}"
		-wp-prover cvc4 -wp-report-json "$dir/stage1.json"
		-then -wp -wp-prover z3 -wp-report-json "$dir/stage2.json"
		-then -wp -wp-prover cvc5 -wp-report-json "$dir/stage3.json"
		-then -report-classify -report-unclassified-unknown ERROR -report-output "$dir/classify.json"
		-report-csv "$dir/properties.csv" -report-untried)
	local t0=$(date +%s)
	{ printf '#'; printf ' %q' "${cmd[@]}"; echo; } >"$dir/log"
	"${cmd[@]}" >>"$dir/log" 2>&1
	rc=$?
	echo "$rc" >"$dir/rc"
	echo "# frama-c exit status: $rc ($(( $(date +%s) - t0 ))s)" >>"$dir/log"
}

# Largest first (source plus its header), so that the long ones start early.
mapfile -t order < <(for f in "${files[@]}"; do
	h=${f%.c}.h; echo "$(cat "$f" "$([ -f "$h" ] && echo "$h" || echo "$f")" | wc -c) $f"
done | sort -rn | cut -d' ' -f2-)

rm -f build/prove-wp.json build/prove-classify.json build/prove-properties.csv build/prove-runs.tar
t0=$(date +%s)
n=0
for f in "${order[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	n=$((n + 1))
	prove_one "$n" "$f" &
done
wait
t_wp=$(( $(date +%s) - t0 ))
runs=()
{
	echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC') in $root"
	echo "# WHY3CONFIG=$WHY3CONFIG"
	for i in $(seq 1 "$n"); do
		echo "# ==== $(cat "$work/run.$i/files")"
		cat "$work/run.$i/log"
		runs+=(--run "$work/run.$i")
	done
} >"$log"
(cd "$work" && tar cf "$root/build/prove-runs.tar" run.*/stage3.json run.*/classify.json \
	run.*/properties.csv run.*/files 2>/dev/null)

# ---- 3. Report ---------------------------------------------------------------------
python3 "$proofs_dir/report.py" "${runs[@]}"
status=$?
t_all=$(( $(date +%s) - t_start ))
echo "elapsed: ${t_all}s (prover check ${t_check}s, frama-c ${t_wp}s in $jobs processes; timeout ${timeout}s per goal, -wp-par $wp_par each)"
[ "$status" -eq 0 ] || echo "full log: $log"
exit "$status"
