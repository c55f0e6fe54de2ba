/* ft_malloc core — heap bookkeeping: one thread's slabs, per size class.
 *
 * Slabs are named by id = zone position * FT_SLABS_MAX + slab position. For
 * each class, the slabs that have a free slot form a doubly linked list
 * through the next/prev arrays (indices, not pointers); its head is where the
 * next allocation of that class goes. A full slab is on no list and comes back,
 * right behind the head, when one of its slots is freed. */
#ifndef FT_CORE_HEAP_H
#define FT_CORE_HEAP_H

#include <stdint.h>
#include "core/config.h"

struct ft_heap_core {
	uint32_t head[FT_NCLASSES];	/* first slab with a free slot, or FT_NONE */
	uint32_t listed_count[FT_NCLASSES];	/* slabs on the list of each class */
	/* 16-bit: the zone table shares no integer type with the lists, so WP
	 * sees at once that zone updates leave the lists alone. */
	uint16_t nzones;		/* zone positions in use: [0, nzones) */
	uint16_t zone_kind[FT_HEAP_ZONES];
	uint16_t zone_room[FT_HEAP_ZONES];	/* free slab positions, as last recorded */
	uint64_t zone_base[FT_HEAP_ZONES];	/* 0 when the position is free */
	uint32_t next[FT_SLAB_IDS];
	uint32_t prev[FT_SLAB_IDS];
	uint8_t listed[FT_SLAB_IDS];	/* 1 when on its class's list */
	uint8_t cls_of[FT_SLAB_IDS];	/* the class of a listed slab */
};

/*@ predicate ft_heap_shape(struct ft_heap_core *h) =
      \valid(h) && h->nzones <= FT_HEAP_ZONES &&
      \forall integer i; h->nzones <= i < FT_HEAP_ZONES ==> h->zone_base[i] == 0;

    // Slab x is on the list of class c.
    predicate ft_heap_on_list{L}(struct ft_heap_core *h, integer c, integer x) =
      0 <= x < FT_SLAB_IDS && h->listed[x] != 0 && h->cls_of[x] == c;

    // The head of class c is FT_NONE or a slab of that list with no previous.
    predicate ft_heap_head_ok{L}(struct ft_heap_core *h, integer c) =
      h->head[c] == FT_NONE ||
      (ft_heap_on_list(h, c, h->head[c]) && h->prev[h->head[c]] == FT_NONE);

    // The links of listed slab x: each neighbour is FT_NONE or a slab of the
    // same list that links back to x; with no previous, x is the head.
    predicate ft_heap_links_ok{L}(struct ft_heap_core *h, integer x) =
      h->cls_of[x] < FT_NCLASSES &&
      (h->next[x] == FT_NONE ||
       (ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x)) &&
      (h->prev[x] == FT_NONE ||
       (ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x)) &&
      (h->prev[x] == FT_NONE ==> h->head[h->cls_of[x]] == x);

    predicate ft_heap_lists{L}(struct ft_heap_core *h) =
      (\forall integer c; 0 <= c < FT_NCLASSES ==> ft_heap_head_ok(h, c)) &&
      (\forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] <= 1) &&
      (\forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==> ft_heap_links_ok(h, x));

    // Slabs of class c on a list among ids 0 .. n - 1.
    logic integer ft_heap_nlisted{L}(struct ft_heap_core *h, integer c, integer n) =
      n <= 0 ? 0 : ft_heap_nlisted(h, c, n - 1) +
        (h->listed[n - 1] != 0 && h->cls_of[n - 1] == c ? 1 : 0);

    predicate ft_heap_counted{L}(struct ft_heap_core *h) =
      \forall integer c; 0 <= c < FT_NCLASSES ==>
        h->listed_count[c] == ft_heap_nlisted(h, c, FT_SLAB_IDS);

    // What the heap keeps between calls.
    predicate ft_heap_inv{L}(struct ft_heap_core *h) =
      ft_heap_shape(h) && ft_heap_lists(h) && ft_heap_counted(h);

    // Position i holds a zone of that kind with room recorded for a slab.
    predicate ft_heap_zone_fits{L}(struct ft_heap_core *h, integer i, integer kind) =
      h->zone_base[i] != 0 && h->zone_kind[i] == kind && h->zone_room[i] > 0;

    // The lists are the same at L1 and L2.
    predicate ft_heap_same_lists{L1, L2}(struct ft_heap_core *h) =
      (\forall integer c; 0 <= c < FT_NCLASSES ==>
        \at(h->head[c], L1) == \at(h->head[c], L2) &&
        \at(h->listed_count[c], L1) == \at(h->listed_count[c], L2)) &&
      (\forall integer x; 0 <= x < FT_SLAB_IDS ==>
        \at(h->next[x], L1) == \at(h->next[x], L2) &&
        \at(h->prev[x], L1) == \at(h->prev[x], L2) &&
        \at(h->listed[x], L1) == \at(h->listed[x], L2) &&
        \at(h->cls_of[x], L1) == \at(h->cls_of[x], L2));

    // The zone table is the same at L1 and L2.
    predicate ft_heap_same_zones{L1, L2}(struct ft_heap_core *h) =
      \at(h->nzones, L1) == \at(h->nzones, L2) &&
      \forall integer i; 0 <= i < FT_HEAP_ZONES ==>
        \at(h->zone_base[i], L1) == \at(h->zone_base[i], L2) &&
        \at(h->zone_kind[i], L1) == \at(h->zone_kind[i], L2);
 */

