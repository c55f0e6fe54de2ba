/* The rest of the API surface: cfree, the __libc_* aliases (and that every
 * exported name resolves to libft_malloc), mallopt, malloc_trim, mallinfo,
 * mallinfo2, malloc_stats, malloc_info. */
#include "testutil.h"

#include <dlfcn.h>

/* Weak: the program still links (and the check fails) if a name is missing. */
extern void cfree(void *) __attribute__((weak));

static void *sym(const char *name)
{
	return dlsym(RTLD_DEFAULT, name);
}

static int from_ft_malloc(void *addr, const char **file)
{
	Dl_info info;
	*file = "(dladdr failed)";
	if (!addr || !dladdr(addr, &info) || !info.dli_fname)
		return 0;
	*file = info.dli_fname;
	return strstr(info.dli_fname, "libft_malloc") != NULL;
}

static void test_symbols_resolve_to_library(void)
{
	static const char *names[] = {
		"malloc", "free", "calloc", "realloc", "reallocarray", "posix_memalign",
		"aligned_alloc", "memalign", "valloc", "pvalloc", "malloc_usable_size", "cfree",
		"mallopt", "malloc_trim", "mallinfo", "mallinfo2", "malloc_stats", "malloc_info",
		"__libc_malloc", "__libc_free", "__libc_calloc", "__libc_realloc",
		"__libc_memalign", "__posix_memalign", "__libc_valloc", "__libc_pvalloc",
		"show_alloc_mem", "ft_malloc_set_on_error",
	};
	char name[160];
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		void *a = sym(names[i]);
		const char *file;
		int ok = from_ft_malloc(a, &file);
		snprintf(name, sizeof name, "dlsym(RTLD_DEFAULT, \"%s\") resolves into libft_malloc", names[i]);
		CHECK(ok, name);
		if (!ok)
			note("%s -> %p in %s", names[i], a, file);
	}
	/* What the program itself calls is the library's too. */
	const char *file;
	CHECK(from_ft_malloc((void *)t_malloc, &file), "the program's malloc is libft_malloc's");
	CHECK(from_ft_malloc((void *)t_free, &file), "the program's free is libft_malloc's");
}

static long long uord(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (long long)mi.uordblks;
}

/* Frees 512 blocks of 2000 bytes with `release` and tells whether mallinfo2
 * saw the memory go (a free that does nothing keeps uordblks up). */
static int releases_memory(void (*release)(void *))
{
	enum { N = 512 };
	void *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = t_malloc(opq(2000));
		if (v[i])
			memset(v[i], 1, 2000);
	}
	long long before = uord();
	for (int i = 0; i < N; i++)
		release(v[i]);
	long long after = uord();
	if (!(before - after >= (long long)N * 2000 / 2))
		note("uordblks before %lld, after %lld", before, after);
	return before - after >= (long long)N * 2000 / 2;
}

static void call_cfree(void *p)
{
	cfree(p);
}

static void (*libc_free_fp)(void *);
static void call_libc_free(void *p)
{
	libc_free_fp(p);
}

/* child bodies for the "X really frees" death tests */
struct df_arg {
	void *p;
	void (*release)(void *);
};
static void df_child(void *a)
{
	struct df_arg *d = a;
	d->release(d->p);
	t_free(d->p); /* must be reported as a double free */
}

static void expect_double_free_after(void (*release)(void *), const char *what)
{
	static struct child_result r;
	char name[160], expected[96];
	struct df_arg d = { t_malloc(opq(100)), release };
	snprintf(expected, sizeof expected, "ft_malloc: double free of %p", d.p);
	run_child(df_child, &d, 2, 10, &r);
	int ok = child_aborted(&r) && count_lines_equal(r.out, r.len, expected) == 1;
	snprintf(name, sizeof name, "free after %s is reported as a double free (so %s freed)", what, what);
	CHECK(ok, name);
	if (!ok)
		note_output(name, &r);
	t_free(d.p);
}

static void test_cfree(void)
{
	CHECK(cfree != NULL, "cfree is defined");
	if (!cfree)
		return;
	void *p = t_malloc(opq(100));
	errno = 1234;
	cfree(p);
	CHECK(errno == 1234, "cfree of a block keeps errno");
	errno = 1234;
	cfree(NULL);
	CHECK(errno == 1234, "cfree(NULL) is a no-op");
	CHECK(releases_memory(call_cfree), "cfree releases memory (mallinfo2.uordblks drops)");
	expect_double_free_after(call_cfree, "cfree");
}

