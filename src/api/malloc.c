/* malloc, free, calloc, realloc, reallocarray, malloc_usable_size, cfree. */
#include <errno.h>
#include <string.h>
#include "api/internal.h"

void *ftm_malloc(size_t size)
{
	if (FT_LIKELY(size <= FT_SMALL_MAX))
		return ft_small_alloc(size, ft_size_class(size));
	if (size > FT_REQUEST_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	return ft_large_alloc(size, 0, 0);
}
FT_ALIAS(malloc, ftm_malloc)
FT_ALIAS(__libc_malloc, ftm_malloc)

/* The rare ways out of free, kept out of its fast path. Nothing on any path
 * of free changes errno: the OS glue and the report keep it. */

/* addr is in no registered zone: a LARGE block, or not ours at all. */
static FT_COLD void ft_free_unzoned(uint64_t addr)
{
	if (ft_large_free(addr) != 0)
		ft_report_misuse(FT_OP_FREE, FT_NOT_OURS, addr);
}

/* free of an address outside the slab the thread last freed into. In that
 * slab's zone (registered, since the slab is placed in it), the zone header
 * says which slab; elsewhere the registry is asked first. Out of line, so
 * that free's fast path saves no register; the slab and slot stay in
 * registers. */
static FT_FAST __attribute__((noinline)) void ft_free_located(const struct ft_slab *last,
							      uint64_t addr)
{
	struct ft_zone_hdr *z = ft_zone_of(addr);
	struct ft_slab *s;
	uint32_t slot;
	int verdict;

	if (addr == 0)
		return;
	if ((last == NULL || (addr ^ last->base) >= FT_ZONE_SIZE) &&
	    ft_registry_find(&ft_g.registry, (uint64_t)(uintptr_t)z) < 0) {
		ft_free_unzoned(addr);
		return;
	}
	verdict = ft_locate_slot(z, addr, &s, &slot);
	if (FT_LIKELY(verdict == FT_OK))
		ft_small_free_slot(z, s, slot, addr);
	else
		ft_report_misuse(FT_OP_FREE, verdict, addr);
}

FT_FAST void ftm_free(void *ptr)
{
	uint64_t addr = (uint64_t)(uintptr_t)ptr;
	struct ft_slab *last = ft_tls_last_slab;

	/* Inside the slots of the slab this thread last freed into: that slab is
	 * this thread's, placed in a registered zone, so only the slab itself is
	 * asked about addr. NULL is never inside. */
	if (FT_LIKELY(last != NULL) &&
	    addr - last->base < (uint64_t)last->nslots * last->slot_size)
		ft_small_free_last(last, addr);
	else
		ft_free_located(last, addr);
}
FT_ALIAS(free, ftm_free)
FT_ALIAS(cfree, ftm_free)
FT_ALIAS(__libc_free, ftm_free)

void *ftm_calloc(size_t count, size_t size)
{
	uint64_t total;
	void *p;

	if (ft_request_product(count, size, &total) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (total > FT_SMALL_MAX)
		return ft_large_alloc(total, 0, 1);
	p = ft_small_alloc(total, ft_size_class(total));
	if (p != NULL)
		memset(p, 0, total);
	return p;
}
FT_ALIAS(calloc, ftm_calloc)
FT_ALIAS(__libc_calloc, ftm_calloc)

/* Moves a block to a new one of size bytes, copying what both can hold. The
 * old block is freed where realloc located it: a slot is still live (the
 * allocation in between cannot take it, nor retire its slab), and a LARGE
 * block is in no zone, so looking either up again would find the same. */
static void *ft_move(void *ptr, struct ft_where *w, uint64_t usable, size_t size)
{
	void *fresh = ftm_malloc(size);

	if (fresh == NULL)
		return NULL;
	memcpy(fresh, ptr, usable < size ? usable : size);
	if (w->zone != NULL)
		ft_small_free(w, (uint64_t)(uintptr_t)ptr);
	else
		ft_free_unzoned((uint64_t)(uintptr_t)ptr);
	return fresh;
}

void *ftm_realloc(void *ptr, size_t size)
{
	uint64_t addr = (uint64_t)(uintptr_t)ptr;
	uint64_t req;
	uint64_t usable;
	struct ft_where w;

	if (ptr == NULL)
		return ftm_malloc(size);
	ft_locate(addr, &w);
	if (w.zone != NULL && w.verdict != FT_OK) {
		ft_report_misuse(FT_OP_REALLOC, w.verdict, addr);
		errno = EINVAL;
		return NULL;
	}
	if (w.zone == NULL && ft_large_sizes(addr, &req, &usable) != 0) {
		ft_report_misuse(FT_OP_REALLOC, FT_NOT_OURS, addr);
		errno = EINVAL;
		return NULL;
	}
	if (size == 0) {
		ftm_free(ptr);
		return NULL;
	}
	if (size > FT_REQUEST_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if (w.zone != NULL) {
		usable = w.slab->slot_size;
		if (ft_realloc_keeps_slot(usable, size)) {
			w.slab->req[w.slot] = (uint16_t)size;
			return ptr;
		}
		return ft_move(ptr, &w, usable, size);
	}
	if (size > FT_SMALL_MAX)
		return ft_large_resize(addr, size);
	return ft_move(ptr, &w, usable, size);
}
FT_ALIAS(realloc, ftm_realloc)
FT_ALIAS(__libc_realloc, ftm_realloc)

void *ftm_reallocarray(void *ptr, size_t count, size_t size)
{
	uint64_t total;

	if (ft_request_product(count, size, &total) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	return ftm_realloc(ptr, total);
}
FT_ALIAS(reallocarray, ftm_reallocarray)

size_t ftm_malloc_usable_size(void *ptr)
{
	uint64_t addr = (uint64_t)(uintptr_t)ptr;
	uint64_t req;
	uint64_t usable;
	struct ft_where w;

	if (ptr == NULL)
		return 0;
	ft_locate(addr, &w);
	if (w.verdict == FT_OK)
		return w.slab->slot_size;
	if (w.zone == NULL && ft_large_sizes(addr, &req, &usable) == 0)
		return usable;
	ft_report_misuse(FT_OP_USABLE_SIZE, w.zone != NULL ? w.verdict : FT_NOT_OURS, addr);
	return 0;
}
FT_ALIAS(malloc_usable_size, ftm_malloc_usable_size)
