#include "core/large.h"

/*@ requires 16 <= cap <= 0x100000000 && (cap & (cap - 1)) == 0;
    assigns \nothing;
    ensures 0 <= \result < cap;
    ensures \result == ft_large_hash(addr, cap);
 */
static uint64_t ft_large_slot(uint64_t addr, uint64_t cap)
{
	uint64_t mixed = (addr >> 12) * 0x9E3779B97F4A7C15ull;

	uint64_t spread = mixed / 1048576;

	return spread % cap;
}

int64_t ft_large_find(const struct ft_large_table *t, uint64_t addr)
{
	uint64_t h;
	uint64_t i;
	uint64_t n;

	if (addr <= FT_LARGE_TOMB)
		return -1;
	h = ft_large_slot(addr, t->cap);
	i = h;
	/*@ loop invariant 0 <= n <= t->cap;
	    loop invariant i == ft_large_step(h, n, t->cap);
	    loop invariant \forall integer j; 0 <= j < t->cap && ft_large_dist(h, j, t->cap) < n ==>
	      t->e[j].addr != addr && t->e[j].addr != FT_LARGE_EMPTY;
	    loop assigns n, i;
	    loop variant t->cap - n;
	 */
	for (n = 0; n < t->cap; n++) {
		uint64_t key = t->e[i].addr;

		if (key == addr)
			return (int64_t)i;
		if (key == FT_LARGE_EMPTY) {
			/*@ assert ft_large_dist(h, i, t->cap) == n; */
			/*@ assert \forall integer p; 0 <= p < t->cap && t->e[p].addr == addr ==>
			      ft_large_dist(h, i, t->cap) < ft_large_dist(h, p, t->cap); */
			return -1;
		}
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
	uint64_t h;
	uint64_t i;
	uint64_t n;

	if (ft_large_needs_growth(t) || t->used >= t->cap || ft_large_find(t, addr) >= 0)
		return -1;
	h = ft_large_slot(addr, t->cap);
	i = h;
	/*@ loop invariant 0 <= n <= t->cap;
	    loop invariant i == ft_large_step(h, n, t->cap);
	    loop invariant \forall integer j; 0 <= j < t->cap && ft_large_dist(h, j, t->cap) < n ==>
	      ft_large_live(t->e[j].addr);
	    loop assigns n, i;
	    loop variant t->cap - n;
	 */
	for (n = 0; n < t->cap; n++) {
		uint64_t key = t->e[i].addr;

		if (key == FT_LARGE_EMPTY || key == FT_LARGE_TOMB) {
			/*@ assert ft_large_dist(h, i, t->cap) == n; */
			if (key == FT_LARGE_TOMB && t->tombs > 0)
				t->tombs--;
			t->e[i].addr = addr;
			t->e[i].map_len = map_len;
			t->e[i].req = req;
			t->used++;
			/*@ ghost
			  uint64_t k;
			  /@ loop invariant 0 <= k <= t->cap;
			     loop invariant ft_large_nlive(t, k) == ft_large_nlive{Pre}(t, k) + (k > i ? 1 : 0);
			     loop invariant ft_large_ntomb(t, k) ==
			       ft_large_ntomb{Pre}(t, k) - (k > i && key == FT_LARGE_TOMB ? 1 : 0);
			     loop invariant ft_large_ntomb(t, k) >= 0;
			     loop assigns k;
			     loop variant t->cap - k; @/
			  for (k = 0; k < t->cap; k++)
			    ;
			 */
			return 0;
		}
		i = i + 1 == t->cap ? 0 : i + 1;
	}
	/* Every entry is live: used would be cap. */
	/*@ ghost
	  uint64_t k2;
	  /@ loop invariant 0 <= k2 <= t->cap;
	     loop invariant ft_large_nlive(t, k2) == k2;
	     loop assigns k2;
	     loop variant t->cap - k2; @/
	  for (k2 = 0; k2 < t->cap; k2++)
	    ;
	 */
	return -1;
}

int ft_large_remove(struct ft_large_table *t, uint64_t addr, uint64_t *map_len)
{
	int64_t i = ft_large_find(t, addr);

	if (i < 0)
		return -1;
	/* A live entry is there: used >= 1 and tombs < cap. */
	/*@ ghost
	  uint64_t k;
	  /@ loop invariant 0 <= k <= t->cap;
	     loop invariant ft_large_nlive(t, k) + ft_large_ntomb(t, k) <= k;
	     loop invariant ft_large_ntomb(t, k) >= 0;
	     loop invariant ft_large_nlive(t, k) >= (k > i ? 1 : 0);
	     loop invariant ft_large_ntomb(t, k) + (k > i ? 1 : 0) <= k;
	     loop assigns k;
	     loop variant t->cap - k; @/
	  for (k = 0; k < t->cap; k++)
	    ;
	 */
	if (t->used == 0 || t->tombs >= t->cap)
		return -1;
	*map_len = t->e[i].map_len;
	t->e[i].addr = FT_LARGE_TOMB;
	t->used--;
	t->tombs++;
	/*@ assert \forall integer p; 0 <= p < t->cap && p != i ==>
	      t->e[p].addr == \at(t->e[p].addr, Pre) && \at(t->e[p].addr, Pre) != addr; */
	/*@ ghost
	  uint64_t k2;
	  /@ loop invariant 0 <= k2 <= t->cap;
	     loop invariant ft_large_nlive(t, k2) == ft_large_nlive{Pre}(t, k2) - (k2 > i ? 1 : 0);
	     loop invariant ft_large_ntomb(t, k2) == ft_large_ntomb{Pre}(t, k2) + (k2 > i ? 1 : 0);
	     loop assigns k2;
	     loop variant t->cap - k2; @/
	  for (k2 = 0; k2 < t->cap; k2++)
	    ;
	 */
	return 0;
}

int ft_large_rehash(struct ft_large_table *dst, const struct ft_large_table *src)
{
	const uint64_t dst_cap = dst->cap;
	uint64_t i;

	if (dst_cap <= src->used)
		return -1;
	/* An all-EMPTY table keeps the invariant. */
	/*@ ghost
	  uint64_t k;
	  /@ loop invariant 0 <= k <= dst_cap;
	     loop invariant ft_large_nlive(dst, k) == 0 && ft_large_ntomb(dst, k) == 0;
	     loop assigns k;
	     loop variant dst_cap - k; @/
	  for (k = 0; k < dst_cap; k++)
	    ;
	 */
	/*@ loop invariant 0 <= i <= src->cap;
	    loop invariant ft_large_shape(dst) && ft_large_inv(dst);
	    loop invariant dst->cap == dst_cap;
	    loop invariant dst->used == ft_large_nlive(src, i);
	    loop invariant \forall integer k; 0 <= k < i && ft_large_live(src->e[k].addr) ==>
	      ft_large_has_entry(dst, src->e[k].addr, src->e[k].map_len, src->e[k].req);
	    loop invariant \forall integer j; 0 <= j < dst_cap && ft_large_live(dst->e[j].addr) ==>
	      \exists integer k; 0 <= k < i &&
	        ft_large_entry_is(src, k, dst->e[j].addr, dst->e[j].map_len, dst->e[j].req);
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
