/* ft_malloc core — zone registry: the set of zone base addresses we own.
 *
 * An open-addressing hash set with linear probing. An address is ours only if
 * its zone base is registered: this check comes before any metadata of the
 * address is read, which is what makes foreign pointers harmless. Readers in
 * other threads may look up while one writer (holding the glue's lock)
 * inserts or removes: every slot is one aligned 64-bit word, a removed key
 * becomes a tombstone so probes go on past it. */
#ifndef FT_CORE_REGISTRY_H
#define FT_CORE_REGISTRY_H

#include <stdint.h>
#include "core/config.h"

#define FT_REGISTRY_EMPTY 0ull
#define FT_REGISTRY_TOMB 1ull

struct ft_registry {
	uint64_t count;		/* registered zones */
	uint64_t keys[FT_REGISTRY_CAP];
};

/*@ predicate ft_registry_shape(struct ft_registry *r) =
      \valid(r) && r->count <= FT_REGISTRY_CAP;
 */

/*@ requires \valid_read(r);
    assigns \nothing;
    ensures \result == -1 || (0 <= \result < FT_REGISTRY_CAP && r->keys[\result] == base);
 */
int32_t ft_registry_find(const struct ft_registry *r, uint64_t base);

/* Inserts base (a zone address: aligned, not 0). 0 on success, -1 when the
 * set is full or base is already there (nothing changes then). */
/*@ requires ft_registry_shape(r);
    requires base % FT_ZONE_SIZE == 0 && base != 0;
    assigns r->keys[0 .. FT_REGISTRY_CAP - 1], r->count;
    ensures ft_registry_shape(r);
    ensures \result == 0 || \result == -1;
 */
int ft_registry_insert(struct ft_registry *r, uint64_t base);

/* Removes base: 0 on success, -1 when it was not registered. */
/*@ requires ft_registry_shape(r);
    assigns r->keys[0 .. FT_REGISTRY_CAP - 1], r->count;
    ensures ft_registry_shape(r);
    ensures \result == 0 || \result == -1;
 */
int ft_registry_remove(struct ft_registry *r, uint64_t base);

/*@ assigns \nothing;
    ensures 0 <= \result < FT_REGISTRY_CAP;
 */
uint32_t ft_registry_hash(uint64_t base);

#endif
