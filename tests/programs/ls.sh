#!/usr/bin/env bash
# ls under the library: the long listing of /usr/lib (owner and group names go
# through NSS), and recursive listings of a generated tree of 5,000 entries
# (fixed names and dates, so nothing else on the machine can change them).
# Usage: bash tests/programs/ls.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

# 50 directories of 100 files each; names of varied lengths.
/usr/bin/python3 - "$pg_in/tree" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(42)
t = 1262304000  # 2010-01-01
for d in range(50):
    dd = os.path.join(root, "dir%03d_%s" % (d, "x" * rng.randrange(0, 40)))
    os.makedirs(dd)
    for f in range(100):
        name = "f%05d_%s" % (d * 100 + f, "".join(rng.choice("abcdefghij") for _ in range(rng.randrange(1, 120))))
        p = os.path.join(dd, name)
        open(p, "wb").close()
        os.truncate(p, rng.randrange(0, 3000))
        os.utime(p, (t + rng.randrange(10**8),) * 2)
    os.utime(dd, (t,) * 2)
os.utime(root, (t,) * 2)
PY

pg_check_maps
pg_check ls-la-usr-lib ls -la /usr/lib
pg_check ls-laR-generated-tree ls -laR "$pg_in/tree"
pg_check ls-lRS-full-time-generated-tree ls -lRS --full-time "$pg_in/tree"
pg_check ls-laR-usr-share-perl ls -laR /usr/share/perl

pg_finish
