/* ft_malloc core — the LARGE registry: every live LARGE block, by address.
 *
 * An open-addressing hash table (linear probing, tombstones) of entries
 * {address, mapping length, requested size}. The entry array is memory the
 * glue maps; when it fills up the glue maps a larger one and moves every entry
 * across with ft_large_rehash. All calls happen under the glue's large lock. */
#ifndef FT_CORE_LARGE_H
#define FT_CORE_LARGE_H

#include <stdint.h>
#include "core/config.h"

#define FT_LARGE_EMPTY 0ull
#define FT_LARGE_TOMB 1ull

struct ft_large_entry {
	uint64_t addr;		/* block start (page aligned), or EMPTY / TOMB */
	uint64_t map_len;	/* bytes mapped, guard page included */
	uint64_t req;		/* bytes the user asked for */
};

struct ft_large_table {
	uint64_t cap;		/* a power of two */
	uint64_t used;		/* live entries */
	uint64_t tombs;		/* tombstones */
	struct ft_large_entry *e;
};

/*@ predicate ft_large_shape(struct ft_large_table *t) =
      \valid(t) && 16 <= t->cap <= 0x100000000 &&
      (t->cap & (t->cap - 1)) == 0 &&
      t->used <= t->cap && t->tombs <= t->cap &&
      \valid(t->e + (0 .. t->cap - 1)) &&
      \separated(t, t->e + (0 .. t->cap - 1));

    // An entry's address is a live block, not EMPTY (0) or TOMB (1).
    predicate ft_large_live(integer a) = a > FT_LARGE_TOMB;

    // The slot where the probe for addr starts in a table of cap entries:
    // exactly what ft_large_slot computes.
    logic integer ft_large_hash(integer addr, integer cap) =
      ((uint64_t)((addr >> 12) * 0x9E3779B97F4A7C15)) / 1048576 % cap;

    // How many probe steps from slot h to slot j (both in 0 .. cap - 1).
    logic integer ft_large_dist(integer h, integer j, integer cap) =
      j >= h ? j - h : j - h + cap;

    // The slot n probe steps after slot h (0 <= n <= cap).
    logic integer ft_large_step(integer h, integer n, integer cap) =
      h + n < cap ? h + n : h + n - cap;

    // Entry j has address a.
    predicate ft_large_addr_is{L}(struct ft_large_table *t, integer j, integer a) =
      t->e[j].addr == a;

    // Entry j is {a, m, r}.
    predicate ft_large_entry_is{L}(struct ft_large_table *t, integer j,
                                   integer a, integer m, integer r) =
      t->e[j].addr == a && t->e[j].map_len == m && t->e[j].req == r;

    // Some entry has address addr.
    predicate ft_large_has{L}(struct ft_large_table *t, integer addr) =
      \exists integer p; 0 <= p < t->cap && t->e[p].addr == addr;

    // Some entry is {a, m, r}.
    predicate ft_large_has_entry{L}(struct ft_large_table *t, integer a, integer m, integer r) =
      \exists integer p; 0 <= p < t->cap && ft_large_entry_is(t, p, a, m, r);

    // Entry j is the same at L1 and L2.
    predicate ft_large_same_entry{L1, L2}(struct ft_large_table *t, integer j) =
      \at(t->e[j].addr, L1) == \at(t->e[j].addr, L2) &&
      \at(t->e[j].map_len, L1) == \at(t->e[j].map_len, L2) &&
      \at(t->e[j].req, L1) == \at(t->e[j].req, L2);

    // Nothing in the table differs between L1 and L2.
    predicate ft_large_same{L1, L2}(struct ft_large_table *t) =
      \at(t->used, L1) == \at(t->used, L2) && \at(t->tombs, L1) == \at(t->tombs, L2) &&
      \forall integer j; 0 <= j < \at(t->cap, L1) ==> ft_large_same_entry{L1, L2}(t, j);

    // The entry in slot p is found by probing from its hash slot: no slot
    // between its hash slot and p (cyclically) is EMPTY.
    predicate ft_large_reachable{L}(struct ft_large_table *t, integer p) =
      \forall integer j; 0 <= j < t->cap &&
        ft_large_dist(ft_large_hash(t->e[p].addr, t->cap), j, t->cap) <
        ft_large_dist(ft_large_hash(t->e[p].addr, t->cap), p, t->cap) ==>
        t->e[j].addr != FT_LARGE_EMPTY;

    // Live entries, and tombstones, in slots 0 .. n - 1.
    logic integer ft_large_nlive{L}(struct ft_large_table *t, integer n) =
      n <= 0 ? 0 : ft_large_nlive(t, n - 1) + (t->e[n - 1].addr > FT_LARGE_TOMB ? 1 : 0);
    logic integer ft_large_ntomb{L}(struct ft_large_table *t, integer n) =
      n <= 0 ? 0 : ft_large_ntomb(t, n - 1) + (t->e[n - 1].addr == FT_LARGE_TOMB ? 1 : 0);

    // What the table keeps between calls: used and tombs count the live
    // entries and the tombstones; a live address is in one entry only, and
    // is reachable from its hash slot.
    predicate ft_large_counted{L}(struct ft_large_table *t) =
      t->used == ft_large_nlive(t, t->cap) && t->tombs == ft_large_ntomb(t, t->cap);
    predicate ft_large_distinct{L}(struct ft_large_table *t) =
      \forall integer p, q; 0 <= p < t->cap && 0 <= q < t->cap &&
        ft_large_live(t->e[p].addr) && t->e[p].addr == t->e[q].addr ==> p == q;
    predicate ft_large_probing{L}(struct ft_large_table *t) =
      \forall integer p; 0 <= p < t->cap && ft_large_live(t->e[p].addr) ==>
        ft_large_reachable(t, p);
    predicate ft_large_inv{L}(struct ft_large_table *t) =
      ft_large_counted(t) && ft_large_distinct(t) && ft_large_probing(t);
 */

