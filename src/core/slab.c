#include "core/slab.h"

void ft_slab_init(struct ft_slab *s, uint64_t base, uint32_t cls,
		  uint32_t slot_size, uint32_t nslots, uint32_t id)
{
	uint32_t w;

	s->base = base;
	s->slot_size = slot_size;
	s->nslots = nslots;
	s->nlive = 0;
	s->hint = 0;
	s->cls = cls;
	s->id = id;
	s->remote_next = FT_NONE;
	s->remote_queued = 0;
	/*@ loop invariant 0 <= w <= FT_BITMAP_WORDS;
	    loop invariant \forall integer k; 0 <= k < w ==> s->remote[k] == 0;
	    loop assigns w, s->live[0 .. FT_BITMAP_WORDS - 1],
	                 s->remote[0 .. FT_BITMAP_WORDS - 1];
	    loop variant FT_BITMAP_WORDS - w;
	 */
	for (w = 0; w < FT_BITMAP_WORDS; w++) {
		uint32_t first = w * 64;

		/* Bits of slots past the end stay set: a scan never finds them free. */
		if (first >= nslots)
			s->live[w] = ~0ull;
		else if (nslots - first >= 64)
			s->live[w] = 0;
		else
			s->live[w] = ~0ull << (nslots - first);
		s->remote[w] = 0;
	}
}

int32_t ft_slab_alloc(struct ft_slab *s, uint32_t req)
{
	uint32_t w;

	if (s->nlive >= s->nslots)
		return -1;
	/*@ loop invariant s->hint <= w <= FT_BITMAP_WORDS;
	    loop assigns w;
	    loop variant FT_BITMAP_WORDS - w;
	 */
	for (w = s->hint; w < FT_BITMAP_WORDS; w++) {
		uint64_t free_bits = ft_word_free(s->live[w], s->remote[w]);

		if (free_bits != 0) {
			uint32_t bit = (uint32_t)ft_ctz64(free_bits);
			uint32_t slot = w * 64 + bit;

			//@ assert slot / 64 == w && slot % 64 == bit;
			if (slot >= s->nslots)
				return -1;
			s->live[w] = ft_word_set(s->live[w], bit);
			s->nlive++;
			s->hint = w;
			s->req[slot] = (uint16_t)req;
			return (int32_t)slot;
		}
	}
	s->hint = FT_BITMAP_WORDS;
	return -1;
}

int ft_slab_locate(const struct ft_slab *s, uint64_t addr, uint32_t *slot)
{
	uint64_t off;
	uint32_t index;

	if (addr < s->base)
		return FT_NOT_OURS;
	off = addr - s->base;
	if (off >= (uint64_t)s->nslots * s->slot_size)
		return FT_NOT_OURS;
	index = (uint32_t)(off / s->slot_size);
	if (off % s->slot_size != 0)
		return FT_INTERIOR;
	//@ assert index == (addr - s->base) / s->slot_size && index < s->nslots;
	if (!ft_word_has(s->live[index / 64], index % 64) ||
	    ft_word_has(s->remote[index / 64], index % 64))
		return FT_DOUBLE_FREE;
	*slot = index;
	return FT_OK;
}

int ft_slab_release(struct ft_slab *s, uint32_t slot)
{
	uint32_t w = slot / 64;
	uint32_t b = slot % 64;

	if (!ft_word_has(s->live[w], b) || s->nlive == 0)
		return FT_DOUBLE_FREE;
	s->live[w] = ft_word_clear(s->live[w], b);
	s->nlive--;
	if (w < s->hint)
		s->hint = w;
	return FT_OK;
}

int ft_slab_free(struct ft_slab *s, uint64_t addr, uint32_t *slot)
{
	int verdict = ft_slab_locate(s, addr, slot);

	if (verdict != FT_OK)
		return verdict;
	return ft_slab_release(s, *slot);
}

uint64_t ft_slab_slot_addr(const struct ft_slab *s, uint32_t slot)
{
	return s->base + (uint64_t)slot * s->slot_size;
}
