#include "core/heap.h"

void ft_heap_init(struct ft_heap_core *h)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= FT_NCLASSES;
	    loop invariant \forall integer c; 0 <= c < i ==>
	      h->head[c] == FT_NONE && h->listed_count[c] == 0;
	    loop assigns i, h->head[0 .. FT_NCLASSES - 1],
	                 h->listed_count[0 .. FT_NCLASSES - 1];
	    loop variant FT_NCLASSES - i;
	 */
	for (i = 0; i < FT_NCLASSES; i++) {
		h->head[i] = FT_NONE;
		h->listed_count[i] = 0;
	}
	h->nzones = 0;
	/* zone_base, zone_kind, next, prev, listed and cls_of start zeroed: the
	 * glue maps the heap from fresh anonymous memory. No slab is listed. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= FT_SLAB_IDS;
	     loop invariant \forall integer c; 0 <= c < FT_NCLASSES ==>
	       ft_heap_nlisted(h, c, k) == 0;
	     loop assigns k;
	     loop variant FT_SLAB_IDS - k; @/
	  for (k = 0; k < FT_SLAB_IDS; k++)
	    ;
	 */
}

/* Marks slab id, on no list, as listed with class cls and counts it. Only
 * the flags and the count: the links are the caller's. */
/*@ requires \valid(h) && ft_heap_counted(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires h->listed[id] == 0;
    requires \forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] <= 1;
    assigns h->listed[id], h->cls_of[id], h->listed_count[cls];
    ensures ft_heap_counted(h);
    ensures h->listed[id] == 1 && h->cls_of[id] == cls;
    ensures h->listed_count[cls] == \old(h->listed_count[cls]) + 1;
 */
static void ft_heap_mark_listed(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	h->listed[id] = 1;
	h->cls_of[id] = (uint8_t)cls;
	h->listed_count[cls]++;
	/* The count of cls grew by one, the others did not change. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= FT_SLAB_IDS;
	     loop invariant \forall integer c; 0 <= c < FT_NCLASSES ==>
	       ft_heap_nlisted(h, c, k) ==
	       ft_heap_nlisted{Pre}(h, c, k) + (c == cls && k > id ? 1 : 0);
	     loop invariant 0 <= ft_heap_nlisted{Pre}(h, cls, k) <= k - (k > id ? 1 : 0);
	     loop assigns k;
	     loop variant FT_SLAB_IDS - k; @/
	  for (k = 0; k < FT_SLAB_IDS; k++)
	    ;
	 */
}

/* Starts the empty list of class cls with slab id, which is on no list. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires h->listed[id] == 0 && h->head[cls] == FT_NONE;
    assigns h->head[cls], h->next[id], h->prev[id], h->listed[id], h->cls_of[id],
            h->listed_count[cls];
    ensures ft_heap_inv(h);
    ensures ft_heap_on_list(h, cls, id) && h->head[cls] == id;
    ensures h->listed_count[cls] == \old(h->listed_count[cls]) + 1;
 */
