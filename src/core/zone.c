#include "core/zone.h"

void ft_zone_init(struct ft_zone *z, uint64_t base, uint32_t kind,
		  uint32_t heap_index)
{
	z->base = base;
	z->used = 0;
	z->kind = kind;
	if (kind == FT_KIND_TINY) {
		z->slab_shift = FT_TINY_SLAB_SHIFT;
		z->first_slab = FT_TINY_FIRST_SLAB;
		z->nslabs = FT_TINY_SLABS;
	} else {
		z->slab_shift = FT_SMALL_SLAB_SHIFT;
		z->first_slab = FT_SMALL_FIRST_SLAB;
		z->nslabs = FT_SMALL_SLABS;
	}
	z->heap_index = heap_index;
	z->nused = 0;
}

int32_t ft_zone_take_slab(struct ft_zone *z)
{
	uint32_t i;

	if (z->nused >= FT_SLABS_MAX)
		return -1;
	/* A zone has at most 64 positions and a new slab is rare: a plain scan. */
	/*@ loop invariant z->first_slab <= i <= z->nslabs;
	    loop invariant \forall integer j; z->first_slab <= j < i ==> ft_bit(z->used, j);
	    loop assigns i;
	    loop variant z->nslabs - i;
	 */
	for (i = z->first_slab; i < z->nslabs; i++) {
		if (!ft_word_has(z->used, i)) {
			z->used = ft_word_set(z->used, i);
			z->nused++;
			return (int32_t)i;
		}
	}
	return -1;
}

void ft_zone_give_slab(struct ft_zone *z, uint32_t index)
{
	if (ft_word_has(z->used, index) && z->nused > 0) {
		z->used = ft_word_clear(z->used, index);
		z->nused--;
	}
}

int32_t ft_zone_slab_index(const struct ft_zone *z, uint64_t addr)
{
	uint64_t index;

	if (addr < z->base || addr - z->base >= FT_ZONE_SIZE)
		return -1;
	index = (addr - z->base) >> z->slab_shift;
	if (index < z->first_slab || index >= z->nslabs)
		return -1;
	if (!ft_word_has(z->used, (uint32_t)index))
		return -1;
	return (int32_t)index;
}

uint16_t ft_zone_room(const struct ft_zone *z)
{
	uint32_t positions = z->nslabs - z->first_slab;

	return z->nused >= positions ? 0 : (uint16_t)(positions - z->nused);
}

uint32_t ft_zone_slab_bytes(const struct ft_zone *z)
{
	return z->kind == FT_KIND_TINY ? FT_TINY_SLAB_BYTES : FT_SMALL_SLAB_BYTES;
}

uint64_t ft_zone_slab_base(const struct ft_zone *z, uint32_t index)
{
	uint64_t base = z->base + (uint64_t)index * ft_zone_slab_bytes(z);

	/* A zone starts on a 4 MiB boundary and a slab size is a multiple of
	 * 64 KiB: base is 64 KiB (and so 16) times a named quotient. */
	/*@ assert base == z->base + index * ft_zone_slab_size(z); */
	/*@ assert base == 16 * ft_multiple_quot(16, z->base, ft_zone_slab_size(z), index); */
	/*@ assert base == FT_TINY_SLAB_BYTES *
	      ft_multiple_quot(FT_TINY_SLAB_BYTES, z->base, ft_zone_slab_size(z), index); */
	return base;
}

uint32_t ft_zone_slots_per_slab(const struct ft_zone *z, uint32_t slot_size)
{
	uint32_t n = ft_zone_slab_bytes(z) / slot_size;

	return n > FT_SLOTS_MAX ? FT_SLOTS_MAX : n;
}
