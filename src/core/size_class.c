#include "core/size_class.h"

static const uint32_t ft_class_size[FT_NCLASSES] = {
	16,    32,    48,    64,    80,    96,    112,   128,
	160,   192,   224,   256,   320,   384,   448,   512,
	640,   768,   896,   1024,  1280,  1536,  1792,  2048,
	2560,  3072,  3584,  4096,  5120,  6144,  7168,  8192,
	10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768,
};

/* Class of every size up to 1024 bytes, indexed by (size + 15) / 16. */
static const uint8_t ft_class_by_16[65] = {
	0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  8,  9,  9,
	10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14,
	14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 16, 16, 16,
	16, 16, 17, 17, 17, 17, 17, 17, 17, 17, 18, 18, 18,
	18, 18, 18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19,
};

uint32_t ft_size_class(uint64_t size)
{
	uint32_t cls;

	if (size <= 1024)
		return ft_class_by_16[(size + 15) / 16];
	cls = 20;
	/*@ loop invariant 20 <= cls < FT_NCLASSES;
	    loop assigns cls;
	    loop variant FT_NCLASSES - cls;
	 */
	while (cls < FT_NCLASSES - 1 && ft_class_size[cls] < size)
		cls++;
	return cls;
}

uint32_t ft_class_slot_size(uint32_t cls)
{
	return ft_class_size[cls];
}

uint32_t ft_class_kind(uint32_t cls)
{
	return cls < FT_NTINY_CLASSES ? FT_KIND_TINY : FT_KIND_SMALL;
}

uint32_t ft_size_class_aligned(uint64_t size, uint64_t align)
{
	uint32_t cls = ft_size_class(size);

	/*@ loop invariant 0 <= cls <= FT_NCLASSES;
	    loop assigns cls;
	    loop variant FT_NCLASSES - cls;
	 */
	while (cls < FT_NCLASSES && ft_class_size[cls] % align != 0)
		cls++;
	return cls;
}
