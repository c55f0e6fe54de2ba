/*
 * large: the big-block paths.
 *
 *   large churn [SCALE]    keep 4 live blocks of 64 KiB–16 MiB (log-uniform);
 *                          replace a random one each step and write one byte per
 *                          page of the new block (mmap churn: page faults and
 *                          map/unmap calls, unless the allocator reuses memory).
 *   large realloc [SCALE]  grow one buffer from 1 B to 256 MiB by 1/8 each step
 *                          (about 180 reallocs), writing the new part each time
 *                          (models a growing string, vector or file buffer).
 *                          An allocator that moves pages (mremap) pays for the
 *                          new pages only; one that copies pays for about 8x
 *                          256 MiB of copying into fresh pages.
 *
 * Measure: wall seconds; ns_per_op per replaced block or per realloc.
 */
#include "bench.h"
#include <math.h>

#define PAGE 4096

static void churn(double scale)
{
	enum { LIVE = 4 };
	char *live[LIVE] = { 0 };
	long steps = (long)(1500 * scale);
	bench_rng rng = { 11 };
	double t0, t1;

	t0 = bench_start();
	for (long s = 0; s < steps; s++) {
		unsigned i = (unsigned)bench_below(&rng, LIVE);
		size_t sz = (size_t)(65536.0 * pow(256.0, bench_unit(&rng)));
		char *p;

		free(live[i]);
		p = malloc(sz);
		if (!p)
			bench_die("malloc");
		for (size_t off = 0; off < sz; off += PAGE)
			p[off] = (char)s;
		p[sz - 1] = (char)s;
		live[i] = p;
	}
	for (int i = 0; i < LIVE; i++)
		free(live[i]);
	t1 = bench_stop();
	bench_report("large-churn", t1 - t0, (double)steps, NULL);
}

static void grow(double scale)
{
	size_t top = (size_t)(256.0 * 1024 * 1024 * (scale < 1 ? scale : 1));
	int repeat = scale > 1 ? (int)scale : 1;
	long reallocs = 0;
	double t0, t1;

	t0 = bench_start();
	for (int k = 0; k < repeat; k++) {
		size_t sz = 0;
		char *p = NULL;
		while (sz < top) {
			size_t next = sz + sz / 8 + 1;
			char *q;
			if (next > top)
				next = top;
			q = realloc(p, next);
			if (!q)
				bench_die("realloc");
			if (sz && q[sz - 1] != (char)(sz - 1))
				bench_die("realloc copy");
			memset(q + sz, (int)((next - 1) & 0xff), next - sz);
			q[next - 1] = (char)(next - 1);
			p = q;
			sz = next;
			reallocs++;
		}
		free(p);
	}
	t1 = bench_stop();
	bench_report("large-realloc", t1 - t0, (double)reallocs, "top_bytes=%zu", top);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "churn";
	double scale = bench_scale(argc, argv, 2);

	if (!strcmp(mode, "churn"))
		churn(scale);
	else if (!strcmp(mode, "realloc"))
		grow(scale);
	else {
		fprintf(stderr, "usage: large churn|realloc [SCALE]\n");
		return 2;
	}
	return 0;
}
