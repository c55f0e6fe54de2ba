/* ft_malloc core — zone: one FT_ZONE_SIZE region aligned to its size.
 *
 * The first slab positions hold this header, the slab descriptors and a guard
 * page; the rest are slabs of user memory. Which positions hold a slab is a
 * 64-bit mask. The owner heap's glue data lives beside the header. */
#ifndef FT_CORE_ZONE_H
#define FT_CORE_ZONE_H

#include <stdint.h>
#include "core/config.h"
#include "core/bits.h"
#include "core/multiple.h"

struct ft_zone {
	uint64_t base;		/* address of the zone, aligned to FT_ZONE_SIZE */
	uint64_t used;		/* bit i: slab position i holds a slab */
	uint32_t kind;		/* FT_KIND_TINY or FT_KIND_SMALL */
	uint32_t slab_shift;	/* log2 of the slab size */
	uint32_t first_slab;	/* first position that holds user memory */
	uint32_t nslabs;	/* number of positions */
	uint32_t heap_index;	/* position in the owner heap's zone table */
	uint32_t nused;		/* number of bits set in used */
};

/*@ predicate ft_zone_shape(struct ft_zone *z) =
      \valid(z) &&
      (z->kind == FT_KIND_TINY || z->kind == FT_KIND_SMALL) &&
      (z->kind == FT_KIND_TINY ==> z->slab_shift == FT_TINY_SLAB_SHIFT &&
                                    z->nslabs == FT_TINY_SLABS &&
                                    z->first_slab == FT_TINY_FIRST_SLAB) &&
      (z->kind == FT_KIND_SMALL ==> z->slab_shift == FT_SMALL_SLAB_SHIFT &&
                                     z->nslabs == FT_SMALL_SLABS &&
                                     z->first_slab == FT_SMALL_FIRST_SLAB) &&
      z->nused <= FT_SLABS_MAX &&
      z->base % FT_ZONE_SIZE == 0 &&
      z->base <= 0xFFFFFFFFFFFF - FT_ZONE_SIZE;

    // The slab position that addr falls in (addr inside the zone).
    logic integer ft_zone_pos(struct ft_zone *z, integer addr) =
      (addr - z->base) >> z->slab_shift;
    // Bytes in one slab position of z.
    logic integer ft_zone_slab_size(struct ft_zone *z) =
      z->kind == FT_KIND_TINY ? FT_TINY_SLAB_BYTES : FT_SMALL_SLAB_BYTES;
    // Position i holds a slab.
    predicate ft_zone_holds(struct ft_zone *z, integer i) =
      z->first_slab <= i < z->nslabs && ft_bit(z->used, i);
    // Only position i of the used mask may differ between L1 and L2.
    predicate ft_zone_only{L1, L2}(struct ft_zone *z, integer i) =
      \forall integer j; 0 <= j < 64 && j != i ==>
        (ft_bit(\at(z->used, L1), j) <==> ft_bit(\at(z->used, L2), j));
 */

/*@ requires \valid(z);
    requires kind == FT_KIND_TINY || kind == FT_KIND_SMALL;
    requires base % FT_ZONE_SIZE == 0 && base <= 0xFFFFFFFFFFFF - FT_ZONE_SIZE;
    assigns *z;
    ensures ft_zone_shape(z);
    ensures z->used == 0 && z->nused == 0;
 */
void ft_zone_init(struct ft_zone *z, uint64_t base, uint32_t kind,
		  uint32_t heap_index);

