/* LARGE blocks: one mapping each, followed by a guard page, recorded in the
 * core's LARGE registry under the global lock. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "api/internal.h"

#define FT_LARGE_FIRST_CAP 256u
#define FT_HUGE_PAGE_SIZE (2ull << 20)
#define FT_LARGE_HUGE_MIN (4ull << 20)	/* blocks from this size get huge pages */

/* Called with the lock held. */
static int ft_large_grow_locked(void)
{
	struct ft_large_table next;
	uint64_t cap = ft_g.large.cap;

	/* Tombstones fill a table as much as live entries do; the rehash drops
	 * them, so the capacity doubles only when live entries need it. */
	if (cap == 0)
		cap = FT_LARGE_FIRST_CAP;
	else if ((ft_g.large.used + 1) * 2 > cap)
		cap *= 2;

	next.cap = cap;
	next.used = 0;
	next.tombs = 0;
	next.e = ft_os_map(cap * sizeof(struct ft_large_entry));
	if (next.e == NULL)
		return -1;
	if (ft_g.large.cap != 0) {
		if (ft_large_rehash(&next, &ft_g.large) != 0) {
			ft_os_unmap(next.e, cap * sizeof(struct ft_large_entry));
			return -1;
		}
		ft_os_unmap(ft_g.large.e, ft_g.large.cap * sizeof(struct ft_large_entry));
	}
	ft_g.large = next;
	return 0;
}

static int ft_large_make_room_locked(void)
{
	if (ft_g.large.cap == 0 || ft_large_needs_growth(&ft_g.large))
		return ft_large_grow_locked();
	return 0;
}

