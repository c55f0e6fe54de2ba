/* malloc / free / malloc_usable_size: glibc semantics.
 * alignment, malloc(0), sizes above PTRDIFF_MAX, full-size writes, usable
 * size, no overlap between live blocks, free(NULL), free keeps errno. */
#include "testutil.h"

static const size_t sizes[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65,
	100, 127, 128, 129, 200, 255, 256, 257, 500, 512, 1000, 1024, 2048, 4095,
	4096, 4097, 8192, 16384, 32767, 32768, 32769, 65536, 100000, 131072,
	(size_t)1 << 20, ((size_t)1 << 20) + 1, (size_t)1 << 24,
};
#define NSIZES (sizeof sizes / sizeof sizes[0])

static void test_alignment_and_writes(void)
{
	void *blocks[NSIZES];
	char name[128];
	int all_usable = 1, all_nonnull = 1;

	for (size_t i = 0; i < NSIZES; i++) {
		size_t n = sizes[i];
		void *p = t_malloc(opq(n));
		blocks[i] = p;
		if (!p) {
			all_nonnull = 0;
			note("malloc(%zu) returned NULL (errno %d)", n, errno);
		}
		snprintf(name, sizeof name, "malloc(%zu) is 16-byte aligned", n);
		CHECK(p && is_aligned(p, 16), name);
		if (p && !is_aligned(p, 16))
			note("malloc(%zu) = %p", n, p);
		if (p) {
			size_t u = t_usable(p);
			if (u < n) {
				all_usable = 0;
				note("malloc_usable_size(malloc(%zu)) = %zu", n, u);
			}
			fill(p, n, (uint32_t)i + 1);
		}
	}
	CHECK(all_nonnull, "malloc of every test size (0 .. 16 MiB) returns non-NULL");
	CHECK(all_usable, "malloc_usable_size(p) >= requested size for every test size");

	/* Every block was written in full while all of them were live: each must
	 * still hold its own pattern (no overlap, nothing clobbered). */
	int intact = 1;
	for (size_t i = 0; i < NSIZES; i++) {
		if (blocks[i] && !verify(blocks[i], sizes[i], (uint32_t)i + 1)) {
			intact = 0;
			note("block of size %zu at %p lost its contents", sizes[i], blocks[i]);
		}
	}
	CHECK(intact, "writing the full requested size of every block keeps all blocks intact");

	/* Writing up to malloc_usable_size must be allowed too. */
	int usable_ok = 1;
	for (size_t i = 0; i < NSIZES; i++) {
		if (!blocks[i])
			continue;
		size_t u = t_usable(blocks[i]);
		memset(blocks[i], 0x5A, u);
	}
	for (size_t i = 0; i < NSIZES; i++) {
		if (blocks[i] && !all_bytes(blocks[i], t_usable(blocks[i]), 0x5A))
			usable_ok = 0;
	}
	CHECK(usable_ok, "writing malloc_usable_size bytes of every block keeps all blocks intact");

	for (size_t i = 0; i < NSIZES; i++)
		t_free(blocks[i]);
}

static void test_malloc_zero(void)
{
	void *a = t_malloc(opq(0));
	void *b = t_malloc(opq(0));
	CHECK(a != NULL, "malloc(0) returns non-NULL");
	CHECK(b != NULL, "second malloc(0) returns non-NULL");
	CHECK(a != b, "two live malloc(0) blocks are distinct");
	CHECK(is_aligned(a, 16) && is_aligned(b, 16), "malloc(0) results are 16-byte aligned");
	/* 100 live malloc(0) results: all distinct. */
	void *z[100];
	int distinct = 1;
	for (int i = 0; i < 100; i++) {
		z[i] = t_malloc(opq(0));
		for (int j = 0; j < i; j++)
			if (z[i] == z[j] || z[i] == NULL)
				distinct = 0;
		if (z[i] == a || z[i] == b)
			distinct = 0;
	}
	CHECK(distinct, "100 live malloc(0) blocks are non-NULL and pairwise distinct");
	for (int i = 0; i < 100; i++)
		t_free(z[i]);
	errno = 1234;
	t_free(a);
	t_free(b);
	CHECK(errno == 1234, "malloc(0) blocks can be freed (and free keeps errno)");
	void *c = t_malloc(opq(0));
	CHECK(c != NULL, "malloc(0) works again after freeing malloc(0) blocks");
	t_free(c);
}

