/* Where does an address live? Ownership is confirmed by the zone registry
 * before any metadata of the address is read. */
#include "api/internal.h"

int ft_locate_slot(struct ft_zone_hdr *z, uint64_t addr, struct ft_slab **slab, uint32_t *slot)
{
	int32_t index = ft_zone_slab_index(&z->core, addr);

	if (index < 0)
		return FT_NOT_OURS;
	*slab = ft_zone_desc(z, (uint32_t)index);
	return ft_slab_locate(*slab, addr, slot);
}

void ft_locate(uint64_t addr, struct ft_where *w)
{
	w->zone = NULL;
	w->slab = NULL;
	w->verdict = FT_NOT_OURS;
	if (ft_registry_find(&ft_g.registry, addr & ~(FT_ZONE_SIZE - 1)) < 0)
		return;
	w->zone = ft_zone_of(addr);
	w->verdict = ft_locate_slot(w->zone, addr, &w->slab, &w->slot);
}