static FT_RARE void ft_heap_list_start(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	/* Proof steps: the facts the writes rely on, then the invariant again,
	 * piece by piece. */
	/*@ assert st_pre_lists: ft_heap_lists(h); */
	/*@ assert st_pre_heads: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == FT_NONE ||
	      (h->head[c] != id && ft_heap_on_list(h, c, h->head[c]) &&
	       h->prev[h->head[c]] == FT_NONE); */
	/*@ assert st_pre_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->cls_of[x] < FT_NCLASSES; */
	/*@ assert st_pre_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (h->next[x] != id && ft_heap_on_list(h, h->cls_of[x], h->next[x]) &&
	       h->prev[h->next[x]] == x); */
	/*@ assert st_pre_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (h->prev[x] != id && ft_heap_on_list(h, h->cls_of[x], h->prev[x]) &&
	       h->next[h->prev[x]] == x); */
	/*@ assert st_pre_first: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE ==>
	      h->cls_of[x] != cls && h->head[h->cls_of[x]] == x; */
	h->next[id] = FT_NONE;
	h->prev[id] = FT_NONE;
	h->head[cls] = id;
	ft_heap_mark_listed(h, cls, id);
	/*@ assert st_same_flags: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
	      h->listed[x] == \at(h->listed[x], Pre) && h->cls_of[x] == \at(h->cls_of[x], Pre); */
	/*@ assert st_same_links: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
	      h->next[x] == \at(h->next[x], Pre) && h->prev[x] == \at(h->prev[x], Pre); */
	/*@ assert st_same_heads: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == \at(h->head[c], Pre); */
	/*@ assert st_counts: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->listed_count[c] == \at(h->listed_count[c], Pre); */
	/*@ assert st_count_cls: h->listed_count[cls] == \at(h->listed_count[cls], Pre) + 1; */
	/*@ assert st_counted: ft_heap_counted(h); */
	/*@ assert st_heads_other: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == FT_NONE || (h->head[c] < FT_SLAB_IDS && h->listed[h->head[c]] != 0 &&
	      h->cls_of[h->head[c]] == c && h->prev[h->head[c]] == FT_NONE); */
	/*@ assert st_id_fields: h->listed[id] == 1 && h->cls_of[id] == cls &&
	      h->next[id] == FT_NONE && h->prev[id] == FT_NONE && h->head[cls] == id; */
	/*@ assert st_id: ft_heap_links_ok(h, id); */
	/*@ assert st_head_cls: ft_heap_head_ok(h, cls); */
	/*@ assert st_heads: \forall integer c; 0 <= c < FT_NCLASSES ==> ft_heap_head_ok(h, c); */
	/*@ assert st_others_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->cls_of[x] < FT_NCLASSES; */
	/*@ assert st_others_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x); */
	/*@ assert st_others_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x); */
	/*@ assert st_others_first: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE ==> h->head[h->cls_of[x]] == x; */
	/*@ assert st_others: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> ft_heap_links_ok(h, x); */
	/*@ assert st_links: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      ft_heap_links_ok(h, x); */
	/*@ assert st_flags: \forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] <= 1; */
	/*@ assert st_lists: ft_heap_lists(h); */
}

/* Links slab id, which is on no list, right after the head of the list of
 * class cls, which is not empty: the head stays where allocations go. */
/*@ requires ft_heap_inv(h);
    requires cls < FT_NCLASSES && id < FT_SLAB_IDS;
    requires h->listed[id] == 0 && h->head[cls] != FT_NONE;
    assigns h->next[0 .. FT_SLAB_IDS - 1], h->prev[0 .. FT_SLAB_IDS - 1], h->listed[id],
            h->cls_of[id], h->listed_count[cls];
    ensures ft_heap_inv(h);
    ensures ft_heap_on_list(h, cls, id) && h->head[cls] == \old(h->head[cls]);
    ensures h->listed_count[cls] == \old(h->listed_count[cls]) + 1;
 */
