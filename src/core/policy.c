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
	if (a != 0) {
		uint64_t q = FT_REQUEST_MAX / a;

		/*@ assert quotient: q * a <= FT_REQUEST_MAX < q * a + a; */
		if (b > q) {
			/*@ assert a * (b - (q + 1)) >= 0; */
			/*@ assert a * b >= a * (q + 1); */
			return -1;
		}
		/*@ assert a * b <= a * q; */
	}
	*out = a * b;
	return 0;
}

/* Compares x with 1, 2, 4, ... up to the first power not below it: at most
 * 64 steps, 13 for an alignment of 4096 (arithmetic only, so that WP proves
 * the contract exactly; the x & (x - 1) trick does not prove). */
int ft_is_power_of_two(uint64_t x)
{
	uint64_t p = 1;
	int k = 0;

	/* Ghost "lemma loop": induction on i gives 2^a <= 2^b for a <= b <= 63. */
	/*@ ghost
	  int i = 0;
	  /@ loop invariant 0 <= i <= 63;
	     loop invariant (1 << i) >= 1;
	     loop invariant \forall integer a, b; 0 <= a <= b <= i ==> (1 << a) <= (1 << b);
	     loop assigns i;
	     loop variant 63 - i;
	  @/
	  while (i < 63) {
	    /@ assert (1 << (i + 1)) == 2 * (1 << i); @/
	    /@ assert \forall integer a; 0 <= a <= i ==> (1 << a) <= (1 << (i + 1)); @/
	    i++;
	  }
	*/
	/*@ assert pow2_increasing:
	      \forall integer a, b; 0 <= a <= b <= 63 ==> (1 << a) <= (1 << b); */

	/*@ loop invariant 0 <= k <= 63;
	    loop invariant p == (1 << k);
	    loop invariant \forall integer j; 0 <= j < k ==> (1 << j) < x;
	    loop assigns p, k;
	    loop variant 63 - k;
	 */
	while (p < x && p < 0x8000000000000000ull && k < 63) {
		p *= 2;
		k++;
	}
	return p == x ? 1 : 0;
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
