/* posix_memalign, aligned_alloc, memalign, valloc, pvalloc. */
#include <errno.h>
#include "api/internal.h"

/* A block of size bytes aligned to align (a power of two). */
static void *ft_aligned(size_t align, size_t size)
{
	if (size > FT_REQUEST_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if (align <= FT_ALIGN)
		return ftm_malloc(size);
	if (size <= FT_SMALL_MAX && align <= FT_PAGE_SIZE) {
		uint32_t cls = ft_size_class_aligned(size, align);

		if (cls < FT_NCLASSES)
			return ft_small_alloc(size, cls);
	}
	return ft_large_alloc(size, align, 0);
}

int ftm_posix_memalign(void **memptr, size_t alignment, size_t size)
{
	int saved = errno;
	void *p;

	if (alignment % sizeof(void *) != 0 || !ft_is_power_of_two(alignment))
		return EINVAL;
	p = ft_aligned(alignment, size);
	errno = saved;
	if (p == NULL)
		return ENOMEM;
	*memptr = p;
	return 0;
}
FT_ALIAS(posix_memalign, ftm_posix_memalign)
FT_ALIAS(__posix_memalign, ftm_posix_memalign)

void *ftm_aligned_alloc(size_t alignment, size_t size)
{
	if (!ft_is_power_of_two(alignment)) {
		errno = EINVAL;
		return NULL;
	}
	return ft_aligned(alignment, size);
}
FT_ALIAS(aligned_alloc, ftm_aligned_alloc)

/* memalign accepts any alignment: like glibc, it rounds it up to a power of
 * two, and refuses one above half the address space. */
void *ftm_memalign(size_t alignment, size_t size)
{
	size_t align = FT_ALIGN;

	if (alignment > ((size_t)-1 >> 1) + 1) {
		errno = EINVAL;
		return NULL;
	}
	while (align < alignment)
		align <<= 1;
	return ft_aligned(align, size);
}
FT_ALIAS(memalign, ftm_memalign)
FT_ALIAS(__libc_memalign, ftm_memalign)

void *ftm_valloc(size_t size)
{
	return ft_aligned(FT_PAGE_SIZE, size);
}
FT_ALIAS(valloc, ftm_valloc)
FT_ALIAS(__libc_valloc, ftm_valloc)

void *ftm_pvalloc(size_t size)
{
	size_t rounded = (size + FT_PAGE_SIZE - 1) & ~(size_t)(FT_PAGE_SIZE - 1);

	if (rounded < size) {
		errno = ENOMEM;
		return NULL;
	}
	return ft_aligned(FT_PAGE_SIZE, rounded ? rounded : FT_PAGE_SIZE);
}
FT_ALIAS(pvalloc, ftm_pvalloc)
FT_ALIAS(__libc_pvalloc, ftm_pvalloc)