/* The glue maps the heap from fresh anonymous memory: listed and zone_base
 * start zeroed. */
/*@ requires \valid(h);
    requires \forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] == 0;
    requires \forall integer i; 0 <= i < FT_HEAP_ZONES ==> h->zone_base[i] == 0;
    assigns h->head[0 .. FT_NCLASSES - 1], h->listed_count[0 .. FT_NCLASSES - 1], h->nzones;
    ensures ft_heap_inv(h);
    ensures h->nzones == 0;
    ensures \forall integer c; 0 <= c < FT_NCLASSES ==>
      h->head[c] == FT_NONE && h->listed_count[c] == 0;
 */
void ft_heap_init(struct ft_heap_core *h);

/* Puts slab id on the list of class cls: at the head when the list is empty,
 * else right behind it, so that the head stays where allocations go. No-op
 * if listed. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    assigns h->head[cls], h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1],
            h->listed[id], h->cls_of[id], h->listed_count[cls];
    ensures ft_heap_inv(h);
    behavior already_listed:
      assumes h->listed[id] != 0;
      ensures ft_heap_same_lists{Pre, Post}(h);
    behavior pushed:
      assumes h->listed[id] == 0;
      ensures ft_heap_on_list(h, cls, id);
      ensures \old(h->head[cls]) == FT_NONE ==> h->head[cls] == id;
      ensures \old(h->head[cls]) != FT_NONE ==> h->head[cls] == \old(h->head[cls]);
      ensures h->listed_count[cls] == \old(h->listed_count[cls]) + 1;
      ensures \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
        h->listed[x] == \old(h->listed[x]);
    complete behaviors;
    disjoint behaviors;
 */
void ft_heap_list_push(struct ft_heap_core *h, uint32_t cls, uint32_t id);

/* Takes slab id off the list of class cls, its class. No-op if not listed. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires h->listed[id] != 0 ==> h->cls_of[id] == cls;
    assigns h->head[cls], h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1],
            h->listed[id], h->listed_count[cls];
    ensures ft_heap_inv(h);
    behavior unlinked:
      assumes h->listed[id] != 0;
      ensures h->listed[id] == 0;
      ensures \forall integer c; 0 <= c < FT_NCLASSES ==> h->head[c] != id;
      ensures \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
        h->next[x] != id && h->prev[x] != id;
      ensures \old(h->head[cls]) == id ==> h->head[cls] == \old(h->next[id]);
      ensures \old(h->head[cls]) != id ==> h->head[cls] == \old(h->head[cls]);
      ensures h->listed_count[cls] == \old(h->listed_count[cls]) - 1;
      ensures \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
        h->listed[x] == \old(h->listed[x]);
    behavior not_listed:
      assumes h->listed[id] == 0;
      ensures ft_heap_same_lists{Pre, Post}(h);
    complete behaviors;
    disjoint behaviors;
 */
void ft_heap_list_unlink(struct ft_heap_core *h, uint32_t cls, uint32_t id) FT_RARE;

