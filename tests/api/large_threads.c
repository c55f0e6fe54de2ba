/* LARGE blocks grown, shrunk and freed by several threads at once: a block
 * moved by realloc must never leave a stale record or a hole behind that
 * another thread's new mapping could fall into. */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define THREADS 4
#define ROUNDS 1500

static int errors[THREADS];

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	unsigned seed = (unsigned)id + 1;

	for (int i = 0; i < ROUNDS; i++) {
		size_t n;
		unsigned char *p, *q;

		seed = seed * 1103515245u + 12345u;
		n = 40000 + (seed >> 8) % 200000;
		p = malloc(n);
		if (p == NULL) {
			errors[id]++;
			continue;
		}
		memset(p, id + 1, n);
		q = realloc(p, n * 2);
		if (q == NULL) {
			errors[id]++;
			free(p);
			continue;
		}
		for (size_t k = 0; k < n; k += 1024)
			if (q[k] != id + 1)
				errors[id]++;
		memset(q, id + 1, n * 2);
		p = realloc(q, n / 3 + 33000);
		if (p == NULL) {
			errors[id]++;
			free(q);
			continue;
		}
		for (size_t k = 0; k < n / 3 + 33000; k += 1024)
			if (p[k] != id + 1)
				errors[id]++;
		free(p);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	int total = 0;

	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < THREADS; i++)
		total += errors[i];
	CHECK(total == 0, "4 threads grow, shrink and free LARGE blocks: no failure, contents kept");
	return check_exit_status();
}
