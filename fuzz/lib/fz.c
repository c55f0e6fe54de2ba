/* ft_malloc fuzzing — the operation interpreter and the shadow model.
 *
 * Input bytes decode into operations (fuzz/lib/ops.def). The model keeps
 * every live block: address, requested size, usable size, how many bytes carry
 * its fill pattern, and a tag that seeds the pattern. After every operation it
 * checks what the allocator promises (README.md, "API and semantics"):
 *   - every result is 16-byte aligned, or aligned as asked;
 *   - a new block overlaps no other live block (over their usable sizes);
 *   - malloc_usable_size >= the request, stable while the block lives;
 *   - contents stay intact until free and across realloc (min(old, new));
 *   - calloc memory reads as zeros;
 *   - a failure returns NULL with errno ENOMEM (EINVAL for a bad alignment or
 *     a misused pointer) and changes nothing; free and posix_memalign keep
 *     errno;
 *   - show_alloc_mem lists exactly the live blocks, with their requested
 *     sizes, under zones of the right kind, in increasing address order, and
 *     the right total;
 *   - each misuse (double, interior, foreign free; realloc or
 *     malloc_usable_size of such a pointer) is reported exactly once, in one
 *     line naming the operation and the address, and changes nothing;
 *   - while mmap is made to fail, allocations may fail (NULL + ENOMEM) and
 *     afterwards the heap works again.
 * Any mismatch prints "ftfuzz: MISMATCH ..." and aborts, which both engines
 * record as a crash.
 *
 * Big blocks are not written whole: the first 64 KiB, 64 bytes of every
 * 64 KiB after that and the last 8 KiB carry the pattern (the same positions
 * are checked), so a 16 MiB block costs about 100 KiB of writes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fz.h"

/* ---- the allocator, under its internal names (src/api/internal.h) ---- */
void *ftm_malloc(size_t size);
void ftm_free(void *ptr);
void *ftm_calloc(size_t count, size_t size);
void *ftm_realloc(void *ptr, size_t size);
void *ftm_reallocarray(void *ptr, size_t count, size_t size);
size_t ftm_malloc_usable_size(void *ptr);
int ftm_posix_memalign(void **memptr, size_t alignment, size_t size);
void *ftm_aligned_alloc(size_t alignment, size_t size);
void *ftm_memalign(size_t alignment, size_t size);
void *ftm_valloc(size_t size);
void *ftm_pvalloc(size_t size);
void ftm_show_alloc_mem(void);
unsigned long ftm_set_on_error(int action);	/* 0 abort, 1 continue */
int ftm_malloc_trim(size_t pad);
void ft_os_fail_next_maps(unsigned n);		/* -DFT_FAULT_INJECTION */
struct mallinfo2 ftm_mallinfo2(void);

/* ---- what the README promises, as numbers ---- */
#define FZ_TINY_MAX 128u
#define FZ_SMALL_MAX 32768u
#define FZ_PAGE 4096u
#define FZ_ZONE ((uintptr_t)4 << 20)

/* ---- bounds on one input's work ---- */
#define FZ_POOL 512			/* blocks alive at once, all threads */
#define FZ_OWN_MAX 128			/* blocks one thread holds */
#define FZ_FREED 32			/* recently freed addresses remembered */
#define FZ_MAX_OPS 2048			/* operations per thread per input */
#define FZ_LARGE_CAP ((size_t)17 << 20)	/* largest request that must succeed */
#define FZ_LARGE_BUDGET ((size_t)48 << 20)	/* live LARGE bytes per input */
#define FZ_MUST_FAIL ((uint64_t)1 << 47)	/* no mapping this big can exist */
#define FZ_MAY_FAIL_ALIGN ((size_t)8 << 20)	/* bigger alignments may fail */
#define FZ_DENSE ((size_t)64 << 10)	/* written whole up to here */
#define FZ_STRIDE ((size_t)64 << 10)	/* then 64 bytes every 64 KiB */
#define FZ_TAILWIN ((size_t)8 << 10)	/* and the last 8 KiB whole */
#define FZ_ERRNO 4242			/* errno before every call */

#define OWNER_NONE (-1)
#define OWNER_EXCHANGE (-2)

struct fz_block {
	uint8_t *p;
	size_t req;	/* what was asked for: what show_alloc_mem prints */
	size_t usable;	/* malloc_usable_size */
	size_t filled;	/* bytes [0, filled) carry the pattern (sampled if big) */
	size_t tail_lo;	/* [tail_lo, filled) written whole */
	uint32_t tag;
	int owner;	/* thread index, OWNER_NONE, OWNER_EXCHANGE */
	int busy;	/* being freed or reallocated: not checked for overlap */
};

struct fz_ctx {
	int id;
	unsigned flags;
	const uint8_t *d;
	size_t n, pos;
	int own[FZ_POOL];
	int nown;
	int own_max;
	uintptr_t freed[FZ_FREED];
	unsigned nfreed, freed_next;
	size_t last_freed;	/* requested size of the block freed last */
	unsigned op_count;
	int op;			/* current operation, for messages */
	int in_fault;		/* the operation runs with mmap failing */
	int showed;		/* show_alloc_mem was checked during this input */
};

enum {
#define OP(name, code, args, who) OP_##name = code,
#include "ops.def"
#undef OP
	OP_COUNT = 32
};
static const char *const fz_op_name[OP_COUNT] = {
#define OP(name, code, args, who) [code] = #name,
#include "ops.def"
#undef OP
};
enum { FZ_WHO_A, FZ_WHO_M, FZ_WHO_T };
static const unsigned char fz_op_who[OP_COUNT] = {
#define OP(name, code, args, who) [code] = FZ_WHO_##who,
#include "ops.def"
#undef OP
};

/* ---- shared state (the threads target shares it between threads) ---- */
static struct fz_block fz_pool[FZ_POOL];
static pthread_mutex_t fz_mu = PTHREAD_MUTEX_INITIALIZER;
static size_t fz_large_live;		/* sum of live requests above FZ_SMALL_MAX */
static int fz_exchange[64];
static int fz_nexchange;
static uint32_t fz_next_tag;
static unsigned fz_fault_gen;		/* atomic: bumped around each fault window */
static unsigned fz_fault_open;		/* atomic: windows open now */
static unsigned long fz_misuses;	/* misuse reports expected so far */
static int fz_trace;
static int fz_stats;			/* FZ_STATS=N: heap figures every N inputs */
static unsigned long fz_inputs;
static int fz_no_capture;
static int fz_ready;

/* ---- failing ---- */

static __thread struct fz_ctx *fz_cur;

