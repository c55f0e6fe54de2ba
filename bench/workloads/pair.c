/*
 * pair: malloc(SIZE) then free, in a tight loop — the cost of the fast path.
 * Usage: pair SIZE [SCALE]
 * Measure: seconds for the loop; ns_per_op is the cost of one malloc+free pair.
 */
#include "bench.h"

int main(int argc, char **argv)
{
	size_t size = argc > 1 ? strtoul(argv[1], NULL, 10) : 32;
	double scale = bench_scale(argc, argv, 2);
	long n = (long)((size <= 1024 ? 20e6 : 10e6) * scale);
	char name[64];
	double t0, t1;

	/* warm-up: lets every allocator initialise and take its first block */
	for (int i = 0; i < 1000; i++) {
		char *p = malloc(size);
		if (!p)
			bench_die("malloc");
		p[0] = (char)i;
		bench_sink = p;
		free(p);
	}
	t0 = bench_start();
	for (long i = 0; i < n; i++) {
		char *p = malloc(size);
		p[0] = (char)i;	/* a block nobody writes is a block nobody needs */
		bench_sink = p;
		free(p);
	}
	t1 = bench_stop();
	snprintf(name, sizeof name, "pair-%zu", size);
	bench_report(name, t1 - t0, (double)n, "size=%zu", size);
	return 0;
}
