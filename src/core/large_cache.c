#include "core/large_cache.h"

int ft_large_cache_put(struct ft_large_cache *c, uint64_t addr, uint64_t len)
{
	int i;

	if (len > FT_LARGE_CACHE_BLOCK_MAX || len > FT_LARGE_CACHE_BYTES - c->total)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant \forall integer j; 0 <= j < i ==> c->addr[j] != 0;
	    loop assigns i;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		if (c->addr[i] == 0) {
			c->addr[i] = addr;
			c->len[i] = len;
			c->total += len;
			/*@ assert ft_cache_only{Pre, Here}(c, i); */
			/*@ ghost
			  int k;
			  /@ loop invariant 0 <= k <= FT_LARGE_CACHE_SLOTS;
			     loop invariant ft_cache_sum(c, k) == ft_cache_sum{Pre}(c, k) + (k > i ? len : 0);
			     loop assigns k;
			     loop variant FT_LARGE_CACHE_SLOTS - k; @/
			  for (k = 0; k < FT_LARGE_CACHE_SLOTS; k++)
			    ;
			 */
			return 0;
		}
	}
	return -1;
}

/* Takes slot i, which is full, out of the cache: its mapping into *addr and
 * *len, the slot emptied. */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires 0 <= i < FT_LARGE_CACHE_SLOTS;
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    assigns c->addr[i], c->len[i], c->total, *addr, *len;
    ensures ft_cache_shape(c) && ft_cache_inv(c);
    ensures *addr == \old(c->addr[i]) && *len == \old(c->len[i]);
    ensures c->addr[i] == 0 && c->len[i] == 0;
    ensures c->total == \old(c->total) - \old(c->len[i]);
 */
static void ft_large_cache_take_out(struct ft_large_cache *c, int i, uint64_t *addr,
				    uint64_t *len)
{
	*addr = c->addr[i];
	*len = c->len[i];
	/* Writing *addr and *len left the sum of c as it was. */
	/*@ ghost
	  int k0;
	  /@ loop invariant 0 <= k0 <= FT_LARGE_CACHE_SLOTS;
	     loop invariant ft_cache_sum(c, k0) == ft_cache_sum{Pre}(c, k0);
	     loop assigns k0;
	     loop variant FT_LARGE_CACHE_SLOTS - k0; @/
	  for (k0 = 0; k0 < FT_LARGE_CACHE_SLOTS; k0++)
	    ;
	 */
	/* total includes len[i]. */
	/*@ ghost
	  int k;
	  /@ loop invariant 0 <= k <= FT_LARGE_CACHE_SLOTS;
	     loop invariant ft_cache_sum(c, k) >= (k > i ? c->len[i] : 0);
	     loop assigns k;
	     loop variant FT_LARGE_CACHE_SLOTS - k; @/
	  for (k = 0; k < FT_LARGE_CACHE_SLOTS; k++)
	    ;
	 */
	c->total = c->len[i] <= c->total ? c->total - c->len[i] : 0;
	c->addr[i] = 0;
	c->len[i] = 0;
	/*@ ghost
	  int k2;
	  /@ loop invariant 0 <= k2 <= FT_LARGE_CACHE_SLOTS;
	     loop invariant ft_cache_sum(c, k2) ==
	       ft_cache_sum{Pre}(c, k2) - (k2 > i ? \at(c->len[i], Pre) : 0);
	     loop assigns k2;
	     loop variant FT_LARGE_CACHE_SLOTS - k2; @/
	  for (k2 = 0; k2 < FT_LARGE_CACHE_SLOTS; k2++)
	    ;
	 */
}

int ft_large_cache_take(struct ft_large_cache *c, uint64_t need, uint64_t align,
			uint64_t *addr, uint64_t *len)
{
	int best = -1;
	int i;

	if (need > FT_LARGE_CACHE_BLOCK_MAX)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant -1 <= best < i;
	    loop invariant best >= 0 ==> ft_cache_fits(c, best, need, align);
	    loop invariant best >= 0 ==> \forall integer j; 0 <= j < i &&
	      ft_cache_fits(c, j, need, align) ==> c->len[best] <= c->len[j];
	    loop invariant best < 0 ==> \forall integer j; 0 <= j < i ==>
	      !ft_cache_fits(c, j, need, align);
	    loop assigns i, best;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		uint64_t l = c->len[i];

		if (c->addr[i] == 0 || l < need ||
		    (l - need > need / 3 && l - need >= FT_LARGE_MAP_MIN) ||
		    c->addr[i] % align != 0)
			continue;
		if (best < 0 || l < c->len[best])
			best = i;
	}
	if (best < 0)
		return -1;
	ft_large_cache_take_out(c, best, addr, len);
	/*@ assert ft_cache_only{Pre, Here}(c, best); */
	/*@ assert ft_cache_fits{Pre}(c, best, need, align) &&
	      ft_cache_slot_is{Pre}(c, best, *addr, *len) && ft_cache_slot_is(c, best, 0, 0); */
	return 0;
}