static FT_RARE void ft_heap_list_insert_second(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	uint32_t first = h->head[cls];
	uint32_t after;

	/*@ assert ins_pre_lists: ft_heap_lists(h); */
	/*@ assert ins_pre_head_ok: ft_heap_head_ok(h, cls); */
	/*@ assert ins_pre_first: first < FT_SLAB_IDS && first != id && h->listed[first] != 0 &&
	      h->cls_of[first] == cls && h->prev[first] == FT_NONE; */
	/*@ assert ins_pre_first_links: ft_heap_links_ok(h, first); */
	after = h->next[first];
	/*@ assert ins_pre_after: after == FT_NONE || (after < FT_SLAB_IDS && after != id &&
	      after != first && h->listed[after] != 0 && h->cls_of[after] == cls &&
	      h->prev[after] == first); */
	/*@ assert ins_pre_after_links: after != FT_NONE ==> ft_heap_links_ok(h, after); */
	/*@ assert ins_pre_heads: \forall integer c; 0 <= c < FT_NCLASSES ==>
	      h->head[c] == FT_NONE ||
	      (h->head[c] != id && h->head[c] != after &&
	       ft_heap_on_list(h, c, h->head[c]) && h->prev[h->head[c]] == FT_NONE); */
	/*@ assert ins_pre_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->cls_of[x] < FT_NCLASSES; */
	/*@ assert ins_pre_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != first &&
	      x != after && h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (h->next[x] != id && h->next[x] != first && h->next[x] != after &&
	       ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x); */
	/*@ assert ins_pre_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != first &&
	      x != after && h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (h->prev[x] != id && h->prev[x] != first &&
	       ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x); */
	/*@ assert ins_pre_at_head: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE ==> h->head[h->cls_of[x]] == x; */
	h->next[id] = after;
	h->prev[id] = first;
	if (after != FT_NONE)
		h->prev[after] = id;
	h->next[first] = id;
	ft_heap_mark_listed(h, cls, id);
	/*@ assert ins_same_flags: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
	      h->listed[x] == \at(h->listed[x], Pre) && h->cls_of[x] == \at(h->cls_of[x], Pre); */
	/*@ assert ins_same_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != first ==>
	      h->next[x] == \at(h->next[x], Pre); */
	/*@ assert ins_same_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != after ==>
	      h->prev[x] == \at(h->prev[x], Pre); */
	/*@ assert ins_same_heads: \forall integer c; 0 <= c < FT_NCLASSES ==>
	      h->head[c] == \at(h->head[c], Pre); */
	/*@ assert ins_counts: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->listed_count[c] == \at(h->listed_count[c], Pre); */
	/*@ assert ins_count_cls: h->listed_count[cls] == \at(h->listed_count[cls], Pre) + 1; */
	/*@ assert ins_counted: ft_heap_counted(h); */
	/*@ assert ins_id_fields: h->listed[id] == 1 && h->cls_of[id] == cls &&
	      h->next[id] == after && h->prev[id] == first; */
	/*@ assert ins_first_fields: h->listed[first] != 0 && h->cls_of[first] == cls &&
	      h->next[first] == id && h->prev[first] == FT_NONE && h->head[cls] == first; */
	/*@ assert ins_after_fields: after != FT_NONE ==>
	      h->listed[after] != 0 && h->cls_of[after] == cls && h->prev[after] == id &&
	      h->next[after] == \at(h->next[\at(after, Here)], Pre); */
	/*@ assert ins_id: ft_heap_links_ok(h, id); */
	/*@ assert ins_first: ft_heap_links_ok(h, first); */
	/*@ assert ins_after_next: after != FT_NONE ==> h->next[after] == FT_NONE ||
	      (h->next[after] != id && h->next[after] != first && h->next[after] != after &&
	       ft_heap_on_list(h, cls, h->next[after]) && h->prev[h->next[after]] == after); */
	/*@ assert ins_after: after != FT_NONE ==> ft_heap_links_ok(h, after); */
	/*@ assert ins_others_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 ==> h->cls_of[x] < FT_NCLASSES; */
	/*@ assert ins_others_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      x != first && x != after && h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x); */
	/*@ assert ins_others_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      x != first && x != after && h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x); */
	/*@ assert ins_others_were_first: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      x != first && x != after && h->listed[x] != 0 && h->prev[x] == FT_NONE ==>
	      \at(h->listed[x], Pre) != 0 && \at(h->prev[x], Pre) == FT_NONE &&
	      h->cls_of[x] == \at(h->cls_of[x], Pre); */
	/*@ assert ins_others_first: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      x != first && x != after && h->listed[x] != 0 && h->prev[x] == FT_NONE ==>
	      h->head[h->cls_of[x]] == x; */
	/*@ assert ins_others: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != first &&
	      x != after && h->listed[x] != 0 ==> ft_heap_links_ok(h, x); */
	/*@ assert ins_links: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      ft_heap_links_ok(h, x); */
	/*@ assert ins_heads: \forall integer c; 0 <= c < FT_NCLASSES ==> ft_heap_head_ok(h, c); */
	/*@ assert ins_flags: \forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] <= 1; */
	/*@ assert ins_lists: ft_heap_lists(h); */
}