/* Index of the entry for addr, or -1 when addr is not a live LARGE block. */
/*@ requires ft_large_shape(t) && ft_large_inv(t);
    assigns \nothing;
    behavior not_a_key:
      assumes !ft_large_live(addr);
      ensures \result == -1;
    behavior found:
      assumes ft_large_live(addr) && ft_large_has(t, addr);
      ensures 0 <= \result < t->cap && t->e[\result].addr == addr;
    behavior absent:
      assumes ft_large_live(addr) && !ft_large_has(t, addr);
      ensures \result == -1;
    complete behaviors;
    disjoint behaviors;
 */
int64_t ft_large_find(const struct ft_large_table *t, uint64_t addr);

/* 1 when one more entry would make the table too full to insert. */
/*@ requires ft_large_shape(t);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> (t->used + t->tombs + 1) * 4 > t->cap * 3;
 */
int ft_large_needs_growth(const struct ft_large_table *t);

/* Inserts {addr, map_len, req}: 0, or -1 when it is too full or addr is there
 * (nothing changes then). */
/*@ requires ft_large_shape(t) && ft_large_inv(t);
    requires addr > FT_LARGE_TOMB;
    assigns t->e[0 .. t->cap - 1], t->used, t->tombs;
    ensures ft_large_shape(t);
    ensures ft_large_counted(t);
    ensures ft_large_distinct(t);
    ensures ft_large_probing(t);
    behavior present:
      assumes ft_large_has(t, addr);
      ensures \result == -1;
      ensures ft_large_same{Pre, Post}(t);
    behavior too_full:
      assumes !ft_large_has(t, addr) && (t->used + t->tombs + 1) * 4 > t->cap * 3;
      ensures \result == -1;
      ensures ft_large_same{Pre, Post}(t);
    behavior added:
      assumes !ft_large_has(t, addr) && (t->used + t->tombs + 1) * 4 <= t->cap * 3;
      ensures \result == 0;
      ensures ft_large_has_entry(t, addr, map_len, req);
      ensures t->used == \old(t->used) + 1 && t->tombs <= \old(t->tombs);
      ensures \forall integer j; 0 <= j < t->cap && !ft_large_same_entry{Pre, Post}(t, j) ==>
        !ft_large_live(\old(t->e[j].addr)) && ft_large_entry_is(t, j, addr, map_len, req);
      ensures \forall integer a, m, r; ft_large_live(a) && ft_large_has_entry{Pre}(t, a, m, r) ==>
        ft_large_has_entry(t, a, m, r);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_insert(struct ft_large_table *t, uint64_t addr, uint64_t map_len,
		    uint64_t req);

/* Removes the entry of addr and gives its mapping length: 0, or -1 when addr
 * is not a live LARGE block (then nothing changes). */
