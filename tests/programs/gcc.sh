#!/usr/bin/env bash
# gcc under the library (the driver, cc1, as and ld all preloaded): -O2 and
# -O2 -g compiles of a generated C file of a few thousand lines, each followed
# by a link and a run of the result, and -O2 compiles of a copy of the
# project's own sources. Each prints checksums of the object files (and of
# their disassembly).
# Usage: bash tests/programs/gcc.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

/usr/bin/python3 - "$pg_in/big.c" <<'PY'
import random, sys
rng = random.Random(99)
out = ["#include <stdio.h>", "#include <string.h>", "#include <stdlib.h>", ""]
out.append("struct rec { int a; long b; double c; char name[24]; struct rec *next; };")
N = 220
for f in range(N):
    ops = []
    for k in range(rng.randrange(4, 14)):
        c = rng.randrange(1, 1000)
        ops.append(rng.choice([
            "x = x * %d + (x >> %d);" % (c, rng.randrange(1, 13)),
            "for (int i = 0; i < %d; i++) x ^= (x << 3) + i * %d;" % (rng.randrange(2, 40), c),
            "if (x %% %d == %d) x += %d; else x -= %d;" % (c + 1, c // 2, c, c // 3),
            "switch (x & 7) { case 0: x += %d; break; case 1: x *= 3; break; case 3: x ^= %d; break; default: x--; }" % (c, c * 7),
            "{ struct rec r = { (int)x, x * %d, (double)x / %d.0, \"r%d\", 0 }; x += r.a + (long)r.c + (long)strlen(r.name); }" % (c, c, c),
            "x = f%d_tab[(unsigned long)x %% %d] + x;" % (f, 16),
        ]))
    out.append("static const long f%d_tab[16] = { %s };" % (f, ", ".join(str(rng.randrange(-99999, 99999)) for _ in range(16))))
    out.append("long f%d(long x) {" % f)
    out += ["\t" + o for o in ops]
    if f:
        out.append("\tif (x & 1) x += f%d(x >> 1) & 255;" % rng.randrange(0, f))
    out.append("\treturn x;")
    out.append("}")
    out.append("")
out.append("int main(void) {")
out.append("\tlong acc = 0;")
out.append("\tfor (long i = 0; i < 50; i++) {")
for f in range(N):
    out.append("\t\tacc += f%d(i + %d) %% 1000003;" % (f, f))
out.append("\t}")
out.append('\tprintf("acc %ld\\n", acc);')
out.append("\treturn 0;")
out.append("}")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY

# A copy of the project's sources, taken once, so that edits made meanwhile
# cannot make the two runs differ.
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$pg_in/proj"
cp -R "$root/src" "$root/include" "$pg_in/proj/" 2>/dev/null

cat >"$pg_in/cc.sh" <<'SH'
# cc.sh SOURCE FLAGS...: compile to x.o, print the checksums of the object file
# and of its disassembly, then link it and run the program.
src=$1; shift
gcc "$@" -c "$src" -o x.o || exit
sha256sum x.o
objdump -d x.o | sha256sum
size x.o
gcc -o prog x.o || exit
./prog
SH

cat >"$pg_in/proj.sh" <<'SH'
# Compiles every .c file of the project copy with the library's usual flags.
cd "$1" || exit
find src -name '*.c' | sort | while read -r f; do
	o=$TMPDIR/$(echo "$f" | tr / _).o
	gcc -std=gnu11 -O2 -Wall -Wextra -fPIC -Iinclude -Isrc -c "$f" -o "$o" 2>&1 || echo "$f: gcc exit $?"
	echo "$f $(sha256sum < "$o")"
done
SH

pg_check_maps
pg_check gcc-O2-c-generated-link-run sh "$pg_in/cc.sh" "$pg_in/big.c" -O2
pg_check gcc-O2-g-c-generated-link-run sh "$pg_in/cc.sh" "$pg_in/big.c" -O2 -g
if [ -n "$(find "$pg_in/proj/src" -name '*.c' 2>/dev/null)" ]; then
	pg_check gcc-O2-c-project-sources sh "$pg_in/proj.sh" "$pg_in/proj"
fi

pg_finish
