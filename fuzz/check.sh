#!/usr/bin/env bash
# The fuzzing step of `make check`: builds both engines' harnesses, replays the
# whole corpus (corpus/<target>/ and corpus/regressions/), fuzzes every target
# with libFuzzer (seed FUZZ_SEED, default 1, reproducible) and AFL++ side by
# side for FUZZ_CHECK_SECONDS each (default 60), then runs the bug-injection
# test (fuzz/bite.sh, FUZZ_BITE_SECONDS per variant). One line per check:
# "PASS fuzz/<name>" or "FAIL fuzz/<name> (<reason>)"; non-zero exit on any
# failure: a crash, a sanitizer report, an AFL++ crashes/ entry, a mismatch
# with the shadow model, an injected bug that was not found.
# About 5 minutes on 2 cores. FUZZ_CHECK_BITE=0 skips the injection test.
set -u
cd "$(dirname "$0")/.." || exit 1
start=$(date +%s)
status=0
secs=${FUZZ_CHECK_SECONDS:-60}
export FUZZ_OUT=${FUZZ_OUT:-$PWD/build/fuzz/check}
rm -rf "$FUZZ_OUT"
mkdir -p "$FUZZ_OUT"

bash fuzz/run.sh build || status=1
if [ $status -eq 0 ]; then
	bash fuzz/run.sh replay || status=1
	bash fuzz/run.sh fuzz "$secs" || status=1
	if [ "${FUZZ_CHECK_BITE:-1}" != 0 ]; then
		FUZZ_BITE_SECONDS=${FUZZ_BITE_SECONDS:-60} bash fuzz/bite.sh || status=1
	fi
fi
echo "fuzz/check.sh took $(( $(date +%s) - start )) s (logs in $FUZZ_OUT, build/fuzz/bite)"
exit $status
