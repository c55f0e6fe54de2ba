#include "core/heap.h"

void ft_heap_init(struct ft_heap_core *h)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= FT_NCLASSES;
	    loop invariant \forall integer c; 0 <= c < i ==> h->head[c] == FT_NONE;
	    loop assigns i, h->head[0 .. FT_NCLASSES - 1],
	                 h->listed_count[0 .. FT_NCLASSES - 1];
	    loop variant FT_NCLASSES - i;
	 */
	for (i = 0; i < FT_NCLASSES; i++) {
		h->head[i] = FT_NONE;
		h->listed_count[i] = 0;
	}
	h->nzones = 0;
	/* zone_base, zone_kind, next, prev and listed start zeroed: the glue
	 * maps the heap from fresh anonymous memory. */
}

void ft_heap_list_push(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	uint32_t old = h->head[cls];

	if (h->listed[id])
		return;
	h->next[id] = old;
	h->prev[id] = FT_NONE;
	if (old != FT_NONE)
		h->prev[old] = id;
	h->head[cls] = id;
	h->listed[id] = 1;
	if (h->listed_count[cls] < FT_SLAB_IDS)
		h->listed_count[cls]++;
}

void ft_heap_list_unlink(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	uint32_t next = h->next[id];
	uint32_t prev = h->prev[id];

	if (!h->listed[id])
		return;
	if (prev != FT_NONE && prev < FT_SLAB_IDS)
		h->next[prev] = next;
	else
		h->head[cls] = next < FT_SLAB_IDS ? next : FT_NONE;
	if (next != FT_NONE && next < FT_SLAB_IDS)
		h->prev[next] = prev;
	h->listed[id] = 0;
	if (h->listed_count[cls] > 0)
		h->listed_count[cls]--;
}

uint32_t ft_heap_current(const struct ft_heap_core *h, uint32_t cls)
{
	return h->head[cls];
}

int ft_heap_should_retire(const struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	(void)id;
	return h->listed_count[cls] > 1 ? 1 : 0;
}

int32_t ft_heap_add_zone(struct ft_heap_core *h, uint64_t base, uint32_t kind)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= h->nzones;
	    loop assigns i;
	    loop variant h->nzones - i;
	 */
	for (i = 0; i < h->nzones; i++) {
		if (h->zone_base[i] == 0) {
			h->zone_base[i] = base;
			h->zone_kind[i] = kind;
			return (int32_t)i;
		}
	}
	if (h->nzones >= FT_HEAP_ZONES)
		return -1;
	i = h->nzones;
	h->zone_base[i] = base;
	h->zone_kind[i] = kind;
	h->nzones = i + 1;
	return (int32_t)i;
}

void ft_heap_remove_zone(struct ft_heap_core *h, uint32_t index)
{
	h->zone_base[index] = 0;
	/*@ loop invariant 0 <= h->nzones <= FT_HEAP_ZONES;
	    loop assigns h->nzones;
	    loop variant h->nzones;
	 */
	while (h->nzones > 0 && h->zone_base[h->nzones - 1] == 0)
		h->nzones--;
}
