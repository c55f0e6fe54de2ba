/* posix_memalign, aligned_alloc, memalign, valloc, pvalloc. */
#include "testutil.h"

static const size_t asizes[] = { 0, 1, 24, 100, 129, 4000, 5000, 40000, 300000 };
#define NAS (sizeof asizes / sizeof asizes[0])

/* Allocates with every size of asizes at alignment a through `alloc`, checks
 * alignment, writability and usable size, all blocks live at once. */
typedef void *(*alloc_fn)(size_t a, size_t n, int *err);

static void check_aligned_family(const char *fname, alloc_fn alloc, size_t a)
{
	void *v[NAS];
	char name[160];
	int nonnull = 1, aligned = 1, usable = 1;
	for (size_t i = 0; i < NAS; i++) {
		int err = 0;
		v[i] = alloc(a, asizes[i], &err);
		if (!v[i]) {
			nonnull = 0;
			note("%s(%zu, %zu) failed, error %d", fname, a, asizes[i], err);
			continue;
		}
		if (!is_aligned(v[i], a)) {
			aligned = 0;
			note("%s(%zu, %zu) = %p", fname, a, asizes[i], v[i]);
		}
		if (t_usable(v[i]) < asizes[i])
			usable = 0;
		fill(v[i], asizes[i], (uint32_t)(a + i));
	}
	snprintf(name, sizeof name, "%s alignment %zu: all sizes succeed", fname, a);
	CHECK(nonnull, name);
	snprintf(name, sizeof name, "%s alignment %zu: results are %zu-aligned", fname, a, a);
	CHECK(aligned, name);
	snprintf(name, sizeof name, "%s alignment %zu: usable size >= request", fname, a);
	CHECK(usable, name);
	int intact = 1;
	for (size_t i = 0; i < NAS; i++)
		if (v[i] && !verify(v[i], asizes[i], (uint32_t)(a + i)))
			intact = 0;
	snprintf(name, sizeof name, "%s alignment %zu: blocks writable and disjoint", fname, a);
	CHECK(intact, name);
	errno = 1234;
	for (size_t i = 0; i < NAS; i++)
		t_free(v[i]);
	snprintf(name, sizeof name, "%s alignment %zu: blocks freed by free() (errno kept)", fname, a);
	CHECK(errno == 1234, name);
}

static void *pm_alloc(size_t a, size_t n, int *err)
{
	void *p = (void *)0x1;
	*err = t_posix_memalign(&p, opq(a), opq(n));
	if (*err != 0)
		return NULL;
	return p;
}

static void *aa_alloc(size_t a, size_t n, int *err)
{
	errno = 0;
	void *p = t_aligned_alloc(opq(a), opq(n));
	*err = errno;
	return p;
}

static void *ma_alloc(size_t a, size_t n, int *err)
{
	errno = 0;
	void *p = t_memalign(opq(a), opq(n));
	*err = errno;
	return p;
}

static const size_t pm_aligns[] = {
	sizeof(void *), 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 65536,
	(size_t)1 << 20,
};

