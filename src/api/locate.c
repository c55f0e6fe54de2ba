/* Where does an address live? Ownership is confirmed by the zone registry
 * before any metadata of the address is read. */
#include "api/internal.h"

void ft_locate_in_zone(uint64_t addr, struct ft_where *w)
{
	w->zone = (struct ft_zone_hdr *)(uintptr_t)(addr & ~(FT_ZONE_SIZE - 1));
	w->slab = NULL;
	w->verdict = FT_NOT_OURS;
	w->slab_index = ft_zone_slab_index(&w->zone->core, addr);
	if (w->slab_index < 0)
		return;
	w->slab = ft_zone_desc(w->zone, (uint32_t)w->slab_index);
	w->verdict = ft_slab_locate(w->slab, addr, &w->slot);
}

void ft_locate(uint64_t addr, struct ft_where *w)
{
	if (ft_registry_find(&ft_g.registry, addr & ~(FT_ZONE_SIZE - 1)) < 0) {
		w->zone = NULL;
		w->slab = NULL;
		w->verdict = FT_NOT_OURS;
		return;
	}
	ft_locate_in_zone(addr, w);
}
