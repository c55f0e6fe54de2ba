/* ft_malloc core — multiples, in ACSL only (no code).
 * An address b + i * s, with b a slab's or a zone's base and s a slot's or a
 * slab's size, is a multiple of every a that divides both b and s. The
 * provers do not close that step from the sum (it is nonlinear in a, and a
 * prover that distributes the product loses the factor), so the proofs state
 * the sum as a times a named quotient, and a times anything is a multiple
 * of a. */
#ifndef FT_CORE_MULTIPLE_H
#define FT_CORE_MULTIPLE_H

/*@ // The quotient of b + i * s by an a that divides both b and s.
    logic integer ft_multiple_quot(integer a, integer b, integer s, integer i) =
      b / a + i * (s / a);

    // x is aligned to every alignment that both b and s have. A predicate
    // rather than the quantified formula, so that the facts stated with it
    // stay out of the goals that do not need them.
    predicate ft_aligned_as(integer x, integer b, integer s) =
      \forall integer a; a > 0 && b % a == 0 && s % a == 0 ==> x % a == 0;
 */

#endif
