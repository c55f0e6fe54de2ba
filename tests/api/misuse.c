/* Misuse death tests. Each misuse runs in a forked child with stderr on a
 * pipe. The parent checks that the child died of SIGABRT and that stderr
 * holds exactly one line equal to the expected diagnostic:
 *   ft_malloc: double free of 0x...
 *   ft_malloc: interior free of 0x...
 *   ft_malloc: invalid free of 0x...
 *   ft_malloc: realloc of freed pointer 0x...
 *   ft_malloc: realloc of interior pointer 0x...
 *   ft_malloc: realloc of invalid pointer 0x...
 * (addresses as printf's %p prints them). Blocks and addresses are made in the
 * parent before the fork, so parent and child agree on every address.
 * Then the "continue" mode, set by ft_malloc_set_on_error() and by the
 * environment (FT_MALLOC_ON_ERROR=continue, through a re-exec of this
 * program): the same line is printed, the call is ignored, the heap stays
 * usable and the child exits 0. */
#include "testutil.h"

#include <pthread.h>
#include <sys/mman.h>

#include "ft_malloc.h"
#pragma weak ft_malloc_set_on_error

#define DOUBLE_FREE "ft_malloc: double free of "
#define INTERIOR_FREE "ft_malloc: interior free of "
#define INVALID_FREE "ft_malloc: invalid free of "
#define REALLOC_FREED "ft_malloc: realloc of freed pointer "
#define REALLOC_INTERIOR "ft_malloc: realloc of interior pointer "
#define REALLOC_INVALID "ft_malloc: realloc of invalid pointer "

static char global_buf[256] __attribute__((aligned(64)));

struct act {
	void *p;       /* the block (or address) the child misuses */
	void *q;       /* a second address when needed */
	void *keep;    /* a block kept live so its zone stays */
};

/* Runs fn in a child; expects SIGABRT and exactly one stderr line equal to
 * prefix1 + %p(addr) (or prefix2 + %p(addr) when prefix2 is given). */
static void expect_death(const char *what, void (*fn)(void *), struct act *a,
			 const char *prefix1, const char *prefix2, void *addr)
{
	static struct child_result r;
	char e1[128], e2[128], name[256];
	snprintf(e1, sizeof e1, "%s%p", prefix1, addr);
	snprintf(e2, sizeof e2, "%s%p", prefix2 ? prefix2 : prefix1, addr);
	if (run_child(fn, a, 2, 10, &r) != 0) {
		snprintf(name, sizeof name, "%s: fork a child", what);
		CHECK(0, name);
		return;
	}
	snprintf(name, sizeof name, "%s: child is killed by SIGABRT", what);
	CHECK(child_aborted(&r), name);
	int n1 = count_lines_equal(r.out, r.len, e1);
	int n2 = prefix2 ? count_lines_equal(r.out, r.len, e2) : 0;
	/* The address differs from run to run: keep it out of the check name. */
	if (prefix2)
		snprintf(name, sizeof name, "%s: stderr has exactly one line \"%s<p>\" or \"%s<p>\"", what,
			 prefix1, prefix2);
	else
		snprintf(name, sizeof name, "%s: stderr has exactly one line \"%s<p>\"", what, prefix1);
	CHECK(n1 + n2 == 1, name);
	if (!child_aborted(&r) || n1 + n2 != 1) {
		note("expected \"%s\"%s%s%s", e1, prefix2 ? " or \"" : "", prefix2 ? e2 : "", prefix2 ? "\"" : "");
		note_output(what, &r);
	}
}

