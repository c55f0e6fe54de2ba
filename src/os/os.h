/* ft_malloc glue — the only place that talks to the OS. Thin wrappers; the
 * proofs trust each of them (see proofs/README.md). */
#ifndef FT_OS_H
#define FT_OS_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>

/* ---- memory (os_mem.c) ---- */
void *ft_os_map(size_t len);
/* len bytes at an address aligned to align (a power of two >= the page). */
void *ft_os_map_aligned(size_t len, size_t align);
void ft_os_unmap(void *addr, size_t len);
int ft_os_guard(void *addr, size_t len);	/* PROT_NONE */
int ft_os_unguard(void *addr, size_t len);	/* PROT_READ | PROT_WRITE */
void ft_os_purge(void *addr, size_t len);	/* give the pages back, keep the range */
void ft_os_hugepages(void *addr, size_t len);	/* transparent huge pages, if the system allows */
void *ft_os_remap(void *addr, size_t old_len, size_t new_len);
size_t ft_os_page_size(void);
#ifdef FT_FAULT_INJECTION
/* Makes the next n mappings fail as if the OS were out of memory. */
void ft_os_fail_next_maps(unsigned n);
#endif

/* ---- locks (os_lock.c) ---- */
typedef pthread_mutex_t ft_lock_t;
#define FT_LOCK_INIT PTHREAD_MUTEX_INITIALIZER
void ft_lock(ft_lock_t *l);
void ft_unlock(ft_lock_t *l);
void ft_lock_reset(ft_lock_t *l);

/* ---- raw output (os_write.c) ---- */
struct ft_out {
	int fd;
	size_t len;
	char buf[1024];
};
void ft_out_init(struct ft_out *o, int fd);
void ft_out_str(struct ft_out *o, const char *s);
void ft_out_hex(struct ft_out *o, uint64_t v, int upper);	/* with 0x */
void ft_out_dec(struct ft_out *o, uint64_t v);
void ft_out_flush(struct ft_out *o);

/* ---- environment (os_env.c) ---- */
/* The value of name in the environment, or NULL; never allocates. */
const char *ft_os_getenv(const char *name);

#endif
