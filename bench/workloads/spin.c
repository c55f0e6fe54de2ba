/*
 * spin: no allocation at all — a pure arithmetic loop on THREADS threads, to
 * measure how well this machine itself runs threads in parallel. The report
 * gives its per-thread speed at 2 threads against 1 thread next to the
 * allocators' scaling, so a virtual machine whose two "cores" share one
 * physical core (or a busy host) is not mistaken for an allocator problem.
 * Usage: spin [THREADS [SCALE]]
 */
#include "bench.h"
#include <pthread.h>

static long iters;
static pthread_barrier_t start;

static void *run(void *arg)
{
	volatile unsigned long x = (unsigned long)(uintptr_t)arg;
	pthread_barrier_wait(&start);
	for (long i = 0; i < iters; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return NULL;
}

int main(int argc, char **argv)
{
	int threads = argc > 1 ? atoi(argv[1]) : 1;
	double scale = bench_scale(argc, argv, 2);
	pthread_t tid[64];
	char name[32];
	double t0, t1;

	if (threads < 1 || threads > 64)
		threads = 1;
	iters = (long)(1e8 * scale);
	pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
	for (int t = 0; t < threads; t++)
		if (pthread_create(&tid[t], NULL, run, (void *)(uintptr_t)t))
			bench_die("pthread_create");
	pthread_barrier_wait(&start);
	t0 = bench_start();
	for (int t = 0; t < threads; t++)
		pthread_join(tid[t], NULL);
	t1 = bench_stop();
	snprintf(name, sizeof name, "spin-%dt", threads);
	bench_report(name, t1 - t0, (double)iters * threads, "threads=%d per_thread_ops_per_sec=%.0f",
		     threads, (double)iters / (t1 - t0));
	return 0;
}