/* ---- child bodies ---- */
static void do_double_free(void *v)
{
	struct act *a = v;
	t_free(a->p);
	t_free(a->p);
}
static void do_free_q(void *v)
{
	struct act *a = v;
	t_free(a->q);
}
static void do_realloc_freed(void *v)
{
	struct act *a = v;
	t_free(a->p);
	void *r = t_realloc(a->p, opq(100));
	(void)r;
}
static void do_realloc_q(void *v)
{
	struct act *a = v;
	void *r = t_realloc(a->q, opq(100));
	(void)r;
}
static void do_free_after_realloc0(void *v)
{
	struct act *a = v;
	void *r = t_realloc(a->p, opq(0));
	(void)r;
	t_free(a->p);
}
static void do_free_after_move(void *v)
{
	struct act *a = v;
	void *r = t_realloc(a->p, opq(300000)); /* TINY -> LARGE: moves */
	if (r == a->p)
		_exit(77);
	t_free(a->p);
}

/* Frees every block of a->p (a NULL-terminated array), has malloc_trim give
 * the emptied slabs and zones back, then frees the last block again. */
static void do_free_after_trim(void *v)
{
	struct act *a = v;
	void **blocks = a->p;

	for (size_t i = 0; blocks[i] != NULL; i++)
		t_free(blocks[i]);
	malloc_trim(0);
	t_free(a->q);
}

static void *remote_free(void *p)
{
	t_free(p);
	return NULL;
}
/* Two frees of one block from two other threads; the owner then allocates
 * enough to go through its slow path (where remote frees are drained). */
static void do_remote_double_free(void *v)
{
	struct act *a = v;
	pthread_t t;
	pthread_create(&t, NULL, remote_free, a->p);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, remote_free, a->p);
	pthread_join(t, NULL);
	for (int round = 0; round < 20; round++) {
		void *v2[1000];
		for (int i = 0; i < 1000; i++)
			v2[i] = t_malloc(opq(32));
		for (int i = 0; i < 1000; i++)
			t_free(v2[i]);
	}
}
static void do_remote_interior_free(void *v)
{
	struct act *a = v;
	pthread_t t;
	pthread_create(&t, NULL, remote_free, a->q);
	pthread_join(t, NULL);
	for (int round = 0; round < 20; round++) {
		void *v2[1000];
		for (int i = 0; i < 1000; i++)
			v2[i] = t_malloc(opq(32));
		for (int i = 0; i < 1000; i++)
			t_free(v2[i]);
	}
}

static const struct {
	size_t n;
	const char *kind;
} kinds[] = { { 32, "TINY" }, { 2000, "SMALL" }, { 200000, "LARGE" } };

static void test_double_free(void)
{
	char what[128];
	for (int k = 0; k < 3; k++) {
		struct act a = { t_malloc(opq(kinds[k].n)), NULL, t_malloc(opq(kinds[k].n)) };
		snprintf(what, sizeof what, "double free of a %s block", kinds[k].kind);
		/* The mapping of a freed LARGE block may be gone: "invalid" is fine. */
		expect_death(what, do_double_free, &a, DOUBLE_FREE, k == 2 ? INVALID_FREE : NULL, a.p);
		t_free(a.p);
		t_free(a.keep);
	}
	/* realloc(p, 0) freed p: a later free(p) is a double free. */
	struct act a = { t_malloc(opq(40)), NULL, t_malloc(opq(40)) };
	expect_death("free after realloc(p, 0)", do_free_after_realloc0, &a, DOUBLE_FREE, NULL, a.p);
	t_free(a.p);
	t_free(a.keep);
	/* realloc moved p: the old pointer is freed. */
	a.p = t_malloc(opq(40));
	a.keep = t_malloc(opq(40));
	expect_death("free of the old pointer after realloc moved it", do_free_after_move, &a, DOUBLE_FREE,
		     NULL, a.p);
	t_free(a.p);
	t_free(a.keep);
	/* The last free went through the slab this thread last freed into; once
	 * malloc_trim has given that slab (and perhaps its zone) back, a free of
	 * one of its blocks is an invalid free, not a read of gone metadata. */
	enum { NTRIM = 4000 };
	static void *trimmed[NTRIM + 1];
	for (int i = 0; i < NTRIM; i++)
		trimmed[i] = t_malloc(opq(4096));
	a.p = trimmed;
	a.q = trimmed[NTRIM - 1];
	expect_death("free of a block whose slab malloc_trim gave back", do_free_after_trim, &a,
		     INVALID_FREE, NULL, a.q);
	for (int i = 0; i < NTRIM; i++)
		t_free(trimmed[i]);
	/* from other threads */
	a.p = t_malloc(opq(32));
	a.keep = t_malloc(opq(32));
	expect_death("double free of a TINY block from two other threads", do_remote_double_free, &a,
		     DOUBLE_FREE, NULL, a.p);
	t_free(a.p);
	t_free(a.keep);
}

