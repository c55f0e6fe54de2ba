/* calloc, realloc, reallocarray: glibc semantics.
 * calloc zeroes (also recycled memory) and detects overflow; realloc keeps
 * contents across TINY/SMALL/LARGE, realloc(p, 0) frees, failure leaves the
 * old block intact, shrinking a little stays in place; reallocarray checks
 * overflow. */
#include "testutil.h"

static const struct {
	size_t n;
	const char *kind;
} csizes[] = {
	{ 1, "TINY" },     { 16, "TINY" },     { 100, "TINY" },     { 128, "TINY" },
	{ 129, "SMALL" },  { 1000, "SMALL" },  { 4096, "SMALL" },   { 32768, "SMALL" },
	{ 32769, "LARGE" }, { 100000, "LARGE" }, { (size_t)1 << 20, "LARGE" },
};
#define NCS (sizeof csizes / sizeof csizes[0])

static void test_calloc_zeroed(void)
{
	char name[160];
	for (size_t i = 0; i < NCS; i++) {
		size_t n = csizes[i].n;
		/* Fresh. */
		unsigned char *p = t_calloc(opq(1), opq(n));
		snprintf(name, sizeof name, "calloc(1, %zu) [%s] returns an aligned block", n, csizes[i].kind);
		CHECK(p && is_aligned(p, 16), name);
		snprintf(name, sizeof name, "calloc(1, %zu) [%s] is zeroed", n, csizes[i].kind);
		CHECK(p && all_bytes(p, n, 0), name);
		t_free(p);

		/* Recycled: dirty blocks of the same size, free them, calloc the
		 * same number back; every one must be zero. */
		enum { K = 40 };
		void *d[K];
		for (int j = 0; j < K; j++) {
			d[j] = t_malloc(opq(n));
			if (d[j])
				memset(d[j], 0xAA, t_usable(d[j]));
		}
		for (int j = K - 1; j >= 0; j--)
			t_free(d[j]);
		int zero = 1, nonnull = 1;
		for (int j = 0; j < K; j++) {
			d[j] = t_calloc(opq(n), opq(1));
			if (!d[j])
				nonnull = 0;
			else if (!all_bytes(d[j], n, 0))
				zero = 0;
		}
		snprintf(name, sizeof name, "calloc(%zu, 1) [%s] after freeing 0xAA-dirtied blocks returns non-NULL", n, csizes[i].kind);
		CHECK(nonnull, name);
		snprintf(name, sizeof name, "calloc(%zu, 1) [%s] after freeing 0xAA-dirtied blocks is zeroed", n, csizes[i].kind);
		CHECK(zero, name);
		for (int j = 0; j < K; j++)
			t_free(d[j]);
	}

	/* count * size split both ways */
	unsigned char *p = t_calloc(opq(1000), opq(40));
	CHECK(p && all_bytes(p, 40000, 0), "calloc(1000, 40) is zeroed over 40000 bytes");
	t_free(p);
	p = t_calloc(opq(3), opq(50000));
	CHECK(p && all_bytes(p, 150000, 0), "calloc(3, 50000) is zeroed over 150000 bytes");
	t_free(p);
}

static void test_calloc_overflow(void)
{
	static const struct {
		size_t a, b;
		const char *what;
	} ov[] = {
		{ SIZE_MAX / 2 + 1, 2, "calloc(SIZE_MAX/2+1, 2)" },
		{ 2, SIZE_MAX / 2 + 1, "calloc(2, SIZE_MAX/2+1)" },
		{ (size_t)1 << 33, (size_t)1 << 33, "calloc(1<<33, 1<<33)" },
		{ SIZE_MAX, SIZE_MAX, "calloc(SIZE_MAX, SIZE_MAX)" },
		{ 1, T_PTRDIFF_MAX + 1, "calloc(1, PTRDIFF_MAX+1)" },
		{ T_PTRDIFF_MAX / 2 + 1, 2, "calloc(PTRDIFF_MAX/2+1, 2)" },
	};
	char name[160];
	for (size_t i = 0; i < sizeof ov / sizeof ov[0]; i++) {
		errno = 0;
		void *p = t_calloc(opq(ov[i].a), opq(ov[i].b));
		int e = errno;
		snprintf(name, sizeof name, "%s returns NULL", ov[i].what);
		CHECK(p == NULL, name);
		snprintf(name, sizeof name, "%s sets errno to ENOMEM", ov[i].what);
		CHECK(e == ENOMEM, name);
		if (e != ENOMEM)
			note("errno = %d", e);
		if (p)
			t_free(p);
	}
}

