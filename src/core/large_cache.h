/* ft_malloc core — the cache of freed LARGE mappings.
 *
 * A freed LARGE mapping (its guard page included) may be kept instead of
 * unmapped, so that a program that allocates and frees big buffers in a loop
 * does not pay an mmap, a munmap and a page fault per page each time. The
 * cache is bounded in entries and bytes. A mapping is reused whole for a
 * request that needs at least three quarters of it, or when what the request
 * would leave of it is shorter than any LARGE mapping: kept apart, such a piece
 * could never be handed out and would only hold a slot and its pages. A smaller
 * request takes the front of a longer mapping, which keeps the rest. A request
 * longer than every kept mapping takes the longest, for the glue to grow: its
 * pages are there already, only the rest is new. When the
 * cache is full, a freed mapping displaces the shortest kept ones, so that the
 * cache follows what the program frees now. All calls happen under the glue's
 * lock. */
#ifndef FT_CORE_LARGE_CACHE_H
#define FT_CORE_LARGE_CACHE_H

#include <stdint.h>
#include "core/config.h"

/* 64 entries: with 16, a program that frees many LARGE blocks of 40–80 KiB
 * among bigger ones saw them displaced and unmapped, then mapped again. */
#define FT_LARGE_CACHE_SLOTS 64
#define FT_LARGE_CACHE_BYTES (32ull << 20)
#define FT_LARGE_CACHE_BLOCK_MAX (16ull << 20)
/* No LARGE mapping is shorter: the smallest LARGE request rounded up to a
 * page, and its guard page (ft_large_map_len(FT_SMALL_MAX + 1)). */
#define FT_LARGE_MAP_MIN ((uint64_t)FT_SMALL_MAX + 2 * FT_PAGE_SIZE)

struct ft_large_cache {
	uint64_t addr[FT_LARGE_CACHE_SLOTS];	/* 0 when the slot is empty */
	uint64_t len[FT_LARGE_CACHE_SLOTS];
	uint64_t total;				/* sum of len over full slots */
};

/*@ predicate ft_cache_shape(struct ft_large_cache *c) =
      \valid(c) && c->total <= FT_LARGE_CACHE_BYTES &&
      \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==>
          c->len[i] <= FT_LARGE_CACHE_BLOCK_MAX;

    // Sum of the lengths of slots 0 .. n - 1.
    logic integer ft_cache_sum{L}(struct ft_large_cache *c, integer n) =
      n <= 0 ? 0 : ft_cache_sum(c, n - 1) + c->len[n - 1];

    // total is the sum of the lengths of the full slots: an empty slot has
    // length 0.
    predicate ft_cache_inv{L}(struct ft_large_cache *c) =
      c->total == ft_cache_sum(c, FT_LARGE_CACHE_SLOTS) &&
      \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && c->addr[i] == 0 ==> c->len[i] == 0;

    // Slot i holds a mapping that take may hand out for need bytes aligned to
    // align: at least need bytes, aligned, and either at most a third more or
    // longer by less than any LARGE mapping.
    predicate ft_cache_fits{L}(struct ft_large_cache *c, integer i, integer need, integer align) =
      c->addr[i] != 0 && c->len[i] >= need &&
      (c->len[i] - need <= need / 3 || c->len[i] - need < FT_LARGE_MAP_MIN) &&
      c->addr[i] % align == 0;

    // Slot i holds a mapping that carve may cut need bytes from: longer than
    // need, at an aligned user-space address.
    predicate ft_cache_longer{L}(struct ft_large_cache *c, integer i, integer need, integer align) =
      c->addr[i] != 0 && c->addr[i] <= 0xFFFFFFFFFFFF && c->len[i] > need &&
      c->addr[i] % align == 0;

    // Slot i holds [a, a + l).
    predicate ft_cache_slot_is{L}(struct ft_large_cache *c, integer i, integer a, integer l) =
      c->addr[i] == a && c->len[i] == l;

    // Every slot but i is the same at L1 and L2.
    predicate ft_cache_only{L1, L2}(struct ft_large_cache *c, integer i) =
      \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS && j != i ==>
        \at(c->addr[j], L1) == \at(c->addr[j], L2) && \at(c->len[j], L1) == \at(c->len[j], L2);

    // Nothing in the cache differs between L1 and L2.
    predicate ft_cache_same{L1, L2}(struct ft_large_cache *c) =
      \at(c->total, L1) == \at(c->total, L2) && ft_cache_only{L1, L2}(c, -1);
 */

/* Keeps the mapping [addr, addr + len): 0, or -1 when it does not fit (the
 * caller unmaps it then; nothing changes). */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires addr != 0;
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total;
    ensures ft_cache_shape(c);
    ensures ft_cache_inv(c);
    behavior kept:
      assumes len <= FT_LARGE_CACHE_BLOCK_MAX && len <= FT_LARGE_CACHE_BYTES - c->total;
      assumes \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && c->addr[i] == 0;
      ensures \result == 0;
      ensures c->total == \old(c->total) + len;
      ensures \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && \old(c->addr[i]) == 0 &&
        c->addr[i] == addr && c->len[i] == len && ft_cache_only{Pre, Post}(c, i);
    behavior refused:
      assumes len > FT_LARGE_CACHE_BLOCK_MAX || len > FT_LARGE_CACHE_BYTES - c->total ||
        \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==> c->addr[i] != 0;
      ensures \result == -1;
      ensures ft_cache_same{Pre, Post}(c);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_cache_put(struct ft_large_cache *c, uint64_t addr, uint64_t len);

