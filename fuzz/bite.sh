#!/usr/bin/env bash
# "Does it bite": builds the harness against deliberately broken copies of the
# allocator and checks that libFuzzer finds each bug within FUZZ_BITE_SECONDS
# (default 60), starting from the target's corpus (FUZZ_BITE_FROM=corpus, the
# default: how make check fuzzes) or from nothing but the dictionary
# (FUZZ_BITE_FROM=empty: the search alone).
# src/ is never touched: each variant is a copy of it with one sed patch.
# Prints "fuzz/bite-<variant>: found in N s ..." and "PASS fuzz/bite-<variant>",
# or "FAIL fuzz/bite-<variant> (<reason>)".
#
#   fuzz/bite.sh [VARIANT...]     default: every variant below
# Environment: FUZZ_BITE_SECONDS, FUZZ_SEED (default 1), FUZZ_JOBS (default 2)
set -u
cd "$(dirname "$0")/.." || exit 1
root=$PWD
secs=${FUZZ_BITE_SECONDS:-60}
from=${FUZZ_BITE_FROM:-corpus}
seed=${FUZZ_SEED:-1}
jobs=${FUZZ_JOBS:-2}
work=$root/build/fuzz/bite
base=$root/build/fuzz/libfuzzer
status=0
for d in /usr/lib/llvm-14/bin /usr/lib/llvm-*/bin; do
	[ -x "$d/llvm-symbolizer" ] && { export PATH="$PATH:$d"; break; }
done
norand=()
setarch -R true 2>/dev/null && norand=(setarch -R)

# variant NAME TARGET FILE SED-SCRIPT WHAT: one deliberately broken allocator.
# A script may hold several expressions (one per form the code has had), as
# long as one of them changes the file.
names=() vtargets=() vfiles=() vscripts=() whats=()
variant() {
	names+=("$1") vtargets+=("$2") vfiles+=("$3") vscripts+=("$4") whats+=("$5")
}
variant slot-twice ops core/slab.c \
	's/s->live\[w\] |= 1ull << bit;/if (slot != 5) s->live[w] |= 1ull << bit;/
	 s/s->live\[w\] = ft_word_set(s->live\[w\], bit);/if (slot != 5) s->live[w] = ft_word_set(s->live[w], bit);/
	 s/s->words\[w\].live = ft_word_set(s->words\[w\].live, bit);/if (slot != 5) s->words[w].live = ft_word_set(s->words[w].live, bit);/' \
	"the slab hands slot 5 out without marking it: two live blocks share it"
variant realloc-short-copy ops api/malloc.c \
	's/memcpy(fresh, ptr, usable < size ? usable : size);/memcpy(fresh, ptr, (usable < size ? usable : size) - 1);/' \
	"realloc that moves a block copies one byte too few"
variant calloc-dirty-reuse ops api/large.c \
	's/memset(p, 0, size);/(void)zero;/' \
	"calloc served from the LARGE cache is not zeroed"
variant size-class-short ops core/size_class.c \
	's|(size + 15) / 16\([];)]\)|(size + 14) / 16\1|' \
	"sizes 16k+1 (k < 64) get a slot one class too small"
variant show-large-total ops api/show.c \
	's/return item->req;/return 0;/' \
	"show_alloc_mem leaves LARGE blocks out of the total"
variant errno-lost ops api/small.c \
	'0,/errno = ENOMEM;/s//(void)0;/' \
	"a TINY/SMALL allocation that cannot map a zone returns NULL without ENOMEM"
variant shrink-guard-early ops api/large.c \
	's/ft_os_guard(p + new_len - FT_PAGE_SIZE, FT_PAGE_SIZE);/ft_os_guard(p + new_len - 2 * FT_PAGE_SIZE, FT_PAGE_SIZE);/' \
	"a LARGE block shrunk in place gets its guard page one page too early"
variant interior-free-accepted misuse core/slab.c \
	's/return FT_INTERIOR;/(void)0;/' \
	"free of an interior pointer frees the slot instead of reporting it"
variant double-free-silent misuse api/malloc.c \
	's/ft_report_misuse(FT_OP_FREE, w.verdict, addr);/(void)0;/
	 s/ft_report_misuse(FT_OP_FREE, verdict, addr);/(void)0;/' \
	"a double or interior free in a zone is ignored without a report"
variant remote-free-listed threads api/show.c \
	's/(__atomic_load_n(&s->remote\[slot \/ 64\], __ATOMIC_RELAXED) & mask))/0)/
	 s/(__atomic_load_n(&s->words\[slot \/ 64\].remote, __ATOMIC_RELAXED) & mask))/0)/' \
	"show_alloc_mem lists blocks other threads have freed"

