/* Memory goes back to the OS: freed TINY/SMALL slabs and zones, and LARGE
 * blocks, no longer count in the resident set. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include "check.h"

static long rss_kib(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
		resident = -1;
	fclose(f);
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int mapped(void *p)
{
	char line[512];
	unsigned long a = (unsigned long)p, lo, hi;
	int found = 0;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && a >= lo && a < hi)
			found = 1;
	if (f != NULL)
		fclose(f);
	return found;
}

#define NBLOCKS 200000
#define MIXED 12000

int main(void)
{
	static void *blocks[NBLOCKS];
	long before, full, after;

	before = rss_kib();
	for (int i = 0; i < NBLOCKS; i++) {
		size_t size = (i % 2) ? 512 : 64;
		blocks[i] = malloc(size);
		memset(blocks[i], 0x5A, size);
	}
	full = rss_kib();
	for (int i = 0; i < NBLOCKS; i++)
		free(blocks[i]);
	after = rss_kib();
	printf("# RSS before %ld KiB, with 200000 blocks %ld KiB, after free %ld KiB\n",
	       before, full, after);
	CHECK(full - before > 50000, "58 MB of TINY and SMALL blocks are resident");
	CHECK(after - before < 10240, "freeing them returns the memory (RSS back within 10 MiB)");

	/* every size class, freed in a scattered order: retired slabs give their
	 * pages back once the heap keeps more than a few MiB of them */
	static void *mixed[MIXED];
	uint32_t x = 12345;
	before = rss_kib();
	for (int i = 0; i < MIXED; i++) {
		size_t size = 1 + (i * 7919u) % (32u << 10);
		mixed[i] = malloc(size);
		memset(mixed[i], 0x33, size);
	}
	full = rss_kib();
	for (int i = MIXED - 1; i > 0; i--) {
		x = x * 1103515245u + 12345u;
		int j = (int)(x % (uint32_t)(i + 1));
		void *t = mixed[i];
		mixed[i] = mixed[j];
		mixed[j] = t;
	}
	for (int i = 0; i < MIXED; i++)
		free(mixed[i]);
	after = rss_kib();
	printf("# every class: RSS before %ld KiB, with %d blocks %ld KiB, after free %ld KiB\n",
	       before, MIXED, full, after);
	CHECK(full - before > 100000, "100 MB of blocks of every TINY and SMALL class are resident");
	CHECK(after - before < 20480,
	      "freeing them in a scattered order returns all but 20 MiB (a kept slab per class, its zone metadata, 4 MiB of retired slabs)");

	long trimmed;
	CHECK(malloc_trim(0) == 1, "malloc_trim(0) after freeing them reports memory given back");
	trimmed = rss_kib();
	printf("# after malloc_trim(0) %ld KiB\n", trimmed);
	CHECK(trimmed - before < 2048 && trimmed < after,
	      "malloc_trim(0) gives back the kept slabs and zones too (RSS within 2 MiB of the start)");

	char *big = malloc(64 << 20);
	memset(big, 1, 64 << 20);
	CHECK(mapped(big) && rss_kib() - trimmed > 60000, "a 64 MiB LARGE block is mapped and resident");
	volatile uintptr_t where = (uintptr_t)big;
	free(big);
	CHECK(!mapped((void *)where), "a freed LARGE block is unmapped");
	return check_exit_status();
}
