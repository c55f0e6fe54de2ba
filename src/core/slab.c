#include "core/slab.h"

/* Ghost lemmas: each builds a slab predicate from its parts, so that a caller
 * proves the parts one by one. */
/*@ ghost
  /@ requires \valid(s);
     requires s->base == base && s->nslots == nslots && s->slot_size == slot_size;
     requires 1 <= nslots <= FT_SLOTS_MAX;
     requires 16 <= slot_size <= FT_SMALL_MAX;
     requires base % 16 == 0 && slot_size % 16 == 0;
     requires base + (uint64_t)nslots * slot_size <= 0xFFFFFFFFFFFF;
     requires s->nlive <= s->nslots;
     assigns \nothing;
     ensures ft_slab_shape(s); @/
  void ft_slab_shape_intro(struct ft_slab *s, uint64_t base, uint32_t nslots,
                           uint32_t slot_size)
  {
  }

  /@ requires s->nlive == ft_slab_nlive_bits(s, s->nslots);
     requires \forall integer i; 0 <= i < s->nslots && !ft_bit(s->avail, i / 64) ==>
       ft_live(s, i) || ft_pending(s, i);
     requires \forall integer i; s->nslots <= i < FT_BITMAP_WORDS * 64 ==> ft_live(s, i);
     assigns \nothing;
     ensures ft_slab_inv(s); @/
  void ft_slab_inv_intro(struct ft_slab *s)
  {
  }
 */

void ft_slab_init(struct ft_slab *s, uint64_t base, uint32_t cls,
		  uint32_t slot_size, uint32_t nslots, uint32_t id)
{
	uint32_t w;

	/*@ loop invariant 0 <= w <= FT_BITMAP_WORDS;
	    loop invariant \forall integer k; 0 <= k < w ==> s->words[k].remote == 0;
	    loop invariant \forall integer i; 0 <= i < w * 64 ==> (ft_live(s, i) <==> i >= nslots);
	    loop assigns w, s->words[0 .. FT_BITMAP_WORDS - 1].live,
	                 s->words[0 .. FT_BITMAP_WORDS - 1].remote;
	    loop variant FT_BITMAP_WORDS - w;
	 */
	for (w = 0; w < FT_BITMAP_WORDS; w++) {
		uint32_t first = w * 64;

		/* Bits of slots past the end stay set: a scan never finds them free. */
		if (first >= nslots)
			s->words[w].live = ft_word_ones();
		else if (nslots - first >= 64)
			s->words[w].live = 0;
		else
			s->words[w].live = ft_word_from(nslots - first);
		s->words[w].remote = 0;
		/*@ assert \forall integer j; 0 <= j < 64 ==>
		      (ft_bit(s->words[w].live, j) <==> first + j >= nslots); */
	}
	s->avail = ft_word_ones();	/* every word may have a free slot */
	s->nlive = 0;
	/* The geometry last: the proof then reads it from these stores. */
	s->base = base;
	s->slot_size = (uint16_t)slot_size;
	s->nslots = (uint16_t)nslots;
	s->cls = cls;
	s->id = id;
	s->recip = (uint32_t)((FT_RECIP_ONE + slot_size - 1) / slot_size);
	s->remote_next = FT_NONE;
	s->remote_queued = 0;
	/*@ ghost ft_slab_shape_intro(s, base, nslots, slot_size); */
	/* No slot is live: the count is 0. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= nslots;
	     loop invariant ft_slab_nlive_bits(s, k) == 0;
	     loop assigns k;
	     loop variant nslots - k; @/
	  for (k = 0; k < nslots; k++) {
	    /@ assert !ft_live(s, k); @/
	  }
	 */
	/*@ assert \forall integer i; s->nslots <= i < FT_BITMAP_WORDS * 64 ==> ft_live(s, i); */
}

