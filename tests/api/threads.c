/* Threads.
 * 1. Stress: 4 threads allocate blocks of random sizes (TINY/SMALL/LARGE mix,
 *    fixed seeds), fill them with a pattern derived from (thread, index), and
 *    hand about half of them to another thread through a mutex-protected
 *    queue; the receiver checks the pattern and frees them (cross-thread
 *    frees). Some blocks are realloc'd. Everything is verified before it is
 *    freed.
 * 2. Exited threads: threads allocate blocks and exit while the blocks are
 *    live; the main thread checks and frees them later and keeps allocating
 *    (heaps of exited threads are adopted). Memory must not grow round after
 *    round. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>

#define NT 4
#define ITERS 30000
#define LIVE 96
#define QCAP 2048

static uint64_t rng_next(uint64_t *s)
{
	/* xorshift64* */
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static size_t random_size(uint64_t *s)
{
	uint64_t r = rng_next(s);
	unsigned pick = (unsigned)(r % 100);
	r >>= 8;
	if (pick < 60)
		return (size_t)(r % 128) + 1;            /* TINY 1..128 */
	if (pick < 93)
		return (size_t)(r % (32768 - 128)) + 129; /* SMALL 129..32768 */
	return (size_t)(r % 300000) + 32769;             /* LARGE */
}

/* Filling every byte of big blocks is slow; fill all of small ones, and for
 * big ones the first and last 2 KiB and 64 bytes of every 4 KiB. */
static void mark(void *p, size_t n, uint32_t tag)
{
	unsigned char *c = p;
	if (n <= 8192) {
		fill(p, n, tag);
		return;
	}
	for (size_t i = 0; i < 2048; i++)
		c[i] = pat(tag, i);
	for (size_t off = 4096; off + 64 <= n - 2048; off += 4096)
		for (size_t i = off; i < off + 64; i++)
			c[i] = pat(tag, i);
	for (size_t i = n - 2048; i < n; i++)
		c[i] = pat(tag, i);
}

static int marked(const void *p, size_t n, uint32_t tag)
{
	const unsigned char *c = p;
	if (n <= 8192)
		return verify(p, n, tag);
	for (size_t i = 0; i < 2048; i++)
		if (c[i] != pat(tag, i))
			return 0;
	for (size_t off = 4096; off + 64 <= n - 2048; off += 4096)
		for (size_t i = off; i < off + 64; i++)
			if (c[i] != pat(tag, i))
				return 0;
	for (size_t i = n - 2048; i < n; i++)
		if (c[i] != pat(tag, i))
			return 0;
	return 1;
}

/* For a realloc'd block only the first keep = min(old, new) bytes are kept:
 * check the bytes mark(p, n, tag) wrote below keep. */
static int marked_prefix(const void *p, size_t n, size_t keep, uint32_t tag)
{
	const unsigned char *c = p;
	if (n <= 8192)
		return verify(p, keep, tag);
	for (size_t i = 0; i < 2048 && i < keep; i++)
		if (c[i] != pat(tag, i))
			return 0;
	for (size_t off = 4096; off + 64 <= n - 2048 && off + 64 <= keep; off += 4096)
		for (size_t i = off; i < off + 64; i++)
			if (c[i] != pat(tag, i))
				return 0;
	for (size_t i = n - 2048; i < n && i < keep; i++)
		if (c[i] != pat(tag, i))
			return 0;
	return 1;
}

struct item {
	void *p;
	size_t n;
	uint32_t tag;
};

struct queue {
	pthread_mutex_t lock;
	int count;
	struct item items[QCAP];
};

static struct queue queues[NT];
static pthread_barrier_t done_barrier;

static atomic_long alloc_fail, misaligned, bad_local, bad_remote, bad_realloc, cross_frees,
	local_frees, usable_short;

static uint32_t make_tag(int t, long i)
{
	return (uint32_t)t << 24 ^ (uint32_t)i;
}

static int push(int to, struct item it)
{
	struct queue *q = &queues[to];
	pthread_mutex_lock(&q->lock);
	int ok = q->count < QCAP;
	if (ok)
		q->items[q->count++] = it;
	pthread_mutex_unlock(&q->lock);
	return ok;
}

