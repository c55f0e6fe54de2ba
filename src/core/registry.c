#include "core/registry.h"

uint32_t ft_registry_hash(uint64_t base)
{
	return (uint32_t)((base >> FT_ZONE_SHIFT) & (FT_REGISTRY_CAP - 1));
}

int32_t ft_registry_find(const struct ft_registry *r, uint64_t base)
{
	uint32_t h = ft_registry_hash(base);
	uint32_t i = h;
	uint32_t n;

	if (base == FT_REGISTRY_EMPTY || base == FT_REGISTRY_TOMB)
		return -1;
	/*@ loop invariant 0 <= n <= FT_REGISTRY_CAP;
	    loop invariant i == ft_reg_step(h, n);
	    loop invariant \forall integer j; 0 <= j < FT_REGISTRY_CAP && ft_reg_dist(h, j) < n ==>
	      r->keys[j] != base && r->keys[j] != FT_REGISTRY_EMPTY;
	    loop assigns n, i;
	    loop variant FT_REGISTRY_CAP - n;
	 */
	for (n = 0; n < FT_REGISTRY_CAP; n++) {
		uint64_t key = r->keys[i];

		if (key == base)
			return (int32_t)i;
		if (key == FT_REGISTRY_EMPTY) {
			/*@ assert ft_reg_dist(h, i) == n; */
			/*@ assert \forall integer p; 0 <= p < FT_REGISTRY_CAP && r->keys[p] == base ==>
			      ft_reg_dist(h, i) < ft_reg_dist(h, p); */
			return -1;
		}
		i = i + 1 == FT_REGISTRY_CAP ? 0 : i + 1;
	}
	return -1;
}

int ft_registry_insert(struct ft_registry *r, uint64_t base)
{
	uint32_t h = ft_registry_hash(base);
	uint32_t i = h;
	uint32_t n;
	int32_t spot = -1;

	if (r->count >= FT_REGISTRY_CAP - FT_REGISTRY_CAP / 4)
		return -1;
	/*@ loop invariant 0 <= n <= FT_REGISTRY_CAP;
	    loop invariant i == ft_reg_step(h, n);
	    loop invariant \forall integer j; 0 <= j < FT_REGISTRY_CAP && ft_reg_dist(h, j) < n ==>
	      r->keys[j] != base && r->keys[j] != FT_REGISTRY_EMPTY;
	    loop invariant spot == -1 ==> \forall integer j; 0 <= j < FT_REGISTRY_CAP &&
	      ft_reg_dist(h, j) < n ==> r->keys[j] != FT_REGISTRY_TOMB;
	    loop invariant spot != -1 ==> 0 <= spot < FT_REGISTRY_CAP &&
	      r->keys[spot] == FT_REGISTRY_TOMB && ft_reg_dist(h, spot) < n;
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
			/*@ assert ft_reg_dist(h, i) == n; */
			/*@ assert \forall integer p; 0 <= p < FT_REGISTRY_CAP && r->keys[p] == base ==>
			      ft_reg_dist(h, i) < ft_reg_dist(h, p); */
			if (spot < 0)
				spot = (int32_t)i;
			break;
		}
		i = i + 1 == FT_REGISTRY_CAP ? 0 : i + 1;
	}
	/*@ assert !ft_reg_has(r, base); */
	/*@ assert 0 <= spot < FT_REGISTRY_CAP ==> !ft_reg_live(r->keys[spot]); */
	if (spot < 0) {
		/* Every slot holds a key: count would be FT_REGISTRY_CAP. */
		/*@ ghost
		  int k;
		  /@ loop invariant 0 <= k <= FT_REGISTRY_CAP;
		     loop invariant ft_reg_nlive(r, k) == k;
		     loop assigns k;
		     loop variant FT_REGISTRY_CAP - k; @/
		  for (k = 0; k < (int)FT_REGISTRY_CAP; k++)
		    ;
		 */
		return -1;
	}
	r->keys[spot] = base;
	r->count++;
	/*@ ghost
	  int k2;
	  /@ loop invariant 0 <= k2 <= FT_REGISTRY_CAP;
	     loop invariant ft_reg_nlive(r, k2) == ft_reg_nlive{Pre}(r, k2) + (k2 > spot ? 1 : 0);
	     loop assigns k2;
	     loop variant FT_REGISTRY_CAP - k2; @/
	  for (k2 = 0; k2 < (int)FT_REGISTRY_CAP; k2++)
	    ;
	 */
	return 0;
}

int ft_registry_remove(struct ft_registry *r, uint64_t base)
{
	int32_t i = ft_registry_find(r, base);

	if (i < 0)
		return -1;
	/* A key is there: count is at least 1. */
	/*@ ghost
	  int k;
	  /@ loop invariant 0 <= k <= FT_REGISTRY_CAP;
	     loop invariant ft_reg_nlive(r, k) >= (k > i ? 1 : 0);
	     loop assigns k;
	     loop variant FT_REGISTRY_CAP - k; @/
	  for (k = 0; k < (int)FT_REGISTRY_CAP; k++)
	    ;
	 */
	if (r->count == 0)
		return -1;
	r->keys[i] = FT_REGISTRY_TOMB;
	r->count--;
	/*@ assert \forall integer p; 0 <= p < FT_REGISTRY_CAP && p != i ==>
	      r->keys[p] == \at(r->keys[p], Pre) && \at(r->keys[p], Pre) != base; */
	/*@ ghost
	  int k2;
	  /@ loop invariant 0 <= k2 <= FT_REGISTRY_CAP;
	     loop invariant ft_reg_nlive(r, k2) == ft_reg_nlive{Pre}(r, k2) - (k2 > i ? 1 : 0);
	     loop assigns k2;
	     loop variant FT_REGISTRY_CAP - k2; @/
	  for (k2 = 0; k2 < (int)FT_REGISTRY_CAP; k2++)
	    ;
	 */
	return 0;
}
