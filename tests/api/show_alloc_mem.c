/* show_alloc_mem(): the classic TINY / SMALL / LARGE listing.
 *
 * The parent allocates a known set of blocks; a forked child (same address
 * space image) calls show_alloc_mem() with stdout on a pipe; the parent
 * parses every line:
 *   TINY : 0xHEX | SMALL : 0xHEX | LARGE : 0xHEX     zone headers
 *   0xSTART - 0xEND : N bytes                          blocks
 *   Total : T bytes                                    last line
 * and checks the format, the arithmetic and ordering of every line, and that
 * each block we allocated is listed once with its requested size under the
 * right kind of zone. Blocks libc allocated for itself may be listed too.
 * After freeing the set, a second listing must not show them any more. */
#include <sys/mman.h>
#include "testutil.h"

#include "ft_malloc.h"
#pragma weak show_alloc_mem

enum kind { K_TINY, K_SMALL, K_LARGE };
static const char *kind_name[] = { "TINY", "SMALL", "LARGE" };

#define MAX_LINES 100000

struct zone {
	enum kind kind;
	uintptr_t addr;
};
struct block {
	uintptr_t start, end;
	size_t n;
	int zone; /* index into zones, -1 if listed before any header */
};

static struct zone zones[MAX_LINES];
static struct block blocks[MAX_LINES];

struct listing {
	int nzones, nblocks;
	int bad_lines;      /* lines matching none of the three forms */
	int lowercase_hex;  /* hex digits written in lowercase */
	int total_lines;    /* number of "Total : T bytes" lines */
	int total_is_last;  /* the Total line is the last line */
	unsigned long long total;
	char first_bad[160];
};

/* "0x" then hex digits; sets *lower when a-f is used. */
static int parse_hex(const char **s, uintptr_t *v, int *lower)
{
	const char *p = *s;
	if (p[0] != '0' || p[1] != 'x')
		return 0;
	p += 2;
	uintptr_t x = 0;
	int digits = 0;
	for (;; p++, digits++) {
		int d;
		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else if (*p >= 'a' && *p <= 'f') {
			d = *p - 'a' + 10;
			*lower = 1;
		} else
			break;
		x = x * 16 + (uintptr_t)d;
	}
	if (digits == 0 || digits > 16)
		return 0;
	*v = x;
	*s = p;
	return 1;
}

static int parse_dec(const char **s, unsigned long long *v)
{
	const char *p = *s;
	unsigned long long x = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9') {
		x = x * 10 + (unsigned long long)(*p - '0');
		p++;
		digits++;
	}
	if (digits == 0 || digits > 19)
		return 0;
	*v = x;
	*s = p;
	return 1;
}

static int eat(const char **s, const char *lit)
{
	size_t n = strlen(lit);
	if (strncmp(*s, lit, n) != 0)
		return 0;
	*s += n;
	return 1;
}

static void parse_listing(const char *buf, size_t len, struct listing *L)
{
	memset(L, 0, sizeof *L);
	size_t i = 0;
	int last_was_total = 0;
	char line[256];
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		size_t ll = end - i;
		if (ll >= sizeof line)
			ll = sizeof line - 1;
		memcpy(line, buf + i, ll);
		line[ll] = '\0';
		i = end + 1;

		const char *s = line;
		uintptr_t a, b;
		unsigned long long n;
		int lower = 0;
		last_was_total = 0;
		int k = -1;
		if (eat(&s, "TINY : "))
			k = K_TINY;
		else if (eat(&s, "SMALL : "))
			k = K_SMALL;
		else if (eat(&s, "LARGE : "))
			k = K_LARGE;
		if (k >= 0) {
			if (parse_hex(&s, &a, &lower) && *s == '\0' && L->nzones < MAX_LINES) {
				zones[L->nzones].kind = (enum kind)k;
				zones[L->nzones].addr = a;
				L->nzones++;
				L->lowercase_hex |= lower;
				continue;
			}
		} else if (eat(&s, "Total : ")) {
			if (parse_dec(&s, &n) && eat(&s, " bytes") && *s == '\0') {
				L->total_lines++;
				L->total = n;
				last_was_total = 1;
				continue;
			}
		} else {
			s = line;
			if (parse_hex(&s, &a, &lower) && eat(&s, " - ") && parse_hex(&s, &b, &lower) &&
			    eat(&s, " : ") && parse_dec(&s, &n) && eat(&s, " bytes") && *s == '\0' &&
			    L->nblocks < MAX_LINES) {
				blocks[L->nblocks].start = a;
				blocks[L->nblocks].end = b;
				blocks[L->nblocks].n = (size_t)n;
				blocks[L->nblocks].zone = L->nzones - 1;
				L->nblocks++;
				L->lowercase_hex |= lower;
				continue;
			}
		}
		if (L->bad_lines++ == 0)
			snprintf(L->first_bad, sizeof L->first_bad, "%.150s", line);
	}
	L->total_is_last = last_was_total;
}

