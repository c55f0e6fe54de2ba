#!/usr/bin/env bash
# Everyday tools under the library, each on generated input: awk (mawk) with
# an associative array of 300,000 entries, bash with an associative array and
# string work, diff -u of two large files, tar + gzip of a tree and its
# listing, grep -E/-c and sed over a big file, and find -printf.
# Usage: bash tests/programs/misc.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

/usr/bin/python3 - "$pg_in" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(5)
syll = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu", "na", "pe"]
def word():
    return "".join(rng.choice(syll) for _ in range(rng.randrange(1, 7)))
lines = ["%s %d %s\n" % (word(), rng.randrange(10**6), word()) for _ in range(300_000)]
open(os.path.join(root, "a.txt"), "w").write("".join(lines))
for _ in range(3000):  # edits for the second file
    i = rng.randrange(len(lines))
    if rng.random() < 0.5:
        del lines[i]
    else:
        lines.insert(i, "%s inserted %s\n" % (word(), word()))
open(os.path.join(root, "b.txt"), "w").write("".join(lines))
t = 1262304000
for d in range(30):
    for f in range(40):
        p = os.path.join(root, "tree", "d%02d" % d, "%s-%03d.txt" % (word(), f))
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as fh:
            fh.write(word() * rng.randrange(1, 2000))
        os.utime(p, (t + d * 1000 + f,) * 2)
PY

cat >"$pg_in/bash-assoc.sh" <<'SH'
declare -A h
for ((i = 0; i < 40000; i++)); do
	k="key-$((i * 7919 % 100003))-$i"
	h[$k]="${k//-/_}:$((i * i % 9973))"
done
s=""
for ((i = 0; i < 40000; i += 13)); do
	k="key-$((i * 7919 % 100003))-$i"
	s+="${h[$k]#*:},"
done
echo "${#h[@]} ${#s}"
for k in "${!h[@]}"; do printf '%s\n' "$k=${h[$k]}"; done | sort | sha256sum
unset 'h[key-0-0]'
echo "${#h[@]}"
SH

pg_check_maps
pg_check awk-assoc-array-300k sh -c \
	'awk "{ n[\$1]++; s[\$3] = s[\$3] \$2 \",\" } END { for (k in n) print k, n[k], length(s[k]) }" "$1" | sort | sha256sum' \
	sh "$pg_in/a.txt"
pg_check bash-assoc-array-40k bash "$pg_in/bash-assoc.sh"
pg_check diff-u-large-files sh -c 'diff -u "$1" "$2" | tail -n +3 | sha256sum; diff "$1" "$2" | wc -l' \
	sh "$pg_in/a.txt" "$pg_in/b.txt"
pg_check tar-gzip-tree sh -c 'tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1262304000 -C "$1" -cf t.tar tree &&
	gzip -9 -n -c t.tar >t.tar.gz && sha256sum t.tar t.tar.gz && tar -tvzf t.tar.gz | sha256sum' sh "$pg_in"
pg_check grep-sed-big-file sh -c 'grep -cE "^(ba|ce)+ [0-9]*7 " "$1" &&
	sed -E "s/([a-z]+) ([0-9]+) ([a-z]+)/\3 \2 \1/; /^ki/d" "$1" | sha256sum' sh "$pg_in/a.txt"
pg_check find-printf sh -c 'find "$1/tree" -type f -printf "%P %s %TY-%Tm-%Td\n" | sort | sha256sum' sh "$pg_in"

pg_finish