static void test_libc_aliases(void)
{
	void *(*lmalloc)(size_t) = (void *(*)(size_t))sym("__libc_malloc");
	void (*lfree)(void *) = (void (*)(void *))sym("__libc_free");
	void *(*lcalloc)(size_t, size_t) = (void *(*)(size_t, size_t))sym("__libc_calloc");
	void *(*lrealloc)(void *, size_t) = (void *(*)(void *, size_t))sym("__libc_realloc");
	void *(*lmemalign)(size_t, size_t) = (void *(*)(size_t, size_t))sym("__libc_memalign");
	int (*lpm)(void **, size_t, size_t) = (int (*)(void **, size_t, size_t))sym("__posix_memalign");

	CHECK(lmalloc != NULL, "__libc_malloc exists");
	CHECK(lfree != NULL, "__libc_free exists");
	CHECK(lcalloc != NULL, "__libc_calloc exists");
	CHECK(lrealloc != NULL, "__libc_realloc exists");
	CHECK(lmemalign != NULL, "__libc_memalign exists");
	CHECK(lpm != NULL, "__posix_memalign exists");

	if (lmalloc && lfree) {
		void *p = lmalloc(opq(100));
		CHECK(p && is_aligned(p, 16), "__libc_malloc(100) returns an aligned block");
		CHECK(p && t_usable(p) >= 100, "malloc_usable_size knows a __libc_malloc block");
		if (p)
			fill(p, 100, 1);
		CHECK(p && verify(p, 100, 1), "__libc_malloc block is writable");
		errno = 1234;
		t_free(p); /* free() accepts __libc_malloc's blocks */
		CHECK(errno == 1234, "free() of a __libc_malloc block");
		p = t_malloc(opq(5000));
		errno = 1234;
		lfree(p); /* and __libc_free accepts malloc's */
		CHECK(errno == 1234, "__libc_free of a malloc block keeps errno");
		errno = 0;
		p = lmalloc(opq(SIZE_MAX));
		CHECK(p == NULL && errno == ENOMEM, "__libc_malloc(SIZE_MAX) returns NULL with ENOMEM");
		libc_free_fp = lfree;
		CHECK(releases_memory(call_libc_free), "__libc_free releases memory (mallinfo2.uordblks drops)");
		expect_double_free_after(call_libc_free, "__libc_free");
	}
	if (lcalloc) {
		void *d = t_malloc(opq(3000));
		memset(d, 0xAA, 3000);
		t_free(d);
		unsigned char *p = lcalloc(opq(3), opq(1000));
		CHECK(p && all_bytes(p, 3000, 0), "__libc_calloc(3, 1000) is zeroed");
		t_free(p);
		errno = 0;
		p = lcalloc(opq(SIZE_MAX / 2 + 1), opq(2));
		CHECK(p == NULL && errno == ENOMEM, "__libc_calloc overflow returns NULL with ENOMEM");
	}
	if (lrealloc) {
		void *p = t_malloc(opq(50));
		fill(p, 50, 9);
		void *q = lrealloc(p, opq(100000));
		CHECK(q && verify(q, 50, 9), "__libc_realloc 50 -> 100000 keeps contents");
		q = lrealloc(q, opq(0));
		CHECK(q == NULL, "__libc_realloc(p, 0) returns NULL");
		q = lrealloc(NULL, opq(10));
		CHECK(q != NULL, "__libc_realloc(NULL, 10) allocates");
		t_free(q);
	}
	if (lmemalign) {
		void *p = lmemalign(opq(4096), opq(100));
		CHECK(p && is_aligned(p, 4096), "__libc_memalign(4096, 100) is 4096-aligned");
		CHECK(p && t_usable(p) >= 100, "__libc_memalign block has usable size >= 100");
		t_free(p);
	}
	if (lpm) {
		void *p = NULL;
		int r = lpm(&p, opq(64), opq(100));
		CHECK(r == 0 && p && is_aligned(p, 64), "__posix_memalign(64, 100) returns 0 and a 64-aligned block");
		t_free(p);
		void *s = (void *)0xDEADBEEF;
		p = s;
		r = lpm(&p, opq(24), opq(100));
		CHECK(r == EINVAL && p == s, "__posix_memalign(alignment 24) returns EINVAL, *memptr untouched");
	}
}

