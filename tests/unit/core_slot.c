/* The fast-path decisions on one heap and one slab: a slab leaves its class's
 * list with its last free slot and comes back with a free; an empty slab is
 * given back only when its class has another; frees taken in from other
 * threads free live slots and report the others. */
#include <stdint.h>
#include <string.h>
#include "check.h"
#include "core/slab.h"
#include "core/heap.h"
#include "core/slot.h"

static struct ft_heap_core heap;
static struct ft_slab a;
static struct ft_slab b;

int main(void)
{
	const uint32_t cls = 5, ida = 70, idb = 71;
	struct ft_slab before;
	uint32_t n;
	int32_t got = 0;
	int all = 1;

	ft_heap_init(&heap);
	ft_slab_init(&a, 0x100000, cls, 64, 3, ida);
	ft_heap_list_push(&heap, cls, ida);
	for (n = 0; n < 2; n++)
		all &= ft_slot_take(&heap, &a, cls, ida, 60) == (int32_t)n;
	CHECK(all && heap.listed[ida], "a slab with a free slot left stays listed");
	got = ft_slot_take(&heap, &a, cls, ida, 60);
	CHECK(got == 2 && !heap.listed[ida] && ft_heap_current(&heap, cls) == FT_NONE,
	      "taking the last free slot takes the slab off its list");

	CHECK(ft_slot_give(&heap, &a, 1) == FT_SLOT_KEEP && heap.listed[ida] &&
	      ft_heap_current(&heap, cls) == ida, "a free puts a full slab back on its list");
	memcpy(&before, &a, sizeof(a));
	CHECK(ft_slot_give(&heap, &a, 1) == FT_SLOT_DOUBLE && memcmp(&before, &a, sizeof(a)) == 0 &&
	      heap.listed_count[cls] == 1, "a second free of the slot is a double free, nothing changes");
	CHECK(ft_slot_give(&heap, &a, 0) == FT_SLOT_KEEP && ft_slot_give(&heap, &a, 2) == FT_SLOT_KEEP &&
	      a.nlive == 0, "the only listed slab of its class is kept when it empties");

	ft_slab_init(&b, 0x200000, cls, 64, 3, idb);
	ft_heap_list_push(&heap, cls, idb);
	got = ft_slot_take(&heap, &a, cls, ida, 8);
	CHECK(got == 0 && ft_slot_give(&heap, &a, 0) == FT_SLOT_RETIRE,
	      "an empty slab whose class has another listed slab is given back");

	/* A slab whose only free slot waits for a remote free to be taken in. */
	ft_heap_init(&heap);
	ft_slab_init(&b, 0x200000, cls, 64, 3, idb);
	ft_heap_list_push(&heap, cls, idb);
	for (n = 0; n < 3; n++)
		ft_slot_take(&heap, &b, cls, idb, 8);
	ft_heap_list_push(&heap, cls, idb);
	ft_slab_release(&b, 1);
	b.words[0].remote |= 1ull << 1;	/* slot 1 freed, its remote bit still set */
	memcpy(&before, &b, sizeof(b));
	CHECK(ft_slot_take(&heap, &b, cls, idb, 8) == -1 && !heap.listed[idb] &&
	      memcmp(before.words, b.words, sizeof(b.words)) == 0,
	      "a slab whose only free slot waits for a remote free leaves its list, its slots unchanged");

	/* Remote frees of word 0: slots 0 and 2 live, 1 free, bit 5 past the end. */
	b.words[0].remote = 0;
	uint64_t bad = ft_slot_take_remote(&b, 0, (1ull << 0) | (1ull << 1) | (1ull << 2) | (1ull << 5));
	CHECK(bad == ((1ull << 1) | (1ull << 5)), "remote frees of a free slot or past the end are reported");
	CHECK(b.nlive == 0 && (b.words[0].live & 7) == 0, "remote frees of live slots free them");
	CHECK((b.words[0].live >> 3) == (~0ull >> 3), "the bits past the last slot stay set");
	CHECK(ft_slot_take_remote(&b, 0, 1) == 1 && b.nlive == 0, "taking in the same free twice is reported");
	b.avail = 0;
	ft_slot_take_remote(&b, 0, 0);
	CHECK((b.avail & 1) && ft_slab_alloc(&b, 8) == 0,
	      "the word is marked as having a free slot, so that none is skipped");
	return check_exit_status();
}
