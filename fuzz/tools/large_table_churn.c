/* Reproduces a finding of the fuzzing work (fuzz/README.md, "Findings"): the
 * LARGE registry's capacity grows with the number of LARGE allocations ever
 * made, not with the number alive. With 8 live LARGE blocks and steady
 * malloc/free churn, tombstones make ft_large_needs_growth() true again and
 * again, and ft_large_grow_locked() doubles the capacity every time.
 *
 *   cc -O1 -std=gnu11 -DFT_NO_EXPORTS -Iinclude -Isrc -pthread \
 *      -o /tmp/churn fuzz/tools/large_table_churn.c $(find src -name '*.c') && /tmp/churn
 *
 * Exit status 1 when the capacity ends above 4 times the first capacity (256), which 8 live blocks never need. */
#include <stdio.h>
#include <stdlib.h>
#include "api/internal.h"

int main(void)
{
	void *live[8] = { 0 };
	unsigned long seed = 1;
	long i;

	for (i = 0; i < 200000; i++) {
		int k;
		size_t sz;

		seed = seed * 6364136223846793005ul + 1442695040888963407ul;
		k = (int)((seed >> 33) % 8);
		if (live[k])
			ftm_free(live[k]);
		/* half of them above the 16 MiB cache limit: fresh mappings */
		sz = (seed >> 40) & 1 ? (17u << 20) + ((seed >> 20) & 0xffff)
				      : 40000 + ((seed >> 24) & 0xfffff);
		live[k] = ftm_malloc(sz);
		if (live[k] == NULL) {
			printf("i=%ld malloc(%zu) failed\n", i, sz);
			return 1;
		}
		if ((i & (i - 1)) == 0 || i % 50000 == 0)
			printf("after %-7ld LARGE allocations: table cap %-8lu used %-3lu tombs %lu\n", i,
			       (unsigned long)ft_g.large.cap, (unsigned long)ft_g.large.used,
			       (unsigned long)ft_g.large.tombs);
	}
	printf("final capacity %lu for %lu live blocks\n", (unsigned long)ft_g.large.cap,
	       (unsigned long)ft_g.large.used);
	return ft_g.large.cap > 4 * 256 ? 1 : 0;
}