/* Takes a free slab position: its index, or -1 when the zone is full. */
/*@ requires ft_zone_shape(z);
    assigns z->used, z->nused;
    ensures ft_zone_shape(z);
    behavior taken:
      assumes z->nused < FT_SLABS_MAX;
      assumes \exists integer i; z->first_slab <= i < z->nslabs && !ft_bit(z->used, i);
      ensures z->first_slab <= \result < z->nslabs;
      ensures !ft_bit(\old(z->used), \result) && ft_zone_holds(z, \result);
      ensures ft_zone_only{Pre, Post}(z, \result);
      ensures z->nused == \old(z->nused) + 1;
    behavior full:
      assumes z->nused >= FT_SLABS_MAX ||
        \forall integer i; z->first_slab <= i < z->nslabs ==> ft_bit(z->used, i);
      ensures \result == -1;
      ensures z->used == \old(z->used) && z->nused == \old(z->nused);
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_zone_take_slab(struct ft_zone *z);

/* Gives slab position index back; nothing changes when it holds no slab. */
/*@ requires ft_zone_shape(z);
    requires index < FT_SLABS_MAX;
    assigns z->used, z->nused;
    ensures ft_zone_shape(z);
    behavior given:
      assumes ft_bit(z->used, index) && z->nused > 0;
      ensures !ft_bit(z->used, index) && ft_zone_only{Pre, Post}(z, index);
      ensures z->nused == \old(z->nused) - 1;
    behavior not_held:
      assumes !ft_bit(z->used, index) || z->nused == 0;
      ensures z->used == \old(z->used) && z->nused == \old(z->nused);
    complete behaviors;
    disjoint behaviors;
 */
void ft_zone_give_slab(struct ft_zone *z, uint32_t index);

/* The position of the slab holding addr, or -1 when addr is in no slab:
 * outside the zone, in its metadata, or in a position that holds no slab. */
/*@ requires ft_zone_shape(z);
    assigns \nothing;
    behavior in_slab:
      assumes z->base <= addr < z->base + FT_ZONE_SIZE &&
              ft_zone_holds(z, ft_zone_pos(z, addr));
      ensures \result == ft_zone_pos(z, addr);
      ensures z->first_slab <= \result < z->nslabs;
    behavior no_slab:
      assumes !(z->base <= addr < z->base + FT_ZONE_SIZE) ||
              !ft_zone_holds(z, ft_zone_pos(z, addr));
      ensures \result == -1;
    complete behaviors;
    disjoint behaviors;
 */
int32_t ft_zone_slab_index(const struct ft_zone *z, uint64_t addr);

/* How many more slabs the zone can take, by its count of positions in use. */
/*@ requires ft_zone_shape(z);
    assigns \nothing;
    ensures \result <= z->nslabs - z->first_slab;
    ensures \result == 0 <==> z->nused >= z->nslabs - z->first_slab;
 */
uint16_t ft_zone_room(const struct ft_zone *z);

/* Bytes in one slab of this zone. */
/*@ requires ft_zone_shape(z);
    assigns \nothing;
    ensures z->kind == FT_KIND_TINY ==> \result == FT_TINY_SLAB_BYTES;
    ensures z->kind == FT_KIND_SMALL ==> \result == FT_SMALL_SLAB_BYTES;
 */
uint32_t ft_zone_slab_bytes(const struct ft_zone *z);

/*@ requires ft_zone_shape(z);
    requires index < z->nslabs;
    assigns \nothing;
    ensures z->kind == FT_KIND_TINY ==> \result == z->base + index * FT_TINY_SLAB_BYTES;
    ensures z->kind == FT_KIND_SMALL ==> \result == z->base + index * FT_SMALL_SLAB_BYTES;
    ensures \result == z->base + index * ft_zone_slab_size(z);
    ensures \result % 16 == 0;
    ensures \result % FT_TINY_SLAB_BYTES == 0;
    ensures \result + ft_zone_slab_size(z) <= z->base + FT_ZONE_SIZE;
 */
uint64_t ft_zone_slab_base(const struct ft_zone *z, uint32_t index);

/* How many slots of slot_size bytes a slab of this zone holds. */
/*@ requires ft_zone_shape(z);
    requires 16 <= slot_size <= FT_SMALL_MAX;
    assigns \nothing;
    ensures 1 <= \result <= FT_SLOTS_MAX;
    ensures \result * slot_size <= ft_zone_slab_size(z);
 */
uint32_t ft_zone_slots_per_slab(const struct ft_zone *z, uint32_t slot_size);

#endif
