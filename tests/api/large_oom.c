/* LARGE blocks when the address space runs out (RLIMIT_AS): a realloc that
 * cannot grow returns NULL with ENOMEM and leaves the block as it was, at
 * every fill level of the LARGE registry, including the one where the
 * registry itself would need to grow; a malloc that cannot grow a cached
 * mapping nor map a new one returns NULL with ENOMEM. */
#include "testutil.h"

#define NLARGE 600
#define LARGE_SIZE (40u << 10)

struct oom_counts {
	int refused;	/* reallocs that returned NULL with ENOMEM */
	int intact;	/* ... and left the block readable with its contents */
	int grown;	/* reallocs that succeeded within the limit */
};

/* In a child: LARGE blocks are allocated one at a time; after each, with
 * the address-space limit at the current use, the newest block is grown. */
static void grow_at_limit_child(void *arg)
{
	static void *blocks[NLARGE];
	struct oom_counts c = { 0, 0, 0 };
	struct rlimit old, tight;

	(void)arg;
	getrlimit(RLIMIT_AS, &old);
	for (int i = 0; i < NLARGE; i++) {
		blocks[i] = t_malloc(opq(LARGE_SIZE));
		if (blocks[i] == NULL)
			_exit(3);
		fill(blocks[i], LARGE_SIZE, (uint32_t)i);
		tight = old;
		tight.rlim_cur = (rlim_t)vm_bytes();
		if (setrlimit(RLIMIT_AS, &tight) != 0)
			_exit(4);
		errno = 0;
		void *q = t_realloc(blocks[i], opq(4 * LARGE_SIZE));
		int e = errno;
		setrlimit(RLIMIT_AS, &old);
		if (q != NULL) {
			c.grown++;
			blocks[i] = q;
			continue;
		}
		if (e == ENOMEM)
			c.refused++;
		/* a lost block faults here and the child dies of SIGSEGV */
		if (verify(blocks[i], LARGE_SIZE, (uint32_t)i) && t_usable(blocks[i]) >= LARGE_SIZE)
			c.intact++;
	}
	for (int i = 0; i < NLARGE; i++)
		t_free(blocks[i]);
	printf("refused %d intact %d grown %d\n", c.refused, c.intact, c.grown);
	fflush(stdout);
}

/* In a child: a freed 12 MiB mapping is cached; at the address-space limit,
 * a 14 MiB request can neither grow it (mremap) nor map fresh memory. It
 * must return NULL with ENOMEM, and the allocator must serve the same request
 * once the limit is lifted. Prints "grow-refused E served S". */
static void grow_cached_at_limit_child(void *arg)
{
	struct rlimit old, tight;
	char *cached = t_malloc(opq(12u << 20));

	(void)arg;
	if (cached == NULL)
		_exit(3);
	fill(cached, 12u << 20, 9);
	t_free(cached);
	getrlimit(RLIMIT_AS, &old);
	tight = old;
	tight.rlim_cur = (rlim_t)vm_bytes() + (1u << 20);
	if (setrlimit(RLIMIT_AS, &tight) != 0)
		_exit(4);
	errno = 0;
	char *q = t_malloc(opq(14u << 20));
	int refused = q == NULL && errno == ENOMEM;
	setrlimit(RLIMIT_AS, &old);
	char *again = t_malloc(opq(14u << 20));
	int served = again != NULL;
	if (served) {
		fill(again, 14u << 20, 10);
		served = verify(again, 14u << 20, 10);
	}
	t_free(q);
	t_free(again);
	printf("grow-refused %d served %d\n", refused, served);
	fflush(stdout);
}

int main(void)
{
	static struct child_result r;
	struct oom_counts c = { -1, -1, -1 };
	char name[200];

	run_child(grow_at_limit_child, NULL, 1, 60, &r);
	int exited = !r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
	if (!exited)
		note("child status %#x, timed out %d, output: %s", r.status, r.timed_out, r.out);
	CHECK(exited, "growing LARGE blocks at the address-space limit never crashes");
	sscanf(r.out, "refused %d intact %d grown %d", &c.refused, &c.intact, &c.grown);
	note("%s", r.out);
	snprintf(name, sizeof name, "at the limit, LARGE reallocs fail with ENOMEM (%d of %d)",
		 c.refused, NLARGE);
	CHECK(c.refused + c.grown == NLARGE && c.refused > NLARGE / 2, name);
	CHECK(c.intact == c.refused && c.refused > 0,
	      "every block whose realloc failed keeps its contents and size");

	int refused = -1, served = -1;
	run_child(grow_cached_at_limit_child, NULL, 1, 60, &r);
	exited = !r.timed_out && WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
	if (!exited)
		note("child status %#x, timed out %d, output: %s", r.status, r.timed_out, r.out);
	sscanf(r.out, "grow-refused %d served %d", &refused, &served);
	CHECK(exited && refused == 1,
	      "at the limit, a request that would grow a cached mapping gets NULL and ENOMEM");
	CHECK(served == 1, "once the limit is lifted, the same request is served");
	return check_exit_status();
}
