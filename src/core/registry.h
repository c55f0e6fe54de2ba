/* ft_malloc core — zone registry: the set of zone base addresses we own.
 *
 * An open-addressing hash set with linear probing. An address is ours only if
 * its zone base is registered: this check comes before any metadata of the
 * address is read, which is what makes foreign pointers harmless. Readers in
 * other threads may look up while one writer (holding the glue's lock)
 * inserts or removes: every slot is one aligned 64-bit word, a removed key
 * becomes a tombstone so probes go on past it. */
#ifndef FT_CORE_REGISTRY_H
#define FT_CORE_REGISTRY_H

#include <stdint.h>
#include "core/config.h"

#define FT_REGISTRY_EMPTY 0ull
#define FT_REGISTRY_TOMB 1ull

struct ft_registry {
	uint64_t count;		/* registered zones */
	uint64_t keys[FT_REGISTRY_CAP];
};

/*@ predicate ft_registry_shape(struct ft_registry *r) =
      \valid(r) && r->count <= FT_REGISTRY_CAP;

    // A slot value is a key (a zone base), not EMPTY (0) or TOMB (1).
    predicate ft_reg_live(integer k) = k > FT_REGISTRY_TOMB;

    // The slot where the probe for base starts: exactly what
    // ft_registry_hash computes. Direct-mapped: the zone number's low bits.
    // Zones are mapped near each other, so they land in distinct slots, and
    // a free's check is one load and one compare.
    logic integer ft_reg_hash(integer base) =
      (base >> FT_ZONE_SHIFT) & (FT_REGISTRY_CAP - 1);

    // How many probe steps from slot h to slot j (both in 0 .. CAP - 1).
    logic integer ft_reg_dist(integer h, integer j) =
      j >= h ? j - h : j - h + FT_REGISTRY_CAP;

    // The slot n probe steps after slot h (0 <= n <= CAP).
    logic integer ft_reg_step(integer h, integer n) =
      h + n < FT_REGISTRY_CAP ? h + n : h + n - FT_REGISTRY_CAP;

    // base is in some slot.
    predicate ft_reg_has{L}(struct ft_registry *r, integer base) =
      \exists integer p; 0 <= p < FT_REGISTRY_CAP && r->keys[p] == base;

    // The key in slot p is found by probing from its hash slot: no slot
    // between its hash slot and p (cyclically) is EMPTY.
    predicate ft_reg_reachable{L}(struct ft_registry *r, integer p) =
      \forall integer j; 0 <= j < FT_REGISTRY_CAP &&
        ft_reg_dist(ft_reg_hash(r->keys[p]), j) < ft_reg_dist(ft_reg_hash(r->keys[p]), p) ==>
        r->keys[j] != FT_REGISTRY_EMPTY;

    // Number of keys in slots 0 .. n - 1.
    logic integer ft_reg_nlive{L}(struct ft_registry *r, integer n) =
      n <= 0 ? 0 : ft_reg_nlive(r, n - 1) + (r->keys[n - 1] > FT_REGISTRY_TOMB ? 1 : 0);

    // What the table keeps between calls: count is the number of keys; every
    // key is a zone base (aligned, so not EMPTY or TOMB), sits in one slot
    // only, and is reachable from its hash slot.
    predicate ft_reg_counted{L}(struct ft_registry *r) =
      r->count == ft_reg_nlive(r, FT_REGISTRY_CAP);
    predicate ft_reg_aligned{L}(struct ft_registry *r) =
      \forall integer p; 0 <= p < FT_REGISTRY_CAP && ft_reg_live(r->keys[p]) ==>
        r->keys[p] % FT_ZONE_SIZE == 0;
    predicate ft_reg_distinct{L}(struct ft_registry *r) =
      \forall integer p, q; 0 <= p < FT_REGISTRY_CAP && 0 <= q < FT_REGISTRY_CAP &&
        ft_reg_live(r->keys[p]) && r->keys[p] == r->keys[q] ==> p == q;
    predicate ft_reg_probing{L}(struct ft_registry *r) =
      \forall integer p; 0 <= p < FT_REGISTRY_CAP && ft_reg_live(r->keys[p]) ==>
        ft_reg_reachable(r, p);
    predicate ft_registry_inv{L}(struct ft_registry *r) =
      ft_reg_counted(r) && ft_reg_aligned(r) && ft_reg_distinct(r) && ft_reg_probing(r);

    // Nothing in the table differs between L1 and L2.
    predicate ft_reg_same{L1, L2}(struct ft_registry *r) =
      \at(r->count, L1) == \at(r->count, L2) &&
      \forall integer j; 0 <= j < FT_REGISTRY_CAP ==>
        \at(r->keys[j], L1) == \at(r->keys[j], L2);

    // Two distinct zone bases never share a byte: registered zones (distinct
    // keys of the table) do not overlap.
    lemma ft_zones_disjoint:
      \forall integer a, b; a % FT_ZONE_SIZE == 0 && b % FT_ZONE_SIZE == 0 && a != b ==>
        a + FT_ZONE_SIZE <= b || b + FT_ZONE_SIZE <= a;

    // The zone that contains addr (if any is registered) is the one whose base
    // is addr rounded down to FT_ZONE_SIZE: the key that ft_locate looks up.
    lemma ft_zone_of_addr:
      \forall integer a, base; 0 <= a && base % FT_ZONE_SIZE == 0 ==>
        (base <= a < base + FT_ZONE_SIZE <==> base == a - a % FT_ZONE_SIZE);
 */

