#!/usr/bin/env python3
"""Writes the fuzzing dictionaries and the raw seed inputs.

The operation numbers and argument kinds come from fuzz/lib/ops.def, the
table the interpreter is compiled from, so the bytes written here mean what
they say. Usage:

    fuzz/tools/gen.py dict DIR        DIR/{ops,misuse,threads}.dict
    fuzz/tools/gen.py seeds DIR       DIR/<target>/seed-NNN (unminimised)

`make fuzz-seeds` runs both and minimises the seeds into corpus/<target>/
with libFuzzer's -merge=1.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OPS_DEF = os.path.join(HERE, "..", "lib", "ops.def")

OPS = {}      # name -> code
WHO = {}      # name -> A / M / T
for m in re.finditer(r'^OP\((\w+),\s*(\d+),\s*"([^"]*)",\s*(\w)\)', open(OPS_DEF).read(), re.M):
    OPS[m.group(1)] = int(m.group(2))
    WHO[m.group(1)] = m.group(4)
assert len(OPS) == 32, "ops.def: expected 32 operations"

TARGETS = {"ops": "A", "misuse": "AM", "threads": "AT"}


def op(name, *args):
    out = bytes([OPS[name]])
    for a in args:
        out += a if isinstance(a, bytes) else bytes([a])
    return out


# ---- sizes (fz_size in fz.c: selector byte, band = sel & 7) ----
def tiny(n):            # 0..128
    return bytes([0, n])


def small(n):           # 129..32768
    v = (n - 129) % (32768 - 128)
    return bytes([1, v & 255, v >> 8])


def edge(i):            # index into fz_edges
    return bytes([2, i])


def large(n):           # 32769 .. 32768 + 2 MiB
    v = n - 32769
    return bytes([3 | ((v >> 16) & 31) << 3, v & 255, (v >> 8) & 255])


def pages(p, delta=0):  # p pages (1..1024) + delta (-128..127)
    p -= 1
    return bytes([4 | (p >> 8) << 3, p & 255, delta & 255])


def huge(i):            # index into fz_huge: must fail
    return bytes([5 | i << 3])


def rel(mode, blk=0):   # relative to a live block (mode 0-6), last freed size (7)
    return bytes([6 | mode << 3, blk])


def cls(c, d=1):        # size of class c (0..39), plus d - 1 (d in 0..2)
    return bytes([7 | (c % 32) << 3, d | (128 if c >= 32 else 0)])


N_EDGES = 85
N_HUGE = 16
N_ALIGNS = 42

SIZES = ([tiny(n) for n in (0, 1, 15, 16, 17, 100, 128)] +
         [small(n) for n in (129, 1000, 4097, 32768)] +
         [edge(i) for i in range(0, N_EDGES, 3)] +
         [large(n) for n in (32769, 100000, 1 << 20)] +
         [pages(8), pages(9, -1), pages(256, 1), pages(1024)] +
         [huge(i) for i in range(N_HUGE)] +
         [rel(m) for m in range(8)] +
         [cls(c, d) for c in range(40) for d in (0, 2)])

BASE = (op("MALLOC", tiny(24)) + op("MALLOC", small(3000)) + op("MALLOC", large(70000)) +
        op("MALLOC", tiny(0)) + op("CALLOC", bytes([3, 4, 10])))


def seeds_common():
    s = []
    # every size band, alone and then listed
    for z in SIZES:
        s.append(op("MALLOC", z) + op("SHOW") + op("FREE", 0))
        s.append(op("MALLOC_FILL", z) + op("USABLE_SIZE", 0) + op("CHECK_ALL"))
    # every operation after a mixed heap
    for name, code in OPS.items():
        if WHO[name] != "A":
            continue
        for z in (tiny(40), small(5000), large(50000), edge(58), huge(3)):
            s.append(BASE + op(name) + z + bytes([1, 2]) + op("SHOW"))
    # realloc: from NULL, grow across every kind, shrink back, to 0
    s.append(op("REALLOC_NULL", tiny(10)) + op("REALLOC", 0, small(200)) +
             op("REALLOC", 0, large(40000)) + op("REALLOC", 0, large(400000)) +
             op("REALLOC", 0, small(300)) + op("REALLOC", 0, tiny(5)) + op("SHOW") +
             op("REALLOC_ZERO", 0) + op("SHOW"))
    for how in range(0, 256, 5):
        s.append(BASE + op("REALLOC_GROW", how % 5, how) + op("REALLOC_SHRINK", how % 5, how) +
                 op("SHOW"))
    for m in range(8):
        s.append(BASE + op("REALLOC", m % 5, rel(m, m % 5)) + op("SHOW"))
    # calloc and reallocarray: every pair of the table, and computed ones
    for i in range(16):
        s.append(op("CALLOC", bytes([1 | i << 2])) + op("SHOW"))
        s.append(BASE + op("REALLOCARRAY", 1, bytes([1 | i << 2])) + op("SHOW"))
    s.append(op("CALLOC", bytes([0, 3]) + large(60000)) + op("CALLOC", bytes([2]) + small(9000)) +
             op("CALLOC", bytes([3, 200, 200])) + op("SHOW"))
    # LARGE cache: free a big block, take it back with calloc (must be zeroed)
    s.append(op("MALLOC", edge(80)) + op("FREE", 0) + op("CALLOC", bytes([2]) + edge(79)) +
             op("SHOW"))
    s.append(op("MALLOC", edge(77)) + op("FREE", 0) + op("MALLOC", edge(76)) +
             op("TRIM") + op("SHOW"))
    for z in (large(40000), large(1 << 20), pages(100), edge(78)):
        s.append(op("MALLOC", z) + op("FREE", 0) + op("CALLOC", bytes([2]) + rel(7)) +
                 op("REALLOC_ZERO", 0) + op("MALLOC", rel(7)) + op("SHOW"))
    # alignment: every entry of the table with every aligned call
    for a in range(N_ALIGNS):
        for name in ("POSIX_MEMALIGN", "ALIGNED_ALLOC", "MEMALIGN"):
            s.append(op(name, a, tiny(a)) + op(name, a, small(4000 + a)) + op(name, a, tiny(0)) +
                     op("SHOW"))
    for z in (tiny(0), tiny(1), small(4095), edge(47), large(50000), huge(0), huge(15)):
        s.append(op("VALLOC") + z + op("PVALLOC") + z + op("SHOW"))
    # mmap failure: the next N mappings fail, then the heap must work
    for n in range(4):
        for z in (tiny(8), small(20000), large(90000), edge(80)):
            s.append(op("FAULT", n) + op("MALLOC", z) + op("MALLOC", z) + op("SHOW"))
            s.append(op("MALLOC", tiny(8)) + op("FAULT", n) + op("REALLOC", 0, z) + op("SHOW"))
        s.append(op("MALLOC", large(40000)) + op("FAULT", n) + op("REALLOC_GROW", 0, 3) +
                 op("FAULT", n) + op("REALLOC_SHRINK", 0, 1) + op("SHOW"))
        s.append(op("FAULT", n) + op("CALLOC", bytes([0, 2]) + large(33000)) + op("TRIM") +
                 op("FAULT", n) + op("POSIX_MEMALIGN", 26, large(40000)))
    # a new zone under an mmap failure: one block of every SMALL class fills
    # the 15 slab positions of a SMALL zone; each allocation runs with a fault
    s.append(b"".join(op("FAULT", 0) + op("MALLOC", cls(c)) for c in range(8, 40)) + op("SHOW"))
    s.append(b"".join(op("MALLOC", cls(c)) for c in range(8, 24)) +
             b"".join(op("FAULT", 3) + op("CALLOC", bytes([2]) + cls(c)) for c in range(24, 40)))
    # the same in a process whose zones already hold one kept slab per class:
    # 128 blocks of 32 KiB need 16 slabs, more than the free positions
    s.append((op("FAULT", 0) + op("MALLOC", cls(39))) * 128)
    # many blocks of one class: slabs fill up, empty slabs retire, zones go
    s.append(op("MALLOC", tiny(16)) * 200 + op("FREE_MANY", 31) * 7 + op("SHOW") + op("TRIM"))
    s.append(op("MALLOC", small(32768)) * 130 + op("SHOW") + op("FREE_MANY", 31) * 5)
    s.append((op("MALLOC", tiny(64)) + op("MALLOC", small(700)) + op("FREE", 0)) * 60 + op("SHOW"))
    return s


def seeds_misuse():
    s = []
    for z in (tiny(16), tiny(0), small(1000), large(50000), edge(58)):
        s.append(op("MALLOC", z) + op("FREE", 0) + op("DOUBLE_FREE", 0) + op("SHOW"))
        s.append(op("MALLOC", z) + op("FREE", 0) + op("REALLOC_FREED", 0, tiny(8)))
        s.append(op("MALLOC", z) + op("INTERIOR_FREE", 0, 1, 0) + op("SHOW"))
        s.append(op("MALLOC", z) + op("REALLOC_INTERIOR", 0, 8, 0, tiny(3)))
        for mode in range(3):
            s.append(op("MALLOC", z) + op("MALLOC", z) + op("FREE", 1) +
                     op("USABLE_MISUSE", 0, mode, 0))
    for sel in range(0, 256, 3):
        s.append(BASE + op("FOREIGN_FREE", sel) + op("REALLOC_FOREIGN", sel, tiny(9)) + op("SHOW"))
    s.append(op("MALLOC", tiny(16)) * 10 + op("FREE_MANY", 10) + op("MALLOC", small(500)) +
             op("DOUBLE_FREE", 3) + op("TRIM") + op("DOUBLE_FREE", 5))
    s.append(op("MALLOC", large(100000)) + op("FREE", 0) + op("TRIM") + op("DOUBLE_FREE", 0) +
             op("REALLOC_FREED", 0, large(40000)))
    return s


def seeds_threads():
    s = []

    def split(n, parts):
        width = max(len(p) for p in parts)
        return bytes([n - 2]) + b"".join(p + op("YIELD") * ((width - len(p)) // 1) for p in parts)

    work = [
        op("MALLOC", tiny(32)) * 4 + op("GIVE", 0) + op("GIVE", 0) + op("TAKE", 0) + op("FREE", 0),
        op("MALLOC", small(2000)) * 3 + op("GIVE", 1) + op("TAKE", 0) + op("REALLOC", 0, small(9000)),
        op("TAKE", 0) + op("TAKE", 0) + op("FREE", 0) + op("MALLOC", large(50000)) + op("GIVE", 0),
        op("YIELD") + op("TAKE", 1) + op("REALLOC", 0, tiny(5)) + op("FREE_MANY", 4),
    ]
    for n in (2, 3, 4):
        s.append(split(n, work[:n]))
        s.append(split(n, [op("MALLOC", tiny(16)) * 30 + op("GIVE", 0) * 10 +
                           op("TAKE", 0) * 10 + op("FREE_MANY", 20)] * n))
        s.append(split(n, [op("FAULT", 1) + op("MALLOC", small(20000)) +
                           op("MALLOC", large(40000)) + op("GIVE", 0) + op("TAKE", 0)] * n))
    return s


def write_seeds(out):
    common = seeds_common()
    sets = {"ops": common, "misuse": common[::3] + seeds_misuse(), "threads": seeds_threads() +
            [bytes([i % 3]) + c for i, c in enumerate(common[::4])]}
    for target, seeds in sets.items():
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for i, data in enumerate(seeds):
            with open(os.path.join(d, "seed-%04d" % i), "wb") as f:
                f.write(data)
        print("%s: %d seeds in %s" % (target, len(seeds), d))


def esc(b):
    return "".join("\\x%02x" % c for c in b)


def write_dicts(out):
    os.makedirs(out, exist_ok=True)
    for target, who in TARGETS.items():
        lines = ["# ft_malloc fuzz dictionary for target %s (generated by fuzz/tools/gen.py" % target,
                 "# from fuzz/lib/ops.def; libFuzzer -dict= and afl-fuzz -x read it)"]
        for name, code in sorted(OPS.items(), key=lambda kv: kv[1]):
            if WHO[name] not in who:
                continue
            lines.append('op_%s="%s"' % (name.lower(), esc(bytes([code]))))
        named = {
            "tiny_0": tiny(0), "tiny_16": tiny(16), "tiny_128": tiny(128),
            "small_129": small(129), "small_32768": small(32768),
            "large_32769": large(32769), "large_1m": large(1 << 20),
            "pages_9": pages(9), "pages_4096": pages(1024),
            "huge_2e47": huge(0), "huge_ptrdiff_max": huge(8), "huge_size_max": huge(15),
            "rel_req": rel(0), "rel_usable": rel(3), "rel_usable_plus1": rel(4),
            "rel_half": rel(5), "rel_half_plus1": rel(6), "last_freed": rel(7),
            "class_32768": cls(39),
            "class_4096_minus1": cls(27, 0), "class_128_plus1": cls(7, 2),
        }
        for i in range(0, N_EDGES):
            named["edge_%d" % i] = edge(i)
        for k, v in named.items():
            lines.append('size_%s="%s"' % (k, esc(v)))
            lines.append('malloc_%s="%s"' % (k, esc(op("MALLOC", v))))
        for i in range(N_ALIGNS):
            lines.append('align_%d="%s"' % (i, esc(bytes([i]))))
            lines.append('memalign_%d="%s"' % (i, esc(op("MEMALIGN", i))))
        for i in range(16):
            lines.append('pair_%d="%s"' % (i, esc(bytes([1 | i << 2]))))
        lines.append('fault_then_malloc_large="%s"' % esc(op("FAULT", 0) + op("MALLOC", large(70000))))
        lines.append('free_show="%s"' % esc(op("FREE", 0) + op("SHOW")))
        lines.append('free_calloc_same="%s"' % esc(op("FREE", 0) + op("CALLOC", bytes([2]) + rel(7))))
        lines.append('free_malloc_same="%s"' % esc(op("FREE", 0) + op("MALLOC", rel(7))))
        lines.append('calloc_size="%s"' % esc(op("CALLOC", bytes([2]))))
        if "M" in who:
            lines.append('double_free="%s"' % esc(op("FREE", 0) + op("DOUBLE_FREE", 0)))
            for sel in range(8):
                lines.append('foreign_%d="%s"' % (sel, esc(op("FOREIGN_FREE", sel))))
        if "T" in who:
            lines.append('give_take="%s"' % esc(op("GIVE", 0) + op("TAKE", 0)))
            lines.append('take_free="%s"' % esc(op("TAKE", 0) + op("FREE", 0)))
        path = os.path.join(out, target + ".dict")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        print("%s: %d entries" % (path, len(lines) - 2))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("dict", "seeds"):
        sys.exit(__doc__)
    (write_dicts if sys.argv[1] == "dict" else write_seeds)(sys.argv[2])