static void test_mallopt_trim(void)
{
	CHECK(mallopt(M_TRIM_THRESHOLD, 128 * 1024) == 1, "mallopt(M_TRIM_THRESHOLD, 128 KiB) returns 1");
	CHECK(mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1, "mallopt(M_MMAP_THRESHOLD, 128 KiB) returns 1");
	CHECK(mallopt(M_ARENA_MAX, 8) == 1, "mallopt(M_ARENA_MAX, 8) returns 1");
	void *p = t_malloc(opq(100));
	CHECK(p != NULL, "malloc works after mallopt calls");
	t_free(p);

	void *v[256];
	for (int i = 0; i < 256; i++)
		v[i] = t_malloc(opq(4000));
	for (int i = 0; i < 256; i++)
		t_free(v[i]);
	int r = malloc_trim(0);
	CHECK(r == 0 || r == 1, "malloc_trim(0) returns 0 or 1");
	if (r != 0 && r != 1)
		note("malloc_trim(0) = %d", r);
	r = malloc_trim(1 << 20);
	CHECK(r == 0 || r == 1, "malloc_trim(1 MiB) returns 0 or 1");
	p = t_malloc(opq(4000));
	CHECK(p != NULL, "malloc works after malloc_trim");
	t_free(p);
}

static void test_mallinfo(void)
{
	enum { N = 1024, SZ = 1024 }; /* 1 MiB in SMALL blocks */
	void **v = t_malloc(opq(N * sizeof(void *)));
	struct mallinfo2 base = mallinfo2();
	for (int i = 0; i < N; i++) {
		v[i] = t_malloc(opq(SZ));
		if (v[i])
			memset(v[i], 1, SZ);
	}
	struct mallinfo2 peak = mallinfo2();
	struct mallinfo (*mi1)(void) = (struct mallinfo (*)(void))sym("mallinfo");
	struct mallinfo old = { 0 };
	if (mi1)
		old = mi1();
	for (int i = 0; i < N; i++)
		t_free(v[i]);
	struct mallinfo2 after = mallinfo2();
	t_free(v);

	CHECK(peak.uordblks >= (size_t)N * SZ, "mallinfo2().uordblks >= 1 MiB with 1 MiB of 1 KiB blocks live");
	CHECK(peak.uordblks >= base.uordblks + (size_t)N * SZ, "mallinfo2().uordblks grew by >= 1 MiB");
	CHECK(after.uordblks < peak.uordblks, "mallinfo2().uordblks drops after freeing them");
	CHECK(peak.uordblks - after.uordblks >= (size_t)N * SZ / 2,
	      "mallinfo2().uordblks drops by at least half a MiB after freeing 1 MiB");
	if (!(peak.uordblks >= (size_t)N * SZ) || !(after.uordblks < peak.uordblks))
		note("base %zu, peak %zu, after %zu", base.uordblks, peak.uordblks, after.uordblks);
	CHECK(peak.arena + peak.hblkhd >= peak.uordblks, "mallinfo2: arena + hblkhd >= uordblks (memory held covers memory used)");
	CHECK(mi1 != NULL && old.uordblks >= N * SZ, "mallinfo().uordblks >= 1 MiB with 1 MiB live");
}

static void stats_child(void *unused)
{
	(void)unused;
	void *p = t_malloc(opq(1000));
	malloc_stats();
	t_free(p);
}

static void test_malloc_stats(void)
{
	static struct child_result r;
	run_child(stats_child, NULL, 2, 10, &r);
	CHECK(child_exited_0(&r), "malloc_stats() runs and returns (child exits 0)");
	CHECK(r.len > 0, "malloc_stats() writes something to stderr");
	if (!child_exited_0(&r) || r.len == 0)
		note_output("malloc_stats", &r);
}

static void test_malloc_info(void)
{
	FILE *f = tmpfile();
	if (!f) {
		CHECK(0, "tmpfile for malloc_info");
		return;
	}
	void *p = t_malloc(opq(1000));
	int r = malloc_info(0, f);
	t_free(p);
	CHECK(r == 0, "malloc_info(0, fp) returns 0");
	fflush(f);
	rewind(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	CHECK(n > 0, "malloc_info(0, fp) writes to fp");
	const char *s = buf;
	while (*s == ' ' || *s == '\n' || *s == '\t')
		s++;
	CHECK(strncmp(s, "<malloc", 7) == 0, "malloc_info output starts with \"<malloc\"");
	const char *gt = strchr(s, '>');
	int self_closed = gt && gt > s && gt[-1] == '/';
	CHECK(strstr(buf, "</malloc>") != NULL || self_closed,
	      "malloc_info output closes its <malloc> element");
	if (strncmp(s, "<malloc", 7) != 0)
		note("malloc_info output: %.200s", buf);
}

int main(void)
{
	test_symbols_resolve_to_library();
	test_cfree();
	test_libc_aliases();
	test_mallopt_trim();
	test_mallinfo();
	test_malloc_stats();
	test_malloc_info();
	return check_exit_status();
}
