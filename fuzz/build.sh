#!/usr/bin/env bash
# Builds the fuzz targets for one engine.
# Usage: fuzz/build.sh ENGINE [OUT_DIR [SRC_DIR]]
#   ENGINE   libfuzzer   clang -fsanitize=fuzzer,address,undefined
#            afl         afl-clang-fast with AFL_USE_ASAN/AFL_USE_UBSAN and the
#                        libFuzzer driver (libAFLDriver), persistent mode
#            aflcmplog   afl-clang-fast with AFL_LLVM_CMPLOG (campaign main's -c)
#            cov         clang source-based coverage (no sanitizer), libFuzzer
#                        main, for reports: llvm-cov show/report
#   OUT_DIR  default build/fuzz/ENGINE; binaries land in OUT_DIR/<target>
#   SRC_DIR  the allocator's src/ (default src/); the bite test points it at
#            a patched copy
# Every src/**/*.c is compiled with -DFT_NO_EXPORTS -DFT_FAULT_INJECTION: only
# the internal ftm_* names exist, so the sanitizers keep their own malloc.
# Rebuilds only what is older than its sources (or when the flags change).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
engine=${1:?usage: fuzz/build.sh libfuzzer|afl|aflcmplog|cov [OUT_DIR [SRC_DIR]]}
out=${2:-$root/build/fuzz/$engine}
src=${3:-$root/src}
src=$(cd "$src" && pwd)
inc=$(cd "$src/../include" 2>/dev/null && pwd || echo "$root/include")
targets=${FUZZ_TARGETS:-"ops misuse threads"}

common="-g -std=gnu11 -fno-omit-frame-pointer -pthread"
lib_defs="-DFT_NO_EXPORTS -DFT_FAULT_INJECTION -fvisibility=hidden -ftls-model=initial-exec \
 -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc -fno-builtin-realloc"
case $engine in
libfuzzer)
	cc=${FUZZ_CC:-clang}
	cflags="$common -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
	ldflags="-fsanitize=fuzzer,address,undefined -pthread"
	env_cc=()
	;;
afl)
	cc=${FUZZ_AFL_CC:-afl-clang-fast}
	cflags="$common -O1"
	ldflags="-fsanitize=fuzzer -pthread"
	env_cc=(env AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1)
	;;
aflcmplog)
	# the CmpLog binary of an AFL++ campaign's main instance (no sanitizer)
	cc=${FUZZ_AFL_CC:-afl-clang-fast}
	cflags="$common -O1"
	ldflags="-fsanitize=fuzzer -pthread"
	env_cc=(env AFL_LLVM_CMPLOG=1 AFL_QUIET=1)
	;;
cov)
	cc=${FUZZ_CC:-clang}
	cflags="$common -O0 -fprofile-instr-generate -fcoverage-mapping"
	ldflags="-fsanitize=fuzzer -fprofile-instr-generate -pthread"
	env_cc=()
	;;
*)
	echo "fuzz/build.sh: unknown engine $engine" >&2
	exit 2
	;;
esac
command -v "$cc" >/dev/null || { echo "fuzz/build.sh: $cc not found (bash tests/deps.sh installs it)" >&2; exit 1; }

mkdir -p "$out/obj"
stamp="$out/obj/flags"
sig="$cc $cflags $lib_defs $src"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sig" ]; then
	rm -rf "$out/obj"
	mkdir -p "$out/obj"
	echo "$sig" >"$stamp"
fi
newest_header=$(find "$src" "$inc" "$here/lib" -name '*.h' -o -name '*.def' | xargs ls -t | head -1)

# compile: object path <- source, if the object is older than it or any header
jobs=()
while IFS= read -r f; do
	rel=${f#"$src"/}
	o="$out/obj/lib/${rel%.c}.o"
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
		jobs+=("$f|$o|lib")
	fi
done < <(find "$src" -name '*.c' | sort)
for f in "$here/lib/fz.c" $(for t in $targets; do echo "$here/targets/$t.c"; done); do
	o="$out/obj/fz/$(basename "${f%.c}").o"
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest_header" -nt "$o" ]; then
		jobs+=("$f|$o|fz")
	fi
done
compile_one() {
	IFS='|' read -r f o kind <<<"$1"
	mkdir -p "$(dirname "$o")"
	if [ "$kind" = lib ]; then
		# show_alloc_mem walks the whole zone registry: without comparison
		# tracing there it costs microseconds, with it a third of a millisecond
		local extra=
		case "$f:$cflags" in
		*/show.c:*fsanitize=fuzzer-no-link*) extra=-fno-sanitize-coverage=trace-cmp ;;
		esac
		"${env_cc[@]}" $cc $cflags $extra $lib_defs -I"$inc" -I"$src" -c "$f" -o "$o"
	else
		"${env_cc[@]}" $cc $cflags -Wall -Wextra -I"$here/lib" -c "$f" -o "$o"
	fi
}
if [ ${#jobs[@]} -gt 0 ]; then
	export -f compile_one
	export cc cflags lib_defs inc src here
	export env_cc_s="${env_cc[*]:-}"
	# bash arrays do not cross export: rebuild env_cc in the child
	printf '%s\n' "${jobs[@]}" |
		xargs -P "$(nproc)" -I{} bash -c 'env_cc=(${env_cc_s}); compile_one "$1"' _ {}
fi

# link each target if any object is newer than it
lib_objs=$(find "$out/obj/lib" -name '*.o' | sort)
for t in $targets; do
	bin="$out/$t"
	objs="$lib_objs $out/obj/fz/fz.o $out/obj/fz/$t.o"
	need=0
	[ -f "$bin" ] || need=1
	for o in $objs; do
		[ "$o" -nt "$bin" ] && need=1
	done
	if [ $need = 1 ]; then
		"${env_cc[@]}" $cc $ldflags -o "$bin" $objs
	fi
done
echo "built $(for t in $targets; do printf '%s ' "$out/$t"; done)"
