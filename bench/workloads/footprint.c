/*
 * footprint: allocate 1 GiB in mixed sizes and write all of it, free 90% of the
 * blocks in a random order, measure the resident set, free the rest, measure
 * it again. The bytes are split evenly between small (8–256 B), medium
 * (256 B–32 KiB) and large (32 KiB–1 MiB) blocks, log-uniform within each band,
 * allocated interleaved.
 *
 * What it shows: how much memory an allocator keeps resident when its heap is
 * fragmented (rss_after90_kib: the live data is then about 100 MiB), and
 * whether it gives memory back to the system when everything is freed
 * (rss_end_kib against rss_start_kib).
 *
 * Usage: footprint [SCALE]   (SCALE multiplies the 1 GiB)
 * Measure: wall seconds for the whole run; the RSS values in KiB; maxrss_kib is
 * the peak. The bookkeeping arrays are mapped and written before rss_start.
 */
#include "bench.h"
#include <math.h>
#include <sys/mman.h>

static void *map(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		bench_die("mmap");
	memset(p, 0, bytes);	/* resident from the start */
	return p;
}

int main(int argc, char **argv)
{
	static const double lo[3] = { 8, 256, 32768 }, hi[3] = { 256, 32768, 1048576 };
	double scale = bench_scale(argc, argv, 1);
	size_t target = (size_t)(1024.0 * 1024 * 1024 * scale);
	size_t band_bytes[3] = { 0, 0, 0 }, total = 0, count = 0, nfree;
	bench_rng rng = { 2024 };
	uint32_t *sizes, *order;
	char **blocks;
	long rss_start, rss_full, rss_after90, rss_end;
	double t0, t1;

	/* draw every size first (deterministic), to size the bookkeeping */
	size_t cap = target / 40 + 1024;
	sizes = map(cap * sizeof *sizes);
	while (total < target && count < cap) {
		int b = 0;
		if (band_bytes[1] < band_bytes[b])
			b = 1;
		if (band_bytes[2] < band_bytes[b])
			b = 2;
		uint32_t sz = (uint32_t)(lo[b] * pow(hi[b] / lo[b], bench_unit(&rng)));
		sizes[count++] = sz;
		band_bytes[b] += sz;
		total += sz;
	}
	blocks = map(count * sizeof *blocks);
	order = map(count * sizeof *order);
	for (size_t i = 0; i < count; i++)
		order[i] = (uint32_t)i;
	for (size_t i = count - 1; i > 0; i--) {
		size_t j = bench_below(&rng, i + 1);
		uint32_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	nfree = count - count / 10;

	rss_start = bench_rss_kib();
	t0 = bench_start();
	for (size_t i = 0; i < count; i++) {
		blocks[i] = malloc(sizes[i]);
		if (!blocks[i])
			bench_die("malloc");
		memset(blocks[i], (int)(i & 0xff), sizes[i]);
	}
	rss_full = bench_rss_kib();
	for (size_t k = 0; k < nfree; k++) {
		free(blocks[order[k]]);
		blocks[order[k]] = NULL;
	}
	rss_after90 = bench_rss_kib();
	for (size_t k = nfree; k < count; k++)
		free(blocks[order[k]]);
	rss_end = bench_rss_kib();
	t1 = bench_stop();
	bench_report("footprint", t1 - t0, (double)count,
		     "bytes=%zu rss_start_kib=%ld rss_full_kib=%ld rss_after90_kib=%ld rss_end_kib=%ld",
		     total, rss_start, rss_full, rss_after90, rss_end);
	return 0;
}
