/* ft_malloc core — size classes.
 * A request of 0..FT_SMALL_MAX bytes maps to one of FT_NCLASSES classes whose
 * slot sizes are multiples of 16: 16..128 step 16 (TINY), then four classes per
 * doubling up to 32 KiB (SMALL), which bounds internal waste to under 25%. */
#ifndef FT_CORE_SIZE_CLASS_H
#define FT_CORE_SIZE_CLASS_H

#include <stdint.h>
#include "core/config.h"

/* The slot sizes, in ACSL: the contracts below and the table in size_class.c
 * both say ft_slot_size. The block is an axiomatic only so that WP hands its
 * lemmas to the goals that use ft_slot_size and no others: it holds a
 * definition and lemmas (each proved by WP), no axiom. */
/*@ axiomatic FtSlotSize {
    // The slot size of class c (0 <= c < FT_NCLASSES): 16 (c + 1) for the
    // eight TINY classes, then 4 classes per doubling: (5..8) x 32, (5..8) x 64,
    // ..., (5..8) x 4096.
    logic integer ft_slot_size(integer c) =
      c < 8  ?   16 * (c + 1)  :
      c < 12 ?   32 * (c - 3)  :
      c < 16 ?   64 * (c - 7)  :
      c < 20 ?  128 * (c - 11) :
      c < 24 ?  256 * (c - 15) :
      c < 28 ?  512 * (c - 19) :
      c < 32 ? 1024 * (c - 23) :
      c < 36 ? 2048 * (c - 27) :
               4096 * (c - 31);

    // Slot sizes grow strictly with the class.
    lemma ft_slot_size_increasing:
      \forall integer a, b; 0 <= a < b < FT_NCLASSES ==>
        ft_slot_size(a) < ft_slot_size(b);

    lemma ft_slot_size_range:
      \forall integer c; 0 <= c < FT_NCLASSES ==>
        16 <= ft_slot_size(c) <= FT_SMALL_MAX && ft_slot_size(c) % 16 == 0;

    // From class 4 (80 bytes) on, a slot exceeds the previous one by less
    // than a quarter of itself: the waste bound.
    lemma ft_slot_size_step:
      \forall integer c; 4 <= c < FT_NCLASSES ==>
        (ft_slot_size(c) - ft_slot_size(c - 1) - 1) * 4 < ft_slot_size(c);
    }
 */

/* The smallest class whose slots hold size bytes. */
/*@ requires size <= FT_SMALL_MAX;
    assigns \nothing;
    ensures 0 <= \result < FT_NCLASSES;
    ensures fits:     ft_slot_size(\result) >= size;
    ensures mult16:   ft_slot_size(\result) % 16 == 0;
    ensures smallest: \forall integer c; 0 <= c < \result ==> ft_slot_size(c) < size;
    ensures waste:    size > 64 ==> (ft_slot_size(\result) - size) * 4 < ft_slot_size(\result);
    ensures kind:     ft_slot_size(\result) <= FT_TINY_MAX <==> size <= FT_TINY_MAX;
    ensures tiny:     \result < FT_NTINY_CLASSES <==> size <= FT_TINY_MAX;
 */
uint32_t ft_size_class(uint64_t size);

/*@ requires cls < FT_NCLASSES;
    assigns \nothing;
    ensures \result == ft_slot_size(cls);
    ensures 16 <= \result <= FT_SMALL_MAX;
    ensures \result % 16 == 0;
 */
uint32_t ft_class_slot_size(uint32_t cls);

/* TINY exactly for the classes whose slots are at most FT_TINY_MAX bytes. */
/*@ requires cls < FT_NCLASSES;
    assigns \nothing;
    behavior tiny:
      assumes ft_slot_size(cls) <= FT_TINY_MAX;
      ensures \result == FT_KIND_TINY;
    behavior small:
      assumes ft_slot_size(cls) > FT_TINY_MAX;
      ensures \result == FT_KIND_SMALL;
    complete behaviors;
    disjoint behaviors;
 */
uint32_t ft_class_kind(uint32_t cls);

/* The smallest class whose slots hold size bytes and are all aligned to align
 * (slabs start on a 64 KiB boundary, so a slot is aligned when its size is a
 * multiple of align). FT_NCLASSES when no class fits. */
/*@ requires size <= FT_SMALL_MAX;
    requires align >= 1;
    assigns \nothing;
    ensures \result <= FT_NCLASSES;
    ensures found: \result < FT_NCLASSES ==>
      ft_slot_size(\result) >= size && ft_slot_size(\result) % align == 0;
    ensures smallest: \forall integer c; 0 <= c < \result && ft_slot_size(c) >= size ==>
      ft_slot_size(c) % align != 0;
    behavior some_class:
      assumes \exists integer c; 0 <= c < FT_NCLASSES &&
        ft_slot_size(c) >= size && ft_slot_size(c) % align == 0;
      ensures \result < FT_NCLASSES;
    behavior no_class:
      assumes \forall integer c; 0 <= c < FT_NCLASSES && ft_slot_size(c) >= size ==>
        ft_slot_size(c) % align != 0;
      ensures \result == FT_NCLASSES;
    complete behaviors;
    disjoint behaviors;
 */
uint32_t ft_size_class_aligned(uint64_t size, uint64_t align);

#endif