static void test_posix_memalign(void)
{
	for (size_t i = 0; i < sizeof pm_aligns / sizeof pm_aligns[0]; i++)
		check_aligned_family("posix_memalign", pm_alloc, pm_aligns[i]);

	/* invalid alignments: EINVAL returned, *memptr untouched */
	static const size_t bad[] = { 0, 1, 2, 3, sizeof(void *) / 2, 24, 48, 100, 4097,
				      ((size_t)1 << 20) + 8, SIZE_MAX, (SIZE_MAX >> 1) + 1 + 8 };
	char name[160];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		void *sentinel = (void *)0xDEADBEEF;
		void *p = sentinel;
		int r = t_posix_memalign(&p, opq(bad[i]), opq(100));
		snprintf(name, sizeof name, "posix_memalign(alignment %zu) returns EINVAL", bad[i]);
		CHECK(r == EINVAL, name);
		if (r != EINVAL)
			note("returned %d", r);
		snprintf(name, sizeof name, "posix_memalign(alignment %zu) leaves *memptr untouched", bad[i]);
		CHECK(p == sentinel, name);
		if (r == 0 && p != sentinel)
			t_free(p);
	}

	/* huge sizes: ENOMEM returned, *memptr untouched */
	static const struct {
		size_t a, n;
		const char *what;
	} huge[] = {
		{ 16, SIZE_MAX, "posix_memalign(16, SIZE_MAX)" },
		{ 16, T_PTRDIFF_MAX + 1, "posix_memalign(16, PTRDIFF_MAX+1)" },
		{ 4096, SIZE_MAX - 4096, "posix_memalign(4096, SIZE_MAX-4096)" },
		{ (size_t)1 << 20, T_PTRDIFF_MAX, "posix_memalign(1<<20, PTRDIFF_MAX)" },
	};
	for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
		void *sentinel = (void *)0xDEADBEEF;
		void *p = sentinel;
		int r = t_posix_memalign(&p, opq(huge[i].a), opq(huge[i].n));
		snprintf(name, sizeof name, "%s returns ENOMEM", huge[i].what);
		CHECK(r == ENOMEM, name);
		if (r != ENOMEM)
			note("returned %d", r);
		snprintf(name, sizeof name, "%s leaves *memptr untouched", huge[i].what);
		CHECK(p == sentinel, name);
	}

	/* success returns exactly 0 */
	void *p = NULL;
	int r = t_posix_memalign(&p, opq(64), opq(64));
	CHECK(r == 0 && p != NULL, "posix_memalign(64, 64) returns 0 and sets *memptr");
	t_free(p);
	p = NULL;
	r = t_posix_memalign(&p, opq(16), opq(0));
	CHECK(r == 0, "posix_memalign(16, 0) returns 0");
	t_free(p);
}

static void test_aligned_alloc(void)
{
	static const size_t al[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096,
				     8192, 65536, (size_t)1 << 20 };
	for (size_t i = 0; i < sizeof al / sizeof al[0]; i++)
		check_aligned_family("aligned_alloc", aa_alloc, al[i]);

	/* Non-power-of-two alignment: NULL with EINVAL (C17; glibc >= 2.38
	 * behaviour, which ft_malloc follows). */
	static const size_t bad[] = { 3, 24, 48, 100, 4097, ((size_t)1 << 20) + 16, SIZE_MAX };
	char name[160];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		void *p = t_aligned_alloc(opq(bad[i]), opq(64));
		int e = errno;
		snprintf(name, sizeof name, "aligned_alloc(%zu, 64) (not a power of two) returns NULL", bad[i]);
		CHECK(p == NULL, name);
		snprintf(name, sizeof name, "aligned_alloc(%zu, 64) (not a power of two) sets errno EINVAL", bad[i]);
		CHECK(e == EINVAL, name);
		if (e != EINVAL)
			note("errno = %d, result %p", e, p);
		if (p)
			t_free(p);
	}
	errno = 0;
	void *p = t_aligned_alloc(opq(64), opq(SIZE_MAX - 64));
	CHECK(p == NULL && errno == ENOMEM, "aligned_alloc(64, SIZE_MAX-64) returns NULL with ENOMEM");
}

