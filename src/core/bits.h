/* ft_malloc core — bit scan.
 * The only trusted function of the core: the contract of ft_ctz64 is assumed by
 * the proofs and checked exhaustively by tests/unit/core_bits.c. */
#ifndef FT_CORE_BITS_H
#define FT_CORE_BITS_H

#include <stdint.h>

/*@ logic boolean ft_bit(uint64_t w, integer i) = ((w >> i) & 1) != 0; */

/*@ requires x != 0;
    assigns \nothing;
    ensures 0 <= \result < 64;
    ensures ft_bit(x, \result);
    ensures \forall integer i; 0 <= i < \result ==> !ft_bit(x, i);
 */
#ifdef __FRAMAC__
int ft_ctz64(uint64_t x);
#else
static inline int ft_ctz64(uint64_t x)
{
	return __builtin_ctzll(x);
}
#endif

#endif