__attribute__((noreturn, format(printf, 1, 2)))
static void fz_fail(const char *fmt, ...)
{
	struct fz_ctx *c = fz_cur;
	va_list ap;

	fprintf(stderr, "ftfuzz: MISMATCH");
	if (c != NULL)
		fprintf(stderr, " (thread %d, op #%u %s)", c->id, c->op_count,
			c->op >= 0 && c->op < OP_COUNT ? fz_op_name[c->op] : "-");
	fprintf(stderr, ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	fflush(stderr);
	abort();
}

#define FZ_TRACE(...)                                                         \
	do {                                                                  \
		if (fz_trace)                                                 \
			fz_tracef(__VA_ARGS__);                               \
	} while (0)

__attribute__((format(printf, 1, 2)))
static void fz_tracef(const char *fmt, ...)
{
	struct fz_ctx *c = fz_cur;
	va_list ap;

	fprintf(stderr, "[t%d #%u %s] ", c ? c->id : -1, c ? c->op_count : 0,
		c && c->op >= 0 ? fz_op_name[c->op] : "-");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- decoding ---- */

static uint8_t u8(struct fz_ctx *c)
{
	return c->pos < c->n ? c->d[c->pos++] : 0;
}

static uint16_t u16(struct fz_ctx *c)
{
	uint16_t lo = u8(c);

	return (uint16_t)(lo | (uint16_t)u8(c) << 8);
}

static const size_t fz_edges[] = {
	0, 1, 2, 7, 8, 15, 16, 17, 24, 31, 32, 33, 47, 48, 49, 63, 64, 65,
	79, 80, 81, 95, 96, 97, 111, 112, 113, 127, 128, 129, 144, 159, 160,
	161, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 2047, 2048, 2049,
	4095, 4096, 4097, 8191, 8192, 8193, 16383, 16384, 16385, 28672, 28673,
	32767, 32768, 32769, 32770, 36863, 36864, 36865, 40960, 65535, 65536,
	65537, 131072, 262144, 1048575, 1048576, 1048577, 2097152,
	/* LARGE cache: mappings of up to 16 MiB are kept; a reuse needs at least
	 * three quarters of the mapping */
	(12u << 20) - 4097, (12u << 20) - 4096, (12u << 20) + 1,
	(16u << 20) - 8192, (16u << 20) - 4097, (16u << 20) - 4096,
	(16u << 20) - 4095, (16u << 20), (16u << 20) + 1,
};
#define FZ_NEDGES (sizeof fz_edges / sizeof fz_edges[0])

static const uint64_t fz_huge[] = {
	(uint64_t)1 << 47, ((uint64_t)1 << 47) + 1, 0xFFFFFFFFFFFFull,
	(uint64_t)1 << 48, ((uint64_t)1 << 48) + 1, (uint64_t)1 << 62,
	0x7FFFFFFFFFFFF000ull, 0x7FFFFFFFFFFFFFF0ull, 0x7FFFFFFFFFFFFFFFull,
	0x8000000000000000ull, 0x8000000000001000ull, 0xFFFFFFFFFFFFE000ull,
	0xFFFFFFFFFFFFF000ull, 0xFFFFFFFFFFFFF001ull, 0xFFFFFFFFFFFFFFF0ull,
	0xFFFFFFFFFFFFFFFFull,
};
#define FZ_NHUGE (sizeof fz_huge / sizeof fz_huge[0])

static const uint32_t fz_classes[40] = {
	16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 448,
	512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584,
	4096, 5120, 6144, 7168, 8192, 10240, 12288, 14336, 16384, 20480, 24576,
	28672, 32768,
};

static const uint64_t fz_aligns[] = {
	0, 1, 2, 3, 4, 5, 8, 12, 16, 24, 32, 40, 48, 64, 96, 128, 256, 512,
	1024, 2048, 4095, 4096, 4097, 6144, 8192, 12288, 16384, 32768, 65536,
	(uint64_t)1 << 20, (uint64_t)2 << 20, (uint64_t)4 << 20,
	((uint64_t)4 << 20) + 16, (uint64_t)8 << 20, (uint64_t)1 << 30,
	(uint64_t)1 << 40, (uint64_t)1 << 47, (uint64_t)1 << 62,
	(uint64_t)1 << 63, ((uint64_t)1 << 63) + 1, 0xFFFFFFFFFFFFFFF0ull,
	0xFFFFFFFFFFFFFFFFull,
};
#define FZ_NALIGNS (sizeof fz_aligns / sizeof fz_aligns[0])

static int fz_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

static struct fz_block *fz_own_block(struct fz_ctx *c, unsigned i)
{
	return &fz_pool[c->own[i % (unsigned)c->nown]];
}

/* Live LARGE bytes stay under a budget: a LARGE request that would pass it
 * becomes a SMALL one. Requests between the cap and FZ_MUST_FAIL (which could
 * succeed and would cost real memory) are never made. */
static size_t fz_bound(size_t size)
{
	size_t live;

	if (size >= FZ_MUST_FAIL)
		return size;
	if (size > FZ_LARGE_CAP)
		size = FZ_LARGE_CAP;
	if (size <= FZ_SMALL_MAX)
		return size;
	pthread_mutex_lock(&fz_mu);
	live = fz_large_live;
	pthread_mutex_unlock(&fz_mu);
	if (live + size > FZ_LARGE_BUDGET)
		size &= 0x7FFF;
	return size;
}

static size_t fz_size(struct fz_ctx *c)
{
	uint8_t s = u8(c);
	unsigned hi = s >> 3;
	size_t size = 0;

	switch (s & 7) {
	case 0:		/* TINY */
		size = u8(c) % (FZ_TINY_MAX + 1);
		break;
	case 1:		/* SMALL */
		size = FZ_TINY_MAX + 1 + u16(c) % (FZ_SMALL_MAX - FZ_TINY_MAX);
		break;
	case 2:		/* boundaries */
		size = fz_edges[u8(c) % FZ_NEDGES];
		break;
	case 3:		/* LARGE, up to 2 MiB */
		size = FZ_SMALL_MAX + 1 + (((size_t)hi << 16) | u16(c)) % ((size_t)2 << 20);
		break;
	case 4: {	/* whole pages, give or take 128 bytes, up to 4 MiB */
		size_t pages = 1 + (u8(c) | (size_t)(hi & 3) << 8);
		size = pages * FZ_PAGE + (size_t)(ptrdiff_t)(int8_t)u8(c);
		break;
	}
	case 5:		/* huge: must fail */
		size = fz_huge[hi % FZ_NHUGE];
		break;
	case 6: {	/* relative to a live block, or the block freed last */
		uint8_t which = u8(c);
		struct fz_block *b;

		if ((hi & 7) == 7) {
			size = c->last_freed;
			break;
		}
		if (c->nown == 0) {
			size = hi;
			break;
		}
		b = fz_own_block(c, which);
		switch (hi & 7) {
		case 0: size = b->req; break;
		case 1: size = b->req + 1; break;
		case 2: size = b->req ? b->req - 1 : 0; break;
		case 3: size = b->usable; break;
		case 4: size = b->usable + 1; break;
		case 5: size = b->usable / 2; break;
		default: size = b->usable / 2 + 1; break;
		}
		break;
	}
	default: {	/* size-class boundaries: class hi (+32 when the byte's top bit is set) */
		uint8_t b = u8(c);

		size = fz_classes[(hi + 32u * (b >> 7)) % 40] + (size_t)((b & 3) % 3) - 1;
		break;
	}
	}
	return fz_bound(size);
}

/* ---- patterns ---- */

static inline uint64_t fz_word(uint32_t tag, uint64_t k)
{
	uint64_t x = (k + 1) * 0x9E3779B97F4A7C15ull ^ ((uint64_t)tag * 0xC2B2AE3D27D4EB4Full);

	x ^= x >> 29;
	x *= 0xBF58476D1CE4E5B9ull;
	return x ^ (x >> 32);
}

static inline uint8_t fz_byte(uint32_t tag, size_t off)
{
	return (uint8_t)(fz_word(tag, off >> 3) >> (8 * (off & 7)));
}

enum { FZ_FILL, FZ_CHECK, FZ_ZERO };

/* Fills or checks [a, b) of block b with its pattern (or zeros). */
static void fz_range(const struct fz_block *blk, size_t a, size_t b, int mode,
		     const char *what)
{
	uint8_t *p = blk->p;
	size_t off = a;

	while (off < b && (off & 7) != 0) {
		uint8_t want = mode == FZ_ZERO ? 0 : fz_byte(blk->tag, off);

		if (mode == FZ_FILL)
			p[off] = want;
		else if (p[off] != want)
			goto bad;
		off++;
	}
	for (; off + 8 <= b; off += 8) {
		uint64_t want = mode == FZ_ZERO ? 0 : fz_word(blk->tag, off >> 3);
		uint64_t got;

		if (mode == FZ_FILL) {
			memcpy(p + off, &want, 8);
			continue;
		}
		memcpy(&got, p + off, 8);
		if (got != want) {
			while (((got ^ want) & 0xFF) == 0) {
				got >>= 8;
				want >>= 8;
				off++;
			}
			goto bad;
		}
	}
	for (; off < b; off++) {
		uint8_t want = mode == FZ_ZERO ? 0 : fz_byte(blk->tag, off);

		if (mode == FZ_FILL)
			p[off] = want;
		else if (p[off] != want)
			goto bad;
	}
	return;
bad:
	fz_fail("%s: block %p (requested %zu, usable %zu) byte %zu is 0x%02x, expected 0x%02x",
		what, (void *)p, blk->req, blk->usable, off, p[off],
		mode == FZ_ZERO ? 0 : fz_byte(blk->tag, off));
}

/* The positions of [a, b) that carry the pattern of a block whose tail window
 * starts at tail_lo: all of [0, FZ_DENSE), 64 bytes of every FZ_STRIDE, and
 * [tail_lo, b). */
static void fz_sampled(const struct fz_block *blk, size_t a, size_t b, size_t tail_lo,
		       int mode, const char *what)
{
	size_t k;

	if (a >= b)
		return;
	if (a < FZ_DENSE)
		fz_range(blk, a, b < FZ_DENSE ? b : FZ_DENSE, mode, what);
	for (k = (a > FZ_DENSE ? a : FZ_DENSE) / FZ_STRIDE * FZ_STRIDE; k < b; k += FZ_STRIDE) {
		size_t lo = k < a ? a : k;
		size_t hi = k + 64 < b ? k + 64 : b;

		if (k >= FZ_DENSE && lo < hi)
			fz_range(blk, lo, hi, mode, what);
	}
	if (tail_lo < a)
		tail_lo = a;
	if (tail_lo < FZ_DENSE)
		tail_lo = FZ_DENSE;
	if (tail_lo < b)
		fz_range(blk, tail_lo, b, mode, what);
}

static size_t fz_tail_of(size_t len)
{
	return len > FZ_DENSE + FZ_TAILWIN ? len - FZ_TAILWIN : FZ_DENSE;
}

/* The pattern now also covers [from, to). */
static void fz_extend(struct fz_block *b, size_t from, size_t to)
{
	size_t t = fz_tail_of(to);

	fz_sampled(b, from, to, t, FZ_FILL, "fill");
	if (t < from)
		fz_range(b, t, from, FZ_FILL, "fill");
	b->filled = to;
	b->tail_lo = t;
}

static void fz_check_block(const struct fz_block *b, const char *what)
{
	fz_sampled(b, 0, b->filled, b->tail_lo, FZ_CHECK, what);
}

/* First and last 16 bytes: cheap, after every operation. */
static void fz_quick_block(const struct fz_block *b)
{
	size_t f = b->filled;

	fz_range(b, 0, f < 16 ? f : 16, FZ_CHECK, "contents changed while live");
	if (f > 16)
		fz_range(b, f - 16 > 16 ? f - 16 : 16, f, FZ_CHECK, "contents changed while live");
}

/* ---- the pool of live blocks ---- */

/* Called with fz_mu held. */
static void fz_overlap_locked(uint8_t *p, size_t usable, int self)
{
	uintptr_t a = (uintptr_t)p;
	uintptr_t e = a + (usable ? usable : 1);
	int i;

	if (e < a)
		fz_fail("block %p of usable size %zu wraps around the address space", (void *)p, usable);
	for (i = 0; i < FZ_POOL; i++) {
		const struct fz_block *o = &fz_pool[i];
		uintptr_t oa = (uintptr_t)o->p;
		uintptr_t oe = oa + (o->usable ? o->usable : 1);

		if (i == self || o->owner == OWNER_NONE || o->busy)
			continue;
		if (a < oe && oa < e)
			fz_fail("new block [%p, +%zu) overlaps live block [%p, +%zu) (requested %zu)",
				(void *)p, usable, (void *)o->p, o->usable, o->req);
	}
}

static int fz_is_live_start(uintptr_t a)
{
	int i;
	int found = 0;

	pthread_mutex_lock(&fz_mu);
	for (i = 0; i < FZ_POOL && !found; i++)
		found = fz_pool[i].owner != OWNER_NONE && (uintptr_t)fz_pool[i].p == a;
	pthread_mutex_unlock(&fz_mu);
	return found;
}

static void fz_forget_freed(struct fz_ctx *c, uintptr_t a)
{
	c->freed[c->freed_next] = a;
	c->freed_next = (c->freed_next + 1) % FZ_FREED;
	if (c->nfreed < FZ_FREED)
		c->nfreed++;
}

static void fz_own_remove(struct fz_ctx *c, int slot)
{
	int i;

	for (i = 0; i < c->nown; i++) {
		if (c->own[i] == slot) {
			memmove(&c->own[i], &c->own[i + 1], (size_t)(c->nown - i - 1) * sizeof c->own[0]);
			c->nown--;
			return;
		}
	}
	fz_fail("model: slot %d not owned", slot);
}

static void fz_release(struct fz_ctx *c, int slot);

/* A new block from the allocator: check it and take it into the model. */
static struct fz_block *fz_adopt(struct fz_ctx *c, void *ptr, size_t req, uint64_t align,
				 int zeroed, const char *how)
{
	uint8_t *p = ptr;
	size_t usable = ftm_malloc_usable_size(p);
	struct fz_block *b;
	int slot = -1;
	int i;

	if ((uintptr_t)p % 16 != 0)
		fz_fail("%s returned %p, not 16-byte aligned", how, ptr);
	if (align > 16 && (uintptr_t)p % align != 0)
		fz_fail("%s returned %p, not aligned to %llu", how, ptr, (unsigned long long)align);
	if (usable < req)
		fz_fail("%s(%zu) returned %p with malloc_usable_size %zu < the request", how, req,
			ptr, usable);
	pthread_mutex_lock(&fz_mu);
	fz_overlap_locked(p, usable, -1);
	for (i = 0; i < FZ_POOL && slot < 0; i++)
		if (fz_pool[i].owner == OWNER_NONE)
			slot = i;
	if (slot < 0)
		fz_fail("model: pool full");
	b = &fz_pool[slot];
	*b = (struct fz_block){ p, req, usable, 0, 0, ++fz_next_tag, c->id, 0 };
	if (req > FZ_SMALL_MAX)
		fz_large_live += req;
	pthread_mutex_unlock(&fz_mu);
	c->own[c->nown++] = slot;
	if (zeroed)
		fz_sampled(b, 0, req, fz_tail_of(req), FZ_ZERO, "calloc memory is not zeroed");
	fz_extend(b, 0, req);
	FZ_TRACE("%s -> %p req %zu usable %zu", how, ptr, req, usable);
	return b;
}

/* Room for one more block in this thread: the oldest goes. */
static void fz_make_room(struct fz_ctx *c)
{
	if (c->nown >= c->own_max)
		fz_release(c, c->own[0]);
}

/* ---- misuse reports (fd 2 into a pipe around one call) ---- */

struct fz_capture {
	int saved;
	int rd;
	int active;
};

static void fz_capture_begin(struct fz_capture *cap)
{
	int fds[2];

	cap->active = 0;
	if (fz_no_capture || pipe2(fds, O_CLOEXEC) != 0)
		return;
	cap->saved = dup(2);
	if (cap->saved < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	dup2(fds[1], 2);
	close(fds[1]);
	cap->rd = fds[0];
	cap->active = 1;
}

/* Restores fd 2 and returns what was written (NUL-terminated), or NULL. */
static const char *fz_capture_end(struct fz_capture *cap, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t r;

	if (!cap->active)
		return NULL;
	dup2(cap->saved, 2);
	close(cap->saved);
	while (got + 1 < len && (r = read(cap->rd, buf + got, len - 1 - got)) > 0)
		got += (size_t)r;
	close(cap->rd);
	buf[got] = '\0';
	return buf;
}

#define FZ_K_FREE 0
#define FZ_K_REALLOC 1
#define FZ_K_USABLE 2
#define FZ_V_INVALID 1
#define FZ_V_INTERIOR 2
#define FZ_V_DOUBLE 4
#define FZ_V_ANY 7

static const char *const fz_report_text[3][3] = {
	{ "invalid free of ", "interior free of ", "double free of " },
	{ "realloc of invalid pointer ", "realloc of interior pointer ",
	  "realloc of freed pointer " },
	{ "malloc_usable_size of invalid pointer ",
	  "malloc_usable_size of interior pointer ",
	  "malloc_usable_size of freed pointer " },
};

/* Exactly one report of kind family `kind`, one of the verdicts in `allowed`,
 * naming addr. */
static void fz_expect_report(struct fz_ctx *c, const char *text, int kind, unsigned allowed,
			     uintptr_t addr)
{
	unsigned long count = ftm_set_on_error(1);
	char want[160];
	int v;

	fz_misuses++;
	if (count != fz_misuses)
		fz_fail("misuse of %p: %lu reports in all, expected %lu", (void *)addr, count,
			fz_misuses);
	if (text == NULL)
		return;
	for (v = 0; v < 3; v++) {
		if (!(allowed & (1u << v)))
			continue;
		snprintf(want, sizeof want, "ft_malloc: %s0x%llx\n", fz_report_text[kind][v],
			 (unsigned long long)addr);
		if (strcmp(text, want) == 0)
			return;
	}
	fz_fail("misuse of %p: report was \"%s\", expected one line \"ft_malloc: %s0x%llx\"%s",
		(void *)addr, text, fz_report_text[kind][allowed & 1 ? 0 : allowed & 2 ? 1 : 2],
		(unsigned long long)addr, (allowed & (allowed - 1)) ? " (or another kind)" : "");
	(void)c;
}

static void fz_expect_no_report(void)
{
	unsigned long count;

	if (!(fz_cur->flags & FZ_MISUSE))
		return;	/* abort mode: a report would have aborted */
	count = ftm_set_on_error(1);
	if (count != fz_misuses)
		fz_fail("%lu misuse reports, expected %lu (a correct call was reported)", count,
			fz_misuses);
}

/* ---- fault windows: "mmap fails now" ---- */

struct fz_window {
	unsigned gen;
	unsigned open;
};

static void fz_window_start(struct fz_window *w)
{
	w->open = __atomic_load_n(&fz_fault_open, __ATOMIC_SEQ_CST);
	w->gen = __atomic_load_n(&fz_fault_gen, __ATOMIC_SEQ_CST);
}

/* May the call that ran since fz_window_start have seen mmap fail? */
static int fz_window_may_fail(const struct fz_window *w)
{
	return w->open != 0 || __atomic_load_n(&fz_fault_open, __ATOMIC_SEQ_CST) != 0 ||
	       __atomic_load_n(&fz_fault_gen, __ATOMIC_SEQ_CST) != w->gen;
}

/* What the heap looks like, for a message about an unexpected failure. */
static const char *fz_heap_state(void)
{
	static __thread char buf[256];
	struct mallinfo2 mi = ftm_mallinfo2();
	FILE *f = fopen("/proc/self/maps", "r");
	int maps = 0;
	int ch;

	while (f != NULL && (ch = fgetc(f)) != EOF)
		maps += ch == '\n';
	if (f != NULL)
		fclose(f);
	snprintf(buf, sizeof buf, "heap: %zu zones, %zu LARGE blocks (%zu MiB); process: %d mappings",
		 mi.ordblks, mi.hblks, mi.hblkhd >> 20, maps);
	return buf;
}

/* A NULL result: right errno, and allowed at all? */
static void fz_null_result(const struct fz_window *w, int must_fail, int may_fail, int want_errno,
			   int got_errno, const char *what)
{
	if (got_errno != want_errno)
		fz_fail("%s failed with errno %d, expected %d", what, got_errno, want_errno);
	if (!must_fail && !may_fail && !fz_window_may_fail(w))
		fz_fail("%s failed (errno %d) though it must succeed (no mmap failure was injected; %s)",
			what, got_errno, fz_heap_state());
}

/* ---- operations ---- */

static void fz_release(struct fz_ctx *c, int slot)
{
	struct fz_block *b = &fz_pool[slot];
	uint8_t *p = b->p;
	int e;

	fz_check_block(b, "contents changed before free");
	pthread_mutex_lock(&fz_mu);
	b->busy = 1;
	pthread_mutex_unlock(&fz_mu);
	errno = FZ_ERRNO;
	ftm_free(p);
	e = errno;
	FZ_TRACE("free %p (req %zu)", (void *)p, b->req);
	pthread_mutex_lock(&fz_mu);
	if (b->req > FZ_SMALL_MAX)
		fz_large_live -= b->req;
	b->owner = OWNER_NONE;
	b->busy = 0;
	pthread_mutex_unlock(&fz_mu);
	fz_own_remove(c, slot);
	fz_forget_freed(c, (uintptr_t)p);
	c->last_freed = b->req;
	if (e != FZ_ERRNO)
		fz_fail("free changed errno to %d", e);
}

static void fz_op_alloc(struct fz_ctx *c, int op, size_t size, uint64_t align, int enabled)
{
	struct fz_window w;
	void *p = NULL;
	void *out = (void *)(uintptr_t)0x5a5a5a5a0ull;
	int e;
	int r = 0;
	int must_fail = size >= FZ_MUST_FAIL;
	int may_fail = 0;
	int want_errno = ENOMEM;
	uint64_t eff = 16;
	size_t req = size;
	const char *name = fz_op_name[op];

	if (!enabled)
		return;
	fz_make_room(c);
	switch (op) {
	case OP_POSIX_MEMALIGN:
		if (align % sizeof(void *) != 0 || !fz_pow2(align))
			want_errno = EINVAL, must_fail = 1;
		eff = align;
		break;
	case OP_ALIGNED_ALLOC:
		if (!fz_pow2(align))
			want_errno = EINVAL, must_fail = 1;
		eff = align;
		break;
	case OP_MEMALIGN:
		if (align > ((uint64_t)1 << 63)) {
			want_errno = EINVAL, must_fail = 1;
		} else {
			while (eff < align)
				eff <<= 1;
		}
		break;
	case OP_VALLOC:
		eff = FZ_PAGE;
		break;
	case OP_PVALLOC:
		eff = FZ_PAGE;
		req = (size + FZ_PAGE - 1) & ~(size_t)(FZ_PAGE - 1);
		if (req < size)
			must_fail = 1;
		else if (req == 0)
			req = FZ_PAGE;
		must_fail |= req >= FZ_MUST_FAIL;
		break;
	default:
		break;
	}
	if (want_errno == ENOMEM && eff >= FZ_MUST_FAIL)
		must_fail = 1;	/* the aligned mapping cannot exist */
	if (want_errno == ENOMEM && eff > FZ_MAY_FAIL_ALIGN)
		may_fail = 1;
	fz_window_start(&w);
	errno = FZ_ERRNO;
	switch (op) {
	case OP_MALLOC:
	case OP_MALLOC_FILL:
		p = ftm_malloc(size);
		break;
	case OP_REALLOC_NULL:
		p = ftm_realloc(NULL, size);
		break;
	case OP_POSIX_MEMALIGN:
		r = ftm_posix_memalign(&out, align, size);
		p = r == 0 ? out : NULL;
		break;
	case OP_ALIGNED_ALLOC:
		p = ftm_aligned_alloc(align, size);
		break;
	case OP_MEMALIGN:
		p = ftm_memalign(align, size);
		break;
	case OP_VALLOC:
		p = ftm_valloc(size);
		break;
	case OP_PVALLOC:
		p = ftm_pvalloc(size);
		break;
	default:
		fz_fail("model: bad alloc op");
	}
	e = errno;
	FZ_TRACE("%s(size %zu, align %llu) -> %p errno %d ret %d", name, size,
		 (unsigned long long)align, p, e, r);
	if (op == OP_POSIX_MEMALIGN) {
		if (e != FZ_ERRNO)
			fz_fail("posix_memalign changed errno to %d", e);
		if (r != 0 && out != (void *)(uintptr_t)0x5a5a5a5a0ull)
			fz_fail("posix_memalign failed (%d) but wrote *memptr", r);
		if (r != 0 && r != ENOMEM && r != EINVAL)
			fz_fail("posix_memalign returned %d", r);
		e = r;	/* its "errno" is the result */
	}
	if (p == NULL) {
		fz_null_result(&w, must_fail, may_fail, want_errno, e, name);
		return;
	}
	if (must_fail)
		fz_fail("%s(align %llu, size %zu) succeeded (%p) but must fail", name,
			(unsigned long long)align, size, p);
	if (op == OP_POSIX_MEMALIGN && out != p)
		fz_fail("posix_memalign: model");
	{
		struct fz_block *b = fz_adopt(c, p, req, eff, 0, name);

		if (op == OP_MALLOC && size <= FZ_SMALL_MAX) {
			/* size classes keep waste under 25% */
			if (size <= 16 ? b->usable != 16 : b->usable * 4 > size * 5 + 64)
				fz_fail("malloc(%zu): usable size %zu wastes too much", size, b->usable);
		}
		if (op == OP_MALLOC_FILL)
			fz_extend(b, b->filled, b->usable);
	}
}

/* calloc / reallocarray operands: count x size. */
static void fz_pair(struct fz_ctx *c, size_t *count, size_t *size)
{
	static const uint64_t pairs[][2] = {
		{ 0xFFFFFFFFFFFFFFFFull, 2 }, { 2, 0xFFFFFFFFFFFFFFFFull },
		{ (uint64_t)1 << 32, (uint64_t)1 << 32 }, { (uint64_t)1 << 62, 4 },
		{ 0x4000000000000000ull, 2 }, { 0x7FFFFFFFFFFFFFFFull, 1 },
		{ 1, 0x8000000000000000ull }, { 3, 0x5555555555555556ull },
		{ 0, 0xFFFFFFFFFFFFFFFFull }, { 0xFFFFFFFFFFFFFFFFull, 0 }, { 0, 0 },
		{ 1, 0 }, { 0, 1 }, { (uint64_t)1 << 24, (uint64_t)1 << 24 },
		{ 65537, 65535 }, { 4097, 8 },
	};
	uint8_t m = u8(c);
	uint64_t a;
	uint64_t b;
	unsigned __int128 prod;

	switch (m & 3) {
	case 0:
		a = 1 + u8(c) % 16;
		b = fz_size(c);
		break;
	case 1:
		a = pairs[(m >> 2) % (sizeof pairs / sizeof pairs[0])][0];
		b = pairs[(m >> 2) % (sizeof pairs / sizeof pairs[0])][1];
		break;
	case 2:
		a = fz_size(c);
		b = 1;
		break;
	default:
		a = u8(c);
		b = u8(c);
		break;
	}
	/* products that could be mapped but are over budget: shrink */
	prod = (unsigned __int128)a * b;
	if (prod > FZ_LARGE_CAP && prod < FZ_MUST_FAIL) {
		a = 1;
		b = fz_bound(b);
		if (b > FZ_LARGE_CAP && b < FZ_MUST_FAIL)
			b = FZ_LARGE_CAP;
	} else if (prod > FZ_SMALL_MAX && prod <= FZ_LARGE_CAP && fz_bound((size_t)prod) != prod) {
		a = 1;
		b = (size_t)prod & 0x7FFF;
	}
	*count = a;
	*size = b;
}

/* must_fail: the product is above PTRDIFF_MAX or cannot be mapped. */
static int fz_pair_fails(size_t a, size_t b, size_t *prod)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	*prod = (size_t)p;
	return p >= FZ_MUST_FAIL;
}

static void fz_op_calloc(struct fz_ctx *c)
{
	size_t a;
	size_t b;
	size_t prod;
	int must_fail;
	struct fz_window w;
	void *p;
	int e;

	fz_pair(c, &a, &b);
	must_fail = fz_pair_fails(a, b, &prod);
	fz_make_room(c);
	fz_window_start(&w);
	errno = FZ_ERRNO;
	p = ftm_calloc(a, b);
	e = errno;
	FZ_TRACE("calloc(%zu, %zu) -> %p errno %d", a, b, p, e);
	if (p == NULL) {
		fz_null_result(&w, must_fail, 0, ENOMEM, e, "calloc");
		return;
	}
	if (must_fail)
		fz_fail("calloc(%zu, %zu) succeeded but must fail", a, b);
	fz_adopt(c, p, prod, 16, 1, "calloc");
}

/* realloc / reallocarray of a live block to `size` (or count x size). */
static void fz_op_realloc(struct fz_ctx *c, int slot, size_t size, int is_array, size_t count)
{
	struct fz_block *b = &fz_pool[slot];
	struct fz_block old = *b;
	struct fz_window w;
	size_t want = size;
	int must_fail;
	void *q;
	int e;
	size_t keep;
	size_t usable;

	if (is_array)
		must_fail = fz_pair_fails(count, size, &want);
	else
		must_fail = size >= FZ_MUST_FAIL;
	fz_check_block(b, "contents changed before realloc");
	pthread_mutex_lock(&fz_mu);
	b->busy = 1;
	pthread_mutex_unlock(&fz_mu);
	fz_window_start(&w);
	errno = FZ_ERRNO;
	q = is_array ? ftm_reallocarray(old.p, count, size) : ftm_realloc(old.p, size);
	e = errno;
	if (is_array)
		FZ_TRACE("reallocarray(%p [req %zu usable %zu], %zu, %zu) -> %p errno %d",
			 (void *)old.p, old.req, old.usable, count, size, q, e);
	else
		FZ_TRACE("realloc(%p [req %zu usable %zu], %zu) -> %p errno %d", (void *)old.p,
			 old.req, old.usable, size, q, e);
	if (!must_fail && want == 0) {
		/* realloc(p, 0) frees p and returns NULL */
		if (q != NULL)
			fz_fail("realloc(%p, 0) returned %p, expected NULL (freed)", (void *)old.p, q);
		pthread_mutex_lock(&fz_mu);
		if (old.req > FZ_SMALL_MAX)
			fz_large_live -= old.req;
		b->owner = OWNER_NONE;
		b->busy = 0;
		pthread_mutex_unlock(&fz_mu);
		fz_own_remove(c, slot);
		fz_forget_freed(c, (uintptr_t)old.p);
		c->last_freed = old.req;
		return;
	}
	if (q == NULL) {
		pthread_mutex_lock(&fz_mu);
		b->busy = 0;
		pthread_mutex_unlock(&fz_mu);
		if (!must_fail && !fz_window_may_fail(&w)) {
			void *again = ftm_realloc(old.p, want);

			fz_fail("realloc(%p [requested %zu, usable %zu], %zu) failed with errno %d though it "
				"must succeed (no mmap failure was injected); at once again: %p; %s",
				(void *)old.p, old.req, old.usable, want, e, again, fz_heap_state());
		}
		fz_null_result(&w, must_fail, 0, ENOMEM, e,
			       is_array ? "reallocarray" : "realloc");
		/* the old block is untouched and still ours */
		fz_check_block(b, "contents changed by a failed realloc");
		usable = ftm_malloc_usable_size(old.p);
		if (usable != old.usable)
			fz_fail("failed realloc changed usable size of %p: %zu -> %zu",
				(void *)old.p, old.usable, usable);
		return;
	}
	if (must_fail)
		fz_fail("realloc to %zu succeeded (%p) but must fail", want, q);
	if ((uintptr_t)q % 16 != 0)
		fz_fail("realloc returned %p, not 16-byte aligned", q);
	usable = ftm_malloc_usable_size(q);
	if (usable < want)
		fz_fail("realloc(%p, %zu) -> %p with usable size %zu", (void *)old.p, want, q, usable);
	keep = old.req < want ? old.req : want;
	/* the first min(old, new) bytes moved with the block */
	b->p = q;
	fz_sampled(b, 0, keep, old.tail_lo, FZ_CHECK,
		   q == old.p ? "realloc in place lost contents" : "realloc did not copy contents");
	pthread_mutex_lock(&fz_mu);
	b->busy = 0;
	fz_overlap_locked(q, usable, slot);
	if (old.req > FZ_SMALL_MAX)
		fz_large_live -= old.req;
	if (want > FZ_SMALL_MAX)
		fz_large_live += want;
	b->req = want;
	b->usable = usable;
	pthread_mutex_unlock(&fz_mu);
	b->filled = keep;
	fz_extend(b, keep, want);
	if (q != old.p)
		fz_forget_freed(c, (uintptr_t)old.p);
}

static void fz_op_usable(struct fz_ctx *c, struct fz_block *b)
{
	size_t u = ftm_malloc_usable_size(b->p);

	(void)c;
	if (u != b->usable)
		fz_fail("malloc_usable_size(%p) = %zu, was %zu", (void *)b->p, u, b->usable);
	/* the whole usable size may be used */
	if (b->filled < u)
		fz_extend(b, b->filled, u);
}

/* ---- show_alloc_mem ---- */

static char fz_show_buf[1 << 20];

static int fz_cmp_addr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)fz_pool[*(const int *)a].p;
	uintptr_t y = (uintptr_t)fz_pool[*(const int *)b].p;

	return x < y ? -1 : x > y;
}

