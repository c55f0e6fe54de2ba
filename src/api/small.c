/* TINY and SMALL blocks: a thread's heap hands out slots of its slabs; frees
 * from the owning thread go straight back, frees from other threads are
 * queued as bits on the slab and taken in by the owner on its slow path. */
#include <errno.h>
#include "api/internal.h"

/* ---- zones ---- */

/* The positions in mask no longer count as resident free pages: they were
 * purged or unmapped, or a new slab took them. */
static void ft_zone_drop_dirty(struct ft_heap *h, struct ft_zone_hdr *z, uint64_t mask)
{
	uint64_t bytes = (uint64_t)__builtin_popcountll(z->dirty & mask) *
			 ft_zone_slab_bytes(&z->core);

	h->dirty_bytes = bytes <= h->dirty_bytes ? h->dirty_bytes - bytes : 0;
	z->dirty &= ~mask;
}

static struct ft_zone_hdr *ft_zone_new(struct ft_heap *h, uint32_t kind)
{
	struct ft_zone_hdr *z = ft_os_map_aligned(FT_ZONE_SIZE, FT_ZONE_SIZE);
	uint64_t base = (uint64_t)(uintptr_t)z;
	int32_t zindex;
	int inserted;

	if (z == NULL)
		return NULL;
	zindex = ft_heap_add_zone(&h->core, base, kind);
	if (zindex < 0) {
		ft_os_unmap(z, FT_ZONE_SIZE);
		return NULL;
	}
	ft_zone_init(&z->core, base, kind, (uint32_t)zindex);
	ft_heap_set_zone_room(&h->core, (uint32_t)zindex, ft_zone_room(&z->core));
	z->owner = h;
	/* The guard page ends the metadata area, just before the first slab. */
	ft_os_guard((char *)z + ((uint64_t)z->core.first_slab << z->core.slab_shift)
			    - FT_PAGE_SIZE, FT_PAGE_SIZE);
	ft_lock(&ft_g.lock);
	inserted = ft_registry_insert(&ft_g.registry, base);
	ft_unlock(&ft_g.lock);
	if (inserted != 0) {
		ft_heap_remove_zone(&h->core, (uint32_t)zindex);
		ft_os_unmap(z, FT_ZONE_SIZE);
		return NULL;
	}
	h->empty_zones[kind]++;
	return z;
}

static void ft_zone_release(struct ft_heap *h, struct ft_zone_hdr *z)
{
	uint32_t cls;

	/* No looked-up descriptor may point into the unmapped zone. */
	for (cls = 0; cls < FT_NCLASSES; cls++)
		h->cur[cls] = NULL;
	ft_zone_drop_dirty(h, z, ~0ull);
	ft_lock(&ft_g.lock);
	ft_registry_remove(&ft_g.registry, z->core.base);
	ft_unlock(&ft_g.lock);
	ft_heap_remove_zone(&h->core, z->core.heap_index);
	ft_os_unmap(z, FT_ZONE_SIZE);
}

/* A zone with no slab left: keep one per kind for reuse, unmap the others. */
static void ft_zone_emptied(struct ft_heap *h, struct ft_zone_hdr *z)
{
	uint32_t kind = z->core.kind;

	if (h->empty_zones[kind] == 0) {
		uint64_t meta = (uint64_t)z->core.first_slab * ft_zone_slab_bytes(&z->core);

		h->empty_zones[kind] = 1;
		ft_os_purge((char *)z + meta, FT_ZONE_SIZE - meta);
		ft_zone_drop_dirty(h, z, ~0ull);
		return;
	}
	ft_zone_release(h, z);
}

/* ---- slabs ---- */

/* Takes a slab position of zone z for the heap: its index, or -1. The heap's
 * record of the zone's room follows (0 when no position could be taken, so
 * that the zone is not picked again for nothing). */
static int32_t ft_heap_take_position(struct ft_heap *h, struct ft_zone_hdr *z)
{
	int32_t index;

	if (z->core.nused == 0)
		h->empty_zones[z->core.kind]--;
	index = ft_zone_take_slab(&z->core);
	if (index < 0 && z->core.nused == 0)
		h->empty_zones[z->core.kind]++;
	ft_heap_set_zone_room(&h->core, z->core.heap_index,
			      index < 0 ? 0 : ft_zone_room(&z->core));
	return index;
}

/* The position a slab is given back to has room again. */
static void ft_heap_give_position(struct ft_heap *h, struct ft_zone_hdr *z, uint32_t index)
{
	ft_zone_give_slab(&z->core, index);
	ft_heap_set_zone_room(&h->core, z->core.heap_index, ft_zone_room(&z->core));
}

static struct ft_slab *ft_slab_new(struct ft_heap *h, uint32_t cls)
{
	uint32_t kind = ft_class_kind(cls);
	struct ft_zone_hdr *z = NULL;
	int32_t index = -1;
	struct ft_slab *s;

