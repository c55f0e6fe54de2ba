#include "core/large.h"

/*@ requires 16 <= cap <= 0x100000000 && (cap & (cap - 1)) == 0;
    assigns \nothing;
    ensures 0 <= \result < cap;
 */
static uint64_t ft_large_slot(uint64_t addr, uint64_t cap)
{
	uint64_t mixed = (addr >> 12) * 0x9E3779B97F4A7C15ull;

	uint64_t spread = mixed / 1048576;

	return spread % cap;
}

int64_t ft_large_find(const struct ft_large_table *t, uint64_t addr)
{
	uint64_t i;
	uint64_t n;

	if (addr <= FT_LARGE_TOMB)
		return -1;
	i = ft_large_slot(addr, t->cap);
	/*@ loop invariant 0 <= n <= t->cap;
	    loop invariant 0 <= i < t->cap;
	    loop assigns n, i;
	    loop variant t->cap - n;
	 */
	for (n = 0; n < t->cap; n++) {
		uint64_t key = t->e[i].addr;

		if (key == addr)
			return (int64_t)i;
		if (key == FT_LARGE_EMPTY)
			return -1;
		i = i + 1 == t->cap ? 0 : i + 1;
	}
	return -1;
}

int ft_large_needs_growth(const struct ft_large_table *t)
{
	return (t->used + t->tombs + 1) * 4 > t->cap * 3 ? 1 : 0;
}

int ft_large_insert(struct ft_large_table *t, uint64_t addr, uint64_t map_len,
		    uint64_t req)
{
	uint64_t i;
	uint64_t n;

	if (ft_large_needs_growth(t) || t->used >= t->cap || ft_large_find(t, addr) >= 0)
		return -1;
	i = ft_large_slot(addr, t->cap);
	/*@ loop invariant 0 <= n <= t->cap;
	    loop invariant 0 <= i < t->cap;
	    loop assigns n, i;
	    loop variant t->cap - n;
	 */
	for (n = 0; n < t->cap; n++) {
		uint64_t key = t->e[i].addr;

		if (key == FT_LARGE_EMPTY || key == FT_LARGE_TOMB) {
			if (key == FT_LARGE_TOMB && t->tombs > 0)
				t->tombs--;
			t->e[i].addr = addr;
			t->e[i].map_len = map_len;
			t->e[i].req = req;
			t->used++;
			return 0;
		}
		i = i + 1 == t->cap ? 0 : i + 1;
	}
	return -1;
}

int ft_large_remove(struct ft_large_table *t, uint64_t addr, uint64_t *map_len)
{
	int64_t i = ft_large_find(t, addr);

	if (i < 0 || t->used == 0 || t->tombs >= t->cap)
		return -1;
	*map_len = t->e[i].map_len;
	t->e[i].addr = FT_LARGE_TOMB;
	t->used--;
	t->tombs++;
	return 0;
}

int ft_large_rehash(struct ft_large_table *dst, const struct ft_large_table *src)
{
	const uint64_t dst_cap = dst->cap;
	uint64_t i;

	if (dst_cap <= src->used)
		return -1;

	/*@ loop invariant 0 <= i <= src->cap;
	    loop invariant ft_large_shape(dst);
	    loop invariant dst->cap == dst_cap;
	    loop assigns i, dst->e[0 .. dst_cap - 1], dst->used, dst->tombs;
	    loop variant src->cap - i;
	 */
	for (i = 0; i < src->cap; i++) {
		uint64_t addr = src->e[i].addr;

		if (addr > FT_LARGE_TOMB &&
		    ft_large_insert(dst, addr, src->e[i].map_len, src->e[i].req) != 0)
			return -1;
	}
	return 0;
}

uint64_t ft_large_map_len(uint64_t size)
{
	uint64_t pages;

	if (size > 0xFFFFFFFFFFFFull)
		return 0;
	pages = (size + FT_PAGE_SIZE - 1) / FT_PAGE_SIZE;
	return (pages + 1) * FT_PAGE_SIZE;
}
