/* The zone registry, the LARGE registry and the heap's slab lists. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "core/registry.h"
#include "core/large.h"
#include "core/heap.h"
#include "core/large_cache.h"

static struct ft_registry reg;
static struct ft_large_entry e1[64], e2[256];
static struct ft_heap_core heap;
static struct ft_large_cache cache;

int main(void)
{
	int ok = 1;
	uint64_t z = FT_ZONE_SIZE;

	for (uint64_t i = 1; i <= 4000; i++)
		ok &= ft_registry_insert(&reg, i * 7 * z) == 0;
	CHECK(ok && reg.count == 4000, "4000 zones registered");
	CHECK(ft_registry_insert(&reg, 7 * z) == -1, "a zone cannot be registered twice");
	ok = 1;
	for (uint64_t i = 1; i <= 4000; i++)
		ok &= ft_registry_find(&reg, i * 7 * z) >= 0 && ft_registry_find(&reg, (i * 7 + 1) * z) < 0;
	CHECK(ok, "every registered zone is found, no other");
	ok = 1;
	for (uint64_t i = 1; i <= 4000; i += 2)
		ok &= ft_registry_remove(&reg, i * 7 * z) == 0;
	for (uint64_t i = 1; i <= 4000; i++)
		ok &= (ft_registry_find(&reg, i * 7 * z) >= 0) == (i % 2 == 0);
	CHECK(ok && reg.count == 2000, "removed zones are gone, the others stay");
	CHECK(ft_registry_remove(&reg, 3 * z) == -1, "removing an unknown zone fails");
	CHECK(ft_registry_find(&reg, 0) == -1 && ft_registry_find(&reg, 1) == -1, "empty and tombstone keys are never found");
	/* Zones a table's width apart (32 GiB) start their probes at the same slot. */
	static struct ft_registry near;
	uint64_t apart = (uint64_t)FT_REGISTRY_CAP * z;
	ok = 1;
	for (uint64_t i = 1; i <= 8; i++)
		ok &= ft_registry_insert(&near, 5 * z + i * apart) == 0;
	ok &= ft_registry_hash(5 * z + apart) == ft_registry_hash(5 * z + 8 * apart);
	ok &= ft_registry_remove(&near, 5 * z + 3 * apart) == 0;
	for (uint64_t i = 1; i <= 8; i++)
		ok &= (ft_registry_find(&near, 5 * z + i * apart) >= 0) == (i != 3);
	CHECK(ok, "zones that share a probe start are all found, past a removed one");

	struct ft_large_table t = { 64, 0, 0, e1 };
	uint64_t len = 0;
	ok = 1;
	for (uint64_t i = 1; i <= 48; i++)
		ok &= ft_large_insert(&t, i << 20, 8192, i) == 0;
	CHECK(ok && t.used == 48, "48 LARGE blocks recorded");
	CHECK(ft_large_needs_growth(&t), "table asks to grow at 3/4 full");
	CHECK(ft_large_insert(&t, 49ull << 20, 8192, 1) == -1, "a full table refuses to insert");
	struct ft_large_table t2 = { 256, 0, 0, e2 };
	CHECK(ft_large_rehash(&t2, &t) == 0 && t2.used == 48, "rehash moves every entry");
	ok = 1;
	for (uint64_t i = 1; i <= 48; i++) {
		int64_t k = ft_large_find(&t2, i << 20);
		ok &= k >= 0 && t2.e[k].req == i;
	}
	CHECK(ok, "every entry found after rehash with its size");
	CHECK(ft_large_remove(&t2, 5ull << 20, &len) == 0 && len == 8192, "remove gives the mapping length");
	CHECK(ft_large_remove(&t2, 5ull << 20, &len) == -1, "second remove fails");
	CHECK(ft_large_find(&t2, (5ull << 20) + 4096) == -1, "an interior address is not a LARGE block");
	CHECK(ft_large_map_len(1) == 8192 && ft_large_map_len(4096) == 8192 && ft_large_map_len(4097) == 12288,
	      "mapping length is whole pages plus a guard page");
	CHECK(ft_large_map_len(~0ull) == 0, "mapping length overflow refused");

	ft_heap_init(&heap);
	CHECK(ft_heap_current(&heap, 3) == FT_NONE, "a new heap has no slab");
	ft_heap_list_push(&heap, 3, 10);
	ft_heap_list_push(&heap, 3, 20);
	ft_heap_list_push(&heap, 3, 20);
	CHECK(ft_heap_current(&heap, 3) == 10 && heap.listed_count[3] == 2 && heap.next[10] == 20,
	      "the first slab pushed is the head; the next goes behind it, once");
	ft_heap_list_push(&heap, 3, 40);
	CHECK(ft_heap_current(&heap, 3) == 10 && heap.next[10] == 40 && heap.next[40] == 20 &&
	      heap.prev[20] == 40 && heap.prev[40] == 10,
	      "a slab pushed onto a longer list goes right behind the head");
	CHECK(heap.cls_of[10] == 3 && heap.cls_of[20] == 3, "push records the class");
	ft_heap_list_push(&heap, 5, 30);
	CHECK(ft_heap_current(&heap, 5) == 30 && ft_heap_current(&heap, 3) == 10 && heap.cls_of[30] == 5,
	      "classes have their own lists");
	ft_heap_list_unlink(&heap, 5, 30);
	CHECK(ft_heap_current(&heap, 5) == FT_NONE && heap.listed_count[5] == 0, "unlink of a lone slab");
	ft_heap_list_unlink(&heap, 3, 40);
	CHECK(heap.next[10] == 20 && heap.prev[20] == 10 && !heap.listed[40],
	      "unlink from the middle joins its neighbours");
	CHECK(ft_heap_should_retire(&heap, 3, 10) == 1, "an empty slab with a sibling retires");
	ft_heap_list_unlink(&heap, 3, 10);
	CHECK(ft_heap_current(&heap, 3) == 20 && !heap.listed[10], "unlink takes the head off");
	CHECK(heap.prev[20] == FT_NONE && heap.next[20] == FT_NONE, "no listed slab points at an unlinked one");
	CHECK(ft_heap_should_retire(&heap, 3, 20) == 0, "the last slab of a class is kept");
	ft_heap_list_unlink(&heap, 3, 20);
	ft_heap_list_unlink(&heap, 3, 20);
	CHECK(ft_heap_current(&heap, 3) == FT_NONE && heap.listed_count[3] == 0, "list empty after unlinking all");
	CHECK(ft_heap_add_zone(&heap, 0x400000, 0) == 0 && ft_heap_add_zone(&heap, 0x800000, 1) == 1,
	      "zones get positions in order");
	ft_heap_remove_zone(&heap, 0);
	CHECK(ft_heap_add_zone(&heap, 0xC00000, 0) == 0, "a free zone position is reused");
	ft_heap_remove_zone(&heap, 1);
	CHECK(heap.nzones == 1, "trailing free positions are dropped");
	/* Zone choice: the lowest zone of the kind with room recorded. */
	CHECK(ft_heap_add_zone(&heap, 0x1000000, 1) == 1 && ft_heap_add_zone(&heap, 0x1400000, 1) == 2,
	      "two SMALL zones added");
	ft_heap_set_zone_room(&heap, 0, 5);
	ft_heap_set_zone_room(&heap, 1, 0);
	ft_heap_set_zone_room(&heap, 2, 3);
	CHECK(ft_heap_pick_zone(&heap, 1) == 2, "a full zone is passed over for one of the kind with room");
	CHECK(ft_heap_pick_zone(&heap, 0) == 0, "a zone of the other kind is not picked");
	ft_heap_set_zone_room(&heap, 1, 1);
	CHECK(ft_heap_pick_zone(&heap, 1) == 1, "the lowest zone with room is picked");
	ft_heap_set_zone_room(&heap, 1, 0);
	ft_heap_set_zone_room(&heap, 2, 0);
	CHECK(ft_heap_pick_zone(&heap, 1) == -1, "no zone of the kind has room: none is picked");
	ft_heap_remove_zone(&heap, 2);
	ft_heap_remove_zone(&heap, 1);
	uint64_t a = 0, l = 0;
	CHECK(ft_large_cache_take(&cache, 8192, 1, &a, &l) == -1, "an empty cache gives nothing");
	CHECK(ft_large_cache_put(&cache, 0x10000000, 1 << 20) == 0 &&
	      ft_large_cache_put(&cache, 0x20000000, 3 << 20) == 0 &&
	      ft_large_cache_put(&cache, 0x30000000, (1 << 20) + 8192) == 0, "freed mappings are kept");
	CHECK(ft_large_cache_put(&cache, 0x40000000, 17 << 20) == -1, "a mapping over 16 MiB is not kept");
	CHECK(ft_large_cache_take(&cache, 1 << 20, 1, &a, &l) == 0 && a == 0x10000000 && l == 1 << 20,
	      "the smallest mapping that fits is reused");
	CHECK(ft_large_cache_take(&cache, 1 << 20, 1 << 29, &a, &l) == -1,
	      "a mapping that is not aligned enough is not reused");
	CHECK(ft_large_cache_take(&cache, 1 << 20, 1, &a, &l) == 0 && a == 0x30000000,
	      "next best fit within a third more");
	CHECK(ft_large_cache_take(&cache, 1 << 20, 1, &a, &l) == -1,
	      "a mapping over a third larger than needed is not reused");
	ok = 1;
	for (int i = 0; i < 10; i++)
		ok &= ft_large_cache_put(&cache, 0x50000000ull + ((uint64_t)i << 24), 4 << 20) == (i < 7 ? 0 : -1);
	CHECK(ok && cache.total <= FT_LARGE_CACHE_BYTES, "the cache holds at most 32 MiB");
	int drained = 0;
	uint64_t longest = ~0ull;
	ok = 1;
	while (ft_large_cache_take_longest(&cache, &a, &l) == 0) {
		ok &= l <= longest && a != 0;
		longest = l;
		drained++;
	}
	CHECK(drained == 8 && cache.total == 0, "taking the longest, over and over, gives back every kept mapping");
	CHECK(ok && longest == 3 << 20, "each mapping taken is the longest left: the 3 MiB one last");

	/* A piece shorter than any LARGE mapping is never left behind. */
	CHECK(ft_large_map_len(FT_SMALL_MAX + 1) == FT_LARGE_MAP_MIN,
	      "the smallest LARGE request maps FT_LARGE_MAP_MIN bytes");
	CHECK(ft_large_cache_put(&cache, 0x10000000, 3 * FT_LARGE_MAP_MIN - 4096) == 0 &&
	      ft_large_cache_take(&cache, 2 * FT_LARGE_MAP_MIN, 1, &a, &l) == 0 &&
	      a == 0x10000000 && l == 3 * FT_LARGE_MAP_MIN - 4096,
	      "a mapping is reused whole when the rest could hold no LARGE block");
	CHECK(ft_large_cache_put(&cache, 0x10000000, 3 * FT_LARGE_MAP_MIN) == 0 &&
	      ft_large_cache_take(&cache, 2 * FT_LARGE_MAP_MIN, 1, &a, &l) == -1 &&
	      ft_large_cache_carve(&cache, 2 * FT_LARGE_MAP_MIN, 1, &a) == 0,
	      "a mapping whose rest could hold a LARGE block is cut, not given whole");
	while (ft_large_cache_take_longest(&cache, &a, &l) == 0)
		;

	/* A full cache makes room by giving up its shortest mappings. */
	ok = 1;
	for (int i = 0; i < FT_LARGE_CACHE_SLOTS; i++)
		ok &= ft_large_cache_put(&cache, 0x100000000ull + ((uint64_t)i << 24),
					 FT_LARGE_MAP_MIN + (uint64_t)i * FT_PAGE_SIZE) == 0;
	CHECK(ok && ft_large_cache_put(&cache, 0x900000000ull, 1 << 20) == -1, "the cache is full");
	CHECK(ft_large_cache_evict(&cache, FT_LARGE_MAP_MIN, &a, &l) == -1,
	      "no mapping is given up for a shorter one");
	CHECK(ft_large_cache_evict(&cache, 1 << 20, &a, &l) == 0 && a == 0x100000000ull &&
	      l == FT_LARGE_MAP_MIN, "the shortest mapping is given up for a longer one");
	CHECK(ft_large_cache_put(&cache, 0x900000000ull, 1 << 20) == 0, "which then takes its place");
	CHECK(ft_large_cache_evict(&cache, 17 << 20, &a, &l) == -1,
	      "nothing is given up for a mapping too long to keep");
	return check_exit_status();
}
