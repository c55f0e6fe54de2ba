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
 */

/* Index of the entry for addr, or -1. */
/*@ requires ft_large_shape(t);
    assigns \nothing;
    ensures \result == -1 || (0 <= \result < t->cap && t->e[\result].addr == addr);
 */
int64_t ft_large_find(const struct ft_large_table *t, uint64_t addr);

/* 1 when one more entry would make the table too full to insert. */
/*@ requires ft_large_shape(t);
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
int ft_large_needs_growth(const struct ft_large_table *t);

/* Inserts {addr, map_len, req}: 0, or -1 when it is full or addr is there. */
/*@ requires ft_large_shape(t);
    requires addr > FT_LARGE_TOMB;
    assigns t->e[0 .. t->cap - 1], t->used, t->tombs;
    ensures ft_large_shape(t);
    ensures \result == 0 || \result == -1;
 */
int ft_large_insert(struct ft_large_table *t, uint64_t addr, uint64_t map_len,
		    uint64_t req);

/* Removes the entry of addr and gives its mapping length: 0, or -1 when addr
 * is not a live LARGE block (then nothing changes). */
/*@ requires ft_large_shape(t);
    requires \valid(map_len) && \separated(map_len, t, t->e + (0 .. t->cap - 1));
    assigns t->e[0 .. t->cap - 1], t->used, t->tombs, *map_len;
    ensures ft_large_shape(t);
    ensures \result == 0 || \result == -1;
 */
int ft_large_remove(struct ft_large_table *t, uint64_t addr, uint64_t *map_len);

/* Moves every live entry of src into dst (empty, larger). */
/*@ requires ft_large_shape(src) && ft_large_shape(dst);
    requires \separated(src, dst, src->e + (0 .. src->cap - 1),
                        dst->e + (0 .. dst->cap - 1));
    requires dst->used == 0 && dst->tombs == 0;
    assigns dst->e[0 .. dst->cap - 1], dst->used, dst->tombs;
    ensures ft_large_shape(dst);
    ensures \result == 0 || \result == -1;
 */
int ft_large_rehash(struct ft_large_table *dst, const struct ft_large_table *src);

/* Bytes to map for a LARGE block of size bytes: whole pages plus one guard
 * page; 0 when that would overflow. */
/*@ assigns \nothing;
    ensures \result == 0 || (\result >= size + FT_PAGE_SIZE && \result % FT_PAGE_SIZE == 0);
 */
uint64_t ft_large_map_len(uint64_t size);

#endif
