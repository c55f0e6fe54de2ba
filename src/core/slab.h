/* ft_malloc core — slab: one run of equal slots with out-of-line occupancy.
 *
 * Slot i covers [base + i * slot_size, base + (i + 1) * slot_size). Bit i%64
 * of words[i/64].live says slot i is handed out; the same bit of
 * words[i/64].remote says another thread has freed it and the owner has not
 * yet taken that free into account (those bits are set by the glue with
 * atomic operations and drained by the owner). A slot with either bit set is
 * never handed out. Bits past nslots stay set in `live`, so a bitmap scan
 * never finds them free. Bit w of `avail` clear says word w has no free slot,
 * so an allocation goes straight to a word that may have one. The descriptor
 * lives in the zone's metadata area, never next to user memory. */
#ifndef FT_CORE_SLAB_H
#define FT_CORE_SLAB_H

#include <stdint.h>
#include "core/config.h"
#include "core/bits.h"
#include "core/multiple.h"

/* Laid out by who reads and writes what, 64-byte lines apart: the geometry,
 * which never changes while the slab is placed and which threads freeing a
 * slot of it read; the owner's counts; the bitmap words; the remote list
 * link, which other threads write. A free from another thread then takes no
 * line of the owner's counts away from it. Each live word sits beside its
 * pending word, in one line: a free from another thread reads the one and
 * sets a bit of the other, and the owner's allocation reads both, so each
 * moves one line between cores, not two. */
struct ft_slab {
	uint64_t base;			/* address of slot 0 */
	/* 16-bit: the heap's lists share no integer type with these, so WP sees
	 * at once that list updates leave a slab's shape and counts alone. */
	uint16_t slot_size;
	uint16_t nslots;
	uint32_t cls;			/* size class */
	uint32_t id;			/* slab id within the owning heap */
	uint32_t recip;			/* ceil(2^FT_RECIP_SHIFT / slot_size) */
	uint64_t avail __attribute__((aligned(64)));	/* bit w clear: word w has no free slot */
	uint16_t nlive;
	uint64_t avail_sink;		/* a free's write to avail that changes nothing goes here */
	struct ft_slot_word {
		uint64_t live;		/* bit b: slot 64w + b handed out */
		uint64_t remote;	/* bit b: slot 64w + b freed by another thread */
	} words[FT_BITMAP_WORDS] __attribute__((aligned(64)));
	uint16_t req[FT_SLOTS_MAX];	/* size requested for each live slot */
	uint32_t remote_next __attribute__((aligned(64)));	/* glue: next slab on the heap's remote list */
	uint32_t remote_queued;		/* glue: 1 while on that list */
} __attribute__((aligned(64)));

/*@ predicate ft_slab_shape(struct ft_slab *s) =
      \valid(s) &&
      1 <= s->nslots <= FT_SLOTS_MAX &&
      16 <= s->slot_size <= FT_SMALL_MAX &&
      s->base % 16 == 0 && s->slot_size % 16 == 0 &&
      s->nlive <= s->nslots &&
      s->base + (uint64_t)s->nslots * s->slot_size <= 0xFFFFFFFFFFFF;

    // Slot i is handed out.
    predicate ft_live(struct ft_slab *s, integer i) = ft_bit(s->words[i / 64].live, i % 64);
    // Another thread has freed slot i; the owner has not taken that in yet.
    predicate ft_pending(struct ft_slab *s, integer i) = ft_bit(s->words[i / 64].remote, i % 64);
    // addr lies inside the slots of s.
    predicate ft_in_slots(struct ft_slab *s, integer addr) =
      s->base <= addr < s->base + s->nslots * s->slot_size;
    // All slots of s lie in [lo, hi).
    predicate ft_slab_within(struct ft_slab *s, integer lo, integer hi) =
      lo <= s->base && s->base + s->nslots * s->slot_size <= hi;
    // addr is the start of a slot of s.
    predicate ft_slot_start(struct ft_slab *s, integer addr) =
      ft_in_slots(s, addr) && (addr - s->base) % s->slot_size == 0;
    logic integer ft_slot_of(struct ft_slab *s, integer addr) = (addr - s->base) / s->slot_size;

    // Slot i can be handed out: neither live nor pending.
    predicate ft_slab_free_slot(struct ft_slab *s, integer i) =
      0 <= i < s->nslots && !ft_live(s, i) && !ft_pending(s, i);
    // 1 if bit i of w is set (ft_bit), else 0.
    logic integer ft_bit_count(uint64_t w, integer i) = (w & (1 << i)) != 0 ? 1 : 0;
    // Number of live slots among slots 0 .. n - 1.
    logic integer ft_slab_nlive_bits{L}(struct ft_slab *s, integer n) =
      n <= 0 ? 0 : ft_slab_nlive_bits(s, n - 1) +
        ft_bit_count(s->words[(n - 1) / 64].live, (n - 1) % 64);
    // What a slab keeps between calls: nlive counts the live slots, no slot
    // in a word whose avail bit is clear is free, and the bits past nslots
    // are set.
    predicate ft_slab_inv{L}(struct ft_slab *s) =
      s->nlive == ft_slab_nlive_bits(s, s->nslots) &&
      (\forall integer i; 0 <= i < s->nslots && !ft_bit(s->avail, i / 64) ==>
         ft_live(s, i) || ft_pending(s, i)) &&
      (\forall integer i; s->nslots <= i < FT_BITMAP_WORDS * 64 ==> ft_live(s, i));
 */