/* Records a new LARGE block; on failure the mapping goes back to the OS. */
static void *ft_large_record(char *p, uint64_t len, uint64_t size)
{
	int ok;

	ft_lock(&ft_g.lock);
	ok = ft_large_make_room_locked() == 0 &&
	     ft_large_insert(&ft_g.large, (uint64_t)(uintptr_t)p, len, size) == 0;
	ft_unlock(&ft_g.lock);
	if (!ok) {
		ft_os_unmap(p, len);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

/* Resizes the mapping [p, p + old_len), whose last page is its guard page,
 * to new_len bytes with its pages (mremap moves them, never copies or faults
 * them): the guard page is made ordinary memory first, so that the mapping
 * moves in one piece, and is put back if the move fails (NULL then). The
 * caller guards the new end. */
static char *ft_large_remap(char *p, uint64_t old_len, uint64_t new_len)
{
	char *q;

	ft_os_unguard(p + old_len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	q = ft_os_remap(p, old_len, new_len);
	if (q == NULL)
		ft_os_guard(p + old_len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	return q;
}

/* The cached mapping [addr, addr + old_len), taken out of the cache, grown
 * to len bytes, its guard page at the new end. NULL if it cannot grow: it is
 * unmapped then, and nothing else is lost. */
static char *ft_large_regrow(uint64_t addr, uint64_t old_len, uint64_t len)
{
	char *old = (char *)(uintptr_t)addr;
	char *p = ft_large_remap(old, old_len, len);

	if (p == NULL) {
		ft_os_unmap(old, old_len);
		return NULL;
	}
	if (len >= FT_LARGE_HUGE_MIN)
		ft_os_hugepages(p, len);
	ft_os_guard(p + len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	return p;
}

/* A mapping of at least len bytes from the cache, its guard page in place,
 * or NULL: a cached mapping that fits is reused whole; failing that, the
 * front of a longer one (its pages are already there, a fresh mapping's are
 * not); failing that, the longest one grown to len, when no alignment is
 * asked for (mremap chooses where it goes). *got_len is the mapping's
 * length. */
static char *ft_large_from_cache(uint64_t len, uint64_t align, uint64_t *got_len)
{
	uint64_t cached = 0;
	uint64_t cached_len = 0;
	uint64_t want_align = align > FT_PAGE_SIZE ? align : 1;
	int reuse;
	int carved = 0;
	int grown = 0;

	ft_lock(&ft_g.lock);
	reuse = ft_large_cache_take(&ft_g.large_cache, len, want_align, &cached, got_len) == 0;
	if (!reuse && ft_large_cache_carve(&ft_g.large_cache, len, want_align, &cached) == 0) {
		reuse = carved = 1;
		*got_len = len;
	}
	if (!reuse && want_align == 1 &&
	    ft_large_cache_take_longest(&ft_g.large_cache, &cached, &cached_len) == 0) {
		reuse = grown = 1;
		*got_len = len;
	}
	ft_unlock(&ft_g.lock);
	if (!reuse)
		return NULL;
	if (grown)
		return ft_large_regrow(cached, cached_len, len);
	if (carved)
		ft_os_guard((char *)(uintptr_t)cached + len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	return (char *)(uintptr_t)cached;
}

void *ft_large_alloc(uint64_t size, uint64_t align, int zero)
{
	uint64_t len = ft_large_map_len(size);
	uint64_t cached_len = 0;
	char *p;

	if (len == 0) {
		errno = ENOMEM;
		return NULL;
	}
	ft_init();
	p = ft_large_from_cache(len, align, &cached_len);
	if (p != NULL) {
		if (zero)
			memset(p, 0, size);
		return ft_large_record(p, cached_len, size);
	}
	/* A big block starts on a huge-page boundary and asks for huge pages:
	 * a fault then brings in 2 MiB instead of 4 KiB. */
	if (len >= FT_LARGE_HUGE_MIN && align < FT_HUGE_PAGE_SIZE)
		align = FT_HUGE_PAGE_SIZE;
	p = align > FT_PAGE_SIZE ? ft_os_map_aligned(len, align) : ft_os_map(len);
	if (p != NULL && len >= FT_LARGE_HUGE_MIN)
		ft_os_hugepages(p, len);
	if (p == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	ft_os_guard(p + len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	return ft_large_record(p, len, size);
}

/* Keeps the freed mapping [addr, addr + len) in the cache, displacing shorter
 * ones if need be (their ranges go to out_addr/out_len, n of them, for the
 * caller to unmap once the lock is released). 1 when it was kept. Called with
 * the lock held. */
static int ft_large_keep_locked(uint64_t addr, uint64_t len, uint64_t *out_addr,
				uint64_t *out_len, int *n)
{
	*n = 0;
	while (ft_large_cache_put(&ft_g.large_cache, addr, len) != 0) {
		/* Each round takes one mapping out: at most one per slot. */
		if (*n == FT_LARGE_CACHE_SLOTS ||
		    ft_large_cache_evict(&ft_g.large_cache, len, &out_addr[*n], &out_len[*n]) != 0)
			return 0;
		(*n)++;
	}
	return 1;
}

int ft_large_free(uint64_t addr)
{
	uint64_t gone_addr[FT_LARGE_CACHE_SLOTS];
	uint64_t gone_len[FT_LARGE_CACHE_SLOTS];
	uint64_t len = 0;
	int ngone = 0;
	int r = -1;
	int kept = 0;
	int i;

	ft_lock(&ft_g.lock);
	if (ft_g.large.cap != 0)
		r = ft_large_remove(&ft_g.large, addr, &len);
	if (r == 0)
		kept = ft_large_keep_locked(addr, len, gone_addr, gone_len, &ngone);
	ft_unlock(&ft_g.lock);
	for (i = 0; i < ngone; i++)
		ft_os_unmap((void *)(uintptr_t)gone_addr[i], gone_len[i]);
	if (r == 0 && !kept)
		ft_os_unmap((void *)(uintptr_t)addr, len);
	return r;
}

int ft_large_trim(void)
{
	uint64_t addr;
	uint64_t len;
	int any = 0;

	for (;;) {
		int got;

		ft_lock(&ft_g.lock);
		got = ft_large_cache_take_longest(&ft_g.large_cache, &addr, &len) == 0;
		ft_unlock(&ft_g.lock);
		if (!got)
			return any;
		ft_os_unmap((void *)(uintptr_t)addr, len);
		any = 1;
	}
}

int ft_large_sizes(uint64_t addr, uint64_t *req, uint64_t *usable)
{
	int64_t i = -1;

	ft_lock(&ft_g.lock);
	if (ft_g.large.cap != 0)
		i = ft_large_find(&ft_g.large, addr);
	if (i >= 0) {
		*req = ft_g.large.e[i].req;
		*usable = ft_g.large.e[i].map_len - FT_PAGE_SIZE;
	}
	ft_unlock(&ft_g.lock);
	return i >= 0 ? 0 : -1;
}

/* Records that the block at addr now maps len bytes for req. */
static void ft_large_update(uint64_t addr, uint64_t len, uint64_t req)
{
	int64_t i;

	ft_lock(&ft_g.lock);
	i = ft_large_find(&ft_g.large, addr);
	if (i >= 0) {
		ft_g.large.e[i].map_len = len;
		ft_g.large.e[i].req = req;
	}
	ft_unlock(&ft_g.lock);
}

/* Grows the block at p (mapping old_len bytes) to new_len bytes. The lock is
 * held from before mremap until the entry is moved: once the pages have
 * moved, another thread's mmap may get the old range at once, and its record
 * must find the old key gone. Room for the new key is made first, so the
 * move itself cannot fail and a failure leaves the block and its entry as
 * they were. Nothing of the old range is touched after the move. */
static void *ft_large_grow(char *p, uint64_t old_len, uint64_t new_len, uint64_t new_size)
{
	uint64_t addr = (uint64_t)(uintptr_t)p;
	char *q = NULL;
	int moved = 0;

	ft_lock(&ft_g.lock);
	if (ft_large_find(&ft_g.large, addr) >= 0 && ft_large_make_room_locked() == 0) {
		q = ft_large_remap(p, old_len, new_len);
		if (q != NULL)
			moved = ft_large_move(&ft_g.large, addr, (uint64_t)(uintptr_t)q,
					      new_len, new_size) == 0;
	}
	ft_unlock(&ft_g.lock);
	if (q == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	/* The room was made under the same hold of the lock, and the new range
	 * was nobody's: the core proves the move succeeds then. */
	if (!moved)
		abort();
	ft_os_guard(q + new_len - FT_PAGE_SIZE, FT_PAGE_SIZE);
	return q;
}

void *ft_large_resize(uint64_t addr, uint64_t new_size)
{
	uint64_t new_len = ft_large_map_len(new_size);
	uint64_t old_len = 0;
	int64_t i;
	char *p = (char *)(uintptr_t)addr;

	if (new_len == 0) {
		errno = ENOMEM;
		return NULL;
	}
	ft_lock(&ft_g.lock);
	i = ft_large_find(&ft_g.large, addr);
	if (i >= 0)
		old_len = ft_g.large.e[i].map_len;
	ft_unlock(&ft_g.lock);
	if (i < 0) {
		errno = ENOMEM;
		return NULL;
	}
	/* A small block moves into a cached mapping (ft_policy_grows_by_copy);
	 * a bigger one, or one the cache has no room for, is remapped. */
	if (new_len > old_len && ft_policy_grows_by_copy(old_len)) {
		uint64_t got_len = 0;
		char *q = ft_large_from_cache(new_len, 1, &got_len);

		if (q != NULL) {
			/* All of the old usable size, as malloc_usable_size told. */
			memcpy(q, p, old_len - FT_PAGE_SIZE);
			if (ft_large_record(q, got_len, new_size) == NULL)
				return NULL;
			ft_large_free(addr);
			return q;
		}
	}
	if (new_len > old_len)
		return ft_large_grow(p, old_len, new_len, new_size);
	/* Shrink in place: record the new length first, then a new guard page
	 * and the tail back to the OS. */
	ft_large_update(addr, new_len, new_size);
	if (new_len < old_len) {
		ft_os_guard(p + new_len - FT_PAGE_SIZE, FT_PAGE_SIZE);
		ft_os_unmap(p + new_len, old_len - new_len);
	}
	return p;
}