/* Slot of base, or -1 when base is not registered. */
/*@ requires \valid_read(r);
    requires ft_registry_inv(r);
    assigns \nothing;
    behavior not_a_key:
      assumes !ft_reg_live(base);
      ensures \result == -1;
    behavior found:
      assumes ft_reg_live(base) && ft_reg_has(r, base);
      ensures 0 <= \result < FT_REGISTRY_CAP && r->keys[\result] == base;
    behavior absent:
      assumes ft_reg_live(base) && !ft_reg_has(r, base);
      ensures \result == -1;
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_registry_find(const struct ft_registry *r, uint64_t base);

/* Inserts base (a zone address: aligned, not 0). 0 on success, -1 when the
 * set is too full or base is already there (nothing changes then). */
/*@ requires ft_registry_shape(r) && ft_registry_inv(r);
    requires base % FT_ZONE_SIZE == 0 && base != 0;
    assigns r->keys[0 .. FT_REGISTRY_CAP - 1], r->count;
    ensures ft_registry_shape(r);
    ensures ft_reg_counted(r);
    ensures ft_reg_aligned(r);
    ensures ft_reg_distinct(r);
    ensures ft_reg_probing(r);
    behavior present:
      assumes ft_reg_has(r, base);
      ensures \result == -1;
      ensures ft_reg_same{Pre, Post}(r);
    behavior too_full:
      assumes !ft_reg_has(r, base) && r->count >= FT_REGISTRY_CAP - FT_REGISTRY_CAP / 4;
      ensures \result == -1;
      ensures ft_reg_same{Pre, Post}(r);
    behavior added:
      assumes !ft_reg_has(r, base) && r->count < FT_REGISTRY_CAP - FT_REGISTRY_CAP / 4;
      ensures \result == 0;
      ensures ft_reg_has(r, base);
      ensures r->count == \old(r->count) + 1;
      ensures \forall integer j; 0 <= j < FT_REGISTRY_CAP && r->keys[j] != \old(r->keys[j]) ==>
        r->keys[j] == base && !ft_reg_live(\old(r->keys[j]));
    complete behaviors;
    disjoint behaviors;
 */
int ft_registry_insert(struct ft_registry *r, uint64_t base);

/* Removes base: 0 on success, -1 when it was not registered (nothing changes
 * then). */
/*@ requires ft_registry_shape(r) && ft_registry_inv(r);
    assigns r->keys[0 .. FT_REGISTRY_CAP - 1], r->count;
    ensures ft_registry_shape(r);
    ensures ft_reg_counted(r);
    ensures ft_reg_aligned(r);
    ensures ft_reg_distinct(r);
    ensures ft_reg_probing(r);
    behavior removed:
      assumes ft_reg_live(base) && ft_reg_has(r, base);
      ensures \result == 0;
      ensures !ft_reg_has(r, base);
      ensures r->count == \old(r->count) - 1;
      ensures \forall integer j; 0 <= j < FT_REGISTRY_CAP && r->keys[j] != \old(r->keys[j]) ==>
        \old(r->keys[j]) == base && r->keys[j] == FT_REGISTRY_TOMB;
    behavior absent:
      assumes !ft_reg_live(base) || !ft_reg_has(r, base);
      ensures \result == -1;
      ensures ft_reg_same{Pre, Post}(r);
    complete behaviors;
    disjoint behaviors;
 */
int ft_registry_remove(struct ft_registry *r, uint64_t base);

/*@ assigns \nothing;
    ensures 0 <= \result < FT_REGISTRY_CAP;
    ensures \result == ft_reg_hash(base);
 */
uint32_t ft_registry_hash(uint64_t base);

#endif