static void test_too_big(void)
{
	static const struct {
		size_t n;
		const char *what;
	} big[] = {
		{ SIZE_MAX, "SIZE_MAX" },
		{ SIZE_MAX - 15, "SIZE_MAX-15" },
		{ T_PTRDIFF_MAX + 1, "PTRDIFF_MAX+1" },
		{ T_PTRDIFF_MAX, "PTRDIFF_MAX" },
		{ (size_t)1 << 62, "1<<62" },
	};
	char name[128];
	for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
		errno = 0;
		void *p = t_malloc(opq(big[i].n));
		int e = errno;
		snprintf(name, sizeof name, "malloc(%s) returns NULL", big[i].what);
		CHECK(p == NULL, name);
		snprintf(name, sizeof name, "malloc(%s) sets errno to ENOMEM", big[i].what);
		CHECK(e == ENOMEM, name);
		if (e != ENOMEM)
			note("errno = %d (%s)", e, strerror(e));
		if (p)
			t_free(p);
	}
	/* The heap still works after failures. */
	void *p = t_malloc(opq(100));
	CHECK(p != NULL, "malloc works after failed huge requests");
	if (p) {
		fill(p, 100, 7);
		CHECK(verify(p, 100, 7), "block allocated after failed huge requests is writable");
	}
	t_free(p);
}

static void test_usable_size(void)
{
	CHECK(t_usable(NULL) == 0, "malloc_usable_size(NULL) == 0");
	void *p = t_malloc(opq(129));
	size_t u = p ? t_usable(p) : 0;
	CHECK(u >= 129, "malloc_usable_size(malloc(129)) >= 129");
	/* Not absurd: the library documents bounded waste (classes), LARGE is
	 * page granular. Allow generous slack. */
	CHECK(u < 129 * 2 + 64, "malloc_usable_size(malloc(129)) is not wildly larger than 129");
	if (!(u < 129 * 2 + 64))
		note("malloc_usable_size = %zu", u);
	t_free(p);
}

/* Many live blocks of one size: distinct, aligned, non-overlapping. */
static void test_many_same_size(size_t n, int count, const char *label)
{
	void **v = t_malloc(opq(sizeof(void *) * (size_t)count));
	char name[160];
	if (!v) {
		CHECK(0, "malloc of the pointer array for test_many_same_size");
		return;
	}
	int ok = 1, aligned = 1;
	for (int i = 0; i < count; i++) {
		v[i] = t_malloc(opq(n));
		if (!v[i]) {
			ok = 0;
			continue;
		}
		if (!is_aligned(v[i], 16))
			aligned = 0;
		fill(v[i], n, (uint32_t)(i * 7919 + n));
	}
	snprintf(name, sizeof name, "%d live %s blocks of %zu bytes all allocated", count, label, n);
	CHECK(ok, name);
	snprintf(name, sizeof name, "%d live %s blocks of %zu bytes all 16-byte aligned", count, label, n);
	CHECK(aligned, name);
	int intact = 1;
	for (int i = 0; i < count; i++)
		if (v[i] && !verify(v[i], n, (uint32_t)(i * 7919 + n)))
			intact = 0;
	snprintf(name, sizeof name, "%d live %s blocks of %zu bytes do not overlap", count, label, n);
	CHECK(intact, name);
	/* Free every other one, reallocate, check the survivors again. */
	for (int i = 0; i < count; i += 2) {
		t_free(v[i]);
		v[i] = t_malloc(opq(n));
		if (v[i])
			fill(v[i], n, (uint32_t)(i * 7919 + n + 1));
	}
	intact = 1;
	for (int i = 0; i < count; i++) {
		uint32_t tag = (uint32_t)(i * 7919 + n + (i % 2 == 0 ? 1 : 0));
		if (v[i] && !verify(v[i], n, tag))
			intact = 0;
	}
	snprintf(name, sizeof name, "%s blocks of %zu bytes intact after interleaved free/malloc", label, n);
	CHECK(intact, name);
	for (int i = 0; i < count; i++)
		t_free(v[i]);
	t_free(v);
}

