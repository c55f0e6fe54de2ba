/* show_alloc_mem(): every live block, zone by zone, by increasing address. */
#include "api/internal.h"

struct ft_show_item {
	uint64_t addr;
	uint64_t req;		/* LARGE: bytes requested; zones: unused */
	uint32_t is_large;
};

static void ft_sift(struct ft_show_item *a, uint64_t root, uint64_t n)
{
	for (;;) {
		uint64_t child = 2 * root + 1;
		struct ft_show_item tmp;

		if (child >= n)
			return;
		if (child + 1 < n && a[child + 1].addr > a[child].addr)
			child++;
		if (a[root].addr >= a[child].addr)
			return;
		tmp = a[root];
		a[root] = a[child];
		a[child] = tmp;
		root = child;
	}
}

static void ft_sort(struct ft_show_item *a, uint64_t n)
{
	uint64_t i;

	for (i = n / 2; i-- > 0;)
		ft_sift(a, i, n);
	for (i = n; i-- > 1;) {
		struct ft_show_item tmp = a[0];

		a[0] = a[i];
		a[i] = tmp;
		ft_sift(a, 0, i);
	}
}

static void ft_show_block(struct ft_out *o, uint64_t start, uint64_t size)
{
	ft_out_hex(o, start, 1);
	ft_out_str(o, " - ");
	ft_out_hex(o, start + size, 1);
	ft_out_str(o, " : ");
	ft_out_dec(o, size);
	ft_out_str(o, " bytes\n");
}

static uint64_t ft_show_zone(struct ft_out *o, struct ft_zone_hdr *z)
{
	uint64_t total = 0;
	uint32_t i;
	uint32_t slot;

	ft_out_str(o, z->core.kind == FT_KIND_TINY ? "TINY : " : "SMALL : ");
	ft_out_hex(o, z->core.base, 1);
	ft_out_str(o, "\n");
	for (i = z->core.first_slab; i < z->core.nslabs; i++) {
		struct ft_slab *s = ft_zone_desc(z, i);

		if ((z->core.used & (1ull << i)) == 0)
			continue;
		for (slot = 0; slot < s->nslots; slot++) {
			uint64_t mask = 1ull << (slot % 64);

			if ((s->words[slot / 64].live & mask) == 0 ||
			    (__atomic_load_n(&s->words[slot / 64].remote, __ATOMIC_RELAXED) & mask))
				continue;
			ft_show_block(o, ft_slab_slot_addr(s, slot), s->req[slot]);
			total += s->req[slot];
		}
	}
	return total;
}

/* The zone or LARGE block with the lowest address above after: 1, or 0 when
 * there is none. Without memory for a sorted list, show_alloc_mem walks the
 * tables with this instead: slower, but it still lists everything. */
static int ft_show_next(uint64_t after, struct ft_show_item *next)
{
	uint64_t i;
	int found = 0;

	for (i = 0; i < FT_REGISTRY_CAP; i++) {
		uint64_t a = ft_g.registry.keys[i];

		if (a > FT_REGISTRY_TOMB && a > after && (!found || a < next->addr)) {
			*next = (struct ft_show_item){ a, 0, 0 };
			found = 1;
		}
	}
	for (i = 0; i < ft_g.large.cap; i++) {
		uint64_t a = ft_g.large.e[i].addr;

		if (a > FT_LARGE_TOMB && a > after && (!found || a < next->addr)) {
			*next = (struct ft_show_item){ a, ft_g.large.e[i].req, 1 };
			found = 1;
		}
	}
	return found;
}

static uint64_t ft_show_item(struct ft_out *o, const struct ft_show_item *item)
{
	if (!item->is_large)
		return ft_show_zone(o, (struct ft_zone_hdr *)(uintptr_t)item->addr);
	ft_out_str(o, "LARGE : ");
	ft_out_hex(o, item->addr, 1);
	ft_out_str(o, "\n");
	ft_show_block(o, item->addr, item->req);
	return item->req;
}

void ftm_show_alloc_mem(void)
{
	struct ft_out o;
	struct ft_show_item *items;
	struct ft_show_item item;
	uint64_t n = 0;
	uint64_t cap;
	uint64_t bytes;
	uint64_t total = 0;
	uint64_t i;

	ft_init();
	ft_out_init(&o, 1);
	ft_lock(&ft_g.lock);
	cap = ft_g.registry.count + ft_g.large.used + 1;
	bytes = cap * sizeof(*items);
	items = ft_os_map(bytes);
	if (items != NULL) {
		for (i = 0; i < FT_REGISTRY_CAP && n < cap; i++) {
			if (ft_g.registry.keys[i] > FT_REGISTRY_TOMB)
				items[n++] = (struct ft_show_item){ ft_g.registry.keys[i], 0, 0 };
		}
		for (i = 0; i < ft_g.large.cap && n < cap; i++) {
			if (ft_g.large.e[i].addr > FT_LARGE_TOMB)
				items[n++] = (struct ft_show_item){ ft_g.large.e[i].addr,
								    ft_g.large.e[i].req, 1 };
		}
		ft_sort(items, n);
		for (i = 0; i < n; i++)
			total += ft_show_item(&o, &items[i]);
		ft_os_unmap(items, bytes);
	} else {
		for (item.addr = 0; ft_show_next(item.addr, &item);)
			total += ft_show_item(&o, &item);
	}
	ft_unlock(&ft_g.lock);
	ft_out_str(&o, "Total : ");
	ft_out_dec(&o, total);
	ft_out_str(&o, " bytes\n");
	ft_out_flush(&o);
}
FT_ALIAS(show_alloc_mem, ftm_show_alloc_mem)