/* A slab that gets a free slot goes behind the head, not in front of it:
 * allocations keep filling the slab they were filling, whose descriptor is in
 * the cache, instead of jumping to whichever slab had a slot freed last. */
void ft_heap_list_push(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	if (h->listed[id])
		return;
	if (h->head[cls] == FT_NONE)
		ft_heap_list_start(h, cls, id);
	else
		ft_heap_list_insert_second(h, cls, id);
}

void ft_heap_list_unlink(struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	uint32_t nxt;
	uint32_t prv;

	if (!h->listed[id])
		return;
	nxt = h->next[id];
	prv = h->prev[id];
	/* Proof steps: the facts the writes rely on, then the invariant again,
	 * piece by piece. */
	/*@ assert unl_pre_lists: ft_heap_lists(h); */
	/*@ assert unl_pre_id: ft_heap_links_ok(h, id); */
	/*@ assert unl_pre_nxt: nxt == FT_NONE || (ft_heap_on_list(h, cls, nxt) && h->prev[nxt] == id); */
	/*@ assert unl_pre_prv: prv == FT_NONE || (ft_heap_on_list(h, cls, prv) && h->next[prv] == id); */
	/*@ assert unl_pre_first: prv == FT_NONE ==> h->head[cls] == id; */
	/*@ assert unl_pre_loop: prv == id <==> nxt == id; */
	/*@ assert unl_pre_head_ok: ft_heap_head_ok(h, cls); */
	/*@ assert unl_pre_head: prv != FT_NONE ==> h->head[cls] == FT_NONE ||
	      (h->head[cls] != id && h->head[cls] != nxt &&
	       ft_heap_on_list(h, cls, h->head[cls]) && h->prev[h->head[cls]] == FT_NONE); */
	/*@ assert unl_pre_heads: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == FT_NONE ||
	      (h->head[c] != id && h->head[c] != nxt &&
	       ft_heap_on_list(h, c, h->head[c]) && h->prev[h->head[c]] == FT_NONE); */
	/*@ assert unl_pre_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->cls_of[x] < FT_NCLASSES; */
	/*@ assert unl_pre_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != prv &&
	      h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (h->next[x] != id && h->next[x] != nxt &&
	       ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x); */
	/*@ assert unl_pre_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id && x != nxt &&
	      h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (h->prev[x] != id && h->prev[x] != prv &&
	       ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x); */
	/*@ assert unl_pre_firsts: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE ==>
	      h->head[h->cls_of[x]] == x && (h->cls_of[x] == cls ==> prv != FT_NONE); */
	if (prv != FT_NONE)
		h->next[prv] = nxt;
	else
		h->head[cls] = nxt;
	if (nxt != FT_NONE)
		h->prev[nxt] = prv;
	h->listed[id] = 0;
	h->listed_count[cls]--;
	/*@ assert unl_same_flags: \forall integer x; 0 <= x < FT_SLAB_IDS && x != id ==>
	      h->listed[x] == \at(h->listed[x], Pre) && h->cls_of[x] == \at(h->cls_of[x], Pre); */
	/*@ assert unl_same_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != prv ==>
	      h->next[x] == \at(h->next[x], Pre); */
	/*@ assert unl_same_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != nxt ==>
	      h->prev[x] == \at(h->prev[x], Pre); */
	/*@ assert unl_same_heads: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == \at(h->head[c], Pre); */
	/*@ assert unl_counts: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->listed_count[c] == \at(h->listed_count[c], Pre); */
	/* The count of cls fell by one, the others did not change. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= FT_SLAB_IDS;
	     loop invariant \forall integer c; 0 <= c < FT_NCLASSES ==>
	       ft_heap_nlisted(h, c, k) ==
	       ft_heap_nlisted{Pre}(h, c, k) - (c == cls && k > id ? 1 : 0);
	     loop invariant ft_heap_nlisted{Pre}(h, cls, k) >= (k > id ? 1 : 0);
	     loop assigns k;
	     loop variant FT_SLAB_IDS - k; @/
	  for (k = 0; k < FT_SLAB_IDS; k++)
	    ;
	 */
	/*@ assert unl_pre_count: \at(h->listed_count[cls], Pre) >= 1; */
	/*@ assert unl_count_cls: h->listed_count[cls] == \at(h->listed_count[cls], Pre) - 1; */
	/*@ assert unl_counted: ft_heap_counted(h); */
	/*@ assert unl_head_fields: prv == FT_NONE ==> h->head[cls] == nxt; */
	/*@ assert unl_head_same: prv != FT_NONE ==> h->head[cls] == \at(h->head[cls], Pre); */
	/*@ assert unl_heads_other: \forall integer c; 0 <= c < FT_NCLASSES && c != cls ==>
	      h->head[c] == FT_NONE || (h->head[c] < FT_SLAB_IDS && h->listed[h->head[c]] != 0 &&
	      h->cls_of[h->head[c]] == c && h->prev[h->head[c]] == FT_NONE); */
	/*@ assert unl_head_first: prv == FT_NONE ==> ft_heap_head_ok(h, cls); */
	/*@ assert unl_head_kept: prv != FT_NONE ==> ft_heap_head_ok(h, cls); */
	/*@ assert unl_head_cls: ft_heap_head_ok(h, cls); */
	/*@ assert unl_nxt_fields: nxt != FT_NONE && nxt != id ==>
	      h->prev[nxt] == prv && h->listed[nxt] != 0 && h->cls_of[nxt] == cls; */
	/*@ assert unl_prv_fields: prv != FT_NONE && prv != id ==>
	      h->next[prv] == nxt && h->listed[prv] != 0 && h->cls_of[prv] == cls; */
	/*@ assert unl_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->cls_of[x] < FT_NCLASSES; */
	/*@ assert unl_others_next: \forall integer x; 0 <= x < FT_SLAB_IDS && x != prv &&
	      h->listed[x] != 0 ==> h->next[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->next[x]) && h->prev[h->next[x]] == x); */
	/*@ assert unl_prv_next: prv != FT_NONE && h->listed[prv] != 0 ==> h->next[prv] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[prv], h->next[prv]) && h->prev[h->next[prv]] == prv); */
	/*@ assert unl_others_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && x != nxt &&
	      h->listed[x] != 0 ==> h->prev[x] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[x], h->prev[x]) && h->next[h->prev[x]] == x); */
	/*@ assert unl_nxt_prev: nxt != FT_NONE && h->listed[nxt] != 0 ==> h->prev[nxt] == FT_NONE ||
	      (ft_heap_on_list(h, h->cls_of[nxt], h->prev[nxt]) && h->next[h->prev[nxt]] == nxt); */
	/*@ assert unl_others_first_other: \forall integer x; 0 <= x < FT_SLAB_IDS && x != nxt &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE && h->cls_of[x] != cls ==>
	      h->head[h->cls_of[x]] == x; */
	/*@ assert unl_others_first_cls: \forall integer x; 0 <= x < FT_SLAB_IDS && x != nxt &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE && h->cls_of[x] == cls ==>
	      h->head[cls] == x; */
	/*@ assert unl_others_first: \forall integer x; 0 <= x < FT_SLAB_IDS && x != nxt &&
	      h->listed[x] != 0 && h->prev[x] == FT_NONE ==> h->head[h->cls_of[x]] == x; */
	/*@ assert unl_nxt_first: nxt != FT_NONE && h->listed[nxt] != 0 && h->prev[nxt] == FT_NONE ==>
	      h->head[h->cls_of[nxt]] == nxt; */
	/*@ assert unl_links: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      ft_heap_links_ok(h, x); */
	/*@ assert unl_heads: \forall integer c; 0 <= c < FT_NCLASSES ==> ft_heap_head_ok(h, c); */
	/*@ assert unl_flags: \forall integer x; 0 <= x < FT_SLAB_IDS ==> h->listed[x] <= 1; */
	/*@ assert unl_lists: ft_heap_lists(h); */
	/*@ assert unl_off_next: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->next[x] != id; */
	/*@ assert unl_off_prev: \forall integer x; 0 <= x < FT_SLAB_IDS && h->listed[x] != 0 ==>
	      h->prev[x] != id; */
}