/*@ requires \valid(s);
    requires 1 <= nslots <= FT_SLOTS_MAX;
    requires 16 <= slot_size <= FT_SMALL_MAX;
    requires base % 16 == 0 && slot_size % 16 == 0;
    requires base + (uint64_t)nslots * slot_size <= 0xFFFFFFFFFFFF;
    assigns *s;
    ensures ft_slab_shape(s);
    ensures ft_slab_inv(s);
    ensures s->nlive == 0 && s->cls == cls && s->id == id;
    ensures s->base == base && s->slot_size == slot_size && s->nslots == nslots;
    ensures ft_slab_within(s, base, base + nslots * slot_size);
    ensures \forall integer i; 0 <= i < FT_SLOTS_MAX ==> !ft_pending(s, i);
    ensures \forall integer i; 0 <= i < nslots ==> !ft_live(s, i);
 */
void ft_slab_init(struct ft_slab *s, uint64_t base, uint32_t cls,
		  uint32_t slot_size, uint32_t nslots, uint32_t id);

/* Sets the summary word. The live count does not read it, so it stays the
 * same; whether the invariant still holds is the caller's to show. */
/*@ requires ft_slab_shape(s);
    assigns s->avail;
    ensures ft_slab_shape(s);
    ensures s->avail == avail;
    ensures ft_slab_nlive_bits(s, s->nslots) == \old(ft_slab_nlive_bits(s, s->nslots));
 */
void ft_slab_set_avail(struct ft_slab *s, uint64_t avail);

/* The first step of ft_slab_alloc, all that malloc's fast path does: a free
 * slot of the lowest word marked as having one, or -1 when that word has
 * none (or no word is marked), and then nothing changes. A -1 says nothing
 * about the other words: ft_slab_alloc looks at them. */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires req <= s->slot_size;
    assigns s->words[0 .. FT_BITMAP_WORDS - 1].live, s->nlive, s->req[0 .. FT_SLOTS_MAX - 1], s->avail;
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    ensures -1 <= \result < s->nslots;
    ensures \result == -1 ==> s->nlive == \old(s->nlive) &&
        (\forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live)) &&
        (\forall integer j; 0 <= j < FT_SLOTS_MAX ==> s->req[j] == \old(s->req[j]));
    ensures \result >= 0 ==>
        !\old(ft_live(s, \result)) && !ft_pending(s, \result) && ft_live(s, \result) &&
        (\forall integer j; 0 <= j < FT_SLOTS_MAX && j != \result ==>
            (ft_live(s, j) <==> \old(ft_live(s, j)))) &&
        s->nlive == \old(s->nlive) + 1 && s->req[\result] == req;
 */
int32_t ft_slab_alloc_quick(struct ft_slab *s, uint32_t req);

/* Hands out a free slot for a request of req bytes: its index, or -1 when the
 * slab has no free slot (then no slot changes). */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires req <= s->slot_size;
    assigns s->words[0 .. FT_BITMAP_WORDS - 1].live, s->nlive, s->avail,
            s->req[0 .. FT_SLOTS_MAX - 1];
    ensures ft_slab_shape(s);
    ensures ft_slab_inv(s);
    ensures -1 <= \result < s->nslots;
    ensures \result == -1 ==> s->nlive == \old(s->nlive) &&
        \forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live);
    ensures \result >= 0 ==>
        // the slot was free, and is now live
        !\old(ft_live(s, \result)) && !ft_pending(s, \result) && ft_live(s, \result) &&
        // no other slot changed
        (\forall integer j; 0 <= j < FT_SLOTS_MAX && j != \result ==>
            (ft_live(s, j) <==> \old(ft_live(s, j)))) &&
        s->nlive == \old(s->nlive) + 1 && s->req[\result] == req;
    behavior has_free:
      assumes \exists integer i; ft_slab_free_slot(s, i);
      ensures \result >= 0;
    behavior full:
      assumes \forall integer i; !ft_slab_free_slot(s, i);
      ensures \result == -1;
      ensures s->nlive == \old(s->nlive);
      ensures \forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live);
      ensures \forall integer j; 0 <= j < FT_SLOTS_MAX ==> s->req[j] == \old(s->req[j]);
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_slab_alloc(struct ft_slab *s, uint32_t req);