/* Marks the free slot of bit `bit` of word w live, for a request of req
 * bytes. A word that this fills loses its mark at once, so that the next
 * allocation does not look at it first. */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires w < FT_BITMAP_WORDS && bit < 64;
    requires ft_slab_free_slot(s, w * 64 + bit);
    requires req <= s->slot_size;
    assigns s->words[w].live, s->nlive, s->req[w * 64 + bit], s->avail;
    ensures \result == w * 64 + bit;
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    ensures !\old(ft_live(s, \result)) && !ft_pending(s, \result) && ft_live(s, \result);
    ensures \forall integer j; 0 <= j < FT_SLOTS_MAX && j != \result ==>
              (ft_live(s, j) <==> \old(ft_live(s, j)));
    ensures s->nlive == \old(s->nlive) + 1 && s->req[\result] == req;
 */
static int32_t ft_slab_take_slot(struct ft_slab *s, uint32_t w, uint32_t bit, uint32_t req)
{
	/*@ ghost uint64_t base0 = s->base;
	    uint32_t nslots0 = s->nslots, size0 = s->slot_size; */
	uint32_t slot = w * 64 + bit;

	//@ assert slot / 64 == w && slot % 64 == bit;
	/* slot is free: the count is below nslots. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= s->nslots;
	     loop invariant ft_slab_nlive_bits(s, k) <= k - (k > slot ? 1 : 0);
	     loop assigns k;
	     loop variant s->nslots - k; @/
	  for (k = 0; k < s->nslots; k++)
	    ;
	 */
	//@ assert s->nlive < s->nslots;
	s->words[w].live = ft_word_set(s->words[w].live, bit);
	if (s->words[w].live == ft_word_ones())
		s->avail = ft_word_clear(s->avail, w);
	s->nlive++;
	s->req[slot] = (uint16_t)req;
	/*@ ghost ft_slab_shape_intro(s, base0, nslots0, size0); */
	/*@ assert \forall integer j; 0 <= j < FT_SLOTS_MAX && j != slot ==>
	      (ft_live(s, j) <==> \at(ft_live(s, j), Pre)); */
	/* The count grew by one, at slot. */
	/*@ ghost
	  uint32_t k2;
	  /@ loop invariant 0 <= k2 <= s->nslots;
	     loop invariant ft_slab_nlive_bits(s, k2) ==
	       ft_slab_nlive_bits{Pre}(s, k2) + (k2 > slot ? 1 : 0);
	     loop assigns k2;
	     loop variant s->nslots - k2; @/
	  for (k2 = 0; k2 < s->nslots; k2++)
	    ;
	 */
	/*@ ghost ft_slab_inv_intro(s); */
	return (int32_t)slot;
}

/* The search of ft_slab_alloc past the lowest marked word: the marks of words
 * found to have no free slot are cleared on the way. */
/*@ requires ft_slab_shape(s) && ft_slab_inv(s);
    requires req <= s->slot_size;
    assigns s->words[0 .. FT_BITMAP_WORDS - 1].live, s->nlive, s->avail,
            s->req[0 .. FT_SLOTS_MAX - 1];
    ensures ft_slab_shape(s) && ft_slab_inv(s);
    ensures -1 <= \result < s->nslots;
    ensures \result == -1 ==> s->nlive == \old(s->nlive) &&
        (\forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \old(s->words[w].live)) &&
        (\forall integer j; 0 <= j < FT_SLOTS_MAX ==> s->req[j] == \old(s->req[j])) &&
        (\forall integer i; !ft_slab_free_slot(s, i));
    ensures \result >= 0 ==>
        !\old(ft_live(s, \result)) && !ft_pending(s, \result) && ft_live(s, \result) &&
        (\forall integer j; 0 <= j < FT_SLOTS_MAX && j != \result ==>
            (ft_live(s, j) <==> \old(ft_live(s, j)))) &&
        s->nlive == \old(s->nlive) + 1 && s->req[\result] == req;
 */