uint32_t ft_heap_current(const struct ft_heap_core *h, uint32_t cls)
{
	return h->head[cls];
}

int ft_heap_should_retire(const struct ft_heap_core *h, uint32_t cls, uint32_t id)
{
	(void)id;
	/* More than one slab of cls is listed exactly when, id being listed,
	 * another one is: w is one, or FT_NONE. */
	/*@ ghost
	  uint32_t k;
	  uint32_t w = FT_NONE;
	  /@ loop invariant 0 <= k <= FT_SLAB_IDS;
	     loop invariant w == FT_NONE ==> ft_heap_nlisted(h, cls, k) ==
	       (id < k && h->listed[id] != 0 && h->cls_of[id] == cls ? 1 : 0);
	     loop invariant w == FT_NONE ==> \forall integer x; 0 <= x < k && x != id ==>
	       !ft_heap_on_list(h, cls, x);
	     loop invariant w != FT_NONE ==> w < k && w != id && ft_heap_on_list(h, cls, w);
	     loop invariant w != FT_NONE ==> ft_heap_nlisted(h, cls, k) >=
	       1 + (id < k && h->listed[id] != 0 && h->cls_of[id] == cls ? 1 : 0);
	     loop assigns k, w;
	     loop variant FT_SLAB_IDS - k; @/
	  for (k = 0; k < FT_SLAB_IDS; k++) {
	    if (k != id && h->listed[k] != 0 && h->cls_of[k] == cls)
	      w = k;
	  }
	 */
	return h->listed_count[cls] > 1 ? 1 : 0;
}

