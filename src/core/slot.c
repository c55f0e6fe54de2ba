#include "core/slot.h"

int ft_slot_keeps_listed(const struct ft_slab *s, int32_t slot)
{
	return slot >= 0 && s->nlive < s->nslots;
}

int32_t ft_slot_take(struct ft_heap_core *h, struct ft_slab *s, uint32_t cls,
		     uint32_t id, uint32_t req)
{
	int32_t slot = ft_slab_alloc(s, req);

	/* The slab is not the heap: its invariant holds still, part by part. */
	/*@ assert same_shape: ft_heap_shape(h); */
	/*@ assert same_lists: ft_heap_lists(h); */
	/*@ assert same_counted: ft_heap_counted(h); */
	/* No free slot left (full, or the rest waits for remote frees to be
	 * taken in): off the list until a free brings it back. */
	if (!ft_slot_keeps_listed(s, slot))
		ft_heap_list_unlink(h, cls, id);
	return slot;
}

int ft_slot_relist(struct ft_heap_core *h, uint32_t cls, uint32_t id, uint32_t nlive)
{
	ft_heap_list_push(h, cls, id);
	if (nlive == 0 && ft_heap_should_retire(h, cls, id))
		return FT_SLOT_RETIRE;
	return FT_SLOT_KEEP;
}

int ft_slot_give(struct ft_heap_core *h, struct ft_slab *s, uint32_t slot)
{
	if (ft_slab_release(s, slot) != FT_OK)
		return FT_SLOT_DOUBLE;
	/* The slab is not the heap: its invariant holds still, part by part. */
	/*@ assert same_shape: ft_heap_shape(h); */
	/*@ assert same_lists: ft_heap_lists(h); */
	/*@ assert same_counted: ft_heap_counted(h); */
	return ft_slot_relist(h, s->cls, s->id, s->nlive);
}

uint64_t ft_slot_take_remote(struct ft_slab *s, uint32_t w, uint64_t freed)
{
	uint64_t rest = freed;
	uint64_t bad = 0;
	uint32_t k;

	/* A slot of word w may be free now (marking a word is always safe). */
	ft_slab_set_avail(s, ft_word_set(s->avail, w));
	/*@ assert ft_slab_inv(s); */
	/* Each round frees the lowest bit left, so 64 rounds see them all. */
	/*@ loop invariant 0 <= k <= 64;
	    loop invariant ft_slab_shape(s) && ft_slab_inv(s);
	    loop invariant s->nslots == \at(s->nslots, Pre);
	    loop invariant low: \forall integer i; 0 <= i < k ==> !ft_bit(rest, i);
	    loop invariant sub: \forall integer b; 0 <= b < 64 && ft_bit(rest, b) ==> ft_bit(freed, b);
	    loop invariant bad: \forall integer b; 0 <= b < 64 && ft_bit(bad, b) ==>
	      ft_bit(freed, b) && !ft_bit(rest, b) &&
	      (w * 64 + b >= s->nslots || !\at(ft_live(s, w * 64 + b), Pre));
	    loop invariant done: \forall integer b; 0 <= b < 64 && ft_bit(freed, b) &&
	      !ft_bit(rest, b) ==> !ft_live(s, w * 64 + b) || ft_bit(bad, b);
	    loop invariant todo: \forall integer b; 0 <= b < 64 &&
	      (!ft_bit(freed, b) || ft_bit(rest, b)) ==>
	      (ft_live(s, w * 64 + b) <==> \at(ft_live(s, w * 64 + b), Pre));
	    loop assigns k, rest, bad, s->words[w].live, s->nlive, s->avail, s->avail_sink;
	    loop variant 64 - k;
	 */
	for (k = 0; k < 64 && rest != 0; k++) {
		uint32_t b = (uint32_t)ft_ctz64(rest);
		uint32_t slot = w * 64 + b;

		rest = ft_word_clear(rest, b);
		if (slot >= s->nslots || ft_slab_release(s, slot) != FT_OK)
			bad = ft_word_set(bad, b);
	}
	return bad;
}
