#include "core/place.h"

int ft_slab_place(struct ft_slab *s, const struct ft_zone *z, uint32_t index,
		  uint32_t cls, uint32_t id)
{
	uint32_t slot_size;

	if (ft_class_kind(cls) != z->kind)
		return -1;
	slot_size = ft_class_slot_size(cls);
	ft_slab_init(s, ft_zone_slab_base(z, index), cls, slot_size,
		     ft_zone_slots_per_slab(z, slot_size), id);
	/*@ assert \at((index + 1) * ft_zone_slab_size(z) ==
	               index * ft_zone_slab_size(z) + ft_zone_slab_size(z), Pre); */
	return 0;
}
