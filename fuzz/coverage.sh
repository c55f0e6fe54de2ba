#!/usr/bin/env bash
# Line and branch coverage of the allocator (src/) by the corpus: builds the
# targets with clang's source-based coverage, replays corpus/<target>/ (plus
# any DIR given, e.g. a campaign's queue-all/) and prints llvm-cov's report.
#   fuzz/coverage.sh [DIR...]     HTML in build/fuzz/coverage/html/
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
out=$root/build/fuzz/coverage
targets=${FUZZ_TARGETS:-ops misuse threads}
bash fuzz/build.sh cov >/dev/null || exit 1
rm -rf "$out/profraw" && mkdir -p "$out/profraw"
bins=()
for t in $targets; do
	dirs=("corpus/$t")
	for d in "$@"; do [ -d "$d/$t" ] && dirs+=("$d/$t"); done
	LLVM_PROFILE_FILE="$out/profraw/$t-%p.profraw" "$root/build/fuzz/cov/$t" -runs=0 \
		-rss_limit_mb=4096 "${dirs[@]}" >"$out/$t.log" 2>&1 || echo "coverage: $t replay failed (see $out/$t.log)"
	bins+=(-object "$root/build/fuzz/cov/$t")
done
llvm-profdata merge -sparse "$out"/profraw/*.profraw -o "$out/all.profdata"
first=${bins[1]}
llvm-cov report "$first" "${bins[@]:2}" -instr-profile="$out/all.profdata" "$root/src" 2>/dev/null |
	sed "s|$root/||"
llvm-cov show "$first" "${bins[@]:2}" -instr-profile="$out/all.profdata" -format=html \
	-output-dir="$out/html" "$root/src" >/dev/null 2>&1 && echo "coverage: HTML in $out/html/index.html"