static int fz_parse_hex(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int n = 0;

	if (p[0] != '0' || p[1] != 'x')
		return 0;
	for (p += 2;; p++, n++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		if (n >= 16)
			return 0;
		x = x << 4 | (uint64_t)d;
	}
	if (n == 0)
		return 0;
	*s = p;
	*v = x;
	return 1;
}

static int fz_parse_dec(const char **s, uint64_t *v)
{
	const char *p = *s;
	uint64_t x = 0;
	int n = 0;

	for (; *p >= '0' && *p <= '9'; p++, n++)
		x = x * 10 + (uint64_t)(*p - '0');
	if (n == 0 || n > 20)
		return 0;
	*s = p;
	*v = x;
	return 1;
}

static int fz_skip(const char **s, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*s, lit, n) != 0)
		return 0;
	*s += n;
	return 1;
}

/* Runs show_alloc_mem with fd 1 on a pipe and checks its listing against
 * every live block of the model. Only when no other thread runs. */
static void fz_show_check(void)
{
	static int sorted[FZ_POOL];
	int nlive = 0;
	int fds[2];
	int saved;
	size_t got = 0;
	ssize_t r;
	const char *s;
	const char *line;
	uint64_t zone = 0;
	int zkind = -1;		/* 0 TINY, 1 SMALL, 2 LARGE */
	int zblocks = 0;
	uint64_t prev_zone = 0;
	uint64_t prev_block = 0;
	uint64_t total = 0;
	uint64_t want_total = 0;
	int next = 0;
	int seen_total = 0;
	int i;

	for (i = 0; i < FZ_POOL; i++)
		if (fz_pool[i].owner != OWNER_NONE)
			sorted[nlive++] = i;
	qsort(sorted, (size_t)nlive, sizeof sorted[0], fz_cmp_addr);
	for (i = 0; i < nlive; i++)
		want_total += fz_pool[sorted[i]].req;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return;
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	fflush(stdout);
	saved = dup(1);
	dup2(fds[1], 1);
	close(fds[1]);
	ftm_show_alloc_mem();
	dup2(saved, 1);
	close(saved);
	while (got + 1 < sizeof fz_show_buf &&
	       (r = read(fds[0], fz_show_buf + got, sizeof fz_show_buf - 1 - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	fz_show_buf[got] = '\0';
	if (fz_trace)
		fprintf(stderr, "show_alloc_mem:\n%s", fz_show_buf);

	for (line = fz_show_buf; *line != '\0';) {
		const char *eol = strchr(line, '\n');
		uint64_t a;
		uint64_t e;
		uint64_t n;

		if (eol == NULL)
			fz_fail("show_alloc_mem: unterminated last line \"%s\"", line);
		if (seen_total)
			fz_fail("show_alloc_mem: a line after Total: \"%.*s\"", (int)(eol - line), line);
		s = line;
		if (fz_skip(&s, "TINY : ") || fz_skip(&s, "SMALL : ") || fz_skip(&s, "LARGE : ")) {
			int kind = line[0] == 'T' ? 0 : line[0] == 'S' ? 1 : 2;

			if (!fz_parse_hex(&s, &a) || s != eol)
				fz_fail("show_alloc_mem: bad zone line \"%.*s\"", (int)(eol - line), line);
			if (zkind == 2 && zblocks != 1)
				fz_fail("show_alloc_mem: LARGE zone 0x%llx lists %d blocks",
					(unsigned long long)zone, zblocks);
			if (a <= prev_zone && prev_zone != 0)
				fz_fail("show_alloc_mem: zone 0x%llx after 0x%llx (not increasing)",
					(unsigned long long)a, (unsigned long long)prev_zone);
			if (kind != 2 && a % FZ_ZONE != 0)
				fz_fail("show_alloc_mem: zone 0x%llx is not 4 MiB aligned",
					(unsigned long long)a);
			prev_zone = a;
			zone = a;
			zkind = kind;
			zblocks = 0;
		} else if (fz_skip(&s, "Total : ")) {
			if (!fz_parse_dec(&s, &n) || !fz_skip(&s, " bytes") || s != eol)
				fz_fail("show_alloc_mem: bad total line \"%.*s\"", (int)(eol - line), line);
			total = n;
			seen_total = 1;
		} else {
			const struct fz_block *b;

			if (!fz_parse_hex(&s, &a) || !fz_skip(&s, " - ") || !fz_parse_hex(&s, &e) ||
			    !fz_skip(&s, " : ") || !fz_parse_dec(&s, &n) || !fz_skip(&s, " bytes") ||
			    s != eol)
				fz_fail("show_alloc_mem: bad line \"%.*s\"", (int)(eol - line), line);
			if (zkind < 0)
				fz_fail("show_alloc_mem: block 0x%llx before any zone",
					(unsigned long long)a);
			if (e != a + n)
				fz_fail("show_alloc_mem: 0x%llx - 0x%llx is not %llu bytes",
					(unsigned long long)a, (unsigned long long)e,
					(unsigned long long)n);
			if (a <= prev_block && prev_block != 0)
				fz_fail("show_alloc_mem: block 0x%llx after 0x%llx (not increasing)",
					(unsigned long long)a, (unsigned long long)prev_block);
			prev_block = a;
			zblocks++;
			if (zkind == 2 ? a != zone : (a < zone || a - zone >= FZ_ZONE))
				fz_fail("show_alloc_mem: block 0x%llx listed under zone 0x%llx",
					(unsigned long long)a, (unsigned long long)zone);
			if (next >= nlive)
				fz_fail("show_alloc_mem lists 0x%llx (%llu bytes), which is not live",
					(unsigned long long)a, (unsigned long long)n);
			b = &fz_pool[sorted[next]];
			if ((uintptr_t)b->p != a)
				fz_fail("show_alloc_mem: expected live block %p (%zu bytes) next, got 0x%llx (%llu bytes)",
					(void *)b->p, b->req, (unsigned long long)a,
					(unsigned long long)n);
			if (b->req != n)
				fz_fail("show_alloc_mem: block %p listed with %llu bytes, requested %zu",
					(void *)b->p, (unsigned long long)n, b->req);
			if ((zkind == 0 && b->usable > FZ_TINY_MAX) ||
			    (zkind == 1 && (b->usable <= FZ_TINY_MAX || b->usable > FZ_SMALL_MAX)) ||
			    (zkind == 2 && (a % FZ_PAGE != 0 || b->usable % FZ_PAGE != 0)))
				fz_fail("show_alloc_mem: block %p (usable %zu) listed under a %s zone",
					(void *)b->p, b->usable,
					zkind == 0 ? "TINY" : zkind == 1 ? "SMALL" : "LARGE");
			next++;
		}
		line = eol + 1;
	}
	if (!seen_total)
		fz_fail("show_alloc_mem: no Total line in \"%s\"", fz_show_buf);
	if (zkind == 2 && zblocks != 1)
		fz_fail("show_alloc_mem: LARGE zone 0x%llx lists %d blocks", (unsigned long long)zone,
			zblocks);
	if (next != nlive)
		fz_fail("show_alloc_mem does not list live block %p (%zu bytes)",
			(void *)fz_pool[sorted[next]].p, fz_pool[sorted[next]].req);
	if (total != want_total)
		fz_fail("show_alloc_mem: Total %llu, live blocks add up to %llu",
			(unsigned long long)total, (unsigned long long)want_total);
}

/* ---- misuse operations ---- */

static char fz_global_junk[64] __attribute__((aligned(16)));

/* A pointer that is not the start of a live block, and which report kinds
 * free() may give for it (0 when the op must be skipped). */
static uintptr_t fz_foreign(struct fz_ctx *c, uint8_t sel, unsigned *kinds, void **heap,
			    char *stack)
{
	struct fz_block *b = c->nown ? fz_own_block(c, sel >> 3) : NULL;
	uintptr_t a;

	*kinds = FZ_V_INVALID;
	switch (sel & 7) {
	case 0:
		return (uintptr_t)(stack + 16 * ((sel >> 3) & 3));
	case 1:
		return (uintptr_t)(fz_global_junk + 16 * ((sel >> 3) & 3));
	case 2:
		*heap = malloc(64);	/* the sanitizer's heap */
		return (uintptr_t)*heap;
	case 3:		/* the metadata area of one of our zones */
		if (b == NULL)
			return (uintptr_t)stack;
		*kinds = FZ_V_ANY;
		a = ((uintptr_t)b->p & ~(FZ_ZONE - 1)) + 64 * (uintptr_t)(sel >> 3);
		break;
	case 4:		/* just past a live block */
		if (b == NULL)
			return (uintptr_t)stack;
		*kinds = FZ_V_ANY;
		a = (uintptr_t)b->p + b->usable;
		break;
	case 5:
		if (b == NULL)
			return (uintptr_t)stack;
		*kinds = FZ_V_ANY;
		a = (uintptr_t)b->p - 16;
		break;
	case 6: {
		static const uintptr_t consts[] = { 0x10, 0x1000, 0xFFF0, 0x7FFFFFFFF000ull,
						    (uintptr_t)-16, (uintptr_t)-4096 };
		return consts[(sel >> 3) % (sizeof consts / sizeof consts[0])];
	}
	default:	/* a zone-aligned address near a live block */
		if (b == NULL)
			return 0x10;
		*kinds = FZ_V_ANY;
		a = ((uintptr_t)b->p & ~(FZ_ZONE - 1)) + FZ_ZONE * ((sel >> 3) & 1 ? 1 : (uintptr_t)-1);
		break;
	}
	if (fz_is_live_start(a))
		return 0;
	return a;
}

/* After a misuse: the block it touched is still live and intact. */
static void fz_still_live(struct fz_block *b)
{
	size_t u;

	if (b == NULL)
		return;
	u = ftm_malloc_usable_size(b->p);
	if (u != b->usable)
		fz_fail("after a misuse, malloc_usable_size(%p) = %zu, was %zu", (void *)b->p, u,
			b->usable);
	fz_check_block(b, "contents changed by a misuse");
}

/* An interior pointer of a live block; the kinds of report it may get. */
static uintptr_t fz_interior(struct fz_block *b, uint16_t off, unsigned *kinds)
{
	size_t span = b->usable > 1 ? b->usable : 2;

	if (b->usable > FZ_SMALL_MAX)
		*kinds = FZ_V_INVALID;		/* LARGE: no zone to say more */
	else if (b->usable == 0)
		*kinds = FZ_V_INVALID;		/* LARGE of size 0: the guard page */
	else if (b->usable <= FZ_TINY_MAX)
		*kinds = FZ_V_INTERIOR;		/* TINY */
	else
		*kinds = FZ_V_INTERIOR | FZ_V_INVALID;
	return (uintptr_t)b->p + 1 + off % (span - 1);
}

static void fz_misuse_free(struct fz_ctx *c, uintptr_t a, unsigned kinds, struct fz_block *touched)
{
	struct fz_capture cap;
	char text[512];
	const char *got;
	int e;

	fz_capture_begin(&cap);
	errno = FZ_ERRNO;
	ftm_free((void *)a);
	e = errno;
	got = fz_capture_end(&cap, text, sizeof text);
	FZ_TRACE("free(%p) misuse -> \"%s\"", (void *)a, got ? got : "?");
	if (e != FZ_ERRNO)
		fz_fail("free(%p) of a bad pointer changed errno to %d", (void *)a, e);
	fz_expect_report(c, got, FZ_K_FREE, kinds, a);
	fz_still_live(touched);
}

static void fz_misuse_realloc(struct fz_ctx *c, uintptr_t a, size_t size, unsigned kinds,
			      struct fz_block *touched)
{
	struct fz_capture cap;
	char text[512];
	const char *got;
	void *q;
	int e;

	fz_capture_begin(&cap);
	errno = FZ_ERRNO;
	q = ftm_realloc((void *)a, size);
	e = errno;
	got = fz_capture_end(&cap, text, sizeof text);
	FZ_TRACE("realloc(%p, %zu) misuse -> %p errno %d \"%s\"", (void *)a, size, q, e,
		 got ? got : "?");
	if (q != NULL)
		fz_fail("realloc(%p, %zu) of a bad pointer returned %p", (void *)a, size, q);
	if (e != EINVAL)
		fz_fail("realloc(%p) of a bad pointer: errno %d, expected EINVAL", (void *)a, e);
	fz_expect_report(c, got, FZ_K_REALLOC, kinds, a);
	fz_still_live(touched);
}

static void fz_misuse_usable(struct fz_ctx *c, uintptr_t a, unsigned kinds, struct fz_block *touched)
{
	struct fz_capture cap;
	char text[512];
	const char *got;
	size_t u;

	fz_capture_begin(&cap);
	u = ftm_malloc_usable_size((void *)a);
	got = fz_capture_end(&cap, text, sizeof text);
	FZ_TRACE("malloc_usable_size(%p) misuse -> %zu \"%s\"", (void *)a, u, got ? got : "?");
	if (u != 0)
		fz_fail("malloc_usable_size(%p) of a bad pointer returned %zu", (void *)a, u);
	fz_expect_report(c, got, FZ_K_USABLE, kinds, a);
	fz_still_live(touched);
}

/* A recently freed address that is not live again (0 if none). */
static uintptr_t fz_pick_freed(struct fz_ctx *c, uint8_t sel)
{
	uintptr_t a;

	if (c->nfreed == 0)
		return 0;
	a = c->freed[sel % c->nfreed];
	return fz_is_live_start(a) ? 0 : a;
}

/* The live block that contains a (in this thread), for the after-check. */
static struct fz_block *fz_container(struct fz_ctx *c, uintptr_t a)
{
	int i;

	for (i = 0; i < c->nown; i++) {
		struct fz_block *b = &fz_pool[c->own[i]];

		if (a >= (uintptr_t)b->p && a < (uintptr_t)b->p + (b->usable ? b->usable : 1))
			return b;
	}
	return NULL;
}

/* ---- threads: handing blocks over ---- */

static void fz_give(struct fz_ctx *c, int slot)
{
	pthread_mutex_lock(&fz_mu);
	if (fz_nexchange >= (int)(sizeof fz_exchange / sizeof fz_exchange[0])) {
		pthread_mutex_unlock(&fz_mu);
		return;
	}
	fz_pool[slot].owner = OWNER_EXCHANGE;
	fz_exchange[fz_nexchange++] = slot;
	pthread_mutex_unlock(&fz_mu);
	fz_own_remove(c, slot);
}

static void fz_take(struct fz_ctx *c, uint8_t sel)
{
	int slot = -1;

	if (c->nown >= c->own_max)
		return;
	pthread_mutex_lock(&fz_mu);
	if (fz_nexchange > 0) {
		int i = sel % fz_nexchange;

		slot = fz_exchange[i];
		fz_exchange[i] = fz_exchange[--fz_nexchange];
		fz_pool[slot].owner = c->id;
	}
	pthread_mutex_unlock(&fz_mu);
	if (slot >= 0) {
		c->own[c->nown++] = slot;
		fz_check_block(&fz_pool[slot], "contents changed while handed over");
	}
}

/* ---- the interpreter ---- */

static void fz_step(struct fz_ctx *c);

static int fz_enabled(const struct fz_ctx *c, int op)
{
	switch (fz_op_who[op]) {
	case FZ_WHO_M:
		return (c->flags & FZ_MISUSE) != 0;
	case FZ_WHO_T:
		return (c->flags & FZ_THREADS) != 0;
	default:
		return 1;
	}
}

static void fz_step(struct fz_ctx *c)
{
	int op = u8(c) % OP_COUNT;
	int on = fz_enabled(c, op);
	int i;

	c->op = op;
	c->op_count++;
	switch (op) {
	case OP_MALLOC:
	case OP_MALLOC_FILL:
	case OP_REALLOC_NULL:
	case OP_VALLOC:
	case OP_PVALLOC:
		fz_op_alloc(c, op, fz_size(c), 16, on);
		break;
	case OP_POSIX_MEMALIGN:
	case OP_ALIGNED_ALLOC:
	case OP_MEMALIGN: {
		uint64_t align = fz_aligns[u8(c) % FZ_NALIGNS];

		fz_op_alloc(c, op, fz_size(c), align, on);
		break;
	}
	case OP_CALLOC:
		fz_op_calloc(c);
		break;
	case OP_REALLOC: {
		uint8_t which = u8(c);
		size_t size = fz_size(c);

		if (c->nown > 0)
			fz_op_realloc(c, c->own[which % c->nown], size, 0, 0);
		break;
	}
	case OP_REALLOC_GROW:
	case OP_REALLOC_SHRINK: {
		uint8_t which = u8(c);
		uint8_t how = u8(c);
		struct fz_block *b;
		size_t size;

		if (c->nown == 0)
			break;
		b = fz_own_block(c, which);
		if (op == OP_REALLOC_GROW) {
			static const size_t add[] = { 1, 16, 17, 100, 4096, 4097, 65536 };
			switch (how & 3) {
			case 0: size = b->usable + 1; break;
			case 1: size = b->req * 2 + (how >> 2); break;
			case 2: size = b->req + add[(how >> 2) % 7]; break;
			default: size = FZ_SMALL_MAX + 1 + (how >> 2); break;
			}
		} else {
			switch (how & 3) {
			case 0: size = b->req ? b->req - 1 - (how >> 2) % (b->req) : 0; break;
			case 1: size = b->usable / 2 + (how >> 7); break;
			case 2: size = b->req / 2; break;
			default: size = (size_t[]){ 1, 16, 128, 129, 4096, 32768, 32769,
						    65536 }[(how >> 2) & 7]; break;
			}
			if (size == 0)
				size = 1;
		}
		fz_op_realloc(c, c->own[which % c->nown], fz_bound(size), 0, 0);
		break;
	}
	case OP_REALLOC_ZERO: {
		uint8_t which = u8(c);

		if (c->nown > 0)
			fz_op_realloc(c, c->own[which % c->nown], 0, 0, 0);
		break;
	}
	case OP_REALLOCARRAY: {
		uint8_t which = u8(c);
		size_t a;
		size_t b;

		fz_pair(c, &a, &b);
		if (c->nown > 0)
			fz_op_realloc(c, c->own[which % c->nown], b, 1, a);
		break;
	}
	case OP_FREE: {
		uint8_t which = u8(c);

		if (c->nown > 0)
			fz_release(c, c->own[which % c->nown]);
		break;
	}
	case OP_FREE_MANY: {
		unsigned k = 1 + u8(c) % 32;

		while (k-- > 0 && c->nown > 0)
			fz_release(c, c->own[c->nown - 1]);
		break;
	}
	case OP_FREE_NULL: {
		int e;
		size_t u;

		errno = FZ_ERRNO;
		ftm_free(NULL);
		e = errno;
		u = ftm_malloc_usable_size(NULL);
		if (e != FZ_ERRNO)
			fz_fail("free(NULL) changed errno to %d", e);
		if (u != 0)
			fz_fail("malloc_usable_size(NULL) = %zu", u);
		break;
	}
	case OP_USABLE_SIZE: {
		uint8_t which = u8(c);

		if (c->nown > 0)
			fz_op_usable(c, fz_own_block(c, which));
		break;
	}
	case OP_SHOW:
		if ((c->flags & FZ_SHOW) && !c->in_fault) {
			fz_show_check();
			c->showed = 1;
		}
		break;
	case OP_FAULT: {
		unsigned n = 1 + u8(c) % 4;

		if (!(c->flags & FZ_FAULTS) || c->in_fault || c->pos >= c->n)
			break;
		/* the next operation runs while the next n mappings fail */
		__atomic_add_fetch(&fz_fault_open, 1, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&fz_fault_gen, 1, __ATOMIC_SEQ_CST);
		ft_os_fail_next_maps(n);
		FZ_TRACE("the next %u mappings fail", n);
		c->in_fault = 1;
		fz_step(c);
		c->in_fault = 0;
		ft_os_fail_next_maps(0);
		__atomic_add_fetch(&fz_fault_gen, 1, __ATOMIC_SEQ_CST);
		__atomic_sub_fetch(&fz_fault_open, 1, __ATOMIC_SEQ_CST);
		break;
	}
	case OP_CHECK_ALL:
		for (i = 0; i < c->nown; i++)
			fz_check_block(&fz_pool[c->own[i]], "contents changed while live");
		break;
	case OP_TRIM:
		ftm_malloc_trim(0);
		break;
	case OP_DOUBLE_FREE:
	case OP_REALLOC_FREED: {
		uint8_t sel = u8(c);
		size_t size = op == OP_REALLOC_FREED ? fz_size(c) : 0;
		uintptr_t a = on ? fz_pick_freed(c, sel) : 0;

		if (a == 0)
			break;
		if (op == OP_DOUBLE_FREE)
			fz_misuse_free(c, a, FZ_V_ANY, fz_container(c, a));
		else
			fz_misuse_realloc(c, a, size, FZ_V_ANY, fz_container(c, a));
		break;
	}
	case OP_INTERIOR_FREE:
	case OP_REALLOC_INTERIOR: {
		uint8_t which = u8(c);
		uint16_t off = u16(c);
		size_t size = op == OP_REALLOC_INTERIOR ? fz_size(c) : 0;
		struct fz_block *b;
		unsigned kinds;
		uintptr_t a;

		if (!on || c->nown == 0)
			break;
		b = fz_own_block(c, which);
		a = fz_interior(b, off, &kinds);
		if (op == OP_INTERIOR_FREE)
			fz_misuse_free(c, a, kinds, b);
		else
			fz_misuse_realloc(c, a, size, kinds, b);
		break;
	}
	case OP_FOREIGN_FREE:
	case OP_REALLOC_FOREIGN: {
		uint8_t sel = u8(c);
		size_t size = op == OP_REALLOC_FOREIGN ? fz_size(c) : 0;
		char stack[64] __attribute__((aligned(16)));
		void *heap = NULL;
		unsigned kinds;
		uintptr_t a;

		if (!on)
			break;
		a = fz_foreign(c, sel, &kinds, &heap, stack);
		if (a != 0) {
			if (op == OP_FOREIGN_FREE)
				fz_misuse_free(c, a, kinds, fz_container(c, a));
			else
				fz_misuse_realloc(c, a, size, kinds, fz_container(c, a));
		}
		free(heap);
		break;
	}
	case OP_USABLE_MISUSE: {
		uint8_t sel = u8(c);
		uint16_t off = u16(c);
		char stack[64] __attribute__((aligned(16)));
		void *heap = NULL;
		unsigned kinds = FZ_V_ANY;
		uintptr_t a = 0;

		if (!on)
			break;
		switch (off % 3) {
		case 0:
			a = fz_pick_freed(c, sel);
			break;
		case 1:
			if (c->nown > 0)
				a = fz_interior(fz_own_block(c, sel), off >> 2, &kinds);
			break;
		default:
			a = fz_foreign(c, sel, &kinds, &heap, stack);
			break;
		}
		if (a != 0)
			fz_misuse_usable(c, a, kinds, fz_container(c, a));
		free(heap);
		break;
	}
	case OP_GIVE: {
		uint8_t which = u8(c);

		if (on && c->nown > 0)
			fz_give(c, c->own[which % c->nown]);
		break;
	}
	case OP_TAKE: {
		uint8_t sel = u8(c);

		if (on)
			fz_take(c, sel);
		break;
	}
	case OP_YIELD:
		if (on)
			sched_yield();
		break;
	default:
		break;
	}
	fz_expect_no_report();
	/* cheap checks of every block this thread holds */
	for (i = 0; i < c->nown; i++)
		fz_quick_block(&fz_pool[c->own[i]]);
}

static void fz_exec(struct fz_ctx *c)
{
	fz_cur = c;
	while (c->pos < c->n && c->op_count < FZ_MAX_OPS)
		fz_step(c);
}

static void fz_ctx_init(struct fz_ctx *c, int id, unsigned flags, const uint8_t *d, size_t n,
			int own_max)
{
	memset(c, 0, sizeof *c);
	c->id = id;
	c->flags = flags;
	c->d = d;
	c->n = n;
	c->own_max = own_max;
	c->op = -1;
}

/* Every block still live is taken by c (no other thread runs). */
static void fz_gather(struct fz_ctx *c)
{
	int i;

	c->nown = 0;
	fz_nexchange = 0;
	for (i = 0; i < FZ_POOL; i++) {
		if (fz_pool[i].owner != OWNER_NONE) {
			fz_pool[i].owner = c->id;
			c->own[c->nown++] = i;
		}
	}
}

/* End of an input: everything checked and freed; the heap is empty again.
 * show_alloc_mem walks the whole zone registry (slow under coverage
 * instrumentation), so the listing is checked here only when the input asked
 * for it at least once (always for the threads target). */
static void fz_finish(struct fz_ctx *c, int show)
{
	int i;

	fz_cur = c;
	c->op = -1;
	for (i = 0; i < c->nown; i++)
		fz_check_block(&fz_pool[c->own[i]], "contents changed while live");
	if (show)
		fz_show_check();
	while (c->nown > 0)
		fz_release(c, c->own[c->nown - 1]);
	fz_expect_no_report();
	if (show)
		fz_show_check();
	ftm_malloc_trim(0);
	if (fz_stats > 0 && ++fz_inputs % (unsigned long)fz_stats == 0) {
		struct mallinfo2 mi = ftm_mallinfo2();

		fprintf(stderr, "ftfuzz: after %lu inputs: %zu zones (%zu MiB), %zu LARGE blocks, %zu bytes in slots\n",
			fz_inputs, mi.ordblks, mi.arena >> 20, mi.hblks, mi.uordblks - mi.hblkhd);
	}
	if (fz_large_live != 0)
		fz_fail("model: %zu LARGE bytes left", fz_large_live);
	fz_cur = NULL;
}

struct fz_thread {
	pthread_t th;
	struct fz_ctx ctx;
	pthread_barrier_t *start;
};

static void *fz_thread_main(void *arg)
{
	struct fz_thread *t = arg;

	pthread_barrier_wait(t->start);
	fz_exec(&t->ctx);
	return NULL;	/* its blocks stay live: its heap is left to the next thread */
}

static void fz_setup(unsigned flags)
{
	const char *v;

	int i;

	if (fz_ready)
		return;
	fz_ready = 1;
	for (i = 0; i < FZ_POOL; i++)
		fz_pool[i].owner = OWNER_NONE;
	v = getenv("FZ_TRACE");
	fz_trace = v != NULL && v[0] != '\0' && v[0] != '0';
	v = getenv("FZ_STATS");
	fz_stats = v != NULL ? atoi(v) : 0;
	v = getenv("FZ_NO_CAPTURE");
	fz_no_capture = v != NULL && v[0] != '\0' && v[0] != '0';
	fz_misuses = ftm_set_on_error((flags & FZ_MISUSE) ? 1 : 0);
	ftm_set_on_error((flags & FZ_MISUSE) ? 1 : 0);
}

void fz_run(const uint8_t *data, size_t size, unsigned flags)
{
	static struct fz_thread threads[4];
	pthread_barrier_t start;
	struct fz_ctx main_ctx;
	size_t part;
	int n;
	int i;

	fz_setup(flags);
	if (!(flags & FZ_THREADS)) {
		fz_ctx_init(&main_ctx, 0, flags, data, size, FZ_OWN_MAX);
		fz_exec(&main_ctx);
		fz_finish(&main_ctx, main_ctx.showed);
		return;
	}
	/* threads: the first byte says how many (2-4); each thread runs its
	 * share of the rest; the main thread is thread 0 */
	if (size == 0)
		return;
	n = 2 + data[0] % 3;
	data++;
	size--;
	part = size / (size_t)n;
	pthread_barrier_init(&start, NULL, (unsigned)n);
	for (i = 0; i < n; i++) {
		fz_ctx_init(&threads[i].ctx, i, flags & ~FZ_SHOW, data + part * (size_t)i,
			    i == n - 1 ? size - part * (size_t)i : part, FZ_POOL / 4 - 16);
		threads[i].start = &start;
	}
	for (i = 1; i < n; i++) {
		if (pthread_create(&threads[i].th, NULL, fz_thread_main, &threads[i]) != 0)
			fz_fail("pthread_create failed");
	}
	pthread_barrier_wait(&start);
	fz_exec(&threads[0].ctx);
	for (i = 1; i < n; i++)
		pthread_join(threads[i].th, NULL);
	pthread_barrier_destroy(&start);
	/* quiescent: the main thread takes every block, checks the listing, and
	 * frees them all (most of them cross-thread) */
	fz_ctx_init(&main_ctx, 0, flags | FZ_SHOW, NULL, 0, FZ_POOL);
	fz_gather(&main_ctx);
	fz_finish(&main_ctx, 1);
}
