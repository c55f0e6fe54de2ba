/* Process-wide state: lazy initialisation, thread ↔ heap binding, adoption of
 * the heaps of exited threads, and fork. */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include "api/internal.h"
#include "ft_malloc.h"

struct ft_state ft_g = {
	.lock = FT_LOCK_INIT,
};
__thread struct ft_heap *ft_tls_heap __attribute__((tls_model("initial-exec")));
__thread struct ft_slab *ft_tls_last_slab __attribute__((tls_model("initial-exec")));

static pthread_key_t ft_heap_key;
static int ft_heap_key_ready;

_Static_assert(sizeof(struct ft_zone_hdr) <= FT_ZONE_HDR_SIZE, "zone header");
_Static_assert(FT_ZONE_HDR_SIZE + FT_TINY_SLABS * sizeof(struct ft_slab) + FT_PAGE_SIZE
		       <= (FT_TINY_FIRST_SLAB << FT_TINY_SLAB_SHIFT),
	       "TINY zone metadata must fit before its first slab");
_Static_assert(FT_ZONE_HDR_SIZE + FT_SMALL_SLABS * sizeof(struct ft_slab) + FT_PAGE_SIZE
		       <= (FT_SMALL_FIRST_SLAB << FT_SMALL_SLAB_SHIFT),
	       "SMALL zone metadata must fit before its first slab");

static void ft_heap_thread_exit(void *value);

static int ft_env_flag(const char *name)
{
	const char *v = ft_os_getenv(name);

	return v != NULL && v[0] != '\0' && v[0] != '0';
}

static void ft_read_options(void)
{
	const char *on_error = ft_os_getenv("FT_MALLOC_ON_ERROR");

	if (on_error != NULL && strcmp(on_error, "continue") == 0)
		ft_g.on_error = FT_MALLOC_ON_ERROR_CONTINUE;
	ft_g.show_at_exit = ft_env_flag("FT_MALLOC_SHOW_ALLOC_MEM");
	ft_g.stats_at_exit = ft_env_flag("FT_MALLOC_STATS");
}

/* Called under ft_g.lock, or before any thread exists. */
static void ft_init_locked(void)
{
	if (ft_g.ready)
		return;
	ft_read_options();
	__atomic_store_n(&ft_g.ready, 1, __ATOMIC_RELEASE);
}

void ft_init(void)
{
	if (__atomic_load_n(&ft_g.ready, __ATOMIC_ACQUIRE))
		return;
	ft_lock(&ft_g.lock);
	ft_init_locked();
	ft_unlock(&ft_g.lock);
}

static struct ft_heap *ft_heap_new(void)
{
	struct ft_heap *h = ft_os_map(sizeof(struct ft_heap));

	if (h == NULL)
		return NULL;
	ft_heap_init(&h->core);
	h->remote_head = FT_NONE;
	h->state = FT_HEAP_OWNED;
	h->next_all = ft_g.heaps;
	ft_g.heaps = h;
	return h;
}

struct ft_heap *ft_heap_bind(void)
{
	struct ft_heap *h;

	ft_lock(&ft_g.lock);
	ft_init_locked();
	h = ft_g.abandoned;
	if (h != NULL) {
		ft_g.abandoned = h->next_abandoned;
		h->next_abandoned = NULL;
		h->state = FT_HEAP_OWNED;
	} else {
		h = ft_heap_new();
	}
	ft_unlock(&ft_g.lock);
	if (h == NULL)
		return NULL;
	ft_tls_heap = h;
	if (ft_heap_key_ready)
		pthread_setspecific(ft_heap_key, h);
	return h;
}

/* A thread exits: its heap waits, with all its blocks, for the next thread
 * that needs one. Frees from other threads keep arriving on its remote list. */
static void ft_heap_thread_exit(void *value)
{
	struct ft_heap *h = value;

	if (h == NULL || ft_tls_heap != h)
		return;
	ft_tls_heap = NULL;
	ft_tls_last_slab = NULL;	/* the next owner may retire it */
	ft_lock(&ft_g.lock);
	h->state = FT_HEAP_ABANDONED;
	h->next_abandoned = ft_g.abandoned;
	ft_g.abandoned = h;
	ft_unlock(&ft_g.lock);
}

/* ---- fork: the lock is held across fork, so the child sees a consistent
 * registry, heap list and LARGE table. In the child only the forking thread
 * exists: heaps owned by other threads may have been in the middle of an
 * update, so they are never used again there (their blocks stay valid and can
 * be freed; that memory is simply not reused in the child). */
static void ft_fork_prepare(void)
{
	ft_lock(&ft_g.lock);
}

static void ft_fork_parent(void)
{
	ft_unlock(&ft_g.lock);
}

static void ft_fork_child(void)
{
	struct ft_heap *h;

	ft_lock_reset(&ft_g.lock);
	for (h = ft_g.heaps; h != NULL; h = h->next_all) {
		if (h != ft_tls_heap && h->state == FT_HEAP_OWNED)
			h->state = FT_HEAP_DEAD;
	}
}

__attribute__((constructor)) static void ft_constructor(void)
{
	ft_init();
	if (pthread_key_create(&ft_heap_key, ft_heap_thread_exit) == 0) {
		ft_heap_key_ready = 1;
		if (ft_tls_heap != NULL)
			pthread_setspecific(ft_heap_key, ft_tls_heap);
	}
	pthread_atfork(ft_fork_prepare, ft_fork_parent, ft_fork_child);
}

void ftm_malloc_stats(void) FT_HIDDEN;

__attribute__((destructor)) static void ft_destructor(void)
{
	if (ft_g.show_at_exit)
		ftm_show_alloc_mem();
	if (ft_g.stats_at_exit)
		ftm_malloc_stats();
}