static void test_calloc_zero(void)
{
	void *a = t_calloc(opq(0), opq(10));
	void *b = t_calloc(opq(10), opq(0));
	void *c = t_calloc(opq(0), opq(0));
	CHECK(a != NULL, "calloc(0, 10) returns non-NULL");
	CHECK(b != NULL, "calloc(10, 0) returns non-NULL");
	CHECK(c != NULL, "calloc(0, 0) returns non-NULL");
	CHECK(a != b && b != c && a != c, "calloc(0, n), calloc(n, 0), calloc(0, 0) are distinct");
	errno = 1234;
	t_free(a);
	t_free(b);
	t_free(c);
	CHECK(errno == 1234, "calloc'd zero-size blocks can be freed");
	/* A zero-count with a huge size is not an overflow. */
	void *d = t_calloc(opq(0), opq(SIZE_MAX));
	CHECK(d != NULL, "calloc(0, SIZE_MAX) returns non-NULL (0 * x does not overflow)");
	t_free(d);
}

/* ---- realloc ------------------------------------------------------------- */

static void test_realloc_null(void)
{
	void *p = t_realloc(NULL, opq(100));
	CHECK(p != NULL, "realloc(NULL, 100) returns non-NULL");
	CHECK(p && is_aligned(p, 16), "realloc(NULL, 100) is 16-byte aligned");
	CHECK(p && t_usable(p) >= 100, "realloc(NULL, 100) has usable size >= 100");
	if (p) {
		fill(p, 100, 11);
		CHECK(verify(p, 100, 11), "realloc(NULL, 100) block is writable");
	}
	t_free(p);
	p = t_realloc(NULL, opq(0));
	CHECK(p != NULL, "realloc(NULL, 0) behaves as malloc(0): non-NULL");
	t_free(p);
	p = t_realloc(NULL, opq(200000));
	CHECK(p != NULL && is_aligned(p, 16), "realloc(NULL, 200000) behaves as malloc (LARGE)");
	if (p)
		memset(p, 1, 200000);
	t_free(p);
	errno = 0;
	p = t_realloc(NULL, opq(SIZE_MAX));
	CHECK(p == NULL && errno == ENOMEM, "realloc(NULL, SIZE_MAX) returns NULL with ENOMEM");
}

static void test_realloc_zero(void)
{
	static const size_t n[] = { 10, 1000, 100000 };
	static const char *kind[] = { "TINY", "SMALL", "LARGE" };
	char name[128];
	for (int i = 0; i < 3; i++) {
		void *p = t_malloc(opq(n[i]));
		fill(p, n[i], 1);
		void *q = t_realloc(p, opq(0));
		snprintf(name, sizeof name, "realloc(live %s block, 0) returns NULL", kind[i]);
		CHECK(q == NULL, name);
		if (q)
			t_free(q);
	}
	/* That it really freed is checked by misuse.c (free after realloc(p, 0)
	 * is reported as a double free). Here: memory does not grow. */
	void *warm = t_malloc(opq(100000));
	warm = t_realloc(warm, 0);
	for (int i = 0; i < 20000; i++) {
		void *p = t_malloc(opq(100000));
		if (!p)
			break;
		memset(p, 1, 4096);
		p = t_realloc(p, opq(0));
		if (p)
			t_free(p);
	}
	void *after = t_malloc(opq(100000));
	CHECK(after != NULL, "20000 x (malloc(100000); realloc(p, 0)) leaves memory to allocate");
	t_free(after);
}

