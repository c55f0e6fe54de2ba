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

/* Mask of the positions [first_slab, nslabs). */
/*@ requires ft_zone_shape(z);
    assigns \nothing;
 */
static uint64_t ft_zone_position_mask(const struct ft_zone *z)
{
	uint64_t upto = z->nslabs >= 64 ? ~0ull : (1ull << z->nslabs) - 1;

	return upto & (~0ull << z->first_slab);
}

int32_t ft_zone_take_slab(struct ft_zone *z)
{
	uint64_t free = ft_zone_position_mask(z) & ~z->used;
	int bit;

	if (free == 0 || z->nused >= FT_SLABS_MAX)
		return -1;
	bit = ft_ctz64(free);
	if ((uint32_t)bit < z->first_slab || (uint32_t)bit >= z->nslabs)
		return -1;
	z->used |= 1ull << bit;
	z->nused++;
	return bit;
}

void ft_zone_give_slab(struct ft_zone *z, uint32_t index)
{
	uint64_t mask = 1ull << index;

	if ((z->used & mask) != 0 && z->nused > 0) {
		z->used &= ~mask;
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
	if ((z->used & (1ull << index)) == 0)
		return -1;
	return (int32_t)index;
}

uint32_t ft_zone_slab_bytes(const struct ft_zone *z)
{
	return z->kind == FT_KIND_TINY ? FT_TINY_SLAB_BYTES : FT_SMALL_SLAB_BYTES;
}

uint64_t ft_zone_slab_base(const struct ft_zone *z, uint32_t index)
{
	return z->base + (uint64_t)index * ft_zone_slab_bytes(z);
}

uint32_t ft_zone_slots_per_slab(const struct ft_zone *z, uint32_t slot_size)
{
	uint32_t n = ft_zone_slab_bytes(z) / slot_size;

	return n > FT_SLOTS_MAX ? FT_SLOTS_MAX : n;
}
