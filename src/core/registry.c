#include "core/registry.h"

uint32_t ft_registry_hash(uint64_t base)
{
	uint64_t h = (base >> FT_ZONE_SHIFT) * 0x9E3779B97F4A7C15ull;

	return (uint32_t)(h >> (64 - FT_REGISTRY_BITS));
}

int32_t ft_registry_find(const struct ft_registry *r, uint64_t base)
{
	uint32_t i = ft_registry_hash(base);
	uint32_t n;

	if (base == FT_REGISTRY_EMPTY || base == FT_REGISTRY_TOMB)
		return -1;
	/*@ loop invariant 0 <= n <= FT_REGISTRY_CAP;
	    loop invariant 0 <= i < FT_REGISTRY_CAP;
	    loop assigns n, i;
	    loop variant FT_REGISTRY_CAP - n;
	 */
	for (n = 0; n < FT_REGISTRY_CAP; n++) {
		uint64_t key = r->keys[i];

		if (key == base)
			return (int32_t)i;
		if (key == FT_REGISTRY_EMPTY)
			return -1;
		i = (i + 1) & (FT_REGISTRY_CAP - 1);
	}
	return -1;
}

int ft_registry_insert(struct ft_registry *r, uint64_t base)
{
	uint32_t i = ft_registry_hash(base);
	uint32_t n;
	int32_t spot = -1;

	if (r->count >= FT_REGISTRY_CAP - FT_REGISTRY_CAP / 4)
		return -1;
	/*@ loop invariant 0 <= n <= FT_REGISTRY_CAP;
	    loop invariant 0 <= i < FT_REGISTRY_CAP;
	    loop invariant -1 <= spot < FT_REGISTRY_CAP;
	    loop assigns n, i, spot;
	    loop variant FT_REGISTRY_CAP - n;
	 */
	for (n = 0; n < FT_REGISTRY_CAP; n++) {
		uint64_t key = r->keys[i];

		if (key == base)
			return -1;
		if (key == FT_REGISTRY_TOMB && spot < 0)
			spot = (int32_t)i;
		if (key == FT_REGISTRY_EMPTY) {
			if (spot < 0)
				spot = (int32_t)i;
			break;
		}
		i = (i + 1) & (FT_REGISTRY_CAP - 1);
	}
	if (spot < 0)
		return -1;
	r->keys[spot] = base;
	r->count++;
	return 0;
}

int ft_registry_remove(struct ft_registry *r, uint64_t base)
{
	int32_t i = ft_registry_find(r, base);

	if (i < 0 || r->count == 0)
		return -1;
	r->keys[i] = FT_REGISTRY_TOMB;
	r->count--;
	return 0;
}