static void test_interior_free(void)
{
	char what[128];
	for (int k = 0; k < 3; k++) {
		static const size_t offs[] = { 16, 1, 8 };
		for (int o = 0; o < 3; o++) {
			struct act a = { t_malloc(opq(kinds[k].n)), NULL, NULL };
			a.q = (char *)a.p + offs[o];
			snprintf(what, sizeof what, "free(p + %zu) of a live %s block", offs[o], kinds[k].kind);
			/* LARGE: the registry knows only block starts, "invalid" is fine */
			expect_death(what, do_free_q, &a, INTERIOR_FREE, k == 2 ? INVALID_FREE : NULL, a.q);
			t_free(a.p);
		}
	}
	/* an interior free from another thread */
	struct act a = { t_malloc(opq(64)), NULL, NULL };
	a.q = (char *)a.p + 16;
	expect_death("free(p + 16) of a TINY block from another thread", do_remote_interior_free, &a,
		     INTERIOR_FREE, NULL, a.q);
	t_free(a.p);
}

static void test_invalid_free(void)
{
	char stack_buf[64] __attribute__((aligned(16)));
	memset(stack_buf, 0, sizeof stack_buf);
	void *foreign = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static const struct {
		const char *what;
		int which;
	} cases[] = {
		{ "free of a stack address", 0 },
		{ "free of a global", 1 },
		{ "free of a foreign mmap'd page", 2 },
		{ "free((void *)0x10)", 3 },
		{ "free of a misaligned global address", 4 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct act a = { NULL, NULL, NULL };
		switch (cases[i].which) {
		case 0: a.q = opp(stack_buf + 16); break;
		case 1: a.q = opp(global_buf); break;
		case 2: a.q = opp(foreign); break;
		case 3: a.q = opp((void *)0x10); break;
		case 4: a.q = opp(global_buf + 3); break;
		}
		expect_death(cases[i].what, do_free_q, &a, INVALID_FREE, NULL, a.q);
	}
	munmap(foreign, 4096);
}

static void test_realloc_misuse(void)
{
	char what[160];
	for (int k = 0; k < 3; k++) {
		struct act a = { t_malloc(opq(kinds[k].n)), NULL, t_malloc(opq(kinds[k].n)) };
		snprintf(what, sizeof what, "realloc of a freed %s block", kinds[k].kind);
		expect_death(what, do_realloc_freed, &a, REALLOC_FREED, k == 2 ? REALLOC_INVALID : NULL, a.p);
		t_free(a.p);
		t_free(a.keep);
	}
	for (int k = 0; k < 3; k++) {
		struct act a = { t_malloc(opq(kinds[k].n)), NULL, NULL };
		a.q = (char *)a.p + 16;
		snprintf(what, sizeof what, "realloc(p + 16) of a live %s block", kinds[k].kind);
		expect_death(what, do_realloc_q, &a, REALLOC_INTERIOR, k == 2 ? REALLOC_INVALID : NULL, a.q);
		t_free(a.p);
	}
	char stack_buf[64] __attribute__((aligned(16)));
	memset(stack_buf, 0, sizeof stack_buf);
	void *foreign = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	void *addrs[] = { stack_buf + 16, global_buf, foreign, (void *)0x10 };
	static const char *names[] = { "realloc of a stack address", "realloc of a global",
				       "realloc of a foreign mmap'd page", "realloc((void *)0x10, 100)" };
	for (int i = 0; i < 4; i++) {
		struct act a = { NULL, opp(addrs[i]), NULL };
		expect_death(names[i], do_realloc_q, &a, REALLOC_INVALID, NULL, a.q);
	}
	munmap(foreign, 4096);
}

/* ---- continue mode ---- */

/* Child exit codes tell what went wrong. */
enum {
	C_OK = 0,
	C_NO_API = 10,
	C_REUSE_DUP = 12,
	C_ALLOC_FAIL = 13,
	C_CONTENTS = 14,
	C_COUNT_END = 15,
	C_LIVE_LOST = 16,
};

struct cont_arg {
	void *p;        /* freed twice */
	void *live;     /* free(live + 16) is ignored: live stays live */
	void *stack;    /* invalid free */
	unsigned long n0;
};

/* After the misuses: the heap must still hand out distinct, writable blocks
 * and the interior-freed block must be live with its contents. */
static int heap_still_sound(void *p, void *live)
{
	enum { N = 2000 };
	static void *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = t_malloc(opq(32));
		if (!v[i])
			return C_ALLOC_FAIL;
		fill(v[i], 32, (uint32_t)i);
	}
	/* p was freed once (the second free ignored): it may come back at most once */
	int seen_p = 0;
	for (int i = 0; i < N; i++)
		if (v[i] == p)
			seen_p++;
	if (seen_p > 1)
		return C_REUSE_DUP;
	for (int i = 0; i < N; i++)
		if (!verify(v[i], 32, (uint32_t)i))
			return C_CONTENTS;
	if (live && !verify(live, 64, 4242))
		return C_LIVE_LOST;
	for (int i = 0; i < N; i++)
		t_free(v[i]);
	void *big = t_malloc(opq(500000));
	if (!big)
		return C_ALLOC_FAIL;
	memset(big, 1, 500000);
	t_free(big);
	return C_OK;
}