/* The slab where the next allocation of cls goes, or FT_NONE. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES;
    assigns \nothing;
    ensures \result == h->head[cls];
    behavior none:
      assumes h->head[cls] == FT_NONE;
      ensures \result == FT_NONE;
    behavior some:
      assumes h->head[cls] != FT_NONE;
      ensures ft_heap_on_list(h, cls, \result);
    complete behaviors;
    disjoint behaviors;
 */
uint32_t ft_heap_current(const struct ft_heap_core *h, uint32_t cls);

/* After a free left slab id of class cls empty: 1 when the slab should go back
 * to its zone, 0 when it is kept (the only slab of its class with free slots is
 * kept, so that a malloc/free loop does not map and unmap). */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> ft_heap_nlisted(h, cls, FT_SLAB_IDS) > 1;
    ensures ft_heap_on_list(h, cls, id) ==>
      (\result == 1 <==> \exists integer x; x != id && ft_heap_on_list(h, cls, x));
 */
int ft_heap_should_retire(const struct ft_heap_core *h, uint32_t cls, uint32_t id);

/* Records a new zone at the lowest free position: that position, or -1 when
 * the table is full. */
/*@ requires ft_heap_inv(h);
    requires base != 0 && kind < FT_NKINDS;
    assigns h->zone_base[0 .. FT_HEAP_ZONES - 1],
            h->zone_kind[0 .. FT_HEAP_ZONES - 1], h->nzones;
    ensures ft_heap_inv(h);
    behavior added:
      assumes \exists integer i; 0 <= i < FT_HEAP_ZONES && h->zone_base[i] == 0;
      ensures 0 <= \result < h->nzones;
      ensures \old(h->zone_base[\result]) == 0;
      ensures \forall integer i; 0 <= i < \result ==> h->zone_base[i] != 0;
      ensures h->zone_base[\result] == base && h->zone_kind[\result] == kind;
      ensures \forall integer i; 0 <= i < FT_HEAP_ZONES && i != \result ==>
        h->zone_base[i] == \old(h->zone_base[i]) && h->zone_kind[i] == \old(h->zone_kind[i]);
      ensures h->nzones == \old(h->nzones) || h->nzones == \old(h->nzones) + 1;
    behavior full:
      assumes \forall integer i; 0 <= i < FT_HEAP_ZONES ==> h->zone_base[i] != 0;
      ensures \result == -1;
      ensures ft_heap_same_zones{Pre, Post}(h);
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_heap_add_zone(struct ft_heap_core *h, uint64_t base, uint32_t kind);

/* Records that the zone at position index has room for `room` more slabs. */
/*@ requires ft_heap_inv(h);
    requires index < FT_HEAP_ZONES;
    assigns h->zone_room[index];
    ensures ft_heap_inv(h);
    ensures h->zone_room[index] == room;
 */
void ft_heap_set_zone_room(struct ft_heap_core *h, uint32_t index, uint16_t room);

/* The zone a new slab of that kind goes into: the lowest position holding a
 * zone of that kind with room recorded, or -1 when there is none (a new zone
 * is needed then). */
/*@ requires ft_heap_inv(h);
    assigns \nothing;
    behavior found:
      assumes \exists integer i; 0 <= i < h->nzones && ft_heap_zone_fits(h, i, kind);
      ensures 0 <= \result < h->nzones && ft_heap_zone_fits(h, \result, kind);
      ensures \forall integer i; 0 <= i < \result ==> !ft_heap_zone_fits(h, i, kind);
    behavior none:
      assumes \forall integer i; 0 <= i < h->nzones ==> !ft_heap_zone_fits(h, i, kind);
      ensures \result == -1;
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_heap_pick_zone(const struct ft_heap_core *h, uint32_t kind);

/* Frees zone position index; trailing free positions leave [0, nzones). */
/*@ requires ft_heap_inv(h);
    requires index < FT_HEAP_ZONES;
    assigns h->zone_base[index], h->nzones;
    ensures ft_heap_inv(h);
    ensures h->zone_base[index] == 0;
    ensures h->nzones <= \old(h->nzones);
    ensures h->nzones == 0 || h->zone_base[h->nzones - 1] != 0;
 */
void ft_heap_remove_zone(struct ft_heap_core *h, uint32_t index);

#endif
