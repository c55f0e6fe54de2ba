#include "core/large_cache.h"

int ft_large_cache_put(struct ft_large_cache *c, uint64_t addr, uint64_t len)
{
	int i;

	if (len > FT_LARGE_CACHE_BLOCK_MAX || len > FT_LARGE_CACHE_BYTES - c->total)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop assigns i;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		if (c->addr[i] == 0) {
			c->addr[i] = addr;
			c->len[i] = len;
			c->total += len;
			return 0;
		}
	}
	return -1;
}

/* Empties slot i, which is full. */
/*@ requires ft_cache_shape(c);
    requires 0 <= i < FT_LARGE_CACHE_SLOTS;
    assigns c->addr[i], c->len[i], c->total;
    ensures ft_cache_shape(c);
 */
static void ft_large_cache_clear(struct ft_large_cache *c, int i)
{
	c->total = c->len[i] <= c->total ? c->total - c->len[i] : 0;
	c->addr[i] = 0;
	c->len[i] = 0;
}

int ft_large_cache_take(struct ft_large_cache *c, uint64_t need, uint64_t align,
			uint64_t *addr, uint64_t *len)
{
	int best = -1;
	int i;

	if (need > FT_LARGE_CACHE_BLOCK_MAX)
		return -1;
	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop invariant -1 <= best < FT_LARGE_CACHE_SLOTS;
	    loop invariant best >= 0 ==> c->addr[best] != 0 && c->len[best] >= need &&
	                                 c->addr[best] % align == 0;
	    loop assigns i, best;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		uint64_t l = c->len[i];

		if (c->addr[i] == 0 || l < need || l - need > need / 3 ||
		    c->addr[i] % align != 0)
			continue;
		if (best < 0 || l < c->len[best])
			best = i;
	}
	if (best < 0)
		return -1;
	*addr = c->addr[best];
	*len = c->len[best];
	ft_large_cache_clear(c, best);
	return 0;
}

int ft_large_cache_drain(struct ft_large_cache *c, uint64_t *addr, uint64_t *len)
{
	int i;

	/*@ loop invariant 0 <= i <= FT_LARGE_CACHE_SLOTS;
	    loop assigns i;
	    loop variant FT_LARGE_CACHE_SLOTS - i;
	 */
	for (i = 0; i < FT_LARGE_CACHE_SLOTS; i++) {
		if (c->addr[i] != 0) {
			*addr = c->addr[i];
			*len = c->len[i];
			ft_large_cache_clear(c, i);
			return 0;
		}
	}
	return -1;
}
