/* ft_malloc — public interface.
 *
 * The library exports the whole glibc malloc API (malloc, free, calloc, realloc,
 * reallocarray, posix_memalign, aligned_alloc, memalign, valloc, pvalloc,
 * malloc_usable_size, cfree, mallopt, malloc_trim, mallinfo, mallinfo2,
 * malloc_stats, malloc_info and the __libc_* aliases). Programs that use the
 * standard API need only <stdlib.h> and <malloc.h>; this header adds what is
 * particular to ft_malloc. */
#ifndef FT_MALLOC_H
#define FT_MALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *malloc(size_t size);
void free(void *ptr);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void *reallocarray(void *ptr, size_t count, size_t size);
int posix_memalign(void **memptr, size_t alignment, size_t size);
void *aligned_alloc(size_t alignment, size_t size);
void *memalign(size_t alignment, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);
size_t malloc_usable_size(void *ptr);

/* Prints every live block, zone by zone in increasing address order:
 *   TINY : 0xA0000
 *   0xA0020 - 0xA004A : 42 bytes
 *   ...
 *   Total : 52698 bytes
 * Output goes to standard output through write(2). */
void show_alloc_mem(void);

/* What happens on a detected misuse (double free, invalid free ...).
 * FT_MALLOC_ON_ERROR_ABORT (the default) prints the diagnostic and aborts;
 * FT_MALLOC_ON_ERROR_CONTINUE prints it, ignores the call and goes on.
 * Also set by the environment: FT_MALLOC_ON_ERROR=abort|continue.
 * Returns the number of misuses reported so far. */
enum ft_malloc_on_error {
	FT_MALLOC_ON_ERROR_ABORT = 0,
	FT_MALLOC_ON_ERROR_CONTINUE = 1
};
unsigned long ft_malloc_set_on_error(enum ft_malloc_on_error action);

#ifdef __cplusplus
}
#endif

#endif
