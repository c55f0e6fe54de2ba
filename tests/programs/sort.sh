#!/usr/bin/env bash
# GNU sort under the library on a generated 20 MB file: the default sort (as
# many threads as cores), a one-thread sort, a two-thread sort in memory, a
# two-thread sort with a small buffer (so it spills to temporary files and
# merges them), a numeric key sort and a unique sort; each prints the line
# count and checksum of its output.
# Usage: bash tests/programs/sort.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

/usr/bin/python3 - "$pg_in/data.txt" <<'PY'
import random, sys
rng = random.Random(2024)
syll = ["ka", "lo", "mi", "zu", "re", "ta", "po", "ne", "shi", "va", "gu", "d"]
out, size = [], 0
while size < 20 * 1024 * 1024:
    word = "".join(rng.choice(syll) for _ in range(rng.randrange(1, 9)))
    line = "%s %d %s %s\n" % (word, rng.randrange(-10**6, 10**9), rng.choice(syll) * rng.randrange(1, 30),
                               "%08x" % rng.getrandbits(32))
    out.append(line)
    size += len(line)
open(sys.argv[1], "w").write("".join(out))
PY

# Runs sort with the given options on the data, then checksums its output.
cat >"$pg_in/sort-sum.sh" <<'SH'
in=$1; shift
sort "$@" "$in" -o sorted || exit
wc -l < sorted
sha256sum < sorted
SH

pg_check_maps
d=$pg_in/data.txt
s=$pg_in/sort-sum.sh
pg_check sort-20MB sh "$s" "$d"
pg_check sort-20MB-one-thread sh "$s" "$d" --parallel=1
pg_check sort-20MB-parallel-2 sh "$s" "$d" --parallel=2 -S 200M
pg_check sort-20MB-parallel-2-small-buffer-merge sh "$s" "$d" --parallel=2 -S 2M
pg_check sort-20MB-numeric-key sh "$s" "$d" -t ' ' -k2,2n -k1,1 --parallel=2
pg_check sort-20MB-unique-key sh "$s" "$d" -u -k3,3

pg_finish
