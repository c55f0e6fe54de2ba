/* ft_malloc core — heap bookkeeping: one thread's slabs, per size class.
 *
 * Slabs are named by id = zone position * FT_SLABS_MAX + slab position. For
 * each class, the slabs that have a free slot form a doubly linked list
 * through the next/prev arrays (indices, not pointers); its head is where the
 * next allocation of that class goes. A full slab is on no list and comes back
 * when one of its slots is freed. */
#ifndef FT_CORE_HEAP_H
#define FT_CORE_HEAP_H

#include <stdint.h>
#include "core/config.h"

struct ft_heap_core {
	uint32_t head[FT_NCLASSES];	/* first slab with a free slot, or FT_NONE */
	uint32_t listed_count[FT_NCLASSES];
	uint32_t nzones;		/* zone positions in use: [0, nzones) */
	uint64_t zone_base[FT_HEAP_ZONES];	/* 0 when the position is free */
	uint32_t zone_kind[FT_HEAP_ZONES];
	uint32_t next[FT_SLAB_IDS];
	uint32_t prev[FT_SLAB_IDS];
	uint8_t listed[FT_SLAB_IDS];	/* 1 when on its class's list */
};

/*@ predicate ft_heap_shape(struct ft_heap_core *h) =
      \valid(h) && h->nzones <= FT_HEAP_ZONES &&
      \forall integer c; 0 <= c < FT_NCLASSES ==>
          (h->head[c] == FT_NONE || h->head[c] < FT_SLAB_IDS);
 */

/*@ requires \valid(h);
    assigns *h;
    ensures ft_heap_shape(h);
 */
void ft_heap_init(struct ft_heap_core *h);

/* Puts slab id on the list of its class (at the head). No-op if listed. */
/*@ requires ft_heap_shape(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    assigns h->head[cls], h->next[0 .. FT_SLAB_IDS - 1],
            h->prev[0 .. FT_SLAB_IDS - 1], h->listed[id], h->listed_count[cls];
    ensures ft_heap_shape(h);
 */
void ft_heap_list_push(struct ft_heap_core *h, uint32_t cls, uint32_t id);

/* Takes slab id off the list of its class. No-op if not listed. */
/*@ requires ft_heap_shape(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    assigns h->head[cls], h->next[0 .. FT_SLAB_IDS - 1],
            h->prev[0 .. FT_SLAB_IDS - 1], h->listed[id], h->listed_count[cls];
    ensures ft_heap_shape(h);
 */
void ft_heap_list_unlink(struct ft_heap_core *h, uint32_t cls, uint32_t id);

/* The slab where the next allocation of cls goes, or FT_NONE. */
/*@ requires ft_heap_shape(h);
    requires cls < FT_NCLASSES;
    assigns \nothing;
    ensures \result == FT_NONE || \result < FT_SLAB_IDS;
 */
uint32_t ft_heap_current(const struct ft_heap_core *h, uint32_t cls);

/* After a free left slab id of class cls empty: 1 when the slab should go back
 * to its zone, 0 when it is kept (the only slab of its class with free slots is
 * kept, so that a malloc/free loop does not map and unmap). */
/*@ requires ft_heap_shape(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
 */
int ft_heap_should_retire(const struct ft_heap_core *h, uint32_t cls, uint32_t id);

/* Records a new zone: its position, or -1 when the table is full. */
/*@ requires ft_heap_shape(h);
    requires base != 0 && kind < FT_NKINDS;
    assigns h->zone_base[0 .. FT_HEAP_ZONES - 1],
            h->zone_kind[0 .. FT_HEAP_ZONES - 1], h->nzones;
    ensures ft_heap_shape(h);
    ensures -1 <= \result < FT_HEAP_ZONES;
 */
int32_t ft_heap_add_zone(struct ft_heap_core *h, uint64_t base, uint32_t kind);

/*@ requires ft_heap_shape(h);
    requires index < FT_HEAP_ZONES;
    assigns h->zone_base[index], h->nzones;
    ensures ft_heap_shape(h);
 */
void ft_heap_remove_zone(struct ft_heap_core *h, uint32_t index);

#endif
