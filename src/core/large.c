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

/* Writes {addr, map_len, req} into slot i, which holds no live entry: addr
 * is not in the table and every slot from its hash slot up to i is not EMPTY,
 * so the invariant holds afterwards. */
/*@ requires ft_large_shape(t) && ft_large_inv(t);
    requires 0 <= i < t->cap;
    requires !ft_large_live(t->e[i].addr);
    requires ft_large_live(addr) && !ft_large_has(t, addr);
    requires \forall integer j; 0 <= j < t->cap &&
      ft_large_dist(ft_large_hash(addr, t->cap), j, t->cap) <
      ft_large_dist(ft_large_hash(addr, t->cap), i, t->cap) ==>
      t->e[j].addr != FT_LARGE_EMPTY;
    requires t->used < t->cap;
    assigns t->e[i], t->used, t->tombs;
    ensures ft_large_shape(t);
    ensures ft_large_counted(t);
    ensures ft_large_distinct(t);
    ensures ft_large_probing(t);
    ensures ft_large_entry_is(t, i, addr, map_len, req);
    ensures t->used == \old(t->used) + 1 && t->tombs <= \old(t->tombs);
    ensures put_at_kept: \forall integer a, m, r;
      ft_large_live(a) && ft_large_has_entry{Pre}(t, a, m, r) ==> ft_large_has_entry(t, a, m, r);
 */
static void ft_large_put_at(struct ft_large_table *t, uint64_t i, uint64_t addr,
			    uint64_t map_len, uint64_t req)
{
	uint64_t key = t->e[i].addr;
	/*@ ghost const uint64_t cap = t->cap; */

	if (key == FT_LARGE_TOMB && t->tombs > 0)
		t->tombs--;
	t->used++;
	t->e[i].addr = addr;
	t->e[i].map_len = map_len;
	t->e[i].req = req;
	/*@ assert t->cap == cap; */
	/*@ assert t->used <= cap && t->tombs <= cap; */
	/*@ assert \forall integer j; 0 <= j < cap && j != i ==>
	      t->e[j].addr == \at(t->e[j].addr, Pre); */
	/*@ assert \forall integer j; 0 <= j < cap && j != i ==>
	      ft_large_same_entry{Pre, Here}(t, j); */
	/*@ assert \forall integer j; 0 <= j < cap &&
	      \at(t->e[j].addr, Pre) != FT_LARGE_EMPTY ==> t->e[j].addr != FT_LARGE_EMPTY; */
	/*@ assert \forall integer j, a, m, r; 0 <= j < cap && ft_large_live(a) &&
	      ft_large_entry_is{Pre}(t, j, a, m, r) ==> ft_large_entry_is(t, j, a, m, r); */
	/*@ ghost
	  uint64_t k;
	  /@ loop invariant 0 <= k <= cap;
	     loop invariant ft_large_nlive(t, k) == ft_large_nlive{Pre}(t, k) + (k > i ? 1 : 0);
	     loop invariant key == FT_LARGE_TOMB ==>
	       ft_large_ntomb(t, k) == ft_large_ntomb{Pre}(t, k) - (k > i ? 1 : 0);
	     loop invariant key != FT_LARGE_TOMB ==> ft_large_ntomb(t, k) == ft_large_ntomb{Pre}(t, k);
	     loop invariant ft_large_ntomb(t, k) >= 0;
	     loop assigns k;
	     loop variant cap - k; @/
	  for (k = 0; k < cap; k++)
	    ;
	 */
}