static void test_realloc_chain(void)
{
	/* TINY -> SMALL -> LARGE -> back down, one step at a time. */
	static const size_t steps[] = {
		16, 100, 128, 129, 1000, 4096, 32768, 32769, 100000, (size_t)1 << 20,
		((size_t)1 << 20) + 4096 * 3 + 5, (size_t)1 << 22, 300000, 40000, 32769,
		32768, 4096, 1000, 129, 128, 64, 1, 0x50, 2000, 200000, 48, 5,
	};
	char name[200];
	size_t cur = steps[0];
	void *p = t_malloc(opq(cur));
	uint32_t tag = 1;
	fill(p, cur, tag);
	for (size_t i = 1; i < sizeof steps / sizeof steps[0]; i++) {
		size_t nn = steps[i];
		void *q = t_realloc(p, opq(nn));
		size_t keep = cur < nn ? cur : nn;
		snprintf(name, sizeof name, "realloc %zu -> %zu returns non-NULL 16-aligned", cur, nn);
		CHECK(q && is_aligned(q, 16), name);
		if (!q) {
			t_free(p);
			return;
		}
		snprintf(name, sizeof name, "realloc %zu -> %zu keeps the first %zu bytes", cur, nn, keep);
		CHECK(verify(q, keep, tag), name);
		snprintf(name, sizeof name, "realloc %zu -> %zu: usable size >= %zu", cur, nn, nn);
		CHECK(t_usable(q) >= nn, name);
		tag++;
		fill(q, nn, tag);
		p = q;
		cur = nn;
	}
	t_free(p);

	/* Growing one byte at a time across the TINY/SMALL boundary and a
	 * little further. */
	unsigned char *b = t_malloc(1);
	int ok = 1;
	b[0] = pat(99, 0);
	for (size_t n = 2; n <= 600; n++) {
		unsigned char *nb = t_realloc(b, opq(n));
		if (!nb) {
			ok = 0;
			break;
		}
		b = nb;
		if (!verify(b, n - 1, 99))
			ok = 0;
		b[n - 1] = pat(99, n - 1);
	}
	CHECK(ok, "realloc growing by 1 byte from 1 to 600 keeps every byte");
	/* and back down */
	for (size_t n = 599; ok && n >= 1; n--) {
		unsigned char *nb = t_realloc(b, opq(n));
		if (!nb) {
			ok = 0;
			break;
		}
		b = nb;
		if (!verify(b, n, 99))
			ok = 0;
	}
	CHECK(ok, "realloc shrinking by 1 byte from 600 to 1 keeps every byte");
	t_free(b);
}

static void test_realloc_fail(void)
{
	static const size_t n[] = { 100, 3000, 200000 };
	static const char *kind[] = { "TINY", "SMALL", "LARGE" };
	static const struct {
		size_t n;
		const char *what;
	} big[] = {
		{ SIZE_MAX, "SIZE_MAX" },
		{ T_PTRDIFF_MAX + 1, "PTRDIFF_MAX+1" },
		{ T_PTRDIFF_MAX, "PTRDIFF_MAX" },
	};
	char name[200];
	for (int i = 0; i < 3; i++) {
		void *p = t_malloc(opq(n[i]));
		fill(p, n[i], 50 + (uint32_t)i);
		for (size_t j = 0; j < sizeof big / sizeof big[0]; j++) {
			errno = 0;
			void *q = t_realloc(p, opq(big[j].n));
			int e = errno;
			snprintf(name, sizeof name, "realloc(%s block, %s) returns NULL", kind[i], big[j].what);
			CHECK(q == NULL, name);
			snprintf(name, sizeof name, "realloc(%s block, %s) sets errno ENOMEM", kind[i], big[j].what);
			CHECK(e == ENOMEM, name);
			snprintf(name, sizeof name, "after failed realloc(%s block, %s) the old block is intact", kind[i], big[j].what);
			CHECK(verify(p, n[i], 50 + (uint32_t)i), name);
		}
		snprintf(name, sizeof name, "after failed reallocs the %s block keeps its usable size", kind[i]);
		CHECK(t_usable(p) >= n[i], name);
		/* still usable: write, grow, free */
		fill(p, n[i], 60 + (uint32_t)i);
		void *q = t_realloc(p, opq(n[i] * 2));
		snprintf(name, sizeof name, "after failed reallocs the %s block can still be grown with contents", kind[i]);
		CHECK(q && verify(q, n[i], 60 + (uint32_t)i), name);
		errno = 1234;
		t_free(q ? q : p);
		snprintf(name, sizeof name, "after failed reallocs the %s block can be freed", kind[i]);
		CHECK(errno == 1234, name);
	}
}

