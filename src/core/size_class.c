#include "core/size_class.h"

/* Slot size of each class: ft_slot_size(c) (size_class.h) in a table. */
static const uint32_t ft_class_size[FT_NCLASSES] = {
	16,    32,    48,    64,    80,    96,    112,   128,
	160,   192,   224,   256,   320,   384,   448,   512,
	640,   768,   896,   1024,  1280,  1536,  1792,  2048,
	2560,  3072,  3584,  4096,  5120,  6144,  7168,  8192,
	10240, 12288, 14336, 16384, 20480, 24576, 28672, 32768,
};

/* Class of every size up to 1024 bytes, indexed by (size + 15) / 16: every
 * slot size up to 1024 is a multiple of 16, so all sizes of a bucket of 16
 * share their class. */
static const uint8_t ft_class_by_16[65] = {
	0,  0,  1,  2,  3,  4,  5,  6,  7,  8,  8,  9,  9,
	10, 10, 11, 11, 12, 12, 12, 12, 13, 13, 13, 13, 14,
	14, 14, 14, 15, 15, 15, 15, 16, 16, 16, 16, 16, 16,
	16, 16, 17, 17, 17, 17, 17, 17, 17, 17, 18, 18, 18,
	18, 18, 18, 18, 18, 19, 19, 19, 19, 19, 19, 19, 19,
};

/* Class of every size from 1025 to 32768 bytes, indexed by (size + 255) / 256
 * (entries 0..4 are unused): every slot size above 1024 is a multiple of 256. */
static const uint8_t ft_class_by_256[129] = {
	19, 19, 19, 19, 19, 20, 21, 22, 23, 24, 24, 25, 25,
	26, 26, 27, 27, 28, 28, 28, 28, 29, 29, 29, 29, 30,
	30, 30, 30, 31, 31, 31, 31, 32, 32, 32, 32, 32, 32,
	32, 32, 33, 33, 33, 33, 33, 33, 33, 33, 34, 34, 34,
	34, 34, 34, 34, 34, 35, 35, 35, 35, 35, 35, 35, 35,
	36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36, 36,
	36, 36, 36, 37, 37, 37, 37, 37, 37, 37, 37, 37, 37,
	37, 37, 37, 37, 37, 37, 38, 38, 38, 38, 38, 38, 38,
	38, 38, 38, 38, 38, 38, 38, 38, 38, 39, 39, 39, 39,
	39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39, 39,
};

/* The assertions lead the provers through the table lookups: `bucket` places
 * size in its bucket, `split` cuts the bucket index into the runs of equal
 * entries (one case per run, so that each lookup becomes a constant), `fits`
 * and `prev` state that the entry is the smallest class holding the whole
 * bucket. The contract follows from them and the lemmas of size_class.h. */
uint32_t ft_size_class(uint64_t size)
{
	uint32_t i, cls;

	if (size <= 1024) {
		i = (uint32_t)((size + 15) / 16);
		/*@ assert bucket_16: 16 * (i - 1) < size <= 16 * i; */
		/*@ assert split_16: i <= 1 || i == 2 || i == 3 || i == 4 || i == 5 || i == 6 || i == 7 || i == 8 ||
		      9 <= i <= 10 || 11 <= i <= 12 || 13 <= i <= 14 || 15 <= i <= 16 ||
		      17 <= i <= 20 || 21 <= i <= 24 || 25 <= i <= 28 || 29 <= i <= 32 ||
		      33 <= i <= 40 || 41 <= i <= 48 || 49 <= i <= 56 || 57 <= i <= 64; */
		cls = ft_class_by_16[i];
		/*@ assert fits_16: cls < FT_NCLASSES && ft_slot_size(cls) >= 16 * i; */
		/*@ assert prev_16: i == 0 || cls == 0 || ft_slot_size(cls - 1) <= 16 * (i - 1); */
	} else {
		i = (uint32_t)((size + 255) / 256);
		/*@ assert bucket_256: 5 <= i && 256 * (i - 1) < size <= 256 * i; */
		/*@ assert split_256: i == 5 || i == 6 || i == 7 || i == 8 ||
		      9 <= i <= 10 || 11 <= i <= 12 || 13 <= i <= 14 || 15 <= i <= 16 ||
		      17 <= i <= 20 || 21 <= i <= 24 || 25 <= i <= 28 || 29 <= i <= 32 ||
		      33 <= i <= 40 || 41 <= i <= 48 || 49 <= i <= 56 || 57 <= i <= 64 ||
		      65 <= i <= 80 || 81 <= i <= 96 || 97 <= i <= 112 || 113 <= i <= 128; */
		cls = ft_class_by_256[i];
		/*@ assert fits_256: cls < FT_NCLASSES && ft_slot_size(cls) >= 256 * i; */
		/*@ assert prev_256: ft_slot_size(cls - 1) <= 256 * (i - 1); */
	}
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
	uint32_t first = ft_size_class(size);
	uint32_t cls = first;

	/*@ loop invariant first <= cls <= FT_NCLASSES;
	    loop invariant fits: cls < FT_NCLASSES ==> ft_slot_size(cls) >= size;
	    loop invariant smallest: \forall integer c; 0 <= c < cls && ft_slot_size(c) >= size ==>
	      ft_slot_size(c) % align != 0;
	    loop assigns cls;
	    loop variant FT_NCLASSES - cls;
	 */
	while (cls < FT_NCLASSES && ft_class_slot_size(cls) % align != 0)
		cls++;
	return cls;
}