static void drain(int t)
{
	struct item local[QCAP];
	struct queue *q = &queues[t];
	pthread_mutex_lock(&q->lock);
	int n = q->count;
	memcpy(local, q->items, sizeof(struct item) * (size_t)n);
	q->count = 0;
	pthread_mutex_unlock(&q->lock);
	for (int i = 0; i < n; i++) {
		if (!marked(local[i].p, local[i].n, local[i].tag))
			atomic_fetch_add(&bad_remote, 1);
		t_free(local[i].p);
		atomic_fetch_add(&cross_frees, 1);
	}
}

static void free_local(struct item *it)
{
	if (!marked(it->p, it->n, it->tag))
		atomic_fetch_add(&bad_local, 1);
	t_free(it->p);
	atomic_fetch_add(&local_frees, 1);
}

static void *stress_thread(void *arg)
{
	int t = (int)(intptr_t)arg;
	uint64_t seed = 0x9E3779B97F4A7C15ULL * (uint64_t)(t + 1);
	static __thread struct item live[LIVE];
	int nlive = 0;
	for (long i = 0; i < ITERS; i++) {
		if (i % 16 == 0)
			drain(t);
		uint64_t r = rng_next(&seed);
		if (nlive == LIVE || (nlive > 0 && r % 4 == 0)) {
			int k = (int)((r >> 8) % (uint64_t)nlive);
			struct item it = live[k];
			live[k] = live[--nlive];
			if ((r >> 32) & 1) {
				int to = (t + 1 + (int)((r >> 40) % (NT - 1))) % NT;
				if (!push(to, it))
					free_local(&it);
			} else {
				free_local(&it);
			}
			continue;
		}
		if (nlive > 0 && r % 23 == 1) {
			/* realloc a live block */
			int k = (int)((r >> 8) % (uint64_t)nlive);
			struct item *it = &live[k];
			if (!marked(it->p, it->n, it->tag))
				atomic_fetch_add(&bad_local, 1);
			size_t nn = random_size(&seed);
			void *q = t_realloc(it->p, nn);
			if (!q) {
				atomic_fetch_add(&alloc_fail, 1);
				continue;
			}
			size_t keep = it->n < nn ? it->n : nn;
			if (!marked_prefix(q, it->n, keep, it->tag))
				atomic_fetch_add(&bad_realloc, 1);
			it->p = q;
			it->n = nn;
			it->tag = make_tag(t, i) ^ 0x800000;
			mark(q, nn, it->tag);
			continue;
		}
		size_t n = random_size(&seed);
		void *p = (r % 7 == 3) ? t_calloc(1, n) : t_malloc(n);
		if (!p) {
			atomic_fetch_add(&alloc_fail, 1);
			continue;
		}
		if (!is_aligned(p, 16))
			atomic_fetch_add(&misaligned, 1);
		if (t_usable(p) < n)
			atomic_fetch_add(&usable_short, 1);
		live[nlive].p = p;
		live[nlive].n = n;
		live[nlive].tag = make_tag(t, i);
		mark(p, n, live[nlive].tag);
		nlive++;
	}
	/* Nobody pushes after the barrier: drain what is left, free the rest. */
	pthread_barrier_wait(&done_barrier);
	drain(t);
	for (int k = 0; k < nlive; k++)
		free_local(&live[k]);
	return NULL;
}