	/* Each round either takes a position or records the zone as full, so
	 * no zone is picked twice. */
	while (index < 0) {
		int32_t zi = ft_heap_pick_zone(&h->core, kind);

		if (zi < 0)
			break;
		z = ft_heap_zone(h, (uint32_t)zi);
		index = ft_heap_take_position(h, z);
	}
	if (index < 0) {
		z = ft_zone_new(h, kind);
		if (z == NULL)
			return NULL;
		index = ft_heap_take_position(h, z);
		if (index < 0)
			return NULL;
	}
	ft_zone_drop_dirty(h, z, 1ull << index);
	s = ft_zone_desc(z, (uint32_t)index);
	/* The zone was chosen by kind, so placement does not refuse it; were it
	 * ever to, the position goes back and the request fails cleanly. */
	if (ft_slab_place(s, &z->core, (uint32_t)index, cls,
			  z->core.heap_index * FT_SLABS_MAX + (uint32_t)index) != 0) {
		ft_heap_give_position(h, z, (uint32_t)index);
		if (z->core.nused == 0)
			h->empty_zones[kind]++;
		return NULL;
	}
	ft_heap_list_push(&h->core, cls, s->id);
	return s;
}

static void ft_slab_retire(struct ft_heap *h, struct ft_zone_hdr *z, struct ft_slab *s)
{
	uint32_t index = s->id % FT_SLABS_MAX;

	if (__atomic_load_n(&s->remote_queued, __ATOMIC_ACQUIRE))
		return;
	if (ft_tls_last_slab == s)
		ft_tls_last_slab = NULL;
	ft_heap_list_unlink(&h->core, s->cls, s->id);
	ft_heap_give_position(h, z, index);
	if (z->core.nused == 0) {
		ft_zone_emptied(h, z);
		return;
	}
	if (ft_policy_keeps_pages(h->dirty_bytes, ft_zone_slab_bytes(&z->core))) {
		z->dirty |= 1ull << index;
		h->dirty_bytes += ft_zone_slab_bytes(&z->core);
	} else {
		ft_os_purge((void *)(uintptr_t)ft_zone_slab_base(&z->core, index),
			    ft_zone_slab_bytes(&z->core));
	}
}

/* After the frees of slots of s made by other threads were taken in. */
static FT_COLD void ft_slab_after_free(struct ft_heap *h, struct ft_slab *s)
{
	if (ft_slot_relist(&h->core, s->cls, s->id, s->nlive) == FT_SLOT_RETIRE)
		ft_slab_retire(h, ft_heap_zone(h, s->id / FT_SLABS_MAX), s);
}

/* ---- frees from other threads ---- */

