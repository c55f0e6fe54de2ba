/* ft_malloc core — bits of 64-bit bitmap words.
 * ft_ctz64 is the only trusted function of the core: its contract is assumed
 * by the proofs and checked exhaustively by tests/unit/core_classes.c. */
#ifndef FT_CORE_BITS_H
#define FT_CORE_BITS_H

#include <stdint.h>

/* Bit i of a 64-bit word, stated the way the code tests it. */
/*@ predicate ft_bit(uint64_t w, integer i) = (w & (1 << i)) != 0; */

/* The trusted contract: __builtin_ctzll has no body WP can see. */
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

/* The bit operations of the bitmaps, each proved once here. */

/*@ requires b < 64;
    assigns \nothing;
    ensures \result == 1 <==> ft_bit(w, b);
    ensures \result == 0 || \result == 1;
 */
static inline int ft_word_has(uint64_t w, uint32_t b)
{
	return (w & (1ull << b)) != 0;
}

/*@ requires b < 64;
    assigns \nothing;
    ensures ft_bit(\result, b);
    ensures \forall integer i; 0 <= i < 64 && i != b ==> (ft_bit(\result, i) <==> ft_bit(w, i));
 */
static inline uint64_t ft_word_set(uint64_t w, uint32_t b)
{
	return w | (1ull << b);
}

/*@ requires b < 64;
    assigns \nothing;
    ensures !ft_bit(\result, b);
    ensures \forall integer i; 0 <= i < 64 && i != b ==> (ft_bit(\result, i) <==> ft_bit(w, i));
 */
static inline uint64_t ft_word_clear(uint64_t w, uint32_t b)
{
	return w & ~(1ull << b);
}

/* The bits clear in both words. */
/*@ assigns \nothing;
    ensures \forall integer i; 0 <= i < 64 ==>
        (ft_bit(\result, i) <==> (!ft_bit(a, i) && !ft_bit(b, i)));
 */
static inline uint64_t ft_word_free(uint64_t a, uint64_t b)
{
	return ~(a | b);
}

/* All 64 bits set (~0: written through ft_word_free so that WP sees each bit). */
/*@ assigns \nothing;
    ensures \forall integer i; 0 <= i < 64 ==> ft_bit(\result, i);
 */
static inline uint64_t ft_word_ones(void)
{
	return ft_word_free(0, 0);
}

/* Bits b..63 set, bits below b clear. */
/*@ requires b < 64;
    assigns \nothing;
    ensures \forall integer i; 0 <= i < 64 ==> (ft_bit(\result, i) <==> i >= b);
 */
static inline uint64_t ft_word_from(uint32_t b)
{
	uint64_t ones = ft_word_ones();

	/*@ assert \forall integer i; b <= i < 64 ==>
	      ft_bit(ones, i - b) && ((ones << b) & (1 << i)) != 0; */
	/*@ assert \forall integer i; 0 <= i < b ==> ((ones << b) & (1 << i)) == 0; */
	return ones << b;
}

#endif
