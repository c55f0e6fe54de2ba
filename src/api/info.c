/* mallopt, malloc_trim, mallinfo, mallinfo2, malloc_stats, malloc_info:
 * glibc's introspection calls, answered truthfully from our own state. */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <unistd.h>
#include "api/internal.h"

struct ft_usage {
	uint64_t zone_bytes;	/* mapped for TINY and SMALL zones */
	uint64_t slot_bytes;	/* handed out in slots (slot sizes) */
	uint64_t large_bytes;	/* mapped for LARGE blocks */
	uint64_t large_count;
	uint64_t zones;
};

static void ft_usage_of_heap(struct ft_heap *h, struct ft_usage *u)
{
	uint32_t i;
	uint32_t j;

	for (i = 0; i < h->core.nzones; i++) {
		struct ft_zone_hdr *z = ft_heap_zone(h, i);

		if (z == NULL)
			continue;
		u->zones++;
		u->zone_bytes += FT_ZONE_SIZE;
		for (j = z->core.first_slab; j < z->core.nslabs; j++) {
			struct ft_slab *s = ft_zone_desc(z, j);

			if (z->core.used & (1ull << j))
				u->slot_bytes += (uint64_t)s->nlive * s->slot_size;
		}
	}
}

static void ft_usage(struct ft_usage *u)
{
	struct ft_heap *h;
	uint64_t i;

	*u = (struct ft_usage){0};
	ft_lock(&ft_g.lock);
	for (h = ft_g.heaps; h != NULL; h = h->next_all)
		ft_usage_of_heap(h, u);
	for (i = 0; i < ft_g.large.cap; i++) {
		if (ft_g.large.e[i].addr > FT_LARGE_TOMB) {
			u->large_bytes += ft_g.large.e[i].map_len;
			u->large_count++;
		}
	}
	ft_unlock(&ft_g.lock);
}

int ftm_mallopt(int param, int value) FT_HIDDEN;
int ftm_mallopt(int param, int value)
{
	(void)value;
	switch (param) {
	case M_MXFAST:
	case M_TRIM_THRESHOLD:
	case M_TOP_PAD:
	case M_MMAP_THRESHOLD:
	case M_MMAP_MAX:
	case M_CHECK_ACTION:
	case M_PERTURB:
	case M_ARENA_TEST:
	case M_ARENA_MAX:
		return 1;	/* accepted; our layout does not depend on them */
	default:
		return 0;
	}
}
FT_ALIAS(mallopt, ftm_mallopt)

int ftm_malloc_trim(size_t pad) FT_HIDDEN;
int ftm_malloc_trim(size_t pad)
{
	struct ft_heap *h = ft_tls_heap;

	int released = ft_large_trim();

	(void)pad;
	if (h != NULL && ft_small_trim(h))
		released = 1;
	return released;
}
FT_ALIAS(malloc_trim, ftm_malloc_trim)

struct mallinfo2 ftm_mallinfo2(void) FT_HIDDEN;
struct mallinfo2 ftm_mallinfo2(void)
{
	struct mallinfo2 mi = {0};
	struct ft_usage u;

	ft_usage(&u);
	mi.arena = u.zone_bytes;
	mi.ordblks = u.zones;
	mi.hblks = u.large_count;
	mi.hblkhd = u.large_bytes;
	mi.uordblks = u.slot_bytes + u.large_bytes;
	mi.fordblks = u.zone_bytes - u.slot_bytes;
	return mi;
}
FT_ALIAS(mallinfo2, ftm_mallinfo2)

struct mallinfo ftm_mallinfo(void) FT_HIDDEN;
struct mallinfo ftm_mallinfo(void)
{
	struct mallinfo2 m2 = ftm_mallinfo2();
	struct mallinfo mi = {0};

	mi.arena = (int)m2.arena;
	mi.ordblks = (int)m2.ordblks;
	mi.hblks = (int)m2.hblks;
	mi.hblkhd = (int)m2.hblkhd;
	mi.uordblks = (int)m2.uordblks;
	mi.fordblks = (int)m2.fordblks;
	return mi;
}
FT_ALIAS(mallinfo, ftm_mallinfo)
FT_ALIAS(__libc_mallinfo, ftm_mallinfo)

static void ft_out_field(struct ft_out *o, const char *name, uint64_t v)
{
	ft_out_str(o, name);
	ft_out_dec(o, v);
	ft_out_str(o, "\n");
}

void ftm_malloc_stats(void) FT_HIDDEN;
void ftm_malloc_stats(void)
{
	struct ft_usage u;
	struct ft_out o;

	ft_usage(&u);
	ft_out_init(&o, 2);
	ft_out_str(&o, "ft_malloc statistics (pid ");
	ft_out_dec(&o, (uint64_t)getpid());
	ft_out_str(&o, ")\n");
	ft_out_field(&o, "zones (TINY and SMALL) = ", u.zones);
	ft_out_field(&o, "zone bytes             = ", u.zone_bytes);
	ft_out_field(&o, "in use in zones        = ", u.slot_bytes);
	ft_out_field(&o, "LARGE blocks           = ", u.large_count);
	ft_out_field(&o, "LARGE bytes mapped     = ", u.large_bytes);
	ft_out_field(&o, "misuses reported       = ",
		     __atomic_load_n(&ft_g.errors, __ATOMIC_RELAXED));
	ft_out_flush(&o);
}
FT_ALIAS(malloc_stats, ftm_malloc_stats)

/* Written with write(2) on the stream's descriptor, after flushing what the
 * stream holds, so that nothing here allocates. */
int ftm_malloc_info(int options, FILE *stream) FT_HIDDEN;
int ftm_malloc_info(int options, FILE *stream)
{
	struct ft_usage u;
	struct ft_out o;

	if (options != 0) {
		errno = EINVAL;
		return -1;
	}
	ft_usage(&u);
	fflush(stream);
	ft_out_init(&o, fileno(stream));
	ft_out_str(&o, "<malloc version=\"ft_malloc-1\">\n");
	ft_out_str(&o, "<total type=\"zones\" count=\"");
	ft_out_dec(&o, u.zones);
	ft_out_str(&o, "\" size=\"");
	ft_out_dec(&o, u.zone_bytes);
	ft_out_str(&o, "\"/>\n<total type=\"mmap\" count=\"");
	ft_out_dec(&o, u.large_count);
	ft_out_str(&o, "\" size=\"");
	ft_out_dec(&o, u.large_bytes);
	ft_out_str(&o, "\"/>\n<system type=\"current\" size=\"");
	ft_out_dec(&o, u.zone_bytes + u.large_bytes);
	ft_out_str(&o, "\"/>\n</malloc>\n");
	ft_out_flush(&o);
	return 0;
}
FT_ALIAS(malloc_info, ftm_malloc_info)