static void continue_api_child(void *v)
{
	struct cont_arg *a = v;
	if (!ft_malloc_set_on_error)
		_exit(C_NO_API);
	unsigned long n0 = ft_malloc_set_on_error(FT_MALLOC_ON_ERROR_CONTINUE);
	t_free(a->p);
	t_free(a->p);                    /* double free: reported, ignored */
	t_free((char *)a->live + 16);    /* interior: reported, ignored */
	t_free(a->stack);                /* invalid: reported, ignored */
	void *r = t_realloc((void *)0x10, opq(100)); /* reported */
	(void)r;
	unsigned long n1 = ft_malloc_set_on_error(FT_MALLOC_ON_ERROR_CONTINUE);
	int rc = heap_still_sound(a->p, a->live);
	if (rc)
		_exit(rc);
	t_free(a->live);                 /* a proper free: no report */
	unsigned long n2 = ft_malloc_set_on_error(FT_MALLOC_ON_ERROR_ABORT);
	if (n1 != n0 + 4 || n2 != n1)
		_exit(C_COUNT_END);
	_exit(C_OK);
}

static void test_continue_api(void)
{
	static struct child_result r;
	char stack_buf[32] __attribute__((aligned(16)));
	memset(stack_buf, 0, sizeof stack_buf);
	struct cont_arg a = { t_malloc(opq(32)), t_malloc(opq(64)), opp(stack_buf), 0 };
	fill(a.live, 64, 4242);
	char e[4][128];
	snprintf(e[0], sizeof e[0], DOUBLE_FREE "%p", a.p);
	snprintf(e[1], sizeof e[1], INTERIOR_FREE "%p", (void *)((char *)a.live + 16));
	snprintf(e[2], sizeof e[2], INVALID_FREE "%p", a.stack);
	snprintf(e[3], sizeof e[3], REALLOC_INVALID "%p", (void *)0x10);
	run_child(continue_api_child, &a, 2, 20, &r);
	char sb[96];
	int before = check_failures;
	CHECK(child_exited_0(&r), "continue mode (API): child exits 0 after misuses, heap sound, count right");
	if (!child_exited_0(&r))
		note("child %s (codes: 10 no API, 12 duplicate block, 13 alloc failed, 14 contents, "
		     "15 misuse count, 16 live block damaged)", describe_status(&r, sb, sizeof sb));
	CHECK(count_lines_equal(r.out, r.len, e[0]) == 1, "continue mode (API): double free reported once");
	CHECK(count_lines_equal(r.out, r.len, e[1]) == 1, "continue mode (API): interior free reported once");
	CHECK(count_lines_equal(r.out, r.len, e[2]) == 1, "continue mode (API): invalid free reported once");
	CHECK(count_lines_equal(r.out, r.len, e[3]) == 1, "continue mode (API): realloc of invalid pointer reported once");
	CHECK(count_lines_prefix(r.out, r.len, "ft_malloc:") == 4,
	      "continue mode (API): exactly 4 diagnostics (the proper free after them is silent)");
	if (check_failures != before)
		note_output("continue mode (API)", &r);
	t_free(a.p);
	t_free(a.live);
}

