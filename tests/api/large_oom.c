/* LARGE blocks when the address space runs out (RLIMIT_AS): a realloc that
 * cannot grow returns NULL with ENOMEM and leaves the block as it was, at
 * every fill level of the LARGE registry, including the one where the
 * registry itself would need to grow. */
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
	return check_exit_status();
}
