/* Freed LARGE mappings are reused: a request that fits a cached mapping gets
 * it, a smaller one gets the front of it, a small block that grows moves into
 * one, a request longer than every cached mapping grows the longest, and
 * every block still ends at a guard page, so a write one byte past
 * its usable size faults. */
#include "testutil.h"

#define MIB (1u << 20)

struct overrun {
	char *block;
	size_t usable;
};

static void write_past_end(void *arg)
{
	struct overrun *o = arg;

	o->block[o->usable] = 1;
	printf("no fault\n");
}

/* 1 when writing one byte past the usable end of p kills the child. */
static int guarded(char *p)
{
	static struct child_result r;
	struct overrun o = { p, t_usable(p) };

	run_child(write_past_end, &o, 1, 10, &r);
	return !r.timed_out && WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGSEGV;
}

int main(void)
{
	char *big = t_malloc(opq(8 * MIB));
	uintptr_t was = (uintptr_t)big;

	CHECK(big != NULL && guarded(big), "an 8 MiB block ends at a guard page");
	fill(big, 8 * MIB, 1);
	t_free(big);

	char *front = t_malloc(opq(MIB));
	CHECK((uintptr_t)front == was, "a 1 MiB request takes the front of the freed 8 MiB mapping");
	CHECK(t_usable(front) >= MIB && t_usable(front) < MIB + 4096,
	      "the front block's usable size is the request rounded to a page");
	CHECK(guarded(front), "the front block ends at a new guard page");
	fill(front, MIB, 2);

	char *tail = t_malloc(opq(6 * MIB));
	CHECK(tail != NULL && (uintptr_t)tail > (uintptr_t)front &&
	      (uintptr_t)tail < was + 8 * MIB,
	      "a 6 MiB request takes the rest of the mapping");
	fill(tail, 6 * MIB, 3);
	CHECK(guarded(tail), "the tail block ends at a guard page");
	CHECK(verify(front, MIB, 2), "writing the tail block leaves the front block intact");

	char *again = t_realloc(front, opq(3 * MIB));
	CHECK(again != NULL && verify(again, MIB, 2), "a carved block grows with realloc, contents kept");
	CHECK(verify(tail, 6 * MIB, 3), "growing the front block leaves the tail block intact");
	t_free(again);
	t_free(tail);

	/* calloc on reused memory is zeroed */
	char *dirty = t_malloc(opq(2 * MIB));
	fill(dirty, 2 * MIB, 4);
	t_free(dirty);
	char *zeroed = t_calloc(1, opq(MIB + 12345));
	CHECK(zeroed != NULL && all_bytes(zeroed, MIB + 12345, 0),
	      "calloc served from a cached mapping is all zeroes");
	t_free(zeroed);

	/* A small LARGE block that grows is copied into a cached mapping
	 * rather than remapped. */
	char *spare = t_malloc(opq(200 * 1024));
	char *small = t_malloc(opq(100 * 1024));
	uintptr_t spare_at = (uintptr_t)spare;

	fill(small, 100 * 1024, 5);
	t_free(spare);
	char *grown = t_realloc(small, opq(150 * 1024));
	CHECK((uintptr_t)grown == spare_at && verify(grown, 100 * 1024, 5) &&
	      t_usable(grown) >= 150 * 1024,
	      "a 100 KiB block grown to 150 KiB moves into the freed 200 KiB mapping, contents kept");
	CHECK(guarded(grown), "the grown block ends at a guard page");
	fill(grown, 150 * 1024, 6);
	CHECK(verify(grown, 150 * 1024, 6), "all of the grown block is writable");
	t_free(grown);

	/* A request longer than every cached mapping grows the longest one:
	 * its pages come along (still holding what was written), only the rest
	 * is new. */
	char *seed = t_malloc(opq(12 * MIB));
	fill(seed, 12 * MIB, 7);
	t_free(seed);
	char *longer = t_malloc(opq(14 * MIB));
	CHECK(longer != NULL && verify(longer, 12 * MIB, 7),
	      "a 14 MiB request grows the freed 12 MiB mapping, whose pages it keeps");
	CHECK(guarded(longer), "the grown mapping ends at a guard page");
	fill(longer, 14 * MIB, 8);
	CHECK(verify(longer, 14 * MIB, 8), "all of the grown mapping is writable");
	t_free(longer);
	char *zeros = t_calloc(1, opq(15 * MIB));
	CHECK(zeros != NULL && all_bytes(zeros, 15 * MIB, 0),
	      "calloc served by growing a cached mapping is all zeroes");
	t_free(zeros);
	return check_exit_status();
}
