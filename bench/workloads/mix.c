/*
 * mix: a power-law mix of sizes from 1 B to 1 MiB (most blocks tiny, a heavy
 * tail of large ones), a live set of 10 000 blocks per thread, realloc growth,
 * and short-lived temporaries — a model of an interpreter or a compiler.
 *
 * Each step: replace a random live block with a new one (free + malloc), or,
 * one step in four, grow a random live block by half with realloc; then
 * allocate a temporary that lives for the next 16 steps.
 *
 * Usage: mix [THREADS [SCALE]]   (each thread has its own live set and does
 * the same number of steps; the threads start together)
 * Measure: wall seconds until every thread is done. per_thread_ops_per_sec is
 * the steps of one thread per second: with perfect scaling it stays the same
 * as THREADS grows up to the number of cores.
 */
#include "bench.h"
#include <math.h>
#include <pthread.h>

#define LIVE 10000
#define TEMPS 16
#define TABLE 65536
#define MAXSZ (1u << 20)

static unsigned sizes[TABLE];	/* power-law size table, drawn once */
static long steps;
static pthread_barrier_t start;

struct worker {
	pthread_t tid;
	int id;
	unsigned long checksum;
};

static void *run(void *arg)
{
	struct worker *w = arg;
	bench_rng rng = { 1000 + (uint64_t)w->id };
	char *live[LIVE];		/* on the stack: the bookkeeping is not the allocator's */
	unsigned live_sz[LIVE];
	char *temp[TEMPS] = { 0 };
	unsigned long sum = 0;

	pthread_barrier_wait(&start);
	for (int i = 0; i < LIVE; i++) {
		unsigned sz = sizes[bench_below(&rng, TABLE)];
		live[i] = malloc(sz);
		if (!live[i])
			bench_die("malloc");
		live[i][0] = 1;
		live_sz[i] = sz;
	}
	for (long s = 0; s < steps; s++) {
		uint64_t r = bench_next(&rng);
		unsigned i = (unsigned)(((r >> 32) * LIVE) >> 32);
		unsigned sz;
		char *p;

		if ((r & 3) == 0 && live_sz[i] + live_sz[i] / 2 + 16 <= MAXSZ) {
			sz = live_sz[i] + live_sz[i] / 2 + 16;
			p = realloc(live[i], sz);
			if (!p)
				bench_die("realloc");
			sum += (unsigned char)p[0];
		} else {
			free(live[i]);
			sz = sizes[(r >> 8) & (TABLE - 1)];
			p = malloc(sz);
			if (!p)
				bench_die("malloc");
			p[0] = (char)s;
		}
		p[sz - 1] = (char)s;
		live[i] = p;
		live_sz[i] = sz;

		sz = sizes[(r >> 24) & (TABLE - 1)];
		p = malloc(sz);
		if (!p)
			bench_die("malloc");
		p[0] = p[sz - 1] = (char)r;
		free(temp[s % TEMPS]);
		temp[s % TEMPS] = p;
	}
	for (int i = 0; i < TEMPS; i++)
		free(temp[i]);
	for (int i = 0; i < LIVE; i++)
		free(live[i]);
	w->checksum = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1;
	double scale = bench_scale(argc, argv, 2);
	struct worker w[64];
	bench_rng rng = { 7 };
	char name[32];
	double t0, t1;

	if (threads < 1 || threads > 64)
		threads = 1;
	steps = (long)(4e6 * scale);
	/* Pareto sizes, P(size > x) = ((x + 3) / 4)^-0.8, cut at 1 MiB: half the
	 * blocks are at most 6 B, 90% at most 64 B, 98% at most 512 B, one in
	 * 2350 above 64 KiB (then realloc grows some of them by half). */
	for (int i = 0; i < TABLE; i++) {
		double u = 1.0 - bench_unit(&rng);
		double x = 4.0 * pow(u, -1.0 / 0.8) - 3.0;
		sizes[i] = x >= MAXSZ ? MAXSZ : (unsigned)x;
		if (sizes[i] < 1)
			sizes[i] = 1;
	}
	pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
	for (int t = 0; t < threads; t++) {
		w[t].id = t;
		if (pthread_create(&w[t].tid, NULL, run, &w[t]))
			bench_die("pthread_create");
	}
	pthread_barrier_wait(&start);
	t0 = bench_start();
	for (int t = 0; t < threads; t++)
		pthread_join(w[t].tid, NULL);
	t1 = bench_stop();
	snprintf(name, sizeof name, threads == 1 ? "mix" : "mix-%dt", threads);
	bench_report(name, t1 - t0, (double)steps * threads,
		     "threads=%d per_thread_ops_per_sec=%.0f", threads, (double)steps / (t1 - t0));
	return 0;
}
