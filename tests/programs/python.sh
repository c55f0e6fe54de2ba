#!/usr/bin/env bash
# Python under the library: a dict of a million entries built, its keys sorted,
# thinned and regrown, printed as digests; the same with PYTHONMALLOC=malloc (every
# object then comes from malloc, not from pymalloc's arenas); threads growing
# bytearrays (realloc) and big buffers at once. Debian's /usr/bin/python3
# always; the python3 found on PATH too (e.g. a pyenv build) when it is
# another binary.
# Usage: bash tests/programs/python.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

cat >"$pg_in/dict.py" <<'PY'
import hashlib, random

def digest(d, keys):
    return hashlib.sha256("\n".join([k + "=" + repr(d[k]) for k in keys]).encode()).hexdigest()

rng = random.Random(12345)
r = rng.getrandbits
d = {"%012x-%d" % (r(48), i): str(i * 7919 % 1000003) * (1 + i % 5) for i in range(1_000_000)}
keys = sorted(d)
print("entries", len(d), "key bytes", sum(map(len, keys)), "value bytes", sum(map(len, d.values())))
print("first", keys[0], "last", keys[-1])
print("sorted", digest(d, keys))
for k in keys[::2]:
    del d[k]
print("after deleting half", len(d))
for i in range(300_000):
    d["new-%d" % i] = [i] * (i % 7)
keys = sorted(d)
print("regrown", len(d), digest(d, keys))
PY

cat >"$pg_in/threads.py" <<'PY'
import hashlib, random, threading

N = 4
results = [None] * N

def work(t):
    rng = random.Random(1000 + t)
    h = hashlib.sha256()
    live = []
    for step in range(6000):
        r = rng.random()
        if r < 0.5:
            # small and medium buffers, grown piece by piece (realloc)
            b = bytearray()
            for _ in range(rng.randrange(1, 40)):
                b += bytes([step & 255]) * rng.randrange(1, 700)
            live.append(bytes(b))
        elif r < 0.55:
            live.append(bytes([t]) * rng.randrange(100_000, 3_000_000))  # large blocks
        elif live:
            x = live.pop(rng.randrange(len(live)))
            h.update(x[:64]); h.update(len(x).to_bytes(8, "little"))
        if len(live) > 300:
            del live[:150]
    for x in live:
        h.update(x[-32:])
    results[t] = h.hexdigest()

threads = [threading.Thread(target=work, args=(t,)) for t in range(N)]
for th in threads: th.start()
for th in threads: th.join()
for t, r in enumerate(results):
    print(t, r)
PY

pg_check_maps
pg_check debian-python3-dict-1M-sort /usr/bin/python3 -sB "$pg_in/dict.py"
pg_check debian-python3-dict-1M-sort-pythonmalloc-malloc \
	env PYTHONMALLOC=malloc /usr/bin/python3 -sB "$pg_in/dict.py"
pg_check debian-python3-threads-pythonmalloc-malloc \
	env PYTHONMALLOC=malloc /usr/bin/python3 -sB "$pg_in/threads.py"

# The python3 on PATH, resolved to its real binary (a pyenv shim is a script).
# (with the caller's HOME: pyenv finds its root there when PYENV_ROOT is unset)
other=$(command -v python3 >/dev/null 2>&1 &&
	HOME=$pg_orig_home python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' 2>/dev/null)
if [ -n "$other" ] && [ -x "$other" ] && [ "$other" != "$(readlink -f /usr/bin/python3)" ]; then
	echo "    (python3 on PATH: $other)" >&2
	pg_check path-python3-dict-1M-sort "$other" -sB "$pg_in/dict.py"
	pg_check path-python3-threads-pythonmalloc-malloc \
		env PYTHONMALLOC=malloc "$other" -sB "$pg_in/threads.py"
else
	echo "    (no python3 on PATH other than /usr/bin/python3: nothing more to test)" >&2
fi

pg_finish
