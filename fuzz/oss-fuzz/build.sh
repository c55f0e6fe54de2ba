#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for ft_malloc.
# Run from the top of the repository with the usual variables set:
#   CC CXX CFLAGS CXXFLAGS  compiler and flags (sanitizer and coverage flags included)
#   LIB_FUZZING_ENGINE      the engine to link (-fsanitize=fuzzer, libAFLDriver.a, ...)
#   OUT                     where fuzzers, options files, dictionaries and seed zips go
# It builds one fuzzer per target of fuzz/targets/ (ft_malloc_ops,
# ft_malloc_misuse, ft_malloc_threads), each with <name>.dict, <name>.options
# and <name>_seed_corpus.zip (corpus/<target>/ plus its regressions).
# fuzz/oss-fuzz/test-local.sh runs it on this machine.
: "${CC:?}" "${CXX:?}" "${CFLAGS:=}" "${CXXFLAGS:=}" "${LIB_FUZZING_ENGINE:?}" "${OUT:?}"
WORK=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$WORK/obj"

# The allocator under its internal names only (the sanitizers keep their own
# malloc), with the mmap-failure hook for the fault-injection operation.
LIB_FLAGS="-std=gnu11 -DFT_NO_EXPORTS -DFT_FAULT_INJECTION -fvisibility=hidden \
 -ftls-model=initial-exec -fno-builtin-malloc -fno-builtin-free -fno-builtin-calloc \
 -fno-builtin-realloc -Iinclude -Isrc"
objs=()
while IFS= read -r f; do
	o="$WORK/obj/$(echo "${f%.c}" | tr / _).o"
	$CC $CFLAGS $LIB_FLAGS -c "$f" -o "$o"
	objs+=("$o")
done < <(find src -name '*.c' | sort)
$CC $CFLAGS -std=gnu11 -Ifuzz/lib -c fuzz/lib/fz.c -o "$WORK/obj/fz.o"

for src in fuzz/targets/*.c; do
	t=$(basename "$src" .c)
	name=ft_malloc_$t
	$CC $CFLAGS -std=gnu11 -Ifuzz/lib -c "$src" -o "$WORK/obj/target_$t.o"
	$CXX $CXXFLAGS "$WORK/obj/target_$t.o" "$WORK/obj/fz.o" "${objs[@]}" \
		$LIB_FUZZING_ENGINE -lpthread -o "$OUT/$name"
	cp "fuzz/dict/$t.dict" "$OUT/$name.dict"
	cat >"$OUT/$name.options" <<OPTIONS
[libfuzzer]
dict = $name.dict
max_len = 4096
rss_limit_mb = 4096
timeout = 30
detect_leaks = 0
OPTIONS
	rm -f "$OUT/${name}_seed_corpus.zip"
	seeds=$(find "corpus/$t" -type f 2>/dev/null; find corpus/regressions -type f -name "$t-*" 2>/dev/null)
	if [ -n "$seeds" ]; then
		echo "$seeds" | zip -q -j "$OUT/${name}_seed_corpus.zip" -@
	fi
done