/*@ requires ft_large_shape(t) && ft_large_inv(t);
    requires \valid(map_len) && \separated(map_len, t, t->e + (0 .. t->cap - 1));
    assigns t->e[0 .. t->cap - 1], t->used, t->tombs, *map_len;
    ensures ft_large_shape(t);
    ensures ft_large_counted(t);
    ensures ft_large_distinct(t);
    ensures ft_large_probing(t);
    behavior removed:
      assumes ft_large_live(addr) && ft_large_has(t, addr);
      ensures \result == 0;
      ensures !ft_large_has(t, addr);
      ensures t->used == \old(t->used) - 1 && t->tombs == \old(t->tombs) + 1;
      ensures \forall integer j; 0 <= j < t->cap && \old(t->e[j].addr) == addr ==>
        *map_len == \old(t->e[j].map_len) && t->e[j].addr == FT_LARGE_TOMB;
      ensures \forall integer j; 0 <= j < t->cap && \old(t->e[j].addr) != addr ==>
        ft_large_same_entry{Pre, Post}(t, j);
    behavior absent:
      assumes !ft_large_live(addr) || !ft_large_has(t, addr);
      ensures \result == -1;
      ensures ft_large_same{Pre, Post}(t);
      ensures *map_len == \old(*map_len);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_remove(struct ft_large_table *t, uint64_t addr, uint64_t *map_len);

/* Re-keys the entry of old_addr as {new_addr, map_len, req}: the block moved
 * (new_addr may equal old_addr when it grew in place). It cannot fail when
 * old_addr is there, new_addr is not another entry and an insert has room;
 * otherwise -1 and nothing changes. */
/*@ requires ft_large_shape(t) && ft_large_inv(t);
    requires ft_large_live(new_addr);
    assigns t->e[0 .. t->cap - 1], t->used, t->tombs;
    ensures ft_large_shape(t);
    ensures ft_large_counted(t);
    ensures ft_large_distinct(t);
    ensures ft_large_probing(t);
    behavior moved:
      assumes ft_large_live(old_addr) && ft_large_has(t, old_addr);
      assumes new_addr == old_addr || !ft_large_has(t, new_addr);
      assumes (t->used + t->tombs + 1) * 4 <= t->cap * 3;
      ensures \result == 0;
      ensures t->used == \old(t->used);
      ensures ft_large_has_entry(t, new_addr, map_len, req);
      ensures new_addr != old_addr ==> !ft_large_has(t, old_addr);
      ensures \forall integer a, m, r; ft_large_live(a) && a != old_addr &&
        ft_large_has_entry{Pre}(t, a, m, r) ==> ft_large_has_entry(t, a, m, r);
    behavior refused:
      assumes !ft_large_live(old_addr) || !ft_large_has(t, old_addr) ||
        (new_addr != old_addr && ft_large_has(t, new_addr)) ||
        (t->used + t->tombs + 1) * 4 > t->cap * 3;
      ensures \result == -1;
      ensures ft_large_same{Pre, Post}(t);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_move(struct ft_large_table *t, uint64_t old_addr, uint64_t new_addr,
		  uint64_t map_len, uint64_t req);

/* Moves every live entry of src into dst (larger, all EMPTY). On success dst
 * holds exactly the live entries of src; it succeeds whenever dst can take
 * them all at most 3/4 full. */
/*@ requires ft_large_shape(src) && ft_large_shape(dst);
    requires ft_large_inv(src);
    requires \separated(src, dst, src->e + (0 .. src->cap - 1),
                        dst->e + (0 .. dst->cap - 1));
    requires dst->used == 0 && dst->tombs == 0;
    requires \forall integer j; 0 <= j < dst->cap ==> dst->e[j].addr == FT_LARGE_EMPTY;
    assigns dst->e[0 .. dst->cap - 1], dst->used, dst->tombs;
    ensures ft_large_shape(dst);
    ensures ft_large_counted(dst);
    ensures ft_large_distinct(dst);
    ensures ft_large_probing(dst);
    ensures \result == 0 || \result == -1;
    ensures \old(src->used) * 4 <= dst->cap * 3 ==> \result == 0;
    ensures \result == 0 ==> dst->used == \old(src->used);
    ensures \result == 0 ==>
      \forall integer k; 0 <= k < \old(src->cap) && ft_large_live(\old(src->e[k].addr)) ==>
        ft_large_has_entry(dst, \old(src->e[k].addr), \old(src->e[k].map_len),
                           \old(src->e[k].req));
    ensures \result == 0 ==>
      \forall integer j; 0 <= j < dst->cap && ft_large_live(dst->e[j].addr) ==>
        ft_large_has_entry{Pre}(src, dst->e[j].addr, dst->e[j].map_len, dst->e[j].req);
 */
int ft_large_rehash(struct ft_large_table *dst, const struct ft_large_table *src);

/* Bytes to map for a LARGE block of size bytes: whole pages plus one guard
 * page; 0 when that would overflow. */
/*@ assigns \nothing;
    ensures \result == 0 || (\result >= size + FT_PAGE_SIZE && \result % FT_PAGE_SIZE == 0);
 */
uint64_t ft_large_map_len(uint64_t size);

#endif