/* Checks that hold for every listing, whatever else is in the heap. */
static void check_listing_shape(const struct listing *L, const char *pfx)
{
	char name[200];
	snprintf(name, sizeof name, "%s: every line is a zone header, a block line or the Total line", pfx);
	CHECK(L->bad_lines == 0, name);
	if (L->bad_lines)
		note("%d bad lines, first: \"%s\"", L->bad_lines, L->first_bad);
	snprintf(name, sizeof name, "%s: hex digits are uppercase", pfx);
	CHECK(!L->lowercase_hex, name);
	snprintf(name, sizeof name, "%s: exactly one Total line", pfx);
	CHECK(L->total_lines == 1, name);
	snprintf(name, sizeof name, "%s: Total is the last line", pfx);
	CHECK(L->total_is_last, name);

	unsigned long long sum = 0;
	int arith = 1, orphans = 0;
	for (int i = 0; i < L->nblocks; i++) {
		sum += blocks[i].n;
		if (blocks[i].end - blocks[i].start != blocks[i].n || blocks[i].end < blocks[i].start) {
			if (arith)
				note("bad block line 0x%lX - 0x%lX : %zu bytes", (unsigned long)blocks[i].start,
				     (unsigned long)blocks[i].end, blocks[i].n);
			arith = 0;
		}
		if (blocks[i].zone < 0)
			orphans++;
	}
	snprintf(name, sizeof name, "%s: every block line has END - START == N", pfx);
	CHECK(arith, name);
	snprintf(name, sizeof name, "%s: Total equals the sum of the listed sizes", pfx);
	CHECK(L->total_lines == 1 && L->total == sum, name);
	if (L->total != sum)
		note("Total %llu, sum of lines %llu", L->total, sum);
	snprintf(name, sizeof name, "%s: no block line before the first zone header", pfx);
	CHECK(orphans == 0, name);

	int zones_inc = 1;
	for (int z = 1; z < L->nzones; z++)
		if (zones[z].addr <= zones[z - 1].addr) {
			if (zones_inc)
				note("zone %d at 0x%lX after zone at 0x%lX", z, (unsigned long)zones[z].addr,
				     (unsigned long)zones[z - 1].addr);
			zones_inc = 0;
		}
	snprintf(name, sizeof name, "%s: zone headers in strictly increasing address order", pfx);
	CHECK(zones_inc, name);

	int above_zone = 1, below_next = 1, inc = 1;
	for (int i = 0; i < L->nblocks; i++) {
		int z = blocks[i].zone;
		if (z < 0)
			continue;
		if (blocks[i].start < zones[z].addr) {
			if (above_zone)
				note("block 0x%lX below its zone 0x%lX", (unsigned long)blocks[i].start,
				     (unsigned long)zones[z].addr);
			above_zone = 0;
		}
		if (z + 1 < L->nzones && blocks[i].end > zones[z + 1].addr) {
			if (below_next)
				note("block 0x%lX-0x%lX runs past the next zone 0x%lX", (unsigned long)blocks[i].start,
				     (unsigned long)blocks[i].end, (unsigned long)zones[z + 1].addr);
			below_next = 0;
		}
		if (i > 0 && blocks[i - 1].zone == z &&
		    (blocks[i].start <= blocks[i - 1].start || blocks[i].start < blocks[i - 1].end)) {
			if (inc)
				note("block 0x%lX after 0x%lX-0x%lX in the same zone", (unsigned long)blocks[i].start,
				     (unsigned long)blocks[i - 1].start, (unsigned long)blocks[i - 1].end);
			inc = 0;
		}
	}
	snprintf(name, sizeof name, "%s: every block starts at or above its zone's address", pfx);
	CHECK(above_zone, name);
	snprintf(name, sizeof name, "%s: every block ends at or below the next zone's address", pfx);
	CHECK(below_next, name);
	snprintf(name, sizeof name, "%s: blocks within a zone are in increasing order, not overlapping", pfx);
	CHECK(inc, name);
}

static void show_child(void *unused)
{
	(void)unused;
	if (!show_alloc_mem)
		_exit(3);
	show_alloc_mem();
	_exit(0);
}

/* show_alloc_mem with no address space left for its sorted list: it must
 * list the same blocks in the same order all the same. */
static void show_without_memory_child(void *unused)
{
	struct rlimit rl;

	(void)unused;
	if (vm_bytes() <= 0)
		_exit(4);
	getrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = (rlim_t)vm_bytes();
	if (setrlimit(RLIMIT_AS, &rl) != 0)
		_exit(5);
	if (mmap(NULL, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) !=
	    MAP_FAILED)
		_exit(6);	/* the limit does not bite: nothing would be tested */
	show_child(NULL);
}

static const struct {
	size_t n;
	enum kind kind;
} set[] = {
	{ 1, K_TINY },       { 42, K_TINY },      { 128, K_TINY },
	{ 129, K_SMALL },    { 3725, K_SMALL },   { 32768, K_SMALL },
	{ 48847, K_LARGE },  { (size_t)1 << 20, K_LARGE },
};
#define NSET (sizeof set / sizeof set[0])