static FT_RARE int32_t ft_slab_scan(struct ft_slab *s, uint32_t req)
{
	uint64_t avail = s->avail;
	uint32_t k;

	if (s->nlive >= s->nslots) {
		/* The count is nslots: every slot is live. */
		/*@ ghost
		  uint32_t k;
		  /@ loop invariant 0 <= k <= s->nslots;
		     loop invariant 0 <= ft_slab_nlive_bits(s, k) <= k;
		     loop invariant ft_slab_nlive_bits(s, k) == k ==>
		       \forall integer j; 0 <= j < k ==> ft_live(s, j);
		     loop assigns k;
		     loop variant s->nslots - k; @/
		  for (k = 0; k < s->nslots; k++)
		    ;
		 */
		//@ assert \forall integer i; !ft_slab_free_slot(s, i);
		return -1;
	}
	/* Each round looks at the lowest word marked as having a free slot; a
	 * word that has none loses its mark, so 64 rounds see every word. */
	/*@ loop invariant 0 <= k <= 64;
	    loop invariant low: \forall integer i; 0 <= i < k ==> !ft_bit(avail, i);
	    loop invariant none: \forall integer i; 0 <= i < s->nslots && !ft_bit(avail, i / 64) ==>
	      ft_live(s, i) || ft_pending(s, i);
	    loop assigns k, avail;
	    loop variant 64 - k;
	 */
	for (k = 0; k < 64 && avail != 0; k++) {
		uint32_t w = (uint32_t)ft_ctz64(avail);
		uint64_t free_bits = ft_word_free(s->words[w].live, s->words[w].remote);

		if (free_bits != 0) {
			uint32_t bit = (uint32_t)ft_ctz64(free_bits);

			//@ assert (w * 64 + bit) / 64 == w && (w * 64 + bit) % 64 == bit;
			/* The bits past nslots are set, so a free bit is a slot. */
			//@ assert ft_slab_free_slot(s, w * 64 + bit);
			ft_slab_set_avail(s, avail);
			/*@ ghost ft_slab_inv_intro(s); */
			return ft_slab_take_slot(s, w, bit, req);
		}
		/*@ assert \forall integer j; 0 <= j < 64 ==>
		      ft_bit(s->words[w].live, j) || ft_bit(s->words[w].remote, j); */
		avail = ft_word_clear(avail, w);
	}
	/*@ assert \forall integer i; 0 <= i < 64 ==> !ft_bit(avail, i); */
	//@ assert \forall integer i; !ft_slab_free_slot(s, i);
	ft_slab_set_avail(s, avail);
	/*@ ghost ft_slab_inv_intro(s); */
	return -1;
}

int32_t ft_slab_alloc_quick(struct ft_slab *s, uint32_t req)
{
	uint64_t avail = s->avail;

	if (avail != 0) {
		uint32_t w = (uint32_t)ft_ctz64(avail);
		uint64_t free_bits = ft_word_free(s->words[w].live, s->words[w].remote);

		if (free_bits != 0) {
			uint32_t bit = (uint32_t)ft_ctz64(free_bits);

			//@ assert (w * 64 + bit) / 64 == w && (w * 64 + bit) % 64 == bit;
			/* The bits past nslots are set, so a free bit is a slot. */
			//@ assert ft_slab_free_slot(s, w * 64 + bit);
			return ft_slab_take_slot(s, w, bit, req);
		}
	}
	return -1;
}