int ft_large_insert(struct ft_large_table *t, uint64_t addr, uint64_t map_len,
		    uint64_t req)
{
	const uint64_t cap = t->cap;
	uint64_t h;
	uint64_t i;
	uint64_t n;

	if (ft_large_needs_growth(t) || t->used >= cap || ft_large_find(t, addr) >= 0)
		return -1;
	h = ft_large_slot(addr, cap);
	i = h;
	/*@ loop invariant 0 <= n <= cap;
	    loop invariant i == ft_large_step(h, n, cap);
	    loop invariant \forall integer j; 0 <= j < cap && ft_large_dist(h, j, cap) < n ==>
	      ft_large_live(t->e[j].addr);
	    loop assigns n, i;
	    loop variant cap - n;
	 */
	for (n = 0; n < cap; n++) {
		uint64_t key = t->e[i].addr;

		if (key == FT_LARGE_EMPTY || key == FT_LARGE_TOMB) {
			/*@ assert ft_large_dist(h, i, cap) == n; */
			ft_large_put_at(t, i, addr, map_len, req);
			return 0;
		}
		i = i + 1 == cap ? 0 : i + 1;
	}
	/* Every entry is live: used would be cap. */
	/*@ ghost
	  uint64_t k;
	  /@ loop invariant 0 <= k <= cap;
	     loop invariant ft_large_nlive(t, k) == k;
	     loop assigns k;
	     loop variant cap - k; @/
	  for (k = 0; k < cap; k++)
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

int ft_large_move(struct ft_large_table *t, uint64_t old_addr, uint64_t new_addr,
		  uint64_t map_len, uint64_t req)
{
	uint64_t old_len = 0;

	if (ft_large_needs_growth(t) || ft_large_find(t, old_addr) < 0)
		return -1;
	if (new_addr != old_addr && ft_large_find(t, new_addr) >= 0)
		return -1;
	/* A tombstone takes old_addr's place: used + tombs, and so the room, do
	 * not change, and new_addr is not there, so the insert takes it. */
	if (ft_large_remove(t, old_addr, &old_len) != 0)
		return -1;
	/*@ assert one_less: t->used == \at(t->used, Pre) - 1; */
	/*@ assert others_unchanged: \forall integer j; 0 <= j < t->cap &&
	      \at(t->e[j].addr, Pre) != old_addr ==> ft_large_same_entry{Pre, Here}(t, j); */
	/*@ assert kept_slots: \forall integer p, a, m, r; 0 <= p < t->cap &&
	      ft_large_entry_is{Pre}(t, p, a, m, r) && a != old_addr ==>
	      ft_large_entry_is(t, p, a, m, r); */
	/*@ assert kept_by_remove: \forall integer a, m, r;
	      ft_large_live(a) && a != old_addr && ft_large_has_entry{Pre}(t, a, m, r) ==>
	      ft_large_has_entry(t, a, m, r); */
	/* What makes the insert succeed when the move is possible. */
	/*@ for moved: assert room: (t->used + t->tombs + 1) * 4 <= t->cap * 3; */
	/*@ for moved: assert fresh: !ft_large_has(t, new_addr); */
Removed: __attribute__((unused));
	if (ft_large_insert(t, new_addr, map_len, req) != 0)
		return -1;
	/*@ assert kept_by_insert: \forall integer a, m, r;
	      ft_large_live(a) && ft_large_has_entry{Removed}(t, a, m, r) ==>
	      ft_large_has_entry(t, a, m, r); */
	/*@ assert kept: \forall integer a, m, r;
	      ft_large_live(a) && a != old_addr && ft_large_has_entry{Pre}(t, a, m, r) ==>
	      ft_large_has_entry(t, a, m, r); */
	/*@ assert same_used: t->used == \at(t->used, Pre); */
	return 0;
}

int ft_large_rehash(struct ft_large_table *dst, const struct ft_large_table *src)
{
	const uint64_t dst_cap = dst->cap;
	const uint64_t src_cap = src->cap;
	uint64_t i;

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
	if (dst_cap <= src->used)
		return -1;
	/* Every prefix of src holds at most src->used live entries. */
	/*@ ghost
	  uint64_t k2;
	  /@ loop invariant 0 <= k2 <= src_cap;
	     loop invariant \forall integer a; 0 <= a <= k2 ==>
	       ft_large_nlive(src, a) <= ft_large_nlive(src, k2);
	     loop assigns k2;
	     loop variant src_cap - k2; @/
	  for (k2 = 0; k2 < src_cap; k2++)
	    ;
	 */
	/*@ loop invariant 0 <= i <= src_cap && src_cap <= 0x100000000;
	    loop invariant ft_large_shape(dst) && ft_large_inv(dst);
	    loop invariant dst->cap == dst_cap && dst->tombs == 0;
	    loop invariant \forall integer a; 0 <= a <= src_cap ==>
	      ft_large_nlive{Pre}(src, a) <= \at(src->used, Pre);
	    loop invariant rehash_used: dst->used == ft_large_nlive{Pre}(src, i);
	    loop invariant rehash_src_in_dst:
	      \forall integer k; 0 <= k < i && ft_large_live(\at(src->e[k].addr, Pre)) ==>
	      ft_large_has_entry(dst, \at(src->e[k].addr, Pre), \at(src->e[k].map_len, Pre),
	                         \at(src->e[k].req, Pre));
	    loop invariant rehash_dst_in_src:
	      \forall integer j; 0 <= j < dst_cap && ft_large_live(dst->e[j].addr) ==>
	      \exists integer k; 0 <= k < i &&
	        ft_large_entry_is{Pre}(src, k, dst->e[j].addr, dst->e[j].map_len, dst->e[j].req);
	    loop assigns i, dst->e[0 .. dst_cap - 1], dst->used, dst->tombs;
	    loop variant src_cap - i;
	 */
	for (i = 0; i < src_cap; i++) {
		uint64_t addr = src->e[i].addr;

		/*@ assert ft_large_addr_is{Pre}(src, i, addr); */
		/*@ assert ft_large_nlive{Pre}(src, i + 1) ==
		      ft_large_nlive{Pre}(src, i) + (addr > FT_LARGE_TOMB ? 1 : 0); */
		if (addr > FT_LARGE_TOMB) {
			uint64_t map_len = src->e[i].map_len;
			uint64_t req = src->e[i].req;

			/*@ assert ft_large_entry_is{Pre}(src, i, addr, map_len, req); */
			/*@ assert !ft_large_has(dst, addr); */
			/*@ assert \at(src->used, Pre) * 4 <= dst_cap * 3 ==>
			      (dst->used + dst->tombs + 1) * 4 <= dst->cap * 3; */
			if (ft_large_insert(dst, addr, map_len, req) != 0)
				return -1;
		}
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
