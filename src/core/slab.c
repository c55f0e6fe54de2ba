#include "core/slab.h"

void ft_slab_init(struct ft_slab *s, uint64_t base, uint32_t cls,
		  uint32_t slot_size, uint32_t nslots, uint32_t id)
{
	uint32_t w;

	/*@ loop invariant 0 <= w <= FT_BITMAP_WORDS;
	    loop assigns w, s->live[0 .. FT_BITMAP_WORDS - 1],
	                 s->remote[0 .. FT_BITMAP_WORDS - 1];
	    loop variant FT_BITMAP_WORDS - w;
	 */
	for (w = 0; w < FT_BITMAP_WORDS; w++) {
		uint32_t first = w * 64;

		if (first >= nslots)
			s->live[w] = ~0ull;
		else if (nslots - first >= 64)
			s->live[w] = 0;
		else
			s->live[w] = ~0ull << (nslots - first);
		s->remote[w] = 0;
	}
	s->base = base;
	s->slot_size = slot_size;
	s->nslots = nslots;
	s->nlive = 0;
	s->hint = 0;
	s->cls = cls;
	s->id = id;
	s->remote_next = FT_NONE;
	s->remote_queued = 0;
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
		uint64_t free_bits = ~(s->live[w] | s->remote[w]);

		if (free_bits != 0) {
			int bit = ft_ctz64(free_bits);
			uint32_t slot = w * 64 + (uint32_t)bit;

			if (slot >= s->nslots)
				return -1;
			s->live[w] |= 1ull << bit;
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
	uint32_t w;
	uint64_t mask;

	if (addr < s->base)
		return FT_NOT_OURS;
	off = addr - s->base;
	if (off >= (uint64_t)s->nslots * s->slot_size)
		return FT_NOT_OURS;
	index = (uint32_t)(off / s->slot_size);
	if ((uint64_t)index * s->slot_size != off)
		return FT_INTERIOR;
	w = index / 64;
	mask = 1ull << (index % 64);
	if ((s->live[w] & mask) == 0 || (s->remote[w] & mask) != 0)
		return FT_DOUBLE_FREE;
	*slot = index;
	return FT_OK;
}

int ft_slab_release(struct ft_slab *s, uint32_t slot)
{
	uint32_t w = slot / 64;
	uint64_t mask = 1ull << (slot % 64);

	if ((s->live[w] & mask) == 0 || s->nlive == 0)
		return FT_DOUBLE_FREE;
	s->live[w] &= ~mask;
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
