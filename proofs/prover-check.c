/* Prover check for proofs/prove.sh (not part of the allocator).
 * Every prover must prove must_prove (Qed cannot: it needs the axiom
 * instantiated) and none may prove must_not_prove (false: x = 0, y = 1).
 * must_not_prove comes first so the axiom is not in its context. */

/*@ lemma must_not_prove: \forall integer x, y; x < y ==> x + 1 < y; */

/*@ axiomatic ProverCheck {
      predicate check_p(integer x);
      axiom check_step: \forall integer x; check_p(x) ==> check_p(x + 1);
    }
    lemma must_prove: \forall integer x; check_p(x) ==> check_p(x + 2);
*/
