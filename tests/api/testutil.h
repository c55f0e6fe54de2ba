/* Helpers shared by the API test programs in tests/api/.
 *
 * - Every allocator call goes through a volatile function pointer (t_malloc,
 *   t_free, ...). GCC knows malloc/free as builtins: it may delete a
 *   malloc/free pair, assume free() leaves errno alone, or fold a known-result
 *   call. Calls through a volatile pointer are opaque, so every check really
 *   runs the library.
 * - opq()/opp() hide constant sizes and pointers from the optimiser (and keep
 *   -Walloc-size-larger-than quiet on purpose-built huge requests).
 * - run_child() runs a function in a forked child with one of its file
 *   descriptors (stdout or stderr) captured through a pipe, with a timeout,
 *   so crashes and hangs become failed checks rather than a dead test run.
 *
 * This header is not a test (the Makefile builds only the .c files of tests/api). */
#ifndef FT_TESTUTIL_H
#define FT_TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* RTLD_DEFAULT, dladdr */
#endif

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

#define T_UNUSED __attribute__((unused))

static void *(*volatile t_malloc)(size_t) T_UNUSED = malloc;
static void (*volatile t_free)(void *) T_UNUSED = free;
static void *(*volatile t_calloc)(size_t, size_t) T_UNUSED = calloc;
static void *(*volatile t_realloc)(void *, size_t) T_UNUSED = realloc;
static void *(*volatile t_reallocarray)(void *, size_t, size_t) T_UNUSED = reallocarray;
static int (*volatile t_posix_memalign)(void **, size_t, size_t) T_UNUSED = posix_memalign;
static void *(*volatile t_aligned_alloc)(size_t, size_t) T_UNUSED = aligned_alloc;
static void *(*volatile t_memalign)(size_t, size_t) T_UNUSED = memalign;
static void *(*volatile t_valloc)(size_t) T_UNUSED = valloc;
static void *(*volatile t_pvalloc)(size_t) T_UNUSED = pvalloc;
static size_t (*volatile t_usable)(void *) T_UNUSED = malloc_usable_size;

static inline size_t opq(size_t x)
{
	__asm__ volatile("" : "+r"(x));
	return x;
}

static inline void *opp(void *p)
{
	__asm__ volatile("" : "+r"(p));
	return p;
}

#define T_PTRDIFF_MAX ((size_t)PTRDIFF_MAX)

static inline int is_aligned(const void *p, size_t a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* Printed before a failing check to show what was observed. run.sh counts
 * only PASS/FAIL lines, so these are free-form. */
static T_UNUSED void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

/* Byte pattern of block `tag` at offset i: varies with both, never constant
 * over a block, so a shifted or overlapping copy is noticed. */
static inline unsigned char pat(uint32_t tag, size_t i)
{
	uint32_t x = tag * 2654435761u + (uint32_t)i * 40503u + (uint32_t)(i >> 8) * 97u;
	return (unsigned char)(x ^ (x >> 13) ^ (x >> 21));
}

static inline void fill(void *p, size_t n, uint32_t tag)
{
	unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		c[i] = pat(tag, i);
}

/* Returns 1 when the first n bytes of p hold the pattern of tag. */
static inline int verify(const void *p, size_t n, uint32_t tag)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != pat(tag, i))
			return 0;
	return 1;
}

static inline int all_bytes(const void *p, size_t n, unsigned char v)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		if (c[i] != v)
			return 0;
	return 1;
}

/* Bytes of address space the process uses now, read without allocating (so
 * that it can run with RLIMIT_AS at its limit), or -1. */
static T_UNUSED long vm_bytes(void)
{
	char buf[64];
	long pages = 0;
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	for (char *c = buf; *c >= '0' && *c <= '9'; c++)
		pages = pages * 10 + (*c - '0');
	return pages * sysconf(_SC_PAGESIZE);
}

/* ---- children ------------------------------------------------------------ */

#define CHILD_OUT_MAX (1u << 20)

