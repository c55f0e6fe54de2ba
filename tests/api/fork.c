/* fork in a multi-threaded program.
 * Four threads allocate and free in a loop while the main thread forks 20
 * times. Each child (under a watchdog, so a deadlock is a failure and not a
 * hang) checks and frees a block the parent allocated just before the fork
 * and blocks owned by the worker threads (which do not exist in the child),
 * then mallocs, callocs, reallocs, frees, starts a thread that allocates,
 * and _exit(0)s. The parent checks every child exits 0 and its own heap. */
#include "testutil.h"

#include <pthread.h>
#include <stdatomic.h>

#define NW 4
#define NFORK 20

static atomic_int stop, ready;
static atomic_long worker_bad, worker_ops;
static void *worker_block[NW];
static const size_t worker_block_size[NW] = { 100, 3000, 150000, 40 };

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static void *worker(void *arg)
{
	int w = (int)(intptr_t)arg;
	uint64_t seed = 0x1234567ULL * (uint64_t)(w + 3);
	worker_block[w] = t_malloc(worker_block_size[w]);
	if (worker_block[w])
		fill(worker_block[w], worker_block_size[w], 1000u + (uint32_t)w);
	atomic_fetch_add(&ready, 1);
	void *slot[32] = { 0 };
	size_t size[32] = { 0 };
	long i = 0;
	while (!atomic_load(&stop)) {
		uint64_t r = rng_next(&seed);
		int k = (int)(r % 32);
		if (slot[k]) {
			if (!verify(slot[k], size[k] < 256 ? size[k] : 256, (uint32_t)k + 77))
				atomic_fetch_add(&worker_bad, 1);
			if (r & 0x100) {
				t_free(slot[k]);
				slot[k] = NULL;
				continue;
			}
			size_t nn = (size_t)((r >> 16) % 20000) + 1;
			void *q = t_realloc(slot[k], nn);
			if (!q) {
				atomic_fetch_add(&worker_bad, 1);
				continue;
			}
			size_t keep = size[k] < nn ? size[k] : nn;
			if (!verify(q, keep < 256 ? keep : 256, (uint32_t)k + 77))
				atomic_fetch_add(&worker_bad, 1);
			slot[k] = q;
			size[k] = nn;
			fill(q, nn < 256 ? nn : 256, (uint32_t)k + 77);
			continue;
		}
		size_t n = (r >> 20) % 8 == 0 ? (size_t)((r >> 24) % 200000) + 1 : (size_t)((r >> 24) % 2000) + 1;
		slot[k] = t_malloc(n);
		if (!slot[k]) {
			atomic_fetch_add(&worker_bad, 1);
			continue;
		}
		size[k] = n;
		fill(slot[k], n < 256 ? n : 256, (uint32_t)k + 77);
		i++;
	}
	for (int k = 0; k < 32; k++)
		t_free(slot[k]);
	atomic_fetch_add(&worker_ops, i);
	return NULL;
}

/* ---- the child ---- */
enum {
	E_PARENT_BLOCK = 11,
	E_WORKER_BLOCK,
	E_ALLOC,
	E_CONTENTS,
	E_THREAD,
	E_CALLOC,
};

static void *child_thread(void *arg)
{
	(void)arg;
	void *v[500];
	for (int i = 0; i < 500; i++) {
		v[i] = t_malloc((size_t)(i % 100) * 10 + 1);
		if (!v[i])
			return (void *)1;
		fill(v[i], (size_t)(i % 100) * 10 + 1, (uint32_t)i);
	}
	for (int i = 0; i < 500; i++) {
		if (!verify(v[i], (size_t)(i % 100) * 10 + 1, (uint32_t)i))
			return (void *)1;
		t_free(v[i]);
	}
	return NULL;
}

static int child_body(void *parent_block, size_t parent_size, uint32_t parent_tag, int with_workers)
{
	if (!verify(parent_block, parent_size, parent_tag))
		return E_PARENT_BLOCK;
	t_free(parent_block);
	for (int w = 0; with_workers && w < NW; w++) {
		if (!worker_block[w] || !verify(worker_block[w], worker_block_size[w], 1000u + (uint32_t)w))
			return E_WORKER_BLOCK;
		t_free(worker_block[w]); /* its owner thread does not exist here */
	}
	void *v[300];
	for (int i = 0; i < 300; i++) {
		size_t n = (size_t)(i * 97 % 8000) + 1;
		v[i] = t_malloc(n);
		if (!v[i])
			return E_ALLOC;
		fill(v[i], n, (uint32_t)i);
	}
	for (int i = 0; i < 300; i += 3) {
		size_t n = (size_t)(i * 97 % 8000) + 1;
		size_t nn = n * 2 + 100;
		void *q = t_realloc(v[i], nn);
		if (!q)
			return E_ALLOC;
		if (!verify(q, n, (uint32_t)i))
			return E_CONTENTS;
		v[i] = q;
		fill(q, n, (uint32_t)i); /* keep the check below uniform */
	}
	for (int i = 0; i < 300; i++) {
		size_t n = (size_t)(i * 97 % 8000) + 1;
		if (!verify(v[i], n, (uint32_t)i))
			return E_CONTENTS;
		t_free(v[i]);
	}
	unsigned char *z = t_calloc(1000, 10);
	if (!z || !all_bytes(z, 10000, 0))
		return E_CALLOC;
	t_free(z);
	pthread_t th;
	void *res = (void *)1;
	if (pthread_create(&th, NULL, child_thread, NULL) != 0)
		return E_THREAD;
	pthread_join(th, &res);
	if (res != NULL)
		return E_THREAD;
	return 0;
}

