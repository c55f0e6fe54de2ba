#include "core/policy.h"

uint32_t ft_kind_of_size(uint64_t size)
{
	if (size <= FT_TINY_MAX)
		return FT_KIND_TINY;
	if (size <= FT_SMALL_MAX)
		return FT_KIND_SMALL;
	return FT_KIND_LARGE;
}

int ft_request_product(uint64_t a, uint64_t b, uint64_t *out)
{
	if (a != 0 && b > FT_REQUEST_MAX / a)
		return -1;
	*out = a * b;
	return 0;
}

int ft_is_power_of_two(uint64_t x)
{
	return (x != 0 && (x & (x - 1)) == 0) ? 1 : 0;
}

int ft_realloc_keeps_slot(uint64_t slot_size, uint64_t new_size)
{
	if (new_size > slot_size)
		return 0;
	if (slot_size <= FT_TINY_MAX || new_size > slot_size / 2)
		return 1;
	return 0;
}

int ft_realloc_keeps_large(uint64_t usable, uint64_t new_size)
{
	return (new_size <= usable && new_size > FT_SMALL_MAX) ? 1 : 0;
}
