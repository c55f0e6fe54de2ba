#!/usr/bin/env bash
# `make check`: installs any missing tool, builds the library and the tests,
# runs the proofs and every test, and ends with one line "N passed, N failed"
# counting every PASS and FAIL line printed on the way.
set -u
cd "$(dirname "$0")/.." || exit 1
mkdir -p build
log=build/check.log
: > "$log"
start=$(date +%s)

# Runs a step, keeps its output in the log, and records a FAIL line for a step
# that failed without saying which check failed.
step() {
	local name=$1
	shift
	echo "== $name"
	"$@" 2>&1 | tee -a "$log" | tee "$log.step"
	local rc=${PIPESTATUS[0]}
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL ' "$log.step"; then
		echo "FAIL $name (exit status $rc)" | tee -a "$log"
	elif [ "$rc" -eq 0 ] && ! grep -q '^PASS ' "$log.step"; then
		echo "PASS $name" | tee -a "$log"
	fi
	rm -f "$log.step"
	return "$rc"
}

step "toolchain installed" bash tests/deps.sh || true
if step "build" make -s all tests; then
	step "proofs" make -s prove
	step "tests" bash tests/run.sh build "$PWD/libft_malloc.so"
	step "fuzzing" bash fuzz/check.sh
fi

passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
echo "make check took $(( $(date +%s) - start )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