static void test_realloc_in_place(void)
{
	static const struct {
		size_t from, to;
		const char *kind;
	} cases[] = {
		{ 100, 100, "TINY" },      { 100, 90, "TINY" },     { 100, 97, "TINY" },
		{ 1000, 1000, "SMALL" },   { 1000, 990, "SMALL" },  { 3725, 3700, "SMALL" },
		{ 100000, 100000, "LARGE" }, { 100000, 99990, "LARGE" },
	};
	char name[160];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		void *p = t_malloc(opq(cases[i].from));
		fill(p, cases[i].from, 77);
		void *q = t_realloc(p, opq(cases[i].to));
		snprintf(name, sizeof name, "realloc(%s block of %zu, %zu) stays in place", cases[i].kind,
			 cases[i].from, cases[i].to);
		CHECK(q == p, name);
		if (q != p)
			note("p = %p, realloc returned %p", p, q);
		snprintf(name, sizeof name, "realloc(%s block of %zu, %zu) keeps contents", cases[i].kind,
			 cases[i].from, cases[i].to);
		CHECK(q && verify(q, cases[i].to, 77), name);
		t_free(q ? q : p);
	}
}

/* ---- reallocarray -------------------------------------------------------- */

static void test_reallocarray(void)
{
	int *a = t_reallocarray(NULL, opq(10), sizeof(int));
	CHECK(a != NULL && is_aligned(a, 16), "reallocarray(NULL, 10, 4) behaves as malloc");
	if (!a)
		return;
	for (int i = 0; i < 10; i++)
		a[i] = i * 31;
	int *b = t_reallocarray(a, opq(100000), sizeof(int));
	int ok = b != NULL;
	for (int i = 0; ok && i < 10; i++)
		ok = b[i] == i * 31;
	CHECK(ok, "reallocarray growth 10 -> 100000 ints keeps contents");
	if (!b) {
		t_free(a);
		return;
	}
	for (int i = 0; i < 100000; i++)
		b[i] = i ^ 0x5555;

	static const struct {
		size_t n, m;
		const char *what;
	} ov[] = {
		{ SIZE_MAX / 2 + 1, 2, "reallocarray(p, SIZE_MAX/2+1, 2)" },
		{ (size_t)1 << 32, (size_t)1 << 32, "reallocarray(p, 1<<32, 1<<32)" },
		{ SIZE_MAX, SIZE_MAX, "reallocarray(p, SIZE_MAX, SIZE_MAX)" },
		{ T_PTRDIFF_MAX / 2 + 1, 2, "reallocarray(p, PTRDIFF_MAX/2+1, 2) (no overflow, too big)" },
	};
	char name[200];
	for (size_t i = 0; i < sizeof ov / sizeof ov[0]; i++) {
		errno = 0;
		void *q = t_reallocarray(b, opq(ov[i].n), opq(ov[i].m));
		int e = errno;
		snprintf(name, sizeof name, "%s returns NULL", ov[i].what);
		CHECK(q == NULL, name);
		snprintf(name, sizeof name, "%s sets errno ENOMEM", ov[i].what);
		CHECK(e == ENOMEM, name);
		ok = 1;
		for (int k = 0; k < 100000; k++)
			if (b[k] != (k ^ 0x5555)) {
				ok = 0;
				break;
			}
		snprintf(name, sizeof name, "%s leaves the old block intact", ov[i].what);
		CHECK(ok, name);
	}
	int *c = t_reallocarray(b, opq(50), sizeof(int));
	ok = c != NULL;
	for (int i = 0; ok && i < 50; i++)
		ok = c[i] == (i ^ 0x5555);
	CHECK(ok, "reallocarray shrink 100000 -> 50 ints keeps contents");
	t_free(c ? c : b);
}

int main(void)
{
	test_calloc_zeroed();
	test_calloc_overflow();
	test_calloc_zero();
	test_realloc_null();
	test_realloc_zero();
	test_realloc_chain();
	test_realloc_fail();
	test_realloc_in_place();
	test_reallocarray();
	return check_exit_status();
}
