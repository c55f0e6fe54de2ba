/* The slab and zone decisions: every slot handed out once, every address
 * judged right, nothing changed by a rejected free. */
#include <stdint.h>
#include <string.h>
#include <stdlib.h>
#include "check.h"
#include "core/slab.h"
#include "core/zone.h"
#include "core/place.h"
#include "core/size_class.h"

static struct ft_slab slab;

int main(void)
{
	const uint64_t base = 0x100000;
	uint32_t nslots = 100, size = 48, slot = 0;
	static uint8_t seen[FT_SLOTS_MAX];
	int distinct = 1;
	int32_t got;

	ft_slab_init(&slab, base, 2, size, nslots, 7);
	for (uint32_t i = 0; i < nslots; i++) {
		got = ft_slab_alloc(&slab, 40);
		distinct &= got >= 0 && got < (int32_t)nslots && !seen[got];
		if (got >= 0)
			seen[got] = 1;
	}
	CHECK(distinct, "a slab hands out each of its slots exactly once");
	CHECK(slab.nlive == nslots, "live count equals slots handed out");
	CHECK(ft_slab_alloc(&slab, 40) == -1, "a full slab hands out nothing");

	struct ft_slab before = slab;
	CHECK(ft_slab_free(&slab, base + 5 * size + 16, &slot) == FT_INTERIOR, "interior address rejected");
	CHECK(ft_slab_free(&slab, base - 16, &slot) == FT_NOT_OURS, "address below the slab rejected");
	CHECK(ft_slab_free(&slab, base + nslots * size, &slot) == FT_NOT_OURS, "address past the slots rejected");
	CHECK(memcmp(&before, &slab, sizeof(slab)) == 0, "rejected frees change nothing");

	CHECK(ft_slab_free(&slab, base + 5 * size, &slot) == FT_OK && slot == 5, "slot start freed");
	CHECK(slab.nlive == nslots - 1, "free lowers the live count");
	before = slab;
	CHECK(ft_slab_free(&slab, base + 5 * size, &slot) == FT_DOUBLE_FREE, "second free is a double free");
	CHECK(memcmp(&before, &slab, sizeof(slab)) == 0, "a double free changes nothing");
	CHECK(ft_slab_alloc(&slab, 1) == 5, "the freed slot is handed out again");
	CHECK(slab.req[5] == 1, "requested size recorded per slot");

	/* A slot freed by another thread (remote bit) is neither freed again
	 * nor handed out until the owner takes the free in. */
	slab.words[0].remote |= 1ull << 9;
	CHECK(ft_slab_free(&slab, base + 9 * size, &slot) == FT_DOUBLE_FREE,
	      "a slot with a pending remote free cannot be freed again");
	slab.words[0].remote &= ~(1ull << 9);
	CHECK(ft_slab_release(&slab, 9) == FT_OK, "the owner takes in the remote free");
	CHECK(ft_slab_release(&slab, 9) == FT_DOUBLE_FREE, "taking it in twice is a double free");
	slab.words[0].remote |= 1ull << 9;
	CHECK(ft_slab_alloc(&slab, 1) == -1, "a slot with a remote bit set is not handed out");

	/* malloc's fast path takes only the quick step: the lowest marked word.
	 * The allocation that fills a word clears its mark, so the next quick
	 * step finds a free slot; a stale mark sends it to the full search. */
	ft_slab_init(&slab, base, 0, 16, 256, 0);
	for (uint32_t i = 0; i < 64; i++)
		ft_slab_alloc_quick(&slab, 16);
	CHECK(slab.nlive == 64 && (slab.avail & 1) == 0, "the allocation that fills word 0 clears its mark");
	CHECK(ft_slab_alloc_quick(&slab, 16) == 64, "the quick step then goes to word 1");
	slab.avail |= 1;
	before = slab;
	CHECK(ft_slab_alloc_quick(&slab, 16) == -1 && memcmp(&before, &slab, sizeof(slab)) == 0,
	      "a full word marked as having a free slot: the quick step gives up, changing nothing");
	CHECK(ft_slab_alloc(&slab, 16) == 65 && (slab.avail & 1) == 0,
	      "the full search clears the stale mark and takes the next free slot");

	/* Random alloc/free against a model. */
	ft_slab_init(&slab, base, 0, 16, FT_SLOTS_MAX, 0);
	static uint8_t model[FT_SLOTS_MAX];
	int agree = 1;
	srand(1);
	for (int i = 0; i < 200000; i++) {
		uint32_t s = (uint32_t)rand() % FT_SLOTS_MAX;
		if (rand() & 1) {
			got = ft_slab_alloc(&slab, 16);
			if (got >= 0) {
				agree &= !model[got];
				model[got] = 1;
			} else {
				agree &= slab.nlive == FT_SLOTS_MAX;
			}
		} else {
			int v = ft_slab_free(&slab, base + (uint64_t)s * 16, &slot);
			agree &= (v == FT_OK) == (model[s] == 1);
			model[s] = 0;
		}
	}
	uint32_t count = 0;
	for (uint32_t i = 0; i < FT_SLOTS_MAX; i++)
		count += model[i];
	CHECK(agree && count == slab.nlive, "200000 random operations agree with a model");

	/* Zones: positions, lookups. */
	static struct ft_zone z;
	ft_zone_init(&z, 0x40000000ull, FT_KIND_TINY, 3);
	int positions = 1;
	for (uint32_t i = FT_TINY_FIRST_SLAB; i < FT_TINY_SLABS; i++)
		positions &= ft_zone_take_slab(&z) == (int32_t)i;
	CHECK(positions && ft_zone_take_slab(&z) == -1, "a TINY zone hands out positions 10..63 then none");
	CHECK(ft_zone_slab_index(&z, 0x40000000ull) == -1, "metadata area is in no slab");
	CHECK(ft_zone_slab_index(&z, 0x40000000ull + (12u << 16) + 5) == 12, "address finds its slab");
	ft_zone_give_slab(&z, 12);
	CHECK(ft_zone_slab_index(&z, 0x40000000ull + (12u << 16)) == -1, "returned slab is no longer found");
	CHECK(ft_zone_take_slab(&z) == 12, "returned position is reused");
	CHECK(ft_zone_slab_index(&z, 0x40000000ull + FT_ZONE_SIZE) == -1, "address past the zone is not in it");
	ft_zone_init(&z, 0x40000000ull, FT_KIND_SMALL, 0);
	CHECK(ft_zone_room(&z) == FT_SMALL_SLABS - FT_SMALL_FIRST_SLAB, "a new SMALL zone has room for 15 slabs");
	CHECK(ft_zone_take_slab(&z) == 1, "a SMALL zone starts at position 1");
	CHECK(ft_zone_room(&z) == FT_SMALL_SLABS - FT_SMALL_FIRST_SLAB - 1, "a taken position is no longer room");
	CHECK(ft_zone_slots_per_slab(&z, 32768) == 8, "a SMALL slab holds eight 32 KiB slots");

	/* Placement: a class only goes into a zone of its kind, and every slot
	 * of a placed slab lies inside its position. */
	memset(&slab, 0xA5, sizeof(slab));
	before = slab;
	CHECK(ft_slab_place(&slab, &z, 3, ft_size_class(16), 1) == -1 &&
	      memcmp(&before, &slab, sizeof(slab)) == 0,
	      "a TINY class is refused by a SMALL zone and the slab is untouched");
	int inside = 1;
	for (uint32_t cls = FT_NTINY_CLASSES; cls < FT_NCLASSES; cls++) {
		uint64_t start = 0x40000000ull + 3ull * FT_SMALL_SLAB_BYTES;
		inside &= ft_slab_place(&slab, &z, 3, cls, 1) == 0 && slab.base == start &&
			  slab.cls == cls && slab.nlive == 0 &&
			  ft_slab_slot_addr(&slab, slab.nslots - 1) + slab.slot_size <=
			  start + FT_SMALL_SLAB_BYTES;
	}
	CHECK(inside, "every SMALL class is placed in a SMALL zone, its last slot inside the slab");
	ft_zone_init(&z, 0x40000000ull, FT_KIND_TINY, 0);
	CHECK(ft_slab_place(&slab, &z, 10, FT_NTINY_CLASSES, 1) == -1,
	      "a SMALL class is refused by a TINY zone");
	CHECK(ft_slab_place(&slab, &z, 10, FT_NTINY_CLASSES - 1, 1) == 0 &&
	      slab.slot_size == FT_TINY_MAX && slab.nslots == FT_TINY_SLAB_BYTES / FT_TINY_MAX,
	      "the largest TINY class fills a TINY slab");

	/* ft_slab_locate finds a slot by multiplying with the slot size's
	 * reciprocal; a wrong guess would fall back to a division. For every
	 * class, every offset of a slab of its kind: the guess is the quotient,
	 * and the verdict is the right one. */
	int exact = 1, judged = 1;
	for (uint32_t cls = 0; cls < FT_NCLASSES; cls++) {
		uint32_t size = ft_class_slot_size(cls);
		uint32_t bytes = ft_class_kind(cls) == FT_KIND_TINY ? FT_TINY_SLAB_BYTES
								       : FT_SMALL_SLAB_BYTES;

		ft_slab_init(&slab, base, cls, size, bytes / size, 1);
		for (uint32_t off = 0; off < bytes; off++)
			exact &= off * (uint64_t)slab.recip / FT_RECIP_ONE == off / size;
		for (uint32_t i = 0; i < bytes / size; i++)
			ft_slab_alloc(&slab, 1);
		for (uint32_t off = 0; off + size <= bytes / size * size; off += 7) {
			int want = off % size != 0 ? FT_INTERIOR : FT_OK;

			slot = FT_NONE;
			judged &= ft_slab_locate(&slab, base + off, &slot) == want &&
				  (want != FT_OK || slot == off / size);
		}
	}
	CHECK(exact, "the reciprocal of every slot size gives every quotient in a slab");
	CHECK(judged, "every offset of a slab of every class is judged a slot start or interior");
	return check_exit_status();
}
