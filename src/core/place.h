/* ft_malloc core — placing a new slab in a zone.
 *
 * A slab of class cls may only go into a zone of the class's kind (TINY
 * classes into TINY zones, SMALL into SMALL): this is where that is decided,
 * so no slab of the wrong kind can exist. A placed slab's slots all lie
 * inside its position of the zone. */
#ifndef FT_CORE_PLACE_H
#define FT_CORE_PLACE_H

#include <stdint.h>
#include "core/config.h"
#include "core/size_class.h"
#include "core/slab.h"
#include "core/zone.h"

/* The kind a class belongs to, in ACSL (ft_class_kind in C). */
/*@ logic integer ft_kind_of_class(integer cls) =
      ft_slot_size(cls) <= FT_TINY_MAX ? FT_KIND_TINY : FT_KIND_SMALL;
 */

/* Initialises s as an empty slab of class cls at position index of zone z:
 * 0, or -1 (and s untouched) when z is not of the class's kind. */
/*@ requires ft_zone_shape(z);
    requires \valid(s) && \separated(s, z);
    requires cls < FT_NCLASSES;
    requires z->first_slab <= index < z->nslabs;
    behavior wrong_kind:
      assumes z->kind != ft_kind_of_class(cls);
      assigns \nothing;
      ensures \result == -1;
    behavior placed:
      assumes z->kind == ft_kind_of_class(cls);
      assigns *s;
      ensures \result == 0;
      ensures ft_slab_shape(s) && ft_slab_inv(s);
      ensures s->nlive == 0 && s->cls == cls && s->id == id;
      ensures s->slot_size == ft_slot_size(cls);
      ensures s->base == \old(z->base + index * ft_zone_slab_size(z));
      // a slab starts on a 64 KiB boundary: with ft_slab_slot_addr's
      // alignment, a slot is aligned to every divisor of 64 KiB that
      // divides its slot size
      ensures s->base % FT_TINY_SLAB_BYTES == 0;
      // every slot lies inside the slab's position
      ensures inside: ft_slab_within(s, \old(z->base + index * ft_zone_slab_size(z)),
                                     \old(z->base + (index + 1) * ft_zone_slab_size(z)));
      ensures \forall integer i; 0 <= i < FT_SLOTS_MAX ==> !ft_pending(s, i);
      ensures \forall integer i; 0 <= i < s->nslots ==> !ft_live(s, i);
    complete behaviors;
    disjoint behaviors;
 */
int ft_slab_place(struct ft_slab *s, const struct ft_zone *z, uint32_t index,
		  uint32_t cls, uint32_t id);

#endif