static void test_fork(void)
{
	pthread_t th[NW];
	for (int w = 0; w < NW; w++)
		if (pthread_create(&th[w], NULL, worker, (void *)(intptr_t)w) != 0) {
			CHECK(0, "fork: 4 worker threads created");
			return;
		}
	while (atomic_load(&ready) < NW)
		usleep(1000);

	int exited0 = 0, hung = 0, crashed = 0, failed = 0;
	for (int k = 0; k < NFORK; k++) {
		size_t n = 1000 + (size_t)k * 1500;
		void *pb = t_malloc(n);
		if (!pb) {
			failed++;
			continue;
		}
		fill(pb, n, 500u + (uint32_t)k);
		usleep(2000); /* let the workers get going again */
		fflush(stdout);
		pid_t pid = fork();
		if (pid < 0) {
			failed++;
			t_free(pb);
			continue;
		}
		if (pid == 0) {
			struct rlimit rl = { 0, 0 };
			setrlimit(RLIMIT_CORE, &rl);
			alarm(10);
			_exit(child_body(pb, n, 500u + (uint32_t)k, 1));
		}
		/* the parent's copy of pb is still its own */
		int parent_ok = verify(pb, n, 500u + (uint32_t)k);
		t_free(pb);
		if (!parent_ok)
			failed++;
		int status = 0;
		double deadline = now_s() + 20;
		pid_t w;
		while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() < deadline)
			usleep(1000);
		if (w == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			hung++;
			note("fork %d: child still running after 20 s, killed", k);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			exited0++;
		} else if (WIFSIGNALED(status)) {
			crashed++;
			note("fork %d: child killed by signal %d (%s)%s", k, WTERMSIG(status),
			     strsignal(WTERMSIG(status)), WTERMSIG(status) == SIGALRM ? " -- deadlock?" : "");
		} else {
			failed++;
			note("fork %d: child exited %d (11 parent block, 12 worker block, 13 alloc, "
			     "14 contents, 15 thread, 16 calloc)", k, WEXITSTATUS(status));
		}
	}
	atomic_store(&stop, 1);
	for (int w = 0; w < NW; w++)
		pthread_join(th[w], NULL);
	int workers_intact = 1;
	for (int w = 0; w < NW; w++) {
		if (!worker_block[w] || !verify(worker_block[w], worker_block_size[w], 1000u + (uint32_t)w))
			workers_intact = 0;
		t_free(worker_block[w]);
	}
	CHECK(hung == 0, "fork: no child of a 4-thread parent deadlocks (watchdog 20 s)");
	CHECK(crashed == 0, "fork: no child crashes");
	CHECK(exited0 == NFORK, "fork: all 20 children allocate, free parent and worker blocks, and exit 0");
	CHECK(failed == 0, "fork: parent allocations and forks succeed, parent's copy of each block intact");
	CHECK(worker_bad == 0, "fork: worker threads saw no failed allocation or damaged block");
	CHECK(workers_intact, "fork: worker blocks still intact in the parent after the children freed theirs");
	CHECK(worker_ops > 0, "fork: worker threads were allocating meanwhile");
}

/* Fork from a thread that is not the main thread, while main allocates. */
static atomic_int forker_done;

static void *forking_thread(void *arg)
{
	int *ok = arg;
	*ok = 0;
	for (int k = 0; k < 10; k++) {
		void *pb = t_malloc(5000);
		if (!pb)
			break;
		fill(pb, 5000, 9000u + (uint32_t)k);
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			alarm(10);
			_exit(child_body(pb, 5000, 9000u + (uint32_t)k, 0));
		}
		t_free(pb);
		if (pid < 0)
			break;
		int status = 0;
		double deadline = now_s() + 20;
		pid_t w;
		while ((w = waitpid(pid, &status, WNOHANG)) == 0 && now_s() < deadline)
			usleep(1000);
		if (w == 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			note("fork from a second thread %d: child hung, killed", k);
			break;
		}
		if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
			note("fork from a second thread %d: child status 0x%x", k, status);
			break;
		}
		if (k == 9)
			*ok = 1;
	}
	atomic_store(&forker_done, 1);
	return NULL;
}

static void test_fork_from_thread(void)
{
	pthread_t th;
	int ok = 0;
	if (pthread_create(&th, NULL, forking_thread, &ok) != 0) {
		CHECK(0, "fork from a second thread: thread created");
		return;
	}
	long bad = 0;
	while (!atomic_load(&forker_done)) {
		void *v[64];
		for (int i = 0; i < 64; i++) {
			v[i] = t_malloc((size_t)i * 100 + 1);
			if (v[i])
				fill(v[i], (size_t)i * 100 + 1, (uint32_t)i);
			else
				bad++;
		}
		for (int i = 0; i < 64; i++) {
			if (v[i] && !verify(v[i], (size_t)i * 100 + 1, (uint32_t)i))
				bad++;
			t_free(v[i]);
		}
	}
	pthread_join(th, NULL);
	CHECK(ok, "fork from a second thread: 10 children check and free the parent's block and exit 0");
	CHECK(bad == 0, "fork from a second thread: main thread allocating meanwhile sees no damage");
}

int main(void)
{
	alarm(300);
	test_fork();
	test_fork_from_thread();
	return check_exit_status();
}
