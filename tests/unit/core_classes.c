/* Size classes and the trusted bit scan, checked exhaustively. */
#include <stdint.h>
#include "check.h"
#include "core/bits.h"
#include "core/size_class.h"
#include "core/policy.h"
#include "core/large_cache.h"

static int ctz_reference(uint64_t x)
{
	int i = 0;

	while (!((x >> i) & 1))
		i++;
	return i;
}

int main(void)
{
	int ok = 1;
	uint64_t x = 0x9E3779B97F4A7C15ull;
	int i;

	/* ft_ctz64 is trusted by the proofs: check its contract on every
	 * single bit, every bit with all higher bits set, and a million
	 * pseudo-random words. */
	for (i = 0; i < 64; i++) {
		ok &= ft_ctz64(1ull << i) == i;
		ok &= ft_ctz64(~0ull << i) == i;
	}
	for (i = 0; i < 1000000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (x != 0)
			ok &= ft_ctz64(x) == ctz_reference(x);
	}
	CHECK(ok, "ctz64 matches its contract (single bits, masks, 1e6 random words)");

	int fits = 1, mult16 = 1, smallest = 1, waste = 1, kinds = 1;
	for (uint64_t size = 0; size <= FT_SMALL_MAX; size++) {
		uint32_t c = ft_size_class(size);
		uint32_t slot = ft_class_slot_size(c);

		fits &= slot >= size;
		mult16 &= slot % 16 == 0;
		smallest &= c == 0 || ft_class_slot_size(c - 1) < size;
		if (size > 64)
			waste &= (slot - size) * 4 < slot;	/* under 25% */
		kinds &= (ft_class_kind(c) == FT_KIND_TINY) == (size <= FT_TINY_MAX);
		kinds &= ft_kind_of_size(size) == ft_class_kind(c);
	}
	CHECK(fits, "every size up to 32 KiB fits its class's slot");
	CHECK(mult16, "every slot size is a multiple of 16");
	CHECK(smallest, "every size gets the smallest class that fits");
	CHECK(waste, "internal waste above 64 bytes is under 25%");
	CHECK(kinds, "class kind is TINY exactly up to 128 bytes, SMALL above");
	CHECK(ft_kind_of_size(FT_SMALL_MAX + 1) == FT_KIND_LARGE, "above 32 KiB is LARGE");

	int aligned = 1;
	for (uint64_t align = 16; align <= 4096; align *= 2)
		for (uint64_t size = 0; size <= FT_SMALL_MAX; size += 7) {
			uint32_t c = ft_size_class_aligned(size, align);

			if (c < FT_NCLASSES)
				aligned &= ft_class_slot_size(c) % align == 0 &&
					   ft_class_slot_size(c) >= size;
			else
				aligned &= size > 4096 * 7;	/* only when no class fits */
		}
	CHECK(aligned, "aligned classes are multiples of the alignment and fit");

	uint64_t out = 0;
	CHECK(ft_request_product(1ull << 32, 1ull << 31, &out) == -1, "product over PTRDIFF_MAX refused");
	CHECK(ft_request_product(1ull << 31, 1ull << 31, &out) == 0 && out == 1ull << 62, "product accepted");
	CHECK(ft_request_product(0, ~0ull, &out) == 0 && out == 0, "zero product accepted");
	CHECK(ft_is_power_of_two(4096) && !ft_is_power_of_two(0) && !ft_is_power_of_two(24),
	      "power of two test");
	CHECK(ft_realloc_keeps_slot(112, 90) && !ft_realloc_keeps_slot(112, 113),
	      "realloc keeps a TINY slot it fits in, not one it outgrows");
	CHECK(!ft_realloc_keeps_slot(32768, 100) && ft_realloc_keeps_slot(32768, 20000),
	      "realloc moves a SMALL block that would waste over half its slot");
	CHECK(ft_realloc_keeps_large(1 << 20, 100000) && !ft_realloc_keeps_large(1 << 20, 100) &&
	      !ft_realloc_keeps_large(1 << 20, (1 << 20) + 1),
	      "realloc keeps a LARGE block only for LARGE sizes it holds");
	CHECK(ft_policy_keeps_pages(FT_DIRTY_MAX - 65536, 65536) &&
	      !ft_policy_keeps_pages(FT_DIRTY_MAX - 65535, 65536),
	      "a retired slab keeps its pages exactly while the resident bytes stay within the budget");
	CHECK(!ft_policy_keeps_pages(~0ull - 1000, 65536) && !ft_policy_keeps_pages(0, ~0ull),
	      "the page budget does not wrap around on huge counts");
	CHECK(ft_policy_settles(0, FT_SETTLE_ZONES + 1) && !ft_policy_settles(0, FT_SETTLE_ZONES) &&
	      !ft_policy_settles(1, 1000),
	      "a heap gives everything back only with no live block and more than 8 zones");
	CHECK(ft_policy_grows_by_copy(FT_LARGE_MAP_MIN) && ft_policy_grows_by_copy(FT_GROW_COPY_MAX) &&
	      !ft_policy_grows_by_copy(FT_GROW_COPY_MAX + FT_PAGE_SIZE),
	      "a LARGE block grows by copy exactly up to 256 KiB mapped");
	return check_exit_status();
}