struct child_result {
	int status;        /* from waitpid, valid when !timed_out */
	int timed_out;     /* the child was killed after the timeout */
	int truncated;     /* captured output exceeded CHILD_OUT_MAX */
	size_t len;
	char out[CHILD_OUT_MAX + 1];
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Forks; in the child, fd `capture_fd` (1 or 2) goes to a pipe, core dumps
 * are disabled, fn(arg) runs and the child _exit(0)s if fn returns. The parent
 * collects everything written to the pipe and the wait status. A child still
 * running after timeout_s seconds is killed (timed_out = 1). Returns 0, or -1
 * if fork/pipe failed. r->out is NUL-terminated. */
static T_UNUSED int run_child(void (*fn)(void *), void *arg, int capture_fd,
			      double timeout_s, struct child_result *r)
{
	int fds[2];
	r->status = 0;
	r->timed_out = 0;
	r->truncated = 0;
	r->len = 0;
	r->out[0] = '\0';
	fflush(stdout);
	fflush(stderr);
	if (pipe(fds) != 0)
		return -1;
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		struct rlimit rl = { 0, 0 };
		setrlimit(RLIMIT_CORE, &rl);
		close(fds[0]);
		dup2(fds[1], capture_fd);
		close(fds[1]);
		alarm((unsigned)timeout_s + 5); /* belt and braces */
		fn(arg);
		_exit(0);
	}
	close(fds[1]);
	double deadline = now_s() + timeout_s;
	int eof = 0;
	while (!eof) {
		double left = deadline - now_s();
		if (left <= 0) {
			kill(pid, SIGKILL);
			r->timed_out = 1;
			break;
		}
		struct pollfd pfd = { fds[0], POLLIN, 0 };
		int n = poll(&pfd, 1, (int)(left * 1000) + 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;
		char tmp[4096];
		ssize_t got = read(fds[0], tmp, sizeof tmp);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			eof = 1;
			break;
		}
		size_t room = CHILD_OUT_MAX - r->len;
		size_t take = (size_t)got < room ? (size_t)got : room;
		if (take < (size_t)got)
			r->truncated = 1;
		memcpy(r->out + r->len, tmp, take);
		r->len += take;
	}
	close(fds[0]);
	r->out[r->len] = '\0';
	/* The pipe closed (or we gave up): reap, still with a deadline. */
	for (;;) {
		pid_t w = waitpid(pid, &r->status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			break;
		if (now_s() > deadline + 2 && !r->timed_out) {
			kill(pid, SIGKILL);
			r->timed_out = 1;
		}
		usleep(1000);
	}
	return 0;
}

static T_UNUSED int child_aborted(const struct child_result *r)
{
	return !r->timed_out && WIFSIGNALED(r->status) && WTERMSIG(r->status) == SIGABRT;
}

static T_UNUSED int child_exited_0(const struct child_result *r)
{
	return !r->timed_out && WIFEXITED(r->status) && WEXITSTATUS(r->status) == 0;
}

static T_UNUSED const char *describe_status(const struct child_result *r, char *buf, size_t n)
{
	if (r->timed_out)
		snprintf(buf, n, "timed out (killed)");
	else if (WIFSIGNALED(r->status))
		snprintf(buf, n, "killed by signal %d (%s)", WTERMSIG(r->status),
			 strsignal(WTERMSIG(r->status)));
	else if (WIFEXITED(r->status))
		snprintf(buf, n, "exited with status %d", WEXITSTATUS(r->status));
	else
		snprintf(buf, n, "status 0x%x", r->status);
	return buf;
}

/* Number of lines of buf (len bytes) exactly equal to line. */
static T_UNUSED int count_lines_equal(const char *buf, size_t len, const char *line)
{
	size_t ll = strlen(line);
	int count = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (end - i == ll && memcmp(buf + i, line, ll) == 0)
			count++;
		i = end + 1;
	}
	return count;
}

/* Number of lines of buf starting with prefix. */
static T_UNUSED int count_lines_prefix(const char *buf, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);
	int count = 0;
	size_t i = 0;
	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (end - i >= pl && memcmp(buf + i, prefix, pl) == 0)
			count++;
		i = end + 1;
	}
	return count;
}

/* Shows captured output (indented, as notes) after a failed check. */
static T_UNUSED void note_output(const char *what, const struct child_result *r)
{
	char sb[96];
	note("%s: child %s; captured %zu bytes%s:", what, describe_status(r, sb, sizeof sb),
	     r->len, r->truncated ? " (truncated)" : "");
	size_t i = 0;
	int lines = 0;
	while (i < r->len && lines < 40) {
		const char *nl = memchr(r->out + i, '\n', r->len - i);
		size_t end = nl ? (size_t)(nl - r->out) : r->len;
		note("  | %.*s", (int)(end - i), r->out + i);
		i = end + 1;
		lines++;
	}
}

#endif