int32_t ft_heap_add_zone(struct ft_heap_core *h, uint64_t base, uint32_t kind)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= h->nzones;
	    loop invariant \forall integer j; 0 <= j < i ==> h->zone_base[j] != 0;
	    loop assigns i;
	    loop variant h->nzones - i;
	 */
	for (i = 0; i < h->nzones; i++) {
		if (h->zone_base[i] == 0) {
			h->zone_base[i] = base;
			h->zone_kind[i] = (uint16_t)kind;
			return (int32_t)i;
		}
	}
	if (h->nzones >= FT_HEAP_ZONES)
		return -1;
	i = h->nzones;
	h->zone_base[i] = base;
	h->zone_kind[i] = (uint16_t)kind;
	h->nzones = (uint16_t)(i + 1);
	return (int32_t)i;
}

void ft_heap_remove_zone(struct ft_heap_core *h, uint32_t index)
{
	h->zone_base[index] = 0;
	/*@ loop invariant 0 <= h->nzones <= \at(h->nzones, Pre);
	    loop invariant \forall integer i; h->nzones <= i < FT_HEAP_ZONES ==>
	      h->zone_base[i] == 0;
	    loop assigns h->nzones;
	    loop variant h->nzones;
	 */
	while (h->nzones > 0 && h->zone_base[h->nzones - 1] == 0)
		h->nzones--;
}

void ft_heap_set_zone_room(struct ft_heap_core *h, uint32_t index, uint16_t room)
{
	h->zone_room[index] = room;
}

int32_t ft_heap_pick_zone(const struct ft_heap_core *h, uint32_t kind)
{
	uint32_t i;

	/*@ loop invariant 0 <= i <= h->nzones;
	    loop invariant \forall integer j; 0 <= j < i ==> !ft_heap_zone_fits(h, j, kind);
	    loop assigns i;
	    loop variant h->nzones - i;
	 */
	for (i = 0; i < h->nzones; i++) {
		if (h->zone_base[i] != 0 && h->zone_kind[i] == kind && h->zone_room[i] > 0)
			return (int32_t)i;
	}
	return -1;
}
