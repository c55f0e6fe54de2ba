#!/usr/bin/env bash
# proofs/mutants.sh — a proof that cannot fail proves nothing.
#
# Applies deliberate bugs, one at a time, to a copy of the core and runs the
# proof gate on the mutated file. Every mutant must make the gate fail.
# Prints "PASS mutant NAME: rejected (...)" or
# "FAIL mutant NAME: ..." per mutant and exits non-zero if any mutant was
# proved (or could not be applied). `make prove` checks the unmutated core.
#
#   bash proofs/mutants.sh            (make prove-mutants)
set -u -o pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2
work=$(mktemp -d "${TMPDIR:-/tmp}/mutants.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

# name @ file @ sed expression (must change the file) @ the property it breaks
mutants=(
	"locate-bound-off-by-one@src/core/slab.c@s/if (off >= (uint64_t)s->nslots \* s->slot_size)/if (off > (uint64_t)s->nslots * s->slot_size)/@an address one past the slots is judged inside"
	"locate-guess-unchecked@src/core/slab.c@s/if (prod <= off \&\& off - prod < s->slot_size)/if (prod <= off)/@a reciprocal that guesses a quotient too small goes unnoticed, and an address is judged the wrong slot"
	"release-clears-wrong-bit@src/core/slab.c@s/ft_word_clear(s->words\[w\].live, b)/ft_word_clear(s->words[w].live, (b + 1) % 64)/@free clears a neighbour's bit"
	"double-free-accepted@src/core/slab.c@s#if (!ft_word_has(s->words\[index / 64\].live, index % 64)#if (0#@a freed slot is accepted again"
	"alloc-ignores-remote-frees@src/core/slab.c@s/ft_word_free(s->words\[w\].live, s->words\[w\].remote)/ft_word_free(s->words[w].live, 0)/@a slot with a pending remote free is handed out"
	"mark-cleared-too-soon@src/core/slab.c@s/if (s->words\[w\].live == ft_word_ones())/if (s->words[w].live != 0)/@a word that still has a free slot loses its mark, so the slot is never found again"
	"free-marks-the-sink@src/core/slab.c@s/mark = ft_word_has(avail, w) ? \&s->avail_sink : \&s->avail;/mark = ft_word_has(avail, w) ? \&s->avail : \&s->avail_sink;/@a free into a word marked full leaves the mark, so the freed slot is never found again"
	"alloc-forgets-count@src/core/slab.c@s/^\ts->nlive++;//@the live count drifts from the slots handed out"
	"large-no-guard-page@src/core/large.c@s/return (pages + 1) \* FT_PAGE_SIZE;/return pages * FT_PAGE_SIZE;/@a LARGE mapping without its guard page"
	"zone-hands-out-metadata@src/core/zone.c@s/for (i = z->first_slab; i < z->nslabs; i++)/for (i = 0; i < z->nslabs; i++)/@a slab position inside the metadata area"
	"slot-address-shifted@src/core/slab.c@s/uint64_t addr = ft_slot_sum(s->base, slot, s->slot_size);/uint64_t addr = ft_slot_sum(s->base, slot + 1, s->slot_size);/@a slot address past its slot, overlapping the next"
	"place-ignores-kind@src/core/place.c@s/if (ft_class_kind(cls) != z->kind)/if (0)/@a TINY class placed in a SMALL zone"
	"take-keeps-full-slab@src/core/slot.c@s/return slot >= 0 \&\& s->nlive < s->nslots;/return slot >= 0;/@a slab with no free slot left stays on its class's list"
	"remote-frees-past-the-end@src/core/slot.c@s/if (slot >= s->nslots || ft_slab_release(s, slot) != FT_OK)/if (ft_slab_release(s, slot) != FT_OK)/@a remote free of a bit past the last slot is taken in"
	"pick-zone-of-other-kind@src/core/heap.c@s/h->zone_kind\[i\] == kind \&\& h->zone_room\[i\] > 0/h->zone_room[i] > 0/@a new slab goes into a zone of another kind"
	"push-jumps-the-head@src/core/heap.c@s/if (h->head\[cls\] == FT_NONE)/if (1)/@a slab that gets a free slot goes in front of the slab being filled"
	"page-budget-forgets-the-slab@src/core/policy.c@s/dirty <= FT_DIRTY_MAX - bytes/dirty <= FT_DIRTY_MAX/@a retired slab keeps its pages although they take the heap past its budget"
	"grow-takes-shortest@src/core/large_cache.c@s/(best < 0 || c->len\[i\] > c->len\[best\])/(best < 0 || c->len[i] < c->len[best])/@a request longer than every cached mapping grows the shortest, and faults in more pages than it had to"
	"class-too-small@src/core/size_class.c@s/^\t0,  0,  1,  2,  3,/\t0,  0,  0,  2,  3,/@a 32-byte request gets a 16-byte slot"
)

# The copy shares the Why3 configuration and the cache of the real tree.
mkdir -p "$work/tree"
cp -r src include proofs "$work/tree/" 2>/dev/null
rm -rf "$work/tree/proofs/.cache"
[ -d proofs/.cache ] && ln -s "$root/proofs/.cache" "$work/tree/proofs/.cache"

failed=0
for m in "${mutants[@]}"; do
	IFS='@' read -r name file expr what <<< "$m"
	rm -rf "$work/tree/src"
	cp -r src "$work/tree/src"
	sed -i "$expr" "$work/tree/$file"
	if cmp -s "$file" "$work/tree/$file"; then
		echo "FAIL mutant $name: the mutation did not apply to $file (update proofs/mutants.sh)"
		failed=1
		continue
	fi
	out=$(cd "$work/tree" && PROVE_TIMEOUT=${PROVE_TIMEOUT:-10} bash proofs/prove.sh "$file" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && grep -q "^FAIL prove" <<< "$out"; then
		goals=$(grep -E '^FAIL prove|^    ' <<< "$out" | head -3 | sed 's/^ *//' | tr '\n' ';')
		echo "PASS mutant $name: rejected ($what) — $goals"
	else
		echo "FAIL mutant $name: the proofs still pass ($what)"
		failed=1
	fi
done
exit $failed