/* Takes the smallest cached mapping that fits need bytes (ft_cache_fits),
 * aligned to align: 0 with *addr and *len set, or -1 (nothing
 * changes then). */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    requires align >= 1;
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr, *len;
    ensures ft_cache_shape(c);
    ensures ft_cache_inv(c);
    ensures \result == 0 || \result == -1;
    ensures \result == 0 ==> *len >= need && *addr != 0 && *addr % align == 0;
    behavior taken:
      assumes need <= FT_LARGE_CACHE_BLOCK_MAX;
      assumes \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && ft_cache_fits(c, i, need, align);
      ensures \result == 0;
      ensures \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        ft_cache_fits{Pre}(c, i, need, align) &&
        \old(c->addr[i]) == *addr && \old(c->len[i]) == *len &&
        c->addr[i] == 0 && c->len[i] == 0 && ft_cache_only{Pre, Post}(c, i);
      ensures c->total == \old(c->total) - *len;
      ensures \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS &&
        ft_cache_fits{Pre}(c, j, need, align) ==> *len <= \old(c->len[j]);
    behavior none:
      assumes need > FT_LARGE_CACHE_BLOCK_MAX ||
        \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==> !ft_cache_fits(c, i, need, align);
      ensures \result == -1;
      ensures ft_cache_same{Pre, Post}(c);
      ensures *addr == \old(*addr) && *len == \old(*len);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_cache_take(struct ft_large_cache *c, uint64_t need, uint64_t align,
			uint64_t *addr, uint64_t *len);

/* Cuts need bytes off the front of the smallest cached mapping that is longer
 * and aligned to align: 0 with *addr set, the mapping keeping its tail from
 * *addr + need; or -1 (nothing changes then). The caller puts a guard page at
 * the end of the part it took; the tail keeps the mapping's own guard page. */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires \valid(addr) && \separated(addr, c);
    requires align >= 1 && need >= 1;
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr;
    ensures ft_cache_shape(c);
    ensures ft_cache_inv(c);
    behavior carved:
      assumes need <= FT_LARGE_CACHE_BLOCK_MAX;
      assumes \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        ft_cache_longer(c, i, need, align);
      ensures \result == 0;
      ensures \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        ft_cache_longer{Pre}(c, i, need, align) && \old(c->addr[i]) == *addr &&
        ft_cache_slot_is(c, i, *addr + need, \old(c->len[i]) - need) &&
        ft_cache_only{Pre, Post}(c, i) &&
        \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS &&
          ft_cache_longer{Pre}(c, j, need, align) ==> \old(c->len[i]) <= \old(c->len[j]);
      ensures c->total == \old(c->total) - need;
    behavior none:
      assumes need > FT_LARGE_CACHE_BLOCK_MAX ||
        \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==> !ft_cache_longer(c, i, need, align);
      ensures \result == -1;
      ensures ft_cache_same{Pre, Post}(c);
      ensures *addr == \old(*addr);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_cache_carve(struct ft_large_cache *c, uint64_t need, uint64_t align,
			 uint64_t *addr);

/* Takes the longest cached mapping (to grow it for a request that no cached
 * mapping holds, or to unmap it): 0 with *addr and *len set, or -1 when the
 * cache is empty (nothing changes then). */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr, *len;
    ensures ft_cache_shape(c);
    ensures ft_cache_inv(c);
    ensures \result == 0 || \result == -1;
    behavior taken:
      assumes \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && c->addr[i] != 0;
      ensures \result == 0;
      ensures \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        \old(c->addr[i]) == *addr && *addr != 0 && \old(c->len[i]) == *len &&
        c->addr[i] == 0 && c->len[i] == 0 && ft_cache_only{Pre, Post}(c, i);
      // the longest of the kept mappings
      ensures \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS && \old(c->addr[j]) != 0 ==>
        \old(c->len[j]) <= *len;
      ensures c->total == \old(c->total) - *len;
    behavior empty:
      assumes \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==> c->addr[i] == 0;
      ensures \result == -1;
      ensures ft_cache_same{Pre, Post}(c);
      ensures *addr == \old(*addr) && *len == \old(*len);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_cache_take_longest(struct ft_large_cache *c, uint64_t *addr, uint64_t *len);

/* Makes room for a mapping of size bytes that put refused: takes out the
 * shortest kept mapping when it is shorter than size (and size may be kept at
 * all): 0 with it in *addr and *len, for the caller to unmap; or -1 (nothing
 * changes then). */
/*@ requires ft_cache_shape(c) && ft_cache_inv(c);
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr, *len;
    ensures ft_cache_shape(c);
    ensures ft_cache_inv(c);
    behavior evicted:
      assumes size <= FT_LARGE_CACHE_BLOCK_MAX;
      assumes \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        c->addr[i] != 0 && c->len[i] < size;
      ensures \result == 0;
      ensures \exists integer i; 0 <= i < FT_LARGE_CACHE_SLOTS &&
        \old(c->addr[i]) == *addr && *addr != 0 && \old(c->len[i]) == *len &&
        c->addr[i] == 0 && c->len[i] == 0 && ft_cache_only{Pre, Post}(c, i);
      ensures *len < size;
      // the shortest of the kept mappings
      ensures \forall integer j; 0 <= j < FT_LARGE_CACHE_SLOTS && \old(c->addr[j]) != 0 ==>
        *len <= \old(c->len[j]);
      ensures c->total == \old(c->total) - *len;
    behavior none:
      assumes size > FT_LARGE_CACHE_BLOCK_MAX ||
        \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS && c->addr[i] != 0 ==>
          c->len[i] >= size;
      ensures \result == -1;
      ensures ft_cache_same{Pre, Post}(c);
      ensures *addr == \old(*addr) && *len == \old(*len);
    complete behaviors;
    disjoint behaviors;
 */
int ft_large_cache_evict(struct ft_large_cache *c, uint64_t size, uint64_t *addr,
			 uint64_t *len);

#endif