static void test_free(void)
{
	errno = 0;
	t_free(NULL);
	CHECK(errno == 0, "free(NULL) leaves errno 0 unchanged");
	errno = 1234;
	t_free(NULL);
	CHECK(errno == 1234, "free(NULL) preserves errno 1234");

	static const struct {
		size_t n;
		const char *kind;
	} k[] = {
		{ 32, "TINY" },
		{ 2000, "SMALL" },
		{ (size_t)1 << 20, "LARGE" },
	};
	char name[128];
	for (size_t i = 0; i < 3; i++) {
		void *p = t_malloc(opq(k[i].n));
		fill(p, k[i].n, 3);
		errno = 1234;
		t_free(p);
		int e = errno;
		snprintf(name, sizeof name, "free of a %s block preserves errno", k[i].kind);
		CHECK(e == 1234, name);
		if (e != 1234)
			note("errno after free = %d", e);
	}
	/* Errno EINTR/ENOMEM are the ones an implementation may be tempted to
	 * leak from munmap/madvise: free a whole zone's worth and check again. */
	void *v[512];
	for (int i = 0; i < 512; i++)
		v[i] = t_malloc(opq(3000));
	errno = ENOTTY;
	for (int i = 0; i < 512; i++)
		t_free(v[i]);
	CHECK(errno == ENOTTY, "freeing 512 SMALL blocks (emptying zones) preserves errno");
	for (int i = 0; i < 64; i++)
		v[i] = t_malloc(opq(200000));
	errno = EDOM;
	for (int i = 0; i < 64; i++)
		t_free(v[i]);
	CHECK(errno == EDOM, "freeing 64 LARGE blocks preserves errno");
}

/* A malloc/free loop must not grow memory without bound (freed memory is
 * reused or returned). */
static long rss_pages(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long size = 0, res = 0;
	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &size, &res) != 2)
		res = -1;
	fclose(f);
	return res;
}

static void test_reuse(void)
{
	/* warm up */
	for (int i = 0; i < 1000; i++) {
		void *p = t_malloc(opq(1000 + (size_t)(i % 7) * 4000));
		memset(p, 1, 1000);
		t_free(p);
	}
	long before = rss_pages();
	for (int i = 0; i < 200000; i++) {
		size_t n = (size_t)(i % 97) * 37 + 1;
		if (i % 1000 == 0)
			n = 300000;
		void *p = t_malloc(opq(n));
		if (!p)
			break;
		memset(p, 1, n);
		t_free(p);
	}
	long after = rss_pages();
	long grown_kib = (after - before) * (sysconf(_SC_PAGESIZE) / 1024);
	CHECK(before > 0 && after > 0 && grown_kib < 16 * 1024,
	      "200000 malloc/free pairs grow RSS by less than 16 MiB");
	if (!(grown_kib < 16 * 1024))
		note("RSS grew by %ld KiB", grown_kib);
}

int main(void)
{
	test_alignment_and_writes();
	test_malloc_zero();
	test_too_big();
	test_usable_size();
	test_many_same_size(1, 2000, "TINY");
	test_many_same_size(128, 2000, "TINY");
	test_many_same_size(129, 1000, "SMALL");
	test_many_same_size(32768, 200, "SMALL");
	test_many_same_size(32769, 100, "LARGE");
	test_free();
	test_reuse();
	return check_exit_status();
}