static void test_stress(void)
{
	pthread_t th[NT];
	for (int t = 0; t < NT; t++)
		pthread_mutex_init(&queues[t].lock, NULL);
	pthread_barrier_init(&done_barrier, NULL, NT);
	double t0 = now_s();
	int created = 1;
	for (int t = 0; t < NT; t++)
		if (pthread_create(&th[t], NULL, stress_thread, (void *)(intptr_t)t) != 0)
			created = 0;
	CHECK(created, "stress: 4 threads created");
	if (!created)
		return;
	for (int t = 0; t < NT; t++)
		pthread_join(th[t], NULL);
	note("stress: %.2f s, %ld cross-thread frees, %ld local frees", now_s() - t0,
	     (long)cross_frees, (long)local_frees);
	CHECK(alloc_fail == 0, "stress: every malloc/calloc/realloc succeeded");
	CHECK(misaligned == 0, "stress: every block 16-byte aligned");
	CHECK(usable_short == 0, "stress: malloc_usable_size >= request for every block");
	CHECK(bad_local == 0, "stress: every locally freed block kept its pattern");
	CHECK(bad_remote == 0, "stress: every block handed to another thread kept its pattern");
	CHECK(bad_realloc == 0, "stress: realloc kept the prefix of every block");
	CHECK(cross_frees > ITERS / 8, "stress: many cross-thread frees happened");
	if (alloc_fail || misaligned || bad_local || bad_remote || bad_realloc)
		note("alloc_fail %ld misaligned %ld bad_local %ld bad_remote %ld bad_realloc %ld",
		     (long)alloc_fail, (long)misaligned, (long)bad_local, (long)bad_remote,
		     (long)bad_realloc);
	/* The main thread can still allocate everything. */
	void *p = t_malloc(opq(1000)), *q = t_malloc(opq(100000));
	CHECK(p && q, "stress: main thread allocates after the stress");
	t_free(p);
	t_free(q);
}

/* ---- exited threads ---- */

#define XT 4        /* threads per round */
#define XB 64       /* blocks each leaves behind */
#define ROUNDS 60

struct xblock {
	void *p;
	size_t n;
	uint32_t tag;
};
static struct xblock left[2][XT][XB]; /* this round's and the previous round's */
static void *from_main[XT][16];        /* main's blocks, freed by the threads */
static atomic_long x_fail;

struct xarg {
	int round, t;
};

