/*
 * Shared helpers of the benchmark workloads: a clock, a small random number
 * generator, resident-set measurements, the name of the library that serves
 * malloc, and the one machine-readable result line every workload prints:
 *
 *   BENCH workload=NAME seconds=S cpu_seconds=C ops=N ns_per_op=X ops_per_sec=Y \
 *         maxrss_kib=K malloc_lib=PATH [key=value ...]
 *
 * `seconds` is the wall time of the measured part (lower is better); every
 * other key is informational (maxrss_kib: the peak resident set, VmHWM). The allocator is chosen by LD_PRELOAD, so these
 * programs are linked normally and every allocator runs the same binary.
 */
#ifndef BENCH_H
#define BENCH_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Keeps the compiler from dropping a malloc/free pair whose block is unused
 * (the workloads are also built with -fno-builtin-malloc and friends). */
static void *volatile bench_sink;

static inline double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the whole process (all threads), in seconds. */
static inline double bench_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The measured part runs between bench_start() and bench_stop(), which return
 * the wall clock; the CPU time spent in between is reported as cpu_seconds (it
 * is less disturbed than wall time when other processes compete for the CPU). */
static double bench_cpu0, bench_cpu1;

static inline double bench_start(void)
{
	bench_cpu0 = bench_cpu();
	return bench_now();
}

static inline double bench_stop(void)
{
	double t = bench_now();
	bench_cpu1 = bench_cpu();
	return t;
}

/* A 64-bit generator (splitmix64): fast, seedable, good enough. */
typedef struct { uint64_t s; } bench_rng;

static inline uint64_t bench_next(bench_rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* Uniform integer in [0, n) without division (Lemire's multiply-shift). */
static inline uint64_t bench_below(bench_rng *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)bench_next(r) * n) >> 64);
}

/* Uniform double in [0, 1). */
static inline double bench_unit(bench_rng *r)
{
	return (double)(bench_next(r) >> 11) * 0x1.0p-53;
}

/* Current resident set, in KiB, from /proc/self/statm (no allocation). */
static inline long bench_rss_kib(void)
{
	char buf[128];
	long size = 0, resident = 0;
	int fd;
	ssize_t n;

	fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if (sscanf(buf, "%ld %ld", &size, &resident) != 2)
		return -1;
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Peak resident set of the process so far, in KiB: VmHWM from /proc/self/status.
 * (Not getrusage's ru_maxrss: Linux carries that across execve, so a program
 * started by a big parent — the Python runner — would report the parent's.) */
static inline long bench_maxrss_kib(void)
{
	char buf[4096];
	ssize_t n;
	int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
	const char *p;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "VmHWM:");
	return p ? strtol(p + 6, NULL, 10) : -1;
}

/* The shared object that defines the malloc this program calls. */
static inline const char *bench_malloc_lib(void)
{
	Dl_info info;
	void *(*volatile m)(size_t) = malloc;
	if (dladdr((void *)m, &info) && info.dli_fname && info.dli_fname[0])
		return info.dli_fname;
	return "?";
}

/* A scale factor from argv (default 1): iteration counts are multiplied by it. */
static inline double bench_scale(int argc, char **argv, int idx)
{
	double s = 1.0;
	if (argc > idx)
		s = atof(argv[idx]);
	if (!(s > 0))
		s = 1.0;
	return s;
}

/* Prints the result line. `extra` is a printf format for more key=value pairs
 * (may be NULL). */
static inline void bench_report(const char *workload, double seconds, double ops,
				const char *extra, ...)
{
	char more[512] = "";
	if (extra) {
		va_list ap;
		va_start(ap, extra);
		vsnprintf(more, sizeof more, extra, ap);
		va_end(ap);
	}
	printf("BENCH workload=%s seconds=%.6f cpu_seconds=%.6f ops=%.0f ns_per_op=%.3f "
	       "ops_per_sec=%.0f maxrss_kib=%ld malloc_lib=%s%s%s\n",
	       workload, seconds, bench_cpu1 - bench_cpu0, ops, ops > 0 ? seconds * 1e9 / ops : 0.0,
	       seconds > 0 ? ops / seconds : 0.0, bench_maxrss_kib(), bench_malloc_lib(),
	       more[0] ? " " : "", more);
	fflush(stdout);
}

static inline void bench_die(const char *what)
{
	fprintf(stderr, "bench: %s failed\n", what);
	exit(2);
}

#endif