int32_t ft_slab_alloc(struct ft_slab *s, uint32_t req)
{
	int32_t slot = ft_slab_alloc_quick(s, req);

	if (slot >= 0) {
		//@ assert \at(ft_slab_free_slot(s, \at(slot, Here)), Pre);
		return slot;
	}
	/*@ assert unchanged: s->nlive == \at(s->nlive, Pre) &&
	      (\forall integer w; 0 <= w < FT_BITMAP_WORDS ==> s->words[w].live == \at(s->words[w].live, Pre)) &&
	      (\forall integer j; 0 <= j < FT_SLOTS_MAX ==> s->req[j] == \at(s->req[j], Pre)) &&
	      \forall integer i; ft_slab_free_slot(s, i) <==> \at(ft_slab_free_slot(s, i), Pre); */
	slot = ft_slab_scan(s, req);
	//@ assert found: slot >= 0 ==> \at(ft_slab_free_slot(s, \at(slot, Here)), Pre);
	/*@ assert none: slot == -1 ==>
	      \forall integer j; 0 <= j < FT_SLOTS_MAX ==> s->req[j] == \at(s->req[j], Pre); */
	return slot;
}

void ft_slab_set_avail(struct ft_slab *s, uint64_t avail)
{
	s->avail = avail;
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= s->nslots;
	     loop invariant ft_slab_nlive_bits(s, k) == ft_slab_nlive_bits{Pre}(s, k);
	     loop assigns k;
	     loop variant s->nslots - k; @/
	  for (k = 0; k < s->nslots; k++)
	    ;
	 */
}

int ft_slab_locate(const struct ft_slab *s, uint64_t addr, uint32_t *slot)
{
	uint64_t off, quot, prod, rem;
	uint32_t index;

	if (addr < s->base)
		return FT_NOT_OURS;
	off = addr - s->base;
	if (off >= (uint64_t)s->nslots * s->slot_size)
		return FT_NOT_OURS;
	/* The quotient by the reciprocal (config.h), checked: were the guess
	 * ever wrong, the division decides, never a wrong slot. */
	quot = off * s->recip / FT_RECIP_ONE;
	prod = quot * s->slot_size;
	if (prod <= off && off - prod < s->slot_size) {
		//@ assert quot < 0x20000000 && quot * s->slot_size < 0x200000000000;
		//@ assert ft_quot_bounds(off, s->slot_size, quot);
		rem = off - prod;
	} else {
		quot = off / s->slot_size;
		rem = off % s->slot_size;
	}
	//@ assert quot == off / s->slot_size && rem == off % s->slot_size;
	if (rem != 0)
		return FT_INTERIOR;
	index = (uint32_t)quot;
	//@ assert index == (addr - s->base) / s->slot_size && index < s->nslots;
	if (!ft_word_has(s->words[index / 64].live, index % 64) ||
	    ft_word_has(s->words[index / 64].remote, index % 64))
		return FT_DOUBLE_FREE;
	*slot = index;
	return FT_OK;
}

int ft_slab_release(struct ft_slab *s, uint32_t slot)
{
	/*@ ghost uint64_t base0 = s->base;
	    uint32_t nslots0 = s->nslots, size0 = s->slot_size; */
	uint32_t w = slot / 64;
	uint32_t b = slot % 64;
	uint64_t avail;
	uint64_t *mark;

	if (!ft_word_has(s->words[w].live, b))
		return FT_DOUBLE_FREE;
	/* slot is live: the count is at least 1. */
	/*@ ghost
	  uint32_t k;
	  /@ loop invariant 0 <= k <= s->nslots;
	     loop invariant ft_slab_nlive_bits(s, k) >= (k > slot ? 1 : 0);
	     loop assigns k;
	     loop variant s->nslots - k; @/
	  for (k = 0; k < s->nslots; k++)
	    ;
	 */
	//@ assert s->nlive >= 1;
	s->words[w].live = ft_word_clear(s->words[w].live, b);
	s->nlive--;
	/* Word w has a free slot now. When avail says so already, the store
	 * goes to avail_sink instead: a store to avail would make the next
	 * allocation's read of it wait for this free, chaining every malloc to
	 * the free before it. The address is chosen without a branch, which
	 * under random frees would be mispredicted half the time. */
	avail = s->avail;
	mark = ft_word_has(avail, w) ? &s->avail_sink : &s->avail;
	*mark = ft_word_set(avail, w);
	/*@ ghost ft_slab_shape_intro(s, base0, nslots0, size0); */
	/*@ assert \forall integer j; 0 <= j < FT_SLOTS_MAX && j != slot ==>
	      (ft_live(s, j) <==> \at(ft_live(s, j), Pre)); */
	/* The count fell by one, at slot. */
	/*@ ghost
	  uint32_t k2;
	  /@ loop invariant 0 <= k2 <= s->nslots;
	     loop invariant ft_slab_nlive_bits(s, k2) ==
	       ft_slab_nlive_bits{Pre}(s, k2) - (k2 > slot ? 1 : 0);
	     loop assigns k2;
	     loop variant s->nslots - k2; @/
	  for (k2 = 0; k2 < s->nslots; k2++)
	    ;
	 */
	/*@ ghost ft_slab_inv_intro(s); */
	return FT_OK;
}