# Builds variant number $1 into $work/<name> and fuzzes it; writes <name>/result.
run_variant() {
	local i=$1 name=${names[$1]} target=${vtargets[$1]} file=${vfiles[$1]}
	local script=${vscripts[$1]} what=${whats[$1]} dir t0 t1 rc
	dir=$work/$name
	rm -rf "$dir"
	mkdir -p "$dir/src" "$dir/out" "$dir/corpus" "$dir/artifacts"
	# the copy keeps src/'s times, so only the patched file is newer than the
	# objects reused from the main build
	cp -rp "$root/src/." "$dir/src/"
	if [ ! -f "$dir/src/$file" ]; then
		echo "FAIL fuzz/bite-$name (src/$file does not exist)" >"$dir/result"
		return
	fi
	sed -i -e "$script" "$dir/src/$file"
	if cmp -s "$root/src/$file" "$dir/src/$file"; then
		echo "FAIL fuzz/bite-$name (the patch no longer applies to src/$file: update fuzz/bite.sh)" >"$dir/result"
		return
	fi
	if [ -d "$base/obj/lib" ]; then
		mkdir -p "$dir/out/obj"
		cp -rp "$base/obj/." "$dir/out/obj/"
		echo "$(sed "s|$root/src\$|$dir/src|" "$base/obj/flags")" >"$dir/out/obj/flags"
	fi
	if ! FUZZ_TARGETS=$target bash fuzz/build.sh libfuzzer "$dir/out" "$dir/src" >"$dir/build.log" 2>&1; then
		echo "FAIL fuzz/bite-$name (build failed: $(grep -m1 error "$dir/build.log" | cut -c1-160))" >"$dir/result"
		return
	fi
	t0=$(date +%s)
	"${norand[@]}" "$dir/out/$target" -seed="$seed" -max_total_time="$secs" -rss_limit_mb=4096 \
		-timeout=30 -max_len=4096 -detect_leaks=0 -dict="fuzz/dict/$target.dict" \
		-artifact_prefix="$dir/artifacts/" "$dir/corpus" \
		$([ "$from" = corpus ] && echo "$root/corpus/$target") >"$dir/log" 2>&1
	rc=$?
	t1=$(date +%s)
	if [ $rc -ne 0 ] && ls "$dir"/artifacts/* >/dev/null 2>&1; then
		local how art
		how=$(grep -m1 -E 'ftfuzz: MISMATCH|ERROR: AddressSanitizer|runtime error:|deadly signal' "$dir/log" |
			sed -e 's/^==[0-9]*==//' -e 's/[()]/ /g' | cut -c1-150)
		art=$(ls "$dir"/artifacts/* | head -1)
		# the input must pass on the allocator without the patch
		if ! "$base/$target" -rss_limit_mb=4096 -timeout=30 -detect_leaks=0 "$art" >"$dir/unpatched.log" 2>&1; then
			echo "FAIL fuzz/bite-$name (found a crash the unpatched allocator has too: $art; $how)" >"$dir/result"
		else
			{
				echo "fuzz/bite-$name: found in $((t1 - t0)) s, from $([ "$from" = corpus ] && echo "corpus/$target" || echo "an empty corpus"): $how"
				echo "PASS fuzz/bite-$name"
			} >"$dir/result"
		fi
	else
		echo "FAIL fuzz/bite-$name (not found in $secs s, from $([ "$from" = corpus ] && echo "corpus/$target" || echo "an empty corpus"): $what)" >"$dir/result"
	fi
}

# the unpatched build, up to date: variants reuse its objects, and every input
# that breaks a variant must pass on it
bash fuzz/build.sh libfuzzer >/dev/null 2>&1 || { echo "FAIL fuzz/bite (fuzz/build.sh libfuzzer failed)"; exit 1; }
mkdir -p "$work"
selected=()
for i in "${!names[@]}"; do
	if [ $# -eq 0 ] || printf '%s\n' "$@" | grep -qx "${names[$i]}"; then
		selected+=("$i")
	fi
done
running=0
for i in "${selected[@]}"; do
	run_variant "$i" &
	running=$((running + 1))
	if [ $running -ge "$jobs" ]; then
		wait -n
		running=$((running - 1))
	fi
done
wait
for i in "${selected[@]}"; do
	name=${names[$i]}
	cat "$work/$name/result" 2>/dev/null || echo "FAIL fuzz/bite-$name (no result)"
	grep -q '^PASS ' "$work/$name/result" 2>/dev/null || status=1
done
exit $status