static void test_memalign(void)
{
	static const size_t al[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096,
				     8192, 16384, 32768, 65536, 131072, 262144, 524288,
				     (size_t)1 << 20 };
	for (size_t i = 0; i < sizeof al / sizeof al[0]; i++)
		check_aligned_family("memalign", ma_alloc, al[i]);
	errno = 0;
	void *p = t_memalign(opq(16), opq(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "memalign(16, SIZE_MAX) returns NULL with ENOMEM");
	errno = 0;
	p = t_memalign(opq(4096), opq(T_PTRDIFF_MAX + 1));
	CHECK(p == NULL && errno == ENOMEM, "memalign(4096, PTRDIFF_MAX+1) returns NULL with ENOMEM");

	/* Many small, highly aligned blocks: all distinct and aligned. */
	void *v[300];
	int ok = 1;
	for (int i = 0; i < 300; i++) {
		v[i] = t_memalign(opq(256), opq(8));
		if (!v[i] || !is_aligned(v[i], 256))
			ok = 0;
		else
			fill(v[i], 8, (uint32_t)i);
	}
	for (int i = 0; i < 300; i++)
		if (v[i] && !verify(v[i], 8, (uint32_t)i))
			ok = 0;
	CHECK(ok, "300 live memalign(256, 8) blocks are aligned and disjoint");
	for (int i = 0; i < 300; i++)
		t_free(v[i]);
}

static void test_valloc_pvalloc(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	static const size_t sz[] = { 1, 100, 4095, 4096, 4097, 5000, 40000, 100000, (size_t)1 << 20 };
	char name[160];
	for (size_t i = 0; i < sizeof sz / sizeof sz[0]; i++) {
		void *p = t_valloc(opq(sz[i]));
		snprintf(name, sizeof name, "valloc(%zu) is page-aligned", sz[i]);
		CHECK(p && is_aligned(p, page), name);
		snprintf(name, sizeof name, "valloc(%zu) usable size >= %zu", sz[i], sz[i]);
		CHECK(p && t_usable(p) >= sz[i], name);
		if (p)
			memset(p, 0x33, sz[i]);
		t_free(p);

		p = t_pvalloc(opq(sz[i]));
		size_t rounded = (sz[i] + page - 1) / page * page;
		snprintf(name, sizeof name, "pvalloc(%zu) is page-aligned", sz[i]);
		CHECK(p && is_aligned(p, page), name);
		snprintf(name, sizeof name, "pvalloc(%zu) usable size >= %zu (rounded up to a page)", sz[i], rounded);
		CHECK(p && t_usable(p) >= rounded, name);
		if (p && t_usable(p) < rounded)
			note("usable = %zu", t_usable(p));
		if (p)
			memset(p, 0x44, p ? rounded : 0);
		t_free(p);
	}
	void *p = t_pvalloc(opq(0));
	CHECK(p != NULL && is_aligned(p, page), "pvalloc(0) returns a page-aligned block");
	t_free(p);

	errno = 0;
	p = t_valloc(opq(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "valloc(SIZE_MAX) returns NULL with ENOMEM");
	errno = 0;
	p = t_pvalloc(opq(SIZE_MAX));
	int e = errno;
	CHECK(p == NULL, "pvalloc(SIZE_MAX) returns NULL");
	CHECK(e == ENOMEM, "pvalloc(SIZE_MAX) sets errno ENOMEM");
	/* Rounding SIZE_MAX - page + 2 up to a page overflows. */
	errno = 0;
	p = t_pvalloc(opq(SIZE_MAX - page + 2));
	CHECK(p == NULL && errno == ENOMEM, "pvalloc(SIZE_MAX - page + 2) (rounding overflows) returns NULL with ENOMEM");
	errno = 0;
	p = t_pvalloc(opq(T_PTRDIFF_MAX + 1));
	CHECK(p == NULL && errno == ENOMEM, "pvalloc(PTRDIFF_MAX+1) returns NULL with ENOMEM");
}

/* Aligned blocks must behave like any other block in realloc. */
static void test_realloc_of_aligned(void)
{
	void *p = t_memalign(opq(4096), opq(1000));
	if (!p) {
		CHECK(0, "memalign(4096, 1000) for realloc test");
		return;
	}
	fill(p, 1000, 5);
	void *q = t_realloc(p, opq(200000));
	CHECK(q && verify(q, 1000, 5), "realloc of a memalign(4096) block to LARGE keeps contents");
	if (q)
		p = q;
	q = t_realloc(p, opq(50));
	CHECK(q && verify(q, 50, 5), "realloc of that block down to 50 keeps contents");
	t_free(q ? q : p);
	p = NULL;
	if (t_posix_memalign(&p, 65536, 100) == 0) {
		fill(p, 100, 6);
		q = t_realloc(p, opq(5000));
		CHECK(q && verify(q, 100, 6), "realloc of a posix_memalign(65536) block keeps contents");
		t_free(q ? q : p);
	} else {
		CHECK(0, "realloc of a posix_memalign(65536) block keeps contents");
	}
}

int main(void)
{
	test_posix_memalign();
	test_aligned_alloc();
	test_memalign();
	test_valloc_pvalloc();
	test_realloc_of_aligned();
	return check_exit_status();
}
