/*
 * server: a larson-like simulation of a server. THREADS threads share one
 * array of 20 000 blocks; each thread, over and over, allocates a block of
 * random size (16 B–1 KiB, log-uniform), writes it, swaps it into a random
 * slot of the array and frees the block it took out — a block that another
 * thread allocated, most of the time (cross-thread frees).
 *
 * Usage: server [THREADS [SCALE]]   (THREADS defaults to the number of cores)
 * Measure: wall seconds for a fixed total number of replacements.
 */
#include "bench.h"
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>

#define SLOTS 20000
#define TABLE 4096

static _Atomic(char *) slots[SLOTS];
static unsigned sizes[TABLE];
static long per_thread;
static pthread_barrier_t start;

static void *run(void *arg)
{
	bench_rng rng = { 500 + (uint64_t)(uintptr_t)arg };

	pthread_barrier_wait(&start);
	for (long s = 0; s < per_thread; s++) {
		uint64_t r = bench_next(&rng);
		unsigned i = (unsigned)(((r >> 32) * SLOTS) >> 32);
		unsigned sz = sizes[r & (TABLE - 1)];
		char *p = malloc(sz);
		if (!p)
			bench_die("malloc");
		p[0] = (char)s;
		p[sz - 1] = (char)r;
		p = atomic_exchange_explicit(&slots[i], p, memory_order_acq_rel);
		free(p);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = argc > 1 ? atoi(argv[1]) : 0;
	double scale = bench_scale(argc, argv, 2);
	long total = (long)(6e6 * scale);
	pthread_t tid[64];
	bench_rng rng = { 3 };
	double t0, t1;

	if (threads < 1 || threads > 64)
		threads = ncpu >= 1 && ncpu <= 64 ? (int)ncpu : 2;
	per_thread = total / threads;
	for (int i = 0; i < TABLE; i++)
		sizes[i] = (unsigned)(16.0 * pow(64.0, bench_unit(&rng)));
	/* the array starts full, allocated by the main thread */
	for (int i = 0; i < SLOTS; i++) {
		char *p = malloc(sizes[i % TABLE]);
		if (!p)
			bench_die("malloc");
		p[0] = 1;
		atomic_store(&slots[i], p);
	}
	pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tid[t], NULL, run, (void *)(uintptr_t)t))
			bench_die("pthread_create");
	pthread_barrier_wait(&start);
	t0 = bench_start();
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	t1 = bench_stop();
	for (int i = 0; i < SLOTS; i++)
		free(atomic_load(&slots[i]));
	bench_report("server", t1 - t0, (double)per_thread * threads, "threads=%d", threads);
	return 0;
}
