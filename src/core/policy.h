/* ft_malloc core — decisions on requests: which kind serves a size, whether a
 * size or a product of sizes can be served at all, whether realloc can keep a
 * block where it is. */
#ifndef FT_CORE_POLICY_H
#define FT_CORE_POLICY_H

#include <stdint.h>
#include "core/config.h"

/* Largest request we serve: PTRDIFF_MAX, as glibc does. */
#define FT_REQUEST_MAX 0x7FFFFFFFFFFFFFFFull

/*@ assigns \nothing;
    ensures \result == FT_KIND_TINY || \result == FT_KIND_SMALL || \result == FT_KIND_LARGE;
    ensures \result == FT_KIND_TINY <==> size <= FT_TINY_MAX;
    ensures \result == FT_KIND_LARGE <==> size > FT_SMALL_MAX;
 */
uint32_t ft_kind_of_size(uint64_t size);

/* *out = a * b and 0 when the product is at most FT_REQUEST_MAX; else -1. */
/*@ requires \valid(out);
    assigns *out;
    ensures \result == 0 || \result == -1;
    ensures \result == 0 ==> *out == a * b && *out <= FT_REQUEST_MAX;
 */
int ft_request_product(uint64_t a, uint64_t b, uint64_t *out);

/*@ assigns \nothing;
    ensures \result == 1 <==> (x != 0 && (x & (x - 1)) == 0);
    ensures \result == 0 || \result == 1;
 */
int ft_is_power_of_two(uint64_t x);

/* realloc of a TINY/SMALL block whose slot holds slot_size bytes to new_size
 * bytes: 1 to keep it in place (it fits, and not less than half the slot is
 * used, or the slot is TINY), 0 to move it. */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> new_size <= slot_size;
 */
int ft_realloc_keeps_slot(uint64_t slot_size, uint64_t new_size);

/* realloc of a LARGE block whose usable bytes are usable to new_size: 1 when
 * it stays a LARGE block at the same address (it shrinks, or fits already). */
/*@ assigns \nothing;
    ensures \result == 0 || \result == 1;
    ensures \result == 1 ==> new_size <= usable && new_size > FT_SMALL_MAX;
 */
int ft_realloc_keeps_large(uint64_t usable, uint64_t new_size);

#endif
