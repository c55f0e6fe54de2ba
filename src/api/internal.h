/* ft_malloc API layer — shared state and the engines behind the exported
 * symbols. The decisions are the core's (src/core/); this layer holds the
 * process-wide state, binds threads to heaps and asks the OS for memory. */
#ifndef FT_API_INTERNAL_H
#define FT_API_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "core/config.h"
#include "core/size_class.h"
#include "core/slab.h"
#include "core/place.h"
#include "core/zone.h"
#include "core/registry.h"
#include "core/heap.h"
#include "core/slot.h"
#include "core/large.h"
#include "core/large_cache.h"
#include "core/policy.h"
#include "os/os.h"

#define FT_HIDDEN __attribute__((visibility("hidden")))
#define FT_EXPORT __attribute__((visibility("default")))
#define FT_LIKELY(x) __builtin_expect(!!(x), 1)
#define FT_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* A fast path gets every call it makes inlined (with LTO, across files);
 * what it must not pull in is marked cold. */
#define FT_FAST __attribute__((flatten))
#define FT_COLD __attribute__((noinline, cold))

/* Exported names are aliases of the internal ftm_* functions, so that the
 * fuzz and test harnesses can link the allocator under internal names only
 * (FT_NO_EXPORTS) while a sanitizer keeps its own malloc. */
