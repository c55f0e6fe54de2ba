/* ft_malloc core — geometry constants shared by the core, the glue and the API.
 * Everything here is a compile-time constant; nothing depends on the machine
 * but the page size, which must be FT_PAGE_SIZE (checked at start-up). */
#ifndef FT_CORE_CONFIG_H
#define FT_CORE_CONFIG_H

/* A core function off the fast paths: the compiler keeps it out of line, so
 * that the paths that call it rarely stay short. No effect on the proof. */
#define FT_RARE __attribute__((noinline, cold))

#define FT_PAGE_SIZE 4096u
#define FT_ALIGN 16u

/* A zone is one mmap'd region, aligned to its own size, so that an address
 * finds its zone by masking. It holds slabs of one kind (TINY or SMALL). */
#define FT_ZONE_SHIFT 22u
#define FT_ZONE_SIZE (1ull << FT_ZONE_SHIFT)

#define FT_KIND_TINY 0u
#define FT_KIND_SMALL 1u
#define FT_KIND_LARGE 2u
#define FT_NKINDS 2u

/* TINY slabs are 64 KiB, SMALL slabs 256 KiB. */
#define FT_TINY_SLAB_SHIFT 16u
#define FT_SMALL_SLAB_SHIFT 18u
#define FT_TINY_SLAB_BYTES 65536u
#define FT_SMALL_SLAB_BYTES 262144u
#define FT_TINY_SLABS 64u
#define FT_SMALL_SLABS 16u
#define FT_SLABS_MAX 64u
/* The first slab positions of a zone hold its metadata and a guard page. */
#define FT_TINY_FIRST_SLAB 10u
#define FT_SMALL_FIRST_SLAB 1u

/* Largest number of slots in one slab: a 64 KiB slab of 16-byte slots. */
#define FT_SLOTS_MAX 4096u
#define FT_BITMAP_WORDS 64u
/* A slot's index is its offset times ceil(2^35 / slot size), shifted right by
 * 35: no division on free's path. Exact whenever offset * (reciprocal * size
 * - 2^35) < 2^35, which holds for every offset in a slab (below 2^18) and
 * every slot size (the difference is below the size, at most 2^15). */
#define FT_RECIP_SHIFT 35u
#define FT_RECIP_ONE (1ull << FT_RECIP_SHIFT)

/* Size classes: 8 TINY classes (16..128), 32 SMALL classes (160..32768). */
#define FT_NCLASSES 40u
#define FT_NTINY_CLASSES 8u
#define FT_TINY_MAX 128u
#define FT_SMALL_MAX 32768u

/* A heap owns at most this many zones; slab ids are zone * 64 + slab. */
#define FT_HEAP_ZONES 1024u
#define FT_SLAB_IDS (FT_HEAP_ZONES * FT_SLABS_MAX)
#define FT_NONE 0xFFFFFFFFu

/* The zone registry: a hash set of zone base addresses. */
#define FT_REGISTRY_BITS 13u
#define FT_REGISTRY_CAP (1u << FT_REGISTRY_BITS)

/* Verdicts on an address handed to free or realloc. */
#define FT_OK 0
#define FT_NOT_OURS 1
#define FT_INTERIOR 2
#define FT_DOUBLE_FREE 3

#endif
