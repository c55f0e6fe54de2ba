/* ft_malloc core — a slot for malloc, a slot back from free: the decisions of
 * the fast paths, on one heap and one of its slabs.
 *
 * The heap's list of a class holds the slabs where its next allocation may go.
 * Taking the last free slot of a slab takes the slab off that list; giving a
 * slot back puts it on again, and says when the slab, now empty, should go
 * back to its zone. The glue maps a slab id to its descriptor; these functions
 * are told both and decide everything else. */
#ifndef FT_CORE_SLOT_H
#define FT_CORE_SLOT_H

#include <stdint.h>
#include "core/config.h"
#include "core/slab.h"
#include "core/heap.h"

/* What ft_slot_give and ft_slot_relist decide. */
#define FT_SLOT_DOUBLE (-1)	/* the slot was not live: a double free, nothing changed */
#define FT_SLOT_KEEP 0		/* done: the slab stays with the heap */
#define FT_SLOT_RETIRE 1	/* the slab is empty and its class has another: give it back */

/* Whether slab s stays on its class's list after ft_slab_alloc gave `slot`:
 * it handed out a slot and has one left that is not live. A slab that fails
 * this leaves the list (ft_slot_take; the fast path of malloc asks this first
 * and takes the slab off only when it says no). */
/*@ requires \valid_read(s);
    assigns \nothing;
    ensures \result != 0 <==> (slot >= 0 && s->nlive < s->nslots);
 */
int ft_slot_keeps_listed(const struct ft_slab *s, int32_t slot);

/* Hands out a free slot of slab s (id), the current slab of class cls, for a
 * request of req bytes: its index, or -1 when s has none. Either way s is left
 * on the list exactly when it still has a slot that is not live. */
/*@ requires ft_heap_inv(h);
    requires ft_slab_shape(s) && ft_slab_inv(s);
    requires \base_addr(h) != \base_addr(s);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires ft_heap_on_list(h, cls, id);
    requires req <= s->slot_size;
    assigns s->words[0 .. FT_BITMAP_WORDS - 1].live, s->nlive, s->avail,
            s->req[0 .. FT_SLOTS_MAX - 1],
            h->head[cls], h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1],
            h->listed[id], h->listed_count[cls];
    ensures ft_heap_inv(h);
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    ensures -1 <= \result < s->nslots;
    ensures listed: h->listed[id] != 0 <==> (\result >= 0 && s->nlive < s->nslots);
    ensures listed_class: h->listed[id] != 0 ==> ft_heap_on_list(h, cls, id);
    behavior has_free:
      assumes \exists integer i; ft_slab_free_slot(s, i);
      ensures \result >= 0;
      // the slot was free, and is now live; no other slot changed
      ensures !\old(ft_live(s, \result)) && !ft_pending(s, \result) && ft_live(s, \result);
      ensures \forall integer j; 0 <= j < FT_SLOTS_MAX && j != \result ==>
                (ft_live(s, j) <==> \old(ft_live(s, j)));
      ensures s->nlive == \old(s->nlive) + 1 && s->req[\result] == req;
    behavior full:
      assumes \forall integer i; !ft_slab_free_slot(s, i);
      ensures \result == -1;
      ensures h->listed[id] == 0;
      ensures s->nlive == \old(s->nlive);
      ensures \forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live);
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_slot_take(struct ft_heap_core *h, struct ft_slab *s, uint32_t cls,
		     uint32_t id, uint32_t req);

/* After slots of slab id (class cls, nlive slots live) were freed: the slab
 * goes back on its class's list (it has a free slot now), and FT_SLOT_RETIRE
 * when it is empty and another slab of its class is listed, else
 * FT_SLOT_KEEP. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires h->listed[id] != 0 ==> h->cls_of[id] == cls;
    assigns h->head[cls], h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1],
            h->listed[id], h->cls_of[id], h->listed_count[cls];
    ensures ft_heap_inv(h);
    ensures listed: ft_heap_on_list(h, cls, id);
    ensures \result == FT_SLOT_KEEP || \result == FT_SLOT_RETIRE;
    ensures retire: \result == FT_SLOT_RETIRE <==>
      (nlive == 0 && \exists integer x; x != id && ft_heap_on_list(h, cls, x));
 */
