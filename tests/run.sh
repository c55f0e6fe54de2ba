#!/usr/bin/env bash
# Runs every test program and script, shows their output, and ends with the
# count of PASS and FAIL lines: "N passed, N failed". Exit status is non-zero
# when anything failed (a failed check, or a program that crashed or exited
# non-zero without saying why).
# Usage: tests/run.sh BUILD_DIR LIBRARY
set -u
build=$1
lib=$2
log=$(mktemp)
status=0
run_one() {
	local name=$1; shift
	echo "== $name"
	"$@" > "$log.out" 2>&1
	local rc=$?
	cat "$log.out"
	cat "$log.out" >> "$log"
	if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$log.out"; then
		echo "FAIL $name (exit status $rc)" | tee -a "$log"
	fi
	[ $rc -ne 0 ] && status=1
}
for t in "$build"/tests/unit/* "$build"/tests/api/*; do
	[ -x "$t" ] || continue
	run_one "${t#$build/}" "$t"
done
for s in tests/programs/*.sh; do
	[ -f "$s" ] || continue
	run_one "$s" bash "$s" "$lib"
done
passed=$(grep -c '^PASS ' "$log")
failed=$(grep -c '^FAIL ' "$log")
rm -f "$log" "$log.out"
[ "$failed" -ne 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