/* The verdict on addr, without changing anything: which of the four cases
 * holds. They are complete and disjoint. */
/*@ requires ft_slab_shape(s);
    requires \valid(slot);
    requires \separated(slot, s);
    assigns *slot;
    behavior not_ours:
      assumes !ft_in_slots(s, addr);
      ensures \result == FT_NOT_OURS;
    behavior interior:
      assumes ft_in_slots(s, addr) && !ft_slot_start(s, addr);
      ensures \result == FT_INTERIOR;
    behavior not_live:
      assumes ft_slot_start(s, addr) &&
              (!ft_live(s, ft_slot_of(s, addr)) || ft_pending(s, ft_slot_of(s, addr)));
      ensures \result == FT_DOUBLE_FREE;
    behavior live:
      assumes ft_slot_start(s, addr) &&
              ft_live(s, ft_slot_of(s, addr)) && !ft_pending(s, ft_slot_of(s, addr));
      ensures \result == FT_OK;
      ensures *slot == ft_slot_of(s, addr) && 0 <= *slot < s->nslots;
    complete behaviors;
    disjoint behaviors;
 */
int ft_slab_locate(const struct ft_slab *s, uint64_t addr, uint32_t *slot);

/* Frees slot `slot` if it is live (FT_OK), else FT_DOUBLE_FREE and nothing
 * changes. Used for local frees after ft_slab_locate, and to take in frees
 * made by other threads, whose pending bits the glue has already cleared. */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires slot < s->nslots;
    assigns s->words[slot / 64].live, s->nlive, s->avail, s->avail_sink;
    ensures ft_slab_shape(s);
    ensures ft_slab_inv(s);
    behavior live:
      assumes ft_live(s, slot);
      ensures \result == FT_OK;
      ensures !ft_live(s, slot);
      ensures \forall integer j; 0 <= j < FT_SLOTS_MAX && j != slot ==>
                  (ft_live(s, j) <==> \old(ft_live(s, j)));
      ensures s->nlive == \old(s->nlive) - 1;
    behavior not_live:
      assumes !ft_live(s, slot);
      ensures \result == FT_DOUBLE_FREE;
      ensures s->words[slot / 64].live == \old(s->words[slot / 64].live) && s->nlive == \old(s->nlive);
    complete behaviors;
    disjoint behaviors;
 */
int ft_slab_release(struct ft_slab *s, uint32_t slot);

/* Frees the live slot that starts at addr; any other verdict changes nothing. */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires \valid(slot);
    requires \separated(slot, s);
    assigns s->words[0 .. FT_BITMAP_WORDS - 1].live, s->nlive, s->avail, s->avail_sink, *slot;
    ensures ft_slab_shape(s);
    ensures ft_slab_inv(s);
    behavior rejected:
      assumes !ft_slot_start(s, addr) ||
              !ft_live(s, ft_slot_of(s, addr)) || ft_pending(s, ft_slot_of(s, addr));
      ensures \result != FT_OK;
      ensures s->nlive == \old(s->nlive);
      ensures \forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live);
    behavior freed:
      assumes ft_slot_start(s, addr) &&
              ft_live(s, ft_slot_of(s, addr)) && !ft_pending(s, ft_slot_of(s, addr));
      ensures \result == FT_OK;
      ensures \result == FT_OK ==> *slot == \old(ft_slot_of(s, addr)) && !ft_live(s, *slot) &&
                                   s->nlive == \old(s->nlive) - 1;
    complete behaviors;
    disjoint behaviors;
 */
int ft_slab_free(struct ft_slab *s, uint64_t addr, uint32_t *slot);

/* The address of slot `slot`: the start of a block of slot_size bytes that
 * lies inside the slab, is aligned to 16 and to every alignment that divides
 * both the slab's base and its slot size, and overlaps no other slot. */
/*@ requires ft_slab_shape(s);
    requires slot < s->nslots;
    assigns \nothing;
    ensures \result == s->base + slot * s->slot_size;
    ensures start:   ft_slot_start(s, \result) && ft_slot_of(s, \result) == slot;
    ensures inside:  s->base <= \result &&
                     \result + s->slot_size <= s->base + s->nslots * s->slot_size;
    ensures align16: \result % 16 == 0;
    ensures aligned: ft_aligned_as(\result, s->base, s->slot_size);
    ensures disjoint: \forall integer j; 0 <= j < s->nslots && j != slot ==>
                       s->base + (j + 1) * s->slot_size <= \result ||
                       \result + s->slot_size <= s->base + j * s->slot_size;
 */
uint64_t ft_slab_slot_addr(const struct ft_slab *s, uint32_t slot);

#endif
