/* ft_malloc core — slab: one run of equal slots with out-of-line occupancy.
 *
 * Slot i covers [base + i * slot_size, base + (i + 1) * slot_size). Bit i of
 * `live` says slot i is handed out; bit i of `remote` says another thread has
 * freed it and the owner has not yet taken that free into account (those bits
 * are set by the glue with atomic operations and drained by the owner). A slot
 * with either bit set is never handed out. Bits past nslots stay set in
 * `live`, so a bitmap scan never finds them free. The descriptor lives in the
 * zone's metadata area, never next to user memory. */
#ifndef FT_CORE_SLAB_H
#define FT_CORE_SLAB_H

#include <stdint.h>
#include "core/config.h"
#include "core/bits.h"

struct ft_slab {
	uint64_t live[FT_BITMAP_WORDS];
	uint64_t remote[FT_BITMAP_WORDS];
	uint16_t req[FT_SLOTS_MAX];	/* size requested for each live slot */
	uint64_t base;			/* address of slot 0 */
	uint32_t slot_size;
	uint32_t nslots;
	uint32_t nlive;
	uint32_t hint;			/* no free slot in words below hint */
	uint32_t cls;			/* size class */
	uint32_t id;			/* slab id within the owning heap */
	uint32_t remote_next;		/* glue: next slab on the heap's remote list */
	uint32_t remote_queued;		/* glue: 1 while on that list */
};

/*@ predicate ft_slab_shape(struct ft_slab *s) =
      \valid(s) &&
      1 <= s->nslots <= FT_SLOTS_MAX &&
      16 <= s->slot_size <= FT_SMALL_MAX &&
      s->nlive <= s->nslots &&
      s->hint <= FT_BITMAP_WORDS &&
      s->base + (uint64_t)s->nslots * s->slot_size <= 0xFFFFFFFFFFFF;
 */

/*@ requires \valid(s);
    requires 1 <= nslots <= FT_SLOTS_MAX;
    requires 16 <= slot_size <= FT_SMALL_MAX;
    requires base + (uint64_t)nslots * slot_size <= 0xFFFFFFFFFFFF;
    assigns *s;
    ensures ft_slab_shape(s);
    ensures s->nlive == 0 && s->cls == cls && s->id == id;
 */
void ft_slab_init(struct ft_slab *s, uint64_t base, uint32_t cls,
		  uint32_t slot_size, uint32_t nslots, uint32_t id);

/* Hands out a free slot for a request of req bytes: its index, or -1 when
 * the slab is full (then nothing changes). */
/*@ requires ft_slab_shape(s);
    requires req <= s->slot_size;
    assigns s->live[0 .. FT_BITMAP_WORDS - 1], s->nlive, s->hint,
            s->req[0 .. FT_SLOTS_MAX - 1];
    ensures ft_slab_shape(s);
    ensures -1 <= \result < s->nslots;
 */
int32_t ft_slab_alloc(struct ft_slab *s, uint32_t req);

/* The verdict on addr without changing anything: FT_OK with *slot set when
 * addr starts a live slot that no other thread has freed, FT_NOT_OURS when it
 * lies outside the slots, FT_INTERIOR inside a slot but not at its start,
 * FT_DOUBLE_FREE at the start of a slot that is not live. */
/*@ requires ft_slab_shape(s);
    requires \valid(slot);
    requires \separated(slot, s);
    assigns *slot;
    ensures FT_OK <= \result <= FT_DOUBLE_FREE;
    ensures \result == FT_OK ==> 0 <= *slot < s->nslots;
 */
int ft_slab_locate(const struct ft_slab *s, uint64_t addr, uint32_t *slot);

/* Frees the live slot that starts at addr; any other verdict changes nothing. */
/*@ requires ft_slab_shape(s);
    requires \valid(slot);
    requires \separated(slot, s);
    assigns s->live[0 .. FT_BITMAP_WORDS - 1], s->nlive, s->hint, *slot;
    ensures ft_slab_shape(s);
    ensures FT_OK <= \result <= FT_DOUBLE_FREE;
    ensures \result == FT_OK ==> 0 <= *slot < s->nslots;
 */
int ft_slab_free(struct ft_slab *s, uint64_t addr, uint32_t *slot);

/* Frees slot `slot` if it is live (FT_OK), else FT_DOUBLE_FREE. Used to take
 * in frees made by other threads, whose bits the glue has already cleared. */
/*@ requires ft_slab_shape(s);
    requires slot < s->nslots;
    assigns s->live[0 .. FT_BITMAP_WORDS - 1], s->nlive, s->hint;
    ensures ft_slab_shape(s);
    ensures \result == FT_OK || \result == FT_DOUBLE_FREE;
 */
int ft_slab_release(struct ft_slab *s, uint32_t slot);

/*@ requires ft_slab_shape(s);
    requires slot < s->nslots;
    assigns \nothing;
    ensures \result == s->base + (uint64_t)slot * s->slot_size;
 */
uint64_t ft_slab_slot_addr(const struct ft_slab *s, uint32_t slot);

#endif