int main(void)
{
	static struct child_result r;
	static struct listing L;
	void *p[NSET];
	char name[200];

	CHECK(show_alloc_mem != NULL, "show_alloc_mem is defined");
	/* stdout's buffer now exists: nothing below allocates behind our back
	 * between the free and the second listing. */

	for (size_t i = 0; i < NSET; i++) {
		p[i] = t_malloc(opq(set[i].n));
		if (p[i])
			memset(p[i], 0x11, set[i].n);
	}

	/* ---- first listing ---- */
	run_child(show_child, NULL, 1, 20, &r);
	CHECK(child_exited_0(&r), "show_alloc_mem (1st) runs and returns");
	CHECK(!r.truncated, "show_alloc_mem (1st) output fits the capture buffer");
	if (!child_exited_0(&r))
		note_output("show_alloc_mem (1st)", &r);
	parse_listing(r.out, r.len, &L);
	check_listing_shape(&L, "show_alloc_mem (1st)");

	for (size_t i = 0; i < NSET; i++) {
		int count = 0, right_size = 0, right_kind = 0;
		for (int b = 0; b < L.nblocks; b++) {
			if (blocks[b].start != (uintptr_t)p[i])
				continue;
			count++;
			right_size = blocks[b].n == set[i].n;
			right_kind = blocks[b].zone >= 0 && zones[blocks[b].zone].kind == set[i].kind;
			if (!right_size || !right_kind)
				note("%p listed as %zu bytes under %s (want %zu under %s)", p[i], blocks[b].n,
				     blocks[b].zone >= 0 ? kind_name[zones[blocks[b].zone].kind] : "no zone",
				     set[i].n, kind_name[set[i].kind]);
		}
		snprintf(name, sizeof name, "show_alloc_mem lists the %zu-byte block exactly once", set[i].n);
		CHECK(count == 1, name);
		if (count != 1)
			note("%p listed %d times", p[i], count);
		snprintf(name, sizeof name, "show_alloc_mem gives the %zu-byte block its requested size", set[i].n);
		CHECK(count == 1 && right_size, name);
		snprintf(name, sizeof name, "show_alloc_mem lists the %zu-byte block under a %s zone", set[i].n,
			 kind_name[set[i].kind]);
		CHECK(count == 1 && right_kind, name);
	}
	int kinds_seen[3] = { 0, 0, 0 };
	for (int z = 0; z < L.nzones; z++)
		kinds_seen[zones[z].kind] = 1;
	CHECK(kinds_seen[K_TINY] && kinds_seen[K_SMALL] && kinds_seen[K_LARGE],
	      "show_alloc_mem (1st) has TINY, SMALL and LARGE zone headers");
	if (r.len && r.len < 4000 && check_failures)
		note_output("show_alloc_mem (1st) output", &r);

	/* ---- the same listing when show_alloc_mem cannot map memory ---- */
	static char first[CHILD_OUT_MAX + 1];
	size_t first_len = r.len;
	memcpy(first, r.out, r.len);
	run_child(show_without_memory_child, NULL, 1, 20, &r);
	CHECK(child_exited_0(&r), "show_alloc_mem runs and returns when no memory can be mapped");
	CHECK(r.len == first_len && memcmp(r.out, first, first_len) == 0,
	      "show_alloc_mem without memory to map lists the same blocks in the same order");
	if (r.len != first_len || memcmp(r.out, first, first_len) != 0)
		note_output("show_alloc_mem without memory", &r);

	/* ---- free them, second listing ---- */
	for (size_t i = 0; i < NSET; i++)
		t_free(p[i]);
	run_child(show_child, NULL, 1, 20, &r);
	CHECK(child_exited_0(&r), "show_alloc_mem (2nd, after free) runs and returns");
	parse_listing(r.out, r.len, &L);
	check_listing_shape(&L, "show_alloc_mem (2nd, after free)");
	for (size_t i = 0; i < NSET; i++) {
		int listed = 0;
		for (int b = 0; b < L.nblocks; b++)
			if (blocks[b].start == (uintptr_t)p[i] && blocks[b].n == set[i].n)
				listed = 1;
		snprintf(name, sizeof name, "after free, show_alloc_mem no longer lists the %zu-byte block", set[i].n);
		CHECK(!listed, name);
	}

	/* ---- a third listing with many
	 * blocks of one class are all listed ---- */
	enum { M = 300 };
	static void *many[M];
	for (int i = 0; i < M; i++)
		many[i] = t_malloc(opq(24 + (size_t)(i % 5)));
	run_child(show_child, NULL, 1, 20, &r);
	parse_listing(r.out, r.len, &L);
	check_listing_shape(&L, "show_alloc_mem (300 TINY blocks)");
	int found = 0;
	for (int i = 0; i < M; i++)
		for (int b = 0; b < L.nblocks; b++)
			if (blocks[b].start == (uintptr_t)many[i] && blocks[b].n == 24 + (size_t)(i % 5)) {
				found++;
				break;
			}
	CHECK(found == M, "show_alloc_mem lists all 300 live TINY blocks with their sizes");
	if (found != M)
		note("found %d of %d", found, M);
	for (int i = 0; i < M; i++)
		t_free(many[i]);
	return check_exit_status();
}
