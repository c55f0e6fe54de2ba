/* ft_malloc core — the cache of freed LARGE mappings.
 *
 * A freed LARGE mapping (its guard page included) may be kept instead of
 * unmapped, so that a program that allocates and frees big buffers in a loop
 * does not pay an mmap and a munmap each time. The cache is bounded in entries
 * and bytes; a mapping is reused only for a request that needs at least three
 * quarters of it, so reuse never wastes more than a quarter. All calls happen
 * under the glue's lock. */
#ifndef FT_CORE_LARGE_CACHE_H
#define FT_CORE_LARGE_CACHE_H

#include <stdint.h>
#include "core/config.h"

#define FT_LARGE_CACHE_SLOTS 16
#define FT_LARGE_CACHE_BYTES (32ull << 20)
#define FT_LARGE_CACHE_BLOCK_MAX (16ull << 20)

struct ft_large_cache {
	uint64_t addr[FT_LARGE_CACHE_SLOTS];	/* 0 when the slot is empty */
	uint64_t len[FT_LARGE_CACHE_SLOTS];
	uint64_t total;				/* sum of len over full slots */
};

/*@ predicate ft_cache_shape(struct ft_large_cache *c) =
      \valid(c) && c->total <= FT_LARGE_CACHE_BYTES &&
      \forall integer i; 0 <= i < FT_LARGE_CACHE_SLOTS ==>
          c->len[i] <= FT_LARGE_CACHE_BLOCK_MAX;
 */

/* Keeps the mapping [addr, addr + len): 0, or -1 when it does not fit (the
 * caller unmaps it then; nothing changes). */
/*@ requires ft_cache_shape(c);
    requires addr != 0;
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total;
    ensures ft_cache_shape(c);
    ensures \result == 0 || \result == -1;
 */
int ft_large_cache_put(struct ft_large_cache *c, uint64_t addr, uint64_t len);

/* Takes the smallest cached mapping of at least need bytes (and at most a
 * third more), aligned to align: 0 with *addr and *len set, or -1. */
/*@ requires ft_cache_shape(c);
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    requires align >= 1;
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr, *len;
    ensures ft_cache_shape(c);
    ensures \result == 0 || \result == -1;
    ensures \result == 0 ==> *len >= need && *addr != 0 && *addr % align == 0;
 */
int ft_large_cache_take(struct ft_large_cache *c, uint64_t need, uint64_t align,
			uint64_t *addr, uint64_t *len);

/* Takes any cached mapping (to unmap it): 0 with *addr and *len set, or -1
 * when the cache is empty. */
/*@ requires ft_cache_shape(c);
    requires \valid(addr) && \valid(len) && \separated(addr, len, c);
    assigns c->addr[0 .. FT_LARGE_CACHE_SLOTS - 1], c->len[0 .. FT_LARGE_CACHE_SLOTS - 1],
            c->total, *addr, *len;
    ensures ft_cache_shape(c);
    ensures \result == 0 || \result == -1;
 */
int ft_large_cache_drain(struct ft_large_cache *c, uint64_t *addr, uint64_t *len);

#endif
