/*
 * prodcons: one thread allocates 64-byte messages and passes them through a
 * single-producer single-consumer ring to a second thread, which reads and
 * frees them: every free is a cross-thread free (a queue between a network
 * thread and a worker, a logger thread).
 *
 * Usage: prodcons [SCALE]
 * Measure: wall seconds to pass every message; ns_per_op per message.
 */
#include "bench.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

#define RING 4096
#define MSG 64

static char *ring[RING];
static _Alignas(64) _Atomic long head;	/* next slot the producer fills */
static _Alignas(64) _Atomic long tail;	/* next slot the consumer empties */
static _Alignas(64) long messages;
static unsigned long consumed_sum;

static inline void backoff(int *spins)
{
	if (++*spins < 128)
		__builtin_ia32_pause();
	else {
		*spins = 0;
		sched_yield();
	}
}

static void *consumer(void *arg)
{
	unsigned long sum = 0;
	long t = 0;
	(void)arg;
	while (t < messages) {
		long h = atomic_load_explicit(&head, memory_order_acquire);
		int spins = 0;
		while (h == t) {
			backoff(&spins);
			h = atomic_load_explicit(&head, memory_order_acquire);
		}
		for (; t < h; t++) {
			char *p = ring[t % RING];
			sum += (unsigned char)p[0] + (unsigned char)p[MSG - 1];
			free(p);
		}
		atomic_store_explicit(&tail, t, memory_order_release);
	}
	consumed_sum = sum;
	return NULL;
}

int main(int argc, char **argv)
{
	double scale = bench_scale(argc, argv, 1);
	unsigned long sum = 0;
	pthread_t tid;
	double t0, t1;

	messages = (long)(5e6 * scale);
	t0 = bench_start();
	if (pthread_create(&tid, NULL, consumer, NULL))
		bench_die("pthread_create");
	for (long h = 0; h < messages; h++) {
		char *p = malloc(MSG);
		int spins = 0;
		if (!p)
			bench_die("malloc");
		memset(p, (int)(h & 0x7f), MSG);
		sum += (unsigned char)p[0] + (unsigned char)p[MSG - 1];
		while (h - atomic_load_explicit(&tail, memory_order_acquire) >= RING)
			backoff(&spins);
		ring[h % RING] = p;
		/* publish in batches of 16, as a real queue amortises its signalling */
		if ((h & 15) == 15 || h == messages - 1)
			atomic_store_explicit(&head, h + 1, memory_order_release);
	}
	pthread_join(tid, NULL);
	t1 = bench_stop();
	if (sum != consumed_sum)
		bench_die("message check");
	bench_report("prodcons", t1 - t0, (double)messages, NULL);
	return 0;
}
