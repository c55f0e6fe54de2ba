/* ft_malloc fuzzing: one operation interpreter and one shadow model, shared by
 * every entry point (fuzz/targets/) and both engines (libFuzzer, AFL++).
 *
 * The allocator is linked in under its internal names (ftm_*), compiled with
 * -DFT_NO_EXPORTS -DFT_FAULT_INJECTION, so the sanitizers keep their own
 * malloc and the harness's own memory never mixes with the allocator's. */
#ifndef FZ_H
#define FZ_H

#include <stddef.h>
#include <stdint.h>

/* What a target lets the input do. */
#define FZ_SHOW 1u	/* show_alloc_mem into a pipe, checked against the model */
#define FZ_FAULTS 2u	/* "fail the next N mmap calls" */
#define FZ_MISUSE 4u	/* double/interior/foreign frees, in report-and-continue mode */
#define FZ_THREADS 8u	/* 2-4 threads, blocks handed between them */

/* Runs one input; aborts (a crash for either engine) on any mismatch between
 * the allocator and the model, after printing "ftfuzz: MISMATCH ..." */
void fz_run(const uint8_t *data, size_t size, unsigned flags);

#endif