static FT_COLD void ft_remote_free(struct ft_zone_hdr *z, struct ft_slab *s, uint32_t slot,
				   uint64_t addr)
{
	uint64_t mask = 1ull << (slot % 64);
	uint64_t old = __atomic_fetch_or(&s->words[slot / 64].remote, mask, __ATOMIC_SEQ_CST);
	struct ft_heap *owner = z->owner;
	uint32_t head;

	if (old & mask) {
		ft_report_misuse(FT_OP_FREE, FT_DOUBLE_FREE, addr);
		return;
	}
	/* Already queued: nothing to write (a write would take the line that
	 * holds the owner's counters away from it). Sequentially consistent with
	 * the bit set above and with the owner's clearing of remote_queued before
	 * it reads the bits: either the owner sees the bit, or this sees 0. */
	if (__atomic_load_n(&s->remote_queued, __ATOMIC_SEQ_CST) != 0 ||
	    __atomic_exchange_n(&s->remote_queued, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	head = __atomic_load_n(&owner->remote_head, __ATOMIC_RELAXED);
	do {
		s->remote_next = head;
	} while (!__atomic_compare_exchange_n(&owner->remote_head, &head, s->id, 1,
					      __ATOMIC_RELEASE, __ATOMIC_RELAXED));
}

static void ft_drain_slab(struct ft_heap *h, struct ft_slab *s)
{
	uint32_t held = s->nlive;
	uint32_t w;

	for (w = 0; w < FT_BITMAP_WORDS; w++) {
		uint64_t bad;

		if (__atomic_load_n(&s->words[w].remote, __ATOMIC_SEQ_CST) == 0)
			continue;
		bad = ft_slot_take_remote(s, w, __atomic_exchange_n(&s->words[w].remote, 0,
								     __ATOMIC_ACQ_REL));
		/* Pending bits on slots that were not live: racing double frees. */
		while (bad != 0) {
			uint32_t slot = w * 64 + (uint32_t)ft_ctz64(bad);

			bad &= bad - 1;
			ft_report_misuse(FT_OP_FREE, FT_DOUBLE_FREE,
					 ft_slab_slot_addr(s, slot < s->nslots ? slot : 0));
		}
	}
	/* Not ft_heap_slab_emptied: trimming takes frees in, and so ends here. */
	if (held != 0 && s->nlive == 0)
		h->nonempty--;
	ft_slab_after_free(h, s);
}

static void ft_drain_remote(struct ft_heap *h)
{
	uint32_t id;

	if (__atomic_load_n(&h->remote_head, __ATOMIC_RELAXED) == FT_NONE)
		return;
	id = __atomic_exchange_n(&h->remote_head, FT_NONE, __ATOMIC_ACQUIRE);
	while (id != FT_NONE) {
		struct ft_slab *s = ft_heap_slab(h, id);
		uint32_t next = s->remote_next;

		__atomic_store_n(&s->remote_queued, 0, __ATOMIC_SEQ_CST);
		ft_drain_slab(h, s);
		id = next;
	}
}

/* ---- the entry points ---- */

/* The address of slot `slot`, just taken from slab s of h. The slab's first
 * live slot makes it count among the heap's slabs with a live block. */
static inline void *ft_small_taken(struct ft_heap *h, struct ft_slab *s, int32_t slot)
{
	if (FT_UNLIKELY(s->nlive == 1))
		h->nonempty++;
	return (void *)(uintptr_t)ft_slab_slot_addr(s, (uint32_t)slot);
}

static FT_COLD void *ft_small_alloc_slow(struct ft_heap *h, uint64_t size, uint32_t cls)
{
	ft_drain_remote(h);
	for (;;) {
		uint32_t id = ft_heap_current(&h->core, cls);
		struct ft_slab *s;
		int32_t slot;

		if (id == FT_NONE) {
			s = ft_slab_new(h, cls);
			if (s == NULL) {
				errno = ENOMEM;
				return NULL;
			}
			id = s->id;
		} else {
			s = ft_heap_slab(h, id);
		}
		slot = ft_slot_take(&h->core, s, cls, id, (uint32_t)size);
		if (slot >= 0)
			return ft_small_taken(h, s, slot);
		/* Full, or its free slots wait for the owner to take in frees:
		 * now off the list, the next one is tried. */
	}
}

/* malloc's fast path found no free slot in the lowest marked word of slab s
 * (slot is -1): the rest of the slab is searched, and then the other slabs.
 * Or it took the last free slot: then by the core's rule the slab leaves its
 * class's list. Not cold: under random frees the lowest marked word is often
 * found full. */
static __attribute__((noinline)) void *ft_small_alloc_more(struct ft_slab *s, int32_t slot,
							   uint64_t size)
{
	struct ft_heap *h = ft_tls_heap;
	uint32_t cls = s->cls;

	if (slot < 0)
		slot = ft_slot_take(&h->core, s, cls, s->id, (uint32_t)size);
	else
		ft_heap_list_unlink(&h->core, cls, s->id);
	if (slot < 0)
		return ft_small_alloc_slow(h, size, cls);
	return ft_small_taken(h, s, slot);
}

/* The thread's first allocation: its heap is bound first. */
static FT_COLD void *ft_small_alloc_first(uint64_t size, uint32_t cls)
{
	struct ft_heap *h = ft_my_heap();

	if (h == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	return ft_small_alloc_slow(h, size, cls);
}

/* The class's current slab is not the one looked up last: its descriptor is
 * looked up from its id and recorded, and the fast path starts again. */
static __attribute__((noinline)) void *ft_small_alloc_lookup(struct ft_heap *h, uint64_t size,
							     uint32_t cls)
{
	uint32_t id = ft_heap_current(&h->core, cls);

	if (id == FT_NONE)
		return ft_small_alloc_slow(h, size, cls);
	h->cur[cls] = ft_heap_slab(h, id);
	return ft_small_alloc(size, cls);
}

/* The fast path: a slot of the class's current slab. Every other case leaves
 * through a call at the end, so that this path saves no register. The slab's
 * descriptor comes from h->cur, checked against the class's head: a
 * descriptor holds the id of its own position (or 0 if no slab was ever
 * placed there), so an id equal to the head's names the head's descriptor;
 * and h->cur never points into an unmapped zone (ft_zone_release). One
 * dependent load less than looking the descriptor up from the id. */
FT_FAST void *ft_small_alloc(uint64_t size, uint32_t cls)
{
	struct ft_heap *h = ft_tls_heap;
	struct ft_slab *s;
	int32_t slot;

	if (FT_UNLIKELY(h == NULL))
		return ft_small_alloc_first(size, cls);
	s = h->cur[cls];
	if (FT_UNLIKELY(s == NULL || s->id != ft_heap_current(&h->core, cls)))
		return ft_small_alloc_lookup(h, size, cls);
	slot = ft_slab_alloc_quick(s, (uint32_t)size);
	if (FT_UNLIKELY(!ft_slot_keeps_listed(s, slot)))
		return ft_small_alloc_more(s, slot, size);
	return ft_small_taken(h, s, slot);
}

/* The heap holds no live block: its memory goes back, and so do the freed
 * LARGE mappings kept for reuse, which a program that frees everything will
 * not reuse soon. */
static FT_COLD void ft_heap_settle(struct ft_heap *h)
{
	ft_small_trim(h);
	ft_large_trim();
}

/* A slab of h, freed by its owner, has no live slot any more: when it was
 * the heap's last, everything goes back (see FT_SETTLE_ZONES). */
static inline void ft_heap_slab_emptied(struct ft_heap *h)
{
	if (ft_policy_settles(--h->nonempty, h->core.nzones))
		ft_heap_settle(h);
}

/* The rare ways out of a local free, kept out of its fast path: a double
 * free, or a slab to give back to its zone. */
static FT_COLD void ft_small_free_rare(struct ft_heap *h, struct ft_slab *s, uint64_t addr,
				       int verdict)
{
	if (verdict == FT_SLOT_DOUBLE) {
		ft_report_misuse(FT_OP_FREE, FT_DOUBLE_FREE, addr);
		return;
	}
	ft_slab_retire(h, ft_heap_zone(h, s->id / FT_SLABS_MAX), s);
	ft_heap_slab_emptied(h);
}

/* Frees the located live slot `slot` of slab s of h, in h's thread. */
static inline void ft_small_free_own(struct ft_heap *h, struct ft_slab *s, uint32_t slot,
				     uint64_t addr)
{
	int verdict = ft_slot_give(&h->core, s, slot);

	if (FT_UNLIKELY(verdict != FT_SLOT_KEEP)) {
		ft_small_free_rare(h, s, addr, verdict);
		return;
	}
	if (FT_UNLIKELY(s->nlive == 0))
		ft_heap_slab_emptied(h);
}

void ft_small_free_slot(struct ft_zone_hdr *z, struct ft_slab *s, uint32_t slot, uint64_t addr)
{
	struct ft_heap *h = ft_tls_heap;

	if (FT_UNLIKELY(h == NULL || z->owner != h)) {
		ft_remote_free(z, s, slot, addr);
		return;
	}
	ft_tls_last_slab = s;
	ft_small_free_own(h, s, slot, addr);
}

void ft_small_free(struct ft_where *w, uint64_t addr)
{
	ft_small_free_slot(w->zone, w->slab, w->slot, addr);
}

void ft_small_free_last(struct ft_slab *s, uint64_t addr)
{
	uint32_t slot;
	int verdict = ft_slab_locate(s, addr, &slot);

	if (FT_UNLIKELY(verdict != FT_OK)) {
		ft_report_misuse(FT_OP_FREE, verdict, addr);
		return;
	}
	ft_small_free_own(ft_tls_heap, s, slot, addr);
}

/* malloc_trim for the calling thread's heap: frees made by other threads are
 * taken in, empty slabs (those kept for reuse too) go back to their zones,
 * the pages of free slab positions go back to the OS, and empty zones are
 * unmapped. 1 when anything was given back. */
FT_COLD int ft_small_trim(struct ft_heap *h)
{
	int released = 0;
	uint32_t i;
	uint32_t j;

	ft_drain_remote(h);
	for (i = 0; i < h->core.nzones; i++) {
		struct ft_zone_hdr *z = ft_heap_zone(h, i);

		if (z == NULL)
			continue;
		/* z becomes NULL when retiring its last slab releases the zone. */
		for (j = z->core.first_slab; z != NULL && j < z->core.nslabs; j++) {
			struct ft_slab *s = ft_zone_desc(z, j);

			if (ft_word_has(z->core.used, j) && s->nlive == 0) {
				uint32_t held = z->core.nused;

				ft_slab_retire(h, z, s);
				z = ft_heap_zone(h, i);	/* NULL once the zone is gone */
				if (z == NULL || z->core.nused < held)
					released = 1;
			}
		}
	}
	for (i = 0; i < h->core.nzones; i++) {
		struct ft_zone_hdr *z = ft_heap_zone(h, i);

		if (z == NULL)
			continue;
		if (z->core.nused == 0) {
			h->empty_zones[z->core.kind]--;
			ft_zone_release(h, z);
			released = 1;
			continue;
		}
		for (j = 0; z->dirty != 0 && j < z->core.nslabs; j++) {
			if (z->dirty & (1ull << j))
				ft_os_purge((void *)(uintptr_t)ft_zone_slab_base(&z->core, j),
					    ft_zone_slab_bytes(&z->core));
		}
		if (z->dirty != 0)
			released = 1;
		ft_zone_drop_dirty(h, z, ~0ull);
	}
	return released;
}
