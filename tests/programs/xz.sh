#!/usr/bin/env bash
# xz under the library: a two-thread compression (-1, the fastest preset) of a
# generated 16 MB file in 1 MiB blocks and a two-thread decompression of the
# result; a one-thread -9 round trip (a 64 MiB dictionary, 674 MiB of encoder
# state: large allocations, mostly untouched) of a 1.5 MB file. Each
# prints the checksums of the compressed bytes and of the round trip, and the
# block list.
# Usage: bash tests/programs/xz.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

# Text-like runs mixed with random bytes: some blocks compress well, some not.
/usr/bin/python3 - "$pg_in/data" <<'PY'
import random, sys
rng = random.Random(31337)
words = [bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randrange(2, 10))) for _ in range(3000)]
out, size = [], 0
while size < 16 * 1024 * 1024:
    if rng.random() < 0.15:
        chunk = rng.randbytes(rng.randrange(1000, 200000))
    else:
        chunk = b" ".join(rng.choices(words, k=rng.randrange(100, 20000))) + b"\n"
    out.append(chunk)
    size += len(chunk)
open(sys.argv[1], "wb").write(b"".join(out))
PY
head -c 1500000 "$pg_in/data" >"$pg_in/data-small"

cat >"$pg_in/xz-roundtrip.sh" <<'SH'
# xz-roundtrip.sh INPUT COMPRESS-OPTIONS...: compress, list, decompress.
in=$1; shift
xz "$@" -c "$in" >c.xz || exit
sha256sum c.xz
xz -l c.xz
xz -d -T2 -c c.xz >back || exit
sha256sum <back
cmp "$in" back && echo "round trip identical"
SH

pg_check_maps
pg_check xz-T2-compress-decompress-16MB sh "$pg_in/xz-roundtrip.sh" "$pg_in/data" -T2 -1 --block-size=1MiB
pg_check xz-9-one-thread-roundtrip-1.5MB sh "$pg_in/xz-roundtrip.sh" "$pg_in/data-small" -T1 -9

pg_finish
