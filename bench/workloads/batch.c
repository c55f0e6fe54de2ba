/*
 * batch: allocate 1000 blocks of random size 8–512 B, write each, then free
 * them all in a random order; many rounds. Models a phase of a program that
 * builds a structure and then tears it down (a request, a parse tree).
 * Usage: batch [SCALE]
 * Measure: seconds; ns_per_op is per malloc+free pair.
 */
#include "bench.h"

#define NB 1000
#define PATTERNS 16

static unsigned short sizes[PATTERNS][NB];
static unsigned short order[PATTERNS][NB];
static char *blocks[NB];

int main(int argc, char **argv)
{
	double scale = bench_scale(argc, argv, 1);
	long rounds = (long)(20000 * scale);
	bench_rng rng = { 42 };
	double t0, t1;

	/* the random sizes and free orders are drawn before the clock starts */
	for (int k = 0; k < PATTERNS; k++) {
		for (int i = 0; i < NB; i++) {
			sizes[k][i] = (unsigned short)(8 + bench_below(&rng, 505));
			order[k][i] = (unsigned short)i;
		}
		for (int i = NB - 1; i > 0; i--) {
			int j = (int)bench_below(&rng, (uint64_t)i + 1);
			unsigned short t = order[k][i];
			order[k][i] = order[k][j];
			order[k][j] = t;
		}
	}
	t0 = bench_start();
	for (long r = 0; r < rounds; r++) {
		int k = (int)(r % PATTERNS);
		for (int i = 0; i < NB; i++) {
			char *p = malloc(sizes[k][i]);
			if (!p)
				bench_die("malloc");
			p[0] = (char)i;
			p[sizes[k][i] - 1] = (char)r;
			blocks[i] = p;
		}
		for (int i = 0; i < NB; i++)
			free(blocks[order[k][i]]);
	}
	t1 = bench_stop();
	bench_report("batch", t1 - t0, (double)rounds * NB, "rounds=%ld", rounds);
	return 0;
}
