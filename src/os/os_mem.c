#define _GNU_SOURCE
#include <errno.h>
#include <sys/mman.h>
#include <unistd.h>
#include "os/os.h"

#ifdef FT_FAULT_INJECTION
static unsigned ft_fail_maps;

void ft_os_fail_next_maps(unsigned n)
{
	__atomic_store_n(&ft_fail_maps, n, __ATOMIC_SEQ_CST);
}

static int ft_os_should_fail(void)
{
	unsigned n = __atomic_load_n(&ft_fail_maps, __ATOMIC_SEQ_CST);

	while (n > 0) {
		if (__atomic_compare_exchange_n(&ft_fail_maps, &n, n - 1, 0,
						__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return 1;
	}
	return 0;
}
#else
static int ft_os_should_fail(void)
{
	return 0;
}
#endif

void *ft_os_map(size_t len)
{
	void *p;

	if (ft_os_should_fail())
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

void *ft_os_map_aligned(size_t len, size_t align)
{
	uintptr_t start;
	uintptr_t aligned;
	size_t span = len + align;
	void *p;

	if (span < len)
		return NULL;
	p = ft_os_map(span);
	if (p == NULL)
		return NULL;
	start = (uintptr_t)p;
	aligned = (start + align - 1) & ~(uintptr_t)(align - 1);
	if (aligned > start)
		munmap(p, aligned - start);
	if (aligned + len < start + span)
		munmap((void *)(aligned + len), start + span - (aligned + len));
	return (void *)aligned;
}

/* Unmapping, guarding and purging leave errno as it was: free calls them,
 * and free must not change errno. */
void ft_os_unmap(void *addr, size_t len)
{
	int saved = errno;

	munmap(addr, len);
	errno = saved;
}

static int ft_os_protect(void *addr, size_t len, int prot)
{
	int saved = errno;
	int r = mprotect(addr, len, prot);

	errno = saved;
	return r;
}

int ft_os_guard(void *addr, size_t len)
{
	return ft_os_protect(addr, len, PROT_NONE);
}

int ft_os_unguard(void *addr, size_t len)
{
	return ft_os_protect(addr, len, PROT_READ | PROT_WRITE);
}

void ft_os_purge(void *addr, size_t len)
{
	int saved = errno;

	madvise(addr, len, MADV_DONTNEED);
	errno = saved;
}

void ft_os_hugepages(void *addr, size_t len)
{
	int saved = errno;

	madvise(addr, len, MADV_HUGEPAGE);
	errno = saved;
}

void *ft_os_remap(void *addr, size_t old_len, size_t new_len)
{
	void *p;

	if (ft_os_should_fail())
		return NULL;
	p = mremap(addr, old_len, new_len, MREMAP_MAYMOVE);
	return p == MAP_FAILED ? NULL : p;
}

size_t ft_os_page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}