int ft_slot_relist(struct ft_heap_core *h, uint32_t cls, uint32_t id, uint32_t nlive);

/* Takes back slot `slot` of s, freed by the heap's own thread:
 * FT_SLOT_DOUBLE when it was not live (nothing changes), else what
 * ft_slot_relist decides. */
/*@ requires ft_heap_inv(h);
    requires ft_slab_shape(s) && ft_slab_inv(s);
    requires \base_addr(h) != \base_addr(s);
    requires s->cls < FT_NCLASSES && s->id < FT_SLAB_IDS;
    requires h->listed[s->id] != 0 ==> h->cls_of[s->id] == s->cls;
    requires slot < s->nslots;
    assigns s->words[slot / 64].live, s->nlive, s->avail, s->avail_sink,
            h->head[s->cls], h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1],
            h->listed[s->id], h->cls_of[s->id], h->listed_count[s->cls];
    ensures ft_heap_inv(h);
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    behavior not_live:
      assumes !ft_live(s, slot);
      ensures \result == FT_SLOT_DOUBLE;
      ensures s->words[slot / 64].live == \old(s->words[slot / 64].live) && s->nlive == \old(s->nlive);
      ensures ft_heap_same_lists{Pre, Post}(h);
    behavior freed:
      assumes ft_live(s, slot);
      ensures !ft_live(s, slot);
      ensures \forall integer j; 0 <= j < FT_SLOTS_MAX && j != slot ==>
                (ft_live(s, j) <==> \old(ft_live(s, j)));
      ensures s->nlive == \old(s->nlive) - 1;
      ensures listed: ft_heap_on_list(h, \old(s->cls), \old(s->id));
      ensures retire: \result == FT_SLOT_RETIRE <==>
        (s->nlive == 0 &&
         \exists integer x; x != \old(s->id) && ft_heap_on_list(h, \old(s->cls), x));
      ensures \result == FT_SLOT_KEEP || \result == FT_SLOT_RETIRE;
    complete behaviors;
    disjoint behaviors;
 */
int ft_slot_give(struct ft_heap_core *h, struct ft_slab *s, uint32_t slot);

/* The slab invariant but for the avail bit of word w: what holds once the
 * glue has cleared the pending bits of word w. A pending bit cleared on a slot
 * that is not live (a double free racing another) makes that slot free,
 * perhaps in a word marked as having none. */
/*@ predicate ft_slab_inv_but_avail{L}(struct ft_slab *s, integer w) =
      s->nlive == ft_slab_nlive_bits(s, s->nslots) &&
      (\forall integer i; 0 <= i < s->nslots && !ft_bit(s->avail, i / 64) && i / 64 != w ==>
         ft_live(s, i) || ft_pending(s, i)) &&
      (\forall integer i; s->nslots <= i < FT_BITMAP_WORDS * 64 ==> ft_live(s, i));
 */

/* Takes in the frees other threads made of the slots of word w whose bits
 * are set in `freed` (the glue has taken those bits out of the pending word):
 * each live slot among them is freed; the result has the bits of those that
 * were not live (double frees, or bits past the last slot), which change
 * nothing. */
/*@ requires ft_slab_shape(s) && ft_slab_inv_but_avail(s, w);
    requires w < FT_BITMAP_WORDS;
    assigns s->words[w].live, s->nlive, s->avail, s->avail_sink;
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    ensures reported: \forall integer b; 0 <= b < 64 && ft_bit(\result, b) ==>
      ft_bit(freed, b) && (w * 64 + b >= s->nslots || !\old(ft_live(s, w * 64 + b)));
    ensures freed: \forall integer b; 0 <= b < 64 && ft_bit(freed, b) ==>
      !ft_live(s, w * 64 + b) || ft_bit(\result, b);
    ensures others: \forall integer b; 0 <= b < 64 && !ft_bit(freed, b) ==>
      (ft_live(s, w * 64 + b) <==> \old(ft_live(s, w * 64 + b)));
 */
uint64_t ft_slot_take_remote(struct ft_slab *s, uint32_t w, uint64_t freed);

#endif
