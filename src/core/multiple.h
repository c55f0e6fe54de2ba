/* ft_malloc core — multiples and quotients, in ACSL only (no code).
 * An address b + i * s, with b a slab's or a zone's base and s a slot's or a
 * slab's size, is a multiple of every a that divides both b and s. The
 * provers do not close that step from the sum (it is nonlinear in a, and a
 * prover that distributes the product loses the factor), so the proofs state
 * the sum as a times a named quotient, and a times anything is a multiple
 * of a. */
#ifndef FT_CORE_MULTIPLE_H
#define FT_CORE_MULTIPLE_H

/* An axiomatic only so that WP hands its lemma to the goals that use
 * ft_multiple_quot and no others: a definition and a proved lemma, no axiom. */
/*@ axiomatic FtMultiple {
    // The quotient of b + i * s by an a that divides both b and s.
    logic integer ft_multiple_quot(integer a, integer b, integer s, integer i) =
      b / a + i * (s / a);

    // a times the quotient is a multiple of a.
    lemma ft_multiple_quot_mod:
      \forall integer a, b, s, i; a > 0 ==> (a * ft_multiple_quot(a, b, s, i)) % a == 0;
    }
 */

/*@ axiomatic FtQuotient {
    // n lies in [q * d, q * d + d). A predicate of its own, so that the
    // lemma below goes only to the goals that use it.
    predicate ft_quot_bounds(integer n, integer d, integer q) =
      d > 0 && q >= 0 && q * d <= n < q * d + d;

    // Then q is the quotient of n by d: what shows a quotient computed
    // without a division right (ft_slab_locate).
    lemma ft_quot_unique:
      \forall integer n, d, q; ft_quot_bounds(n, d, q) ==> n / d == q && n % d == n - q * d;
    }
 */

/*@ // x is aligned to every alignment that both b and s have. A predicate
    // rather than the quantified formula, so that the facts stated with it
    // stay out of the goals that do not need them.
    predicate ft_aligned_as(integer x, integer b, integer s) =
      \forall integer a; a > 0 && b % a == 0 && s % a == 0 ==> x % a == 0;
 */

#endif
