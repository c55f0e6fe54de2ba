/* ft_malloc core — decisions on requests: which kind serves a size, whether a
 * size or a product of sizes can be served at all, whether realloc can keep a
 * block where it is; and on a heap's memory: whether a retired slab keeps its
 * pages, whether a heap gives everything back. */
#ifndef FT_CORE_POLICY_H
#define FT_CORE_POLICY_H

#include <stdint.h>
#include "core/config.h"

/* Largest request we serve: PTRDIFF_MAX, as glibc does. */
#define FT_REQUEST_MAX 0x7FFFFFFFFFFFFFFFull

/* TINY up to FT_TINY_MAX bytes, SMALL up to FT_SMALL_MAX, LARGE above. With
 * ft_size_class (size_class.h: `kind`) and ft_class_kind, a size up to
 * FT_SMALL_MAX and its class have the same kind. */
/*@ assigns \nothing;
    behavior tiny:
      assumes size <= FT_TINY_MAX;
      ensures \result == FT_KIND_TINY;
    behavior small:
      assumes FT_TINY_MAX < size <= FT_SMALL_MAX;
      ensures \result == FT_KIND_SMALL;
    behavior large:
      assumes size > FT_SMALL_MAX;
      ensures \result == FT_KIND_LARGE;
    complete behaviors;
    disjoint behaviors;
 */
uint32_t ft_kind_of_size(uint64_t size);

/* *out = a * b and 0 when the product is at most FT_REQUEST_MAX; else -1 and
 * *out is left alone. */
/*@ requires \valid(out);
    assigns *out;
    behavior fits:
      assumes a * b <= FT_REQUEST_MAX;
      assigns *out;
      ensures \result == 0;
      ensures *out == a * b;
    behavior too_large:
      assumes a * b > FT_REQUEST_MAX;
      assigns \nothing;
      ensures \result == -1;
    complete behaviors;
    disjoint behaviors;
 */
int ft_request_product(uint64_t a, uint64_t b, uint64_t *out);

/* 1 when x is a power of two (2^0 .. 2^63), else 0. */
/*@ assigns \nothing;
    behavior power:
      assumes \exists integer k; 0 <= k < 64 && x == (1 << k);
      ensures \result == 1;
    behavior not_power:
      assumes \forall integer k; 0 <= k < 64 ==> x != (1 << k);
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
 */
int ft_is_power_of_two(uint64_t x);

/* realloc of a TINY/SMALL block whose slot holds slot_size bytes to new_size
 * bytes: 1 to keep it in place (it fits, and more than half the slot is used,
 * or the slot is TINY), 0 to move it. */
/*@ assigns \nothing;
    ensures in_place_fits: \result == 1 ==> new_size <= slot_size;
    behavior keep:
      assumes new_size <= slot_size;
      assumes slot_size <= FT_TINY_MAX || new_size * 2 > slot_size;
      ensures \result == 1;
    behavior grows:
      assumes new_size > slot_size;
      ensures \result == 0;
    behavior shrinks_far:
      assumes slot_size > FT_TINY_MAX && new_size * 2 <= slot_size;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
 */
int ft_realloc_keeps_slot(uint64_t slot_size, uint64_t new_size);

/* realloc of a LARGE block whose usable bytes are usable to new_size: 1 when
 * it stays a LARGE block at the same address (it shrinks, or fits already). */
/*@ assigns \nothing;
    ensures in_place_fits: \result == 1 ==> FT_SMALL_MAX < new_size <= usable;
    behavior keep:
      assumes FT_SMALL_MAX < new_size <= usable;
      ensures \result == 1;
    behavior not_large:
      assumes new_size <= FT_SMALL_MAX;
      ensures \result == 0;
    behavior grows:
      assumes new_size > FT_SMALL_MAX && new_size > usable;
      ensures \result == 0;
    complete behaviors;
    disjoint behaviors;
 */
int ft_realloc_keeps_large(uint64_t usable, uint64_t new_size);

/* A retired slab keeps its pages while the heap's retired-but-resident bytes
 * stay within this: a slab that empties and fills again, as under a producer
 * and a consumer, costs no system call and no page fault; past it, memory
 * goes back to the OS at once, so that freeing everything frees the memory. */
#define FT_DIRTY_MAX (4ull << 20)

/* A heap left with no live block gives everything back when it holds more
 * zones than this (32 MiB of address space): a program that freed all it had
 * gets its memory back, while one that cycles through a few zones' worth of
 * blocks, freeing all each time, keeps them and makes no system call. */
#define FT_SETTLE_ZONES 8u

/* 1 when a slab of `bytes` bytes, retired now, keeps its pages: the heap's
 * retired-but-resident bytes `dirty` stay within FT_DIRTY_MAX with it. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> dirty + bytes <= FT_DIRTY_MAX;
 */
int ft_policy_keeps_pages(uint64_t dirty, uint64_t bytes);

/* 1 when a heap gives everything back: it has no slab with a live slot
 * (nonempty is their count) and holds more than FT_SETTLE_ZONES zones. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> nonempty == 0 && nzones > FT_SETTLE_ZONES;
 */
int ft_policy_settles(uint64_t nonempty, uint32_t nzones);

/* A LARGE block of up to FT_GROW_COPY_MAX mapped bytes that grows is copied
 * into a mapping the cache holds, when it holds one, rather than remapped:
 * remapping costs three system calls (the guard page off, mremap, the guard
 * page on), each of which takes the process's address-space lock and, with
 * other threads running, interrupts their cores to flush the moved pages;
 * copying that much costs less. */
#define FT_GROW_COPY_MAX (256ull << 10)

/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 <==> map_len <= FT_GROW_COPY_MAX;
 */
int ft_policy_grows_by_copy(uint64_t map_len);

#endif