/* Re-executed with FT_MALLOC_ON_ERROR in the environment. */
static int continue_env_main(void)
{
	void *keep = t_malloc(opq(48));
	void *p = t_malloc(opq(48));
	fprintf(stderr, "PTR %p\n", p);
	t_free(p);
	t_free(p);
	int rc = heap_still_sound(p, NULL);
	t_free(keep);
	return rc;
}

static const char *env_value;
static void exec_self(void *unused)
{
	(void)unused;
	setenv("FT_MALLOC_ON_ERROR", env_value, 1);
	char *argv[] = { "misuse", "--continue-child", NULL };
	execv("/proc/self/exe", argv);
	_exit(99);
}

static void test_continue_env(void)
{
	static struct child_result r;
	char expected[128], sb[96];
	void *p = NULL;

	env_value = "continue";
	run_child(exec_self, NULL, 2, 20, &r);
	const char *s = strstr(r.out, "PTR ");
	if (s)
		sscanf(s, "PTR %p", &p);
	snprintf(expected, sizeof expected, DOUBLE_FREE "%p", p);
	CHECK(child_exited_0(&r), "FT_MALLOC_ON_ERROR=continue: double free does not abort, heap stays sound, exit 0");
	CHECK(p != NULL && count_lines_equal(r.out, r.len, expected) == 1,
	      "FT_MALLOC_ON_ERROR=continue: the double free is reported once");
	if (!child_exited_0(&r) || !p || count_lines_equal(r.out, r.len, expected) != 1) {
		note("child %s", describe_status(&r, sb, sizeof sb));
		note_output("FT_MALLOC_ON_ERROR=continue", &r);
	}

	env_value = "abort";
	run_child(exec_self, NULL, 2, 20, &r);
	p = NULL;
	s = strstr(r.out, "PTR ");
	if (s)
		sscanf(s, "PTR %p", &p);
	snprintf(expected, sizeof expected, DOUBLE_FREE "%p", p);
	CHECK(child_aborted(&r), "FT_MALLOC_ON_ERROR=abort: double free aborts");
	CHECK(p != NULL && count_lines_equal(r.out, r.len, expected) == 1,
	      "FT_MALLOC_ON_ERROR=abort: the double free is reported once");
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--continue-child") == 0)
		return continue_env_main();
	/* The death tests need the default (abort): run without an inherited
	 * FT_MALLOC_ON_ERROR, which the library reads at start-up. */
	if (getenv("FT_MALLOC_ON_ERROR")) {
		unsetenv("FT_MALLOC_ON_ERROR");
		execv("/proc/self/exe", argv);
	}
	test_double_free();
	test_interior_free();
	test_invalid_free();
	test_realloc_misuse();
	test_continue_api();
	test_continue_env();
	return check_exit_status();
}
