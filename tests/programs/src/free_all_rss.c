/* Memory comes back when everything is freed: 256 MiB of TINY and SMALL
 * blocks in every class, and one LARGE block (40 KiB to 1 MiB) in 40, written,
 * freed in a shuffled order; the resident set must then be back within 10 MiB
 * of where it started (the freed LARGE mappings kept for reuse go back too). Prints the three
 * resident sizes in KiB: start, full, end. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static long rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL || fscanf(f, "%ld %ld", &pages, &resident) != 2)
		exit(2);
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(void)
{
	const size_t total = 256ull << 20;
	const size_t cap = 1u << 20;	/* more than the blocks 256 MiB makes */
	/* Bookkeeping from mmap, written before the first measure. */
	char **blocks = mmap(NULL, cap * sizeof(*blocks), PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t x = 88172645463325252ull;
	size_t n = 0, bytes = 0;
	long start, full, end;

	if (blocks == MAP_FAILED)
		return 2;
	memset(blocks, 0, cap * sizeof(*blocks));
	free(malloc(1));	/* the allocator's own set-up, before the start */
	start = rss_kib();
	while (bytes < total && n < cap) {
		size_t size;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		if (x % 40 == 1)
			size = (40u << 10) + (x >> 8) % ((1u << 20) - (40u << 10));
		else
			size = (x % 3 == 0) ? 8 + x % 120 : 129 + (x >> 8) % 32640;
		blocks[n] = malloc(size);
		if (blocks[n] == NULL)
			return 3;
		memset(blocks[n], 7, size);
		bytes += size;
		n++;
	}
	full = rss_kib();
	for (size_t i = n; i > 1; i--) {
		size_t j;
		char *t;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		j = x % i;
		t = blocks[i - 1], blocks[i - 1] = blocks[j], blocks[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		free(blocks[i]);
	end = rss_kib();
	printf("%ld %ld %ld\n", start, full, end);
	return 0;
}