int ft_large_cache_carve(struct ft_large_cache *c, uint64_t need, uint64_t align,
			 uint64_t *addr)
{
	int best = -1;
	int i;

	if (need > FT_LARGE_CACHE_BLOCK_MAX)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant -1 <= best < i;
	    loop invariant best >= 0 ==> ft_cache_longer(c, best, need, align);
	    loop invariant best >= 0 ==> \forall integer j; 0 <= j < i &&
	      ft_cache_longer(c, j, need, align) ==> c->len[best] <= c->len[j];
	    loop invariant best < 0 ==> \forall integer j; 0 <= j < i ==>
	      !ft_cache_longer(c, j, need, align);
	    loop assigns i, best;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		uint64_t a = c->addr[i];

		if (a == 0 || a > 0xFFFFFFFFFFFFull || c->len[i] <= need || a % align != 0)
			continue;
		if (best < 0 || c->len[i] < c->len[best])
			best = i;
	}
	if (best < 0)
		return -1;
	/* total, the sum of every length, is at least this one. */
	/*@ ghost
	  int k0;
	  /@ loop invariant 0 <= k0 <= FT_LARGE_CACHE_SLOTS;
	     loop invariant ft_cache_sum(c, k0) >= (k0 > best ? c->len[best] : 0);
	     loop assigns k0;
	     loop variant FT_LARGE_CACHE_SLOTS - k0; @/
	  for (k0 = 0; k0 < FT_LARGE_CACHE_SLOTS; k0++)
	    ;
	 */
	/*@ assert need < c->len[best] <= c->total; */
	/*@ assert smallest: \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS &&
	      ft_cache_longer(c, j, need, align) ==> c->len[best] <= c->len[j]; */
	*addr = c->addr[best];
	c->addr[best] += need;
	c->len[best] -= need;
	c->total -= need;
	/* Only slot best changed, by need. */
	/*@ ghost
	  int k;
	  /@ loop invariant 0 <= k <= FT_LARGE_CACHE_SLOTS;
	     loop invariant ft_cache_sum(c, k) ==
	       ft_cache_sum{Pre}(c, k) - (k > best ? need : 0);
	     loop assigns k;
	     loop variant FT_LARGE_CACHE_SLOTS - k; @/
	  for (k = 0; k < FT_LARGE_CACHE_SLOTS; k++)
	    ;
	 */
	/*@ assert ft_cache_only{Pre, Here}(c, best); */
	/*@ assert ft_cache_longer{Pre}(c, best, need, align) &&
	      \at(c->addr[\at(best, Here)], Pre) == *addr &&
	      ft_cache_slot_is(c, best, *addr + need, \at(c->len[\at(best, Here)], Pre) - need); */
	return 0;
}

int ft_large_cache_take_longest(struct ft_large_cache *c, uint64_t *addr, uint64_t *len)
{
	int best = -1;
	int i;

	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant -1 <= best < i;
	    loop invariant best >= 0 ==> c->addr[best] != 0;
	    loop invariant best >= 0 ==> \forall integer j; 0 <= j < i && c->addr[j] != 0 ==>
	      c->len[j] <= c->len[best];
	    loop invariant best < 0 ==> \forall integer j; 0 <= j < i ==> c->addr[j] == 0;
	    loop assigns i, best;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		if (c->addr[i] != 0 && (best < 0 || c->len[i] > c->len[best]))
			best = i;
	}
	if (best < 0)
		return -1;
	ft_large_cache_take_out(c, best, addr, len);
	/*@ assert ft_cache_only{Pre, Here}(c, best); */
	return 0;
}

int ft_large_cache_evict(struct ft_large_cache *c, uint64_t size, uint64_t *addr,
			 uint64_t *len)
{
	int best = -1;
	int i;

	if (size > FT_LARGE_CACHE_BLOCK_MAX)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant -1 <= best < i;
	    loop invariant best >= 0 ==> c->addr[best] != 0 && c->len[best] < size;
	    loop invariant best >= 0 ==> \forall integer j; 0 <= j < i && c->addr[j] != 0 ==>
	      c->len[best] <= c->len[j];
	    loop invariant best < 0 ==> \forall integer j; 0 <= j < i && c->addr[j] != 0 ==>
	      c->len[j] >= size;
	    loop assigns i, best;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		if (c->addr[i] == 0)
			continue;
		if (best < 0 ? c->len[i] < size : c->len[i] < c->len[best])
			best = i;
	}
	if (best < 0)
		return -1;
	ft_large_cache_take_out(c, best, addr, len);
	/*@ assert ft_cache_only{Pre, Here}(c, best); */
	return 0;
}
