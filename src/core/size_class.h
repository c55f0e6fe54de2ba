/* ft_malloc core — size classes.
 * A request of 0..FT_SMALL_MAX bytes maps to one of FT_NCLASSES classes whose
 * slot sizes are multiples of 16: 16..128 step 16 (TINY), then four classes per
 * doubling up to 32 KiB (SMALL), which bounds internal waste to under 25%. */
#ifndef FT_CORE_SIZE_CLASS_H
#define FT_CORE_SIZE_CLASS_H

#include <stdint.h>
#include "core/config.h"

/*@ requires size <= FT_SMALL_MAX;
    assigns \nothing;
    ensures 0 <= \result < FT_NCLASSES;
 */
uint32_t ft_size_class(uint64_t size);

/*@ requires cls < FT_NCLASSES;
    assigns \nothing;
    ensures 16 <= \result <= FT_SMALL_MAX;
    ensures \result % 16 == 0;
 */
uint32_t ft_class_slot_size(uint32_t cls);

/*@ requires cls < FT_NCLASSES;
    assigns \nothing;
    ensures \result == FT_KIND_TINY || \result == FT_KIND_SMALL;
 */
uint32_t ft_class_kind(uint32_t cls);

/* The smallest class whose slots hold size bytes and are all aligned to align
 * (slabs start on a 64 KiB boundary, so a slot is aligned when its size is a
 * multiple of align). FT_NCLASSES when no class fits. */
/*@ requires size <= FT_SMALL_MAX;
    requires align >= 1;
    assigns \nothing;
    ensures \result <= FT_NCLASSES;
 */
uint32_t ft_size_class_aligned(uint64_t size, uint64_t align);

#endif
