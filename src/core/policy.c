#include "core/policy.h"
#include "core/bits.h"

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
	if (a != 0) {
		uint64_t q = FT_REQUEST_MAX / a;

		/*@ assert q == FT_REQUEST_MAX / a; */
		if (b > q) {
			/*@ assert a * (q + 1) > FT_REQUEST_MAX; */
			/*@ assert a * b >= a * (q + 1); */
			/*@ assert a * b > FT_REQUEST_MAX; */
			return -1;
		}
		/*@ assert a * b <= FT_REQUEST_MAX; */
	}
	*out = a * b;
	return 0;
}

/* x is a power of two when it is the bit its lowest set bit stands for
 * (ft_ctz64 is __builtin_ctzll, whose contract bits.h states and the unit
 * tests check; the x & (x - 1) trick does not prove). */
int ft_is_power_of_two(uint64_t x)
{
	int k;

	if (x == 0)
		return 0;
	k = ft_ctz64(x);
	return x == (1ull << k) ? 1 : 0;
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

int ft_policy_keeps_pages(uint64_t dirty, uint64_t bytes)
{
	/* Written so that nothing overflows: dirty + bytes may not fit. */
	return bytes <= FT_DIRTY_MAX && dirty <= FT_DIRTY_MAX - bytes ? 1 : 0;
}

int ft_policy_settles(uint64_t nonempty, uint32_t nzones)
{
	return nonempty == 0 && nzones > FT_SETTLE_ZONES ? 1 : 0;
}

int ft_policy_grows_by_copy(uint64_t map_len)
{
	return map_len <= FT_GROW_COPY_MAX ? 1 : 0;
}