#ifdef FT_NO_EXPORTS
#define FT_ALIAS(public_name, internal_name)
#else
#define FT_ALIAS(public_name, internal_name)                                   \
	extern __typeof__(internal_name) public_name                           \
		__attribute__((alias(#internal_name), visibility("default")));
#endif

/* ---- heaps ---- */
#define FT_HEAP_OWNED 0u
#define FT_HEAP_ABANDONED 1u
#define FT_HEAP_DEAD 2u	/* owned by a thread that does not exist in this child */

struct ft_heap {
	struct ft_heap_core core;
	/* The descriptor of each class's current slab, as last looked up: used
	 * only while its id is the class's head (see ft_small_alloc). NULL
	 * after a zone of the heap is unmapped. */
	struct ft_slab *cur[FT_NCLASSES];
	uint32_t remote_head;		/* atomic: slabs with frees from other threads */
	uint32_t state;
	uint32_t empty_zones[FT_NKINDS];	/* empty zones kept for reuse */
	uint64_t dirty_bytes;		/* retired slabs whose pages are still resident */
	uint64_t nonempty;		/* slabs with a live slot (frees taken in) */
	struct ft_heap *next_all;
	struct ft_heap *next_abandoned;
};

/* ---- zones: header, then slab descriptors, then a guard page ---- */
struct ft_zone_hdr {
	struct ft_zone core;
	struct ft_heap *owner;
	uint64_t dirty;			/* bit i: free position i still has its pages */
	uint64_t reserved;
};
#define FT_ZONE_HDR_SIZE 64u

/* The zone an address would be in: its header, if that zone is registered. */
static inline struct ft_zone_hdr *ft_zone_of(uint64_t addr)
{
	return (struct ft_zone_hdr *)(uintptr_t)(addr & ~(FT_ZONE_SIZE - 1));
}

static inline struct ft_slab *ft_zone_desc(struct ft_zone_hdr *z, uint32_t index)
{
	return (struct ft_slab *)((char *)z + FT_ZONE_HDR_SIZE) + index;
}

static inline struct ft_zone_hdr *ft_heap_zone(struct ft_heap *h, uint32_t zindex)
{
	return (struct ft_zone_hdr *)(uintptr_t)h->core.zone_base[zindex];
}

static inline struct ft_slab *ft_heap_slab(struct ft_heap *h, uint32_t id)
{
	return ft_zone_desc(ft_heap_zone(h, id / FT_SLABS_MAX), id % FT_SLABS_MAX);
}

/* ---- process-wide state (state.c) ---- */
struct ft_state {
	ft_lock_t lock;			/* registry writes, heap list, LARGE table */
	int ready;
	int on_error;			/* enum ft_malloc_on_error */
	unsigned long errors;		/* misuses reported */
	int show_at_exit;
	int stats_at_exit;
	struct ft_heap *heaps;
	struct ft_heap *abandoned;
	struct ft_large_table large;
	struct ft_large_cache large_cache;	/* freed LARGE mappings kept for reuse */
	struct ft_registry registry;
};
extern struct ft_state ft_g FT_HIDDEN;
extern __thread struct ft_heap *ft_tls_heap FT_HIDDEN;
/* The slab this thread last freed into: a slab of its own heap, placed in a
 * registered zone. A free of an address in its slots needs neither the
 * registry nor the zone header (ftm_free). Cleared when that slab is retired
 * and when the thread leaves its heap. */
extern __thread struct ft_slab *ft_tls_last_slab FT_HIDDEN;

void ft_init(void) FT_HIDDEN;
struct ft_heap *ft_heap_bind(void) FT_HIDDEN FT_COLD;

static inline struct ft_heap *ft_my_heap(void)
{
	struct ft_heap *h = ft_tls_heap;

	return FT_LIKELY(h != NULL) ? h : ft_heap_bind();
}

/* ---- where a pointer lives (locate.c) ---- */
struct ft_where {
	struct ft_zone_hdr *zone;	/* NULL: not in any zone of ours */
	struct ft_slab *slab;		/* NULL: in no slab of the zone */
	uint32_t slot;
	int verdict;			/* FT_OK ... FT_DOUBLE_FREE */
};
void ft_locate(uint64_t addr, struct ft_where *w) FT_HIDDEN;
/* The verdict alone, for free's fast path, addr in registered zone z: on
 * FT_OK, the slab and the live slot that addr starts. */
int ft_locate_slot(struct ft_zone_hdr *z, uint64_t addr, struct ft_slab **slab,
		   uint32_t *slot) FT_HIDDEN;

/* ---- TINY and SMALL (small.c) ---- */
void *ft_small_alloc(uint64_t size, uint32_t cls) FT_HIDDEN;
/* Frees a located live slot (w->verdict == FT_OK). */
void ft_small_free(struct ft_where *w, uint64_t addr) FT_HIDDEN;
/* The same, told the zone, the slab and the slot. */
void ft_small_free_slot(struct ft_zone_hdr *z, struct ft_slab *s, uint32_t slot,
			uint64_t addr) FT_HIDDEN;
/* Frees addr, which lies in the slots of ft_tls_last_slab. */
void ft_small_free_last(struct ft_slab *last, uint64_t addr) FT_HIDDEN;
/* Empty zones kept for reuse go back to the OS; 1 when any did. */
int ft_small_trim(struct ft_heap *h) FT_HIDDEN;

/* ---- LARGE (large.c) ---- */
/* zero: the block must read as zeros (fresh mappings do; reused ones are cleared). */
void *ft_large_alloc(uint64_t size, uint64_t align, int zero) FT_HIDDEN;
/* Unmaps the cached LARGE mappings; 1 when there were any. */
int ft_large_trim(void) FT_HIDDEN;
/* 0 when addr was a live LARGE block and is now freed, -1 otherwise. */
int ft_large_free(uint64_t addr) FT_HIDDEN;
/* The requested and usable size of a live LARGE block: 0, or -1. */
int ft_large_sizes(uint64_t addr, uint64_t *req, uint64_t *usable) FT_HIDDEN;
/* Resizes a live LARGE block to new_size (> FT_SMALL_MAX): its new address, or
 * NULL with errno ENOMEM and the block untouched. */
void *ft_large_resize(uint64_t addr, uint64_t new_size) FT_HIDDEN;

/* ---- misuse (report.c) ---- */
#define FT_OP_FREE 0
#define FT_OP_REALLOC 1
#define FT_OP_USABLE_SIZE 2
/* Reports the misuse (verdict FT_NOT_OURS, FT_INTERIOR or FT_DOUBLE_FREE) and
 * aborts, or returns when the error action is "continue". */
void ft_report_misuse(int op, int verdict, uint64_t addr) FT_HIDDEN FT_COLD;

/* ---- internal entry points behind the exported names ---- */
void *ftm_malloc(size_t size) FT_HIDDEN;
void ftm_free(void *ptr) FT_HIDDEN;
void *ftm_calloc(size_t count, size_t size) FT_HIDDEN;
void *ftm_realloc(void *ptr, size_t size) FT_HIDDEN;
void *ftm_reallocarray(void *ptr, size_t count, size_t size) FT_HIDDEN;
size_t ftm_malloc_usable_size(void *ptr) FT_HIDDEN;
int ftm_posix_memalign(void **memptr, size_t alignment, size_t size) FT_HIDDEN;
void *ftm_aligned_alloc(size_t alignment, size_t size) FT_HIDDEN;
void *ftm_memalign(size_t alignment, size_t size) FT_HIDDEN;
void *ftm_valloc(size_t size) FT_HIDDEN;
void *ftm_pvalloc(size_t size) FT_HIDDEN;
void ftm_show_alloc_mem(void) FT_HIDDEN;

#endif