static void *exiting_thread(void *arg)
{
	struct xarg *a = arg;
	uint64_t seed = (uint64_t)(a->round * 131 + a->t + 7) * 0x9E3779B97F4A7C15ULL;
	struct xblock *mine = left[a->round & 1][a->t];
	for (int j = 0; j < XB; j++) {
		size_t n = (j == 0) ? 40000 + (size_t)j : random_size(&seed) % 20000 + 1;
		mine[j].p = t_malloc(n);
		mine[j].n = n;
		mine[j].tag = (uint32_t)(a->round << 16 | a->t << 8 | j);
		if (!mine[j].p) {
			atomic_fetch_add(&x_fail, 1);
			continue;
		}
		mark(mine[j].p, n, mine[j].tag);
	}
	/* and free some blocks the main thread allocated */
	for (int j = 0; j < 16; j++) {
		if (from_main[a->t][j] && !verify(from_main[a->t][j], 100, (uint32_t)(a->t * 16 + j)))
			atomic_fetch_add(&x_fail, 1);
		t_free(from_main[a->t][j]);
		from_main[a->t][j] = NULL;
	}
	return NULL; /* exits with its blocks still live */
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = -1;
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int run_round(int round, long *bad)
{
	pthread_t th[XT];
	struct xarg args[XT];
	for (int t = 0; t < XT; t++)
		for (int j = 0; j < 16; j++) {
			from_main[t][j] = t_malloc(100);
			if (from_main[t][j])
				fill(from_main[t][j], 100, (uint32_t)(t * 16 + j));
		}
	for (int t = 0; t < XT; t++) {
		args[t].round = round;
		args[t].t = t;
		if (pthread_create(&th[t], NULL, exiting_thread, &args[t]) != 0)
			return 0;
	}
	for (int t = 0; t < XT; t++)
		pthread_join(th[t], NULL);
	/* The previous round's survivors: check and free (their threads are
	 * long gone). This round's: check; free half now, the rest next round. */
	struct xblock (*prev)[XB] = left[(round + 1) & 1];
	struct xblock (*cur)[XB] = left[round & 1];
	for (int t = 0; t < XT; t++)
		for (int j = 0; j < XB; j++) {
			if (round > 0 && j % 2 == 1) {
				if (prev[t][j].p && !marked(prev[t][j].p, prev[t][j].n, prev[t][j].tag))
					(*bad)++;
				t_free(prev[t][j].p);
				prev[t][j].p = NULL;
			}
			if (cur[t][j].p && !marked(cur[t][j].p, cur[t][j].n, cur[t][j].tag))
				(*bad)++;
			if (j % 2 == 0) {
				t_free(cur[t][j].p);
				cur[t][j].p = NULL;
			}
		}
	/* and the main thread keeps allocating */
	static void *v[1000];
	for (int i = 0; i < 1000; i++) {
		size_t n = (size_t)(i * 37 % 5000) + 1;
		v[i] = t_malloc(n);
		if (v[i])
			fill(v[i], n, (uint32_t)(i + round));
		else
			(*bad)++;
	}
	for (int i = 0; i < 1000; i++) {
		size_t n = (size_t)(i * 37 % 5000) + 1;
		if (v[i] && !verify(v[i], n, (uint32_t)(i + round)))
			(*bad)++;
		t_free(v[i]);
	}
	return 1;
}

static void test_exited_threads(void)
{
	long bad = 0;
	int ok = 1;
	ok &= run_round(0, &bad);
	ok &= run_round(1, &bad);
	long before = rss_kib();
	for (int r = 2; r < ROUNDS && ok; r++)
		ok &= run_round(r, &bad);
	long after = rss_kib();
	/* free the last survivors */
	for (int s = 0; s < 2; s++)
		for (int t = 0; t < XT; t++)
			for (int j = 0; j < XB; j++) {
				if (left[s][t][j].p && !marked(left[s][t][j].p, left[s][t][j].n, left[s][t][j].tag))
					bad++;
				t_free(left[s][t][j].p);
				left[s][t][j].p = NULL;
			}
	CHECK(ok, "exited threads: all threads created");
	CHECK(x_fail == 0, "exited threads: allocations in the threads succeeded, main's blocks intact there");
	CHECK(bad == 0, "exited threads: blocks left by exited threads intact when main checks and frees them");
	long grown = after - before;
	note("exited threads: RSS %ld KiB -> %ld KiB over %d rounds of %d threads", before, after,
	     ROUNDS - 2, XT);
	CHECK(before > 0 && grown < 32 * 1024,
	      "exited threads: RSS grows by less than 32 MiB over 58 rounds (heaps of exited threads reused)");
	void *p = t_malloc(opq(77));
	CHECK(p != NULL, "exited threads: main thread allocates afterwards");
	t_free(p);
}

/* Many threads each doing a short burst, concurrently, then exiting. */
static void *burst(void *arg)
{
	(void)arg;
	void *v[200];
	for (int i = 0; i < 200; i++) {
		v[i] = t_malloc((size_t)(i % 50) * 16 + 1);
		if (!v[i])
			atomic_fetch_add(&x_fail, 1);
		else
			fill(v[i], (size_t)(i % 50) * 16 + 1, (uint32_t)i);
	}
	for (int i = 0; i < 200; i++) {
		if (v[i] && !verify(v[i], (size_t)(i % 50) * 16 + 1, (uint32_t)i))
			atomic_fetch_add(&x_fail, 1);
		t_free(v[i]);
	}
	return NULL;
}

static void test_many_threads(void)
{
	x_fail = 0;
	enum { N = 64 };
	pthread_t th[N];
	int created = 0;
	/* small stacks: 64 default 8 MiB stacks would not fit under the
	 * 200 MiB address-space limit the library is meant to run under */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (int round = 0; round < 10; round++) {
		for (int i = 0; i < N; i++)
			if (pthread_create(&th[i], &attr, burst, NULL) == 0)
				created++;
			else
				th[i] = 0;
		for (int i = 0; i < N; i++)
			if (th[i])
				pthread_join(th[i], NULL);
	}
	pthread_attr_destroy(&attr);
	CHECK(created == 10 * N, "640 short-lived threads (64 at a time) created");
	CHECK(x_fail == 0, "640 short-lived threads: every block allocated and intact");
}

int main(void)
{
	alarm(300); /* a deadlock fails the run instead of hanging it */
	test_stress();
	test_exited_threads();
	test_many_threads();
	return check_exit_status();
}