int ft_slab_free(struct ft_slab *s, uint64_t addr, uint32_t *slot)
{
	/*@ ghost uint64_t base0 = s->base;
	    uint32_t nslots0 = s->nslots, size0 = s->slot_size; */
	int verdict = ft_slab_locate(s, addr, slot);

	/*@ ghost ft_slab_shape_intro(s, base0, nslots0, size0); */
	/*@ ghost ft_slab_inv_intro(s); */
	if (verdict != FT_OK)
		return verdict;
	return ft_slab_release(s, *slot);
}

/* base + slot * slot_size: a multiple of every a that divides both base and
 * slot_size. Its own function so that the facts its proof needs (quantified
 * over a) do not weigh on the goals of ft_slab_slot_addr. */
/*@ requires base % 16 == 0 && base <= 0xFFFFFFFFFFFF;
    requires slot < FT_SLOTS_MAX && slot_size <= FT_SMALL_MAX;
    assigns \nothing;
    ensures \result == base + slot * slot_size;
    ensures aligned: ft_aligned_as(\result, base, slot_size);
 */
static inline uint64_t ft_slot_sum(uint64_t base, uint32_t slot, uint32_t slot_size)
{
	/* Stated before the sum is computed, so that WP keeps it as written:
	 * the sum is a times the quotient, and a times anything is a multiple
	 * of a. */
	/*@ assert div_exact: \forall integer x, a; a > 0 && x >= 0 && x % a == 0 ==>
	      x == a * (x / a); */
	/*@ assert factor: \forall integer a; a > 0 && base % a == 0 && slot_size % a == 0 ==>
	      base + slot * slot_size == a * (base / a + slot * (slot_size / a)); */
	/*@ assert named: \forall integer a; a > 0 && base % a == 0 && slot_size % a == 0 ==>
	      base + slot * slot_size == a * ft_multiple_quot(a, base, slot_size, slot); */
	/*@ assert \forall integer a; a > 0 && base % a == 0 && slot_size % a == 0 ==>
	      (a * ft_multiple_quot(a, base, slot_size, slot)) % a == 0 &&
	      (base + slot * slot_size) % a == 0; */
	/*@ assert slot * slot_size <= FT_SLOTS_MAX * FT_SMALL_MAX; */
	return base + (uint64_t)slot * slot_size;
}

uint64_t ft_slab_slot_addr(const struct ft_slab *s, uint32_t slot)
{
	uint64_t addr = ft_slot_sum(s->base, slot, s->slot_size);

	/*@ assert (slot + 1) * s->slot_size <= s->nslots * s->slot_size; */
	/*@ assert \forall integer j; 0 <= j < slot ==> (j + 1) * s->slot_size <= slot * s->slot_size; */
	/*@ assert \forall integer j; slot < j < s->nslots ==> (slot + 1) * s->slot_size <= j * s->slot_size; */
	/*@ assert (slot * s->slot_size) / s->slot_size == slot; */
	/*@ assert addr == 16 * (s->base / 16 + slot * (s->slot_size / 16)); */
	return addr;
}
