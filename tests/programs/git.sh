#!/usr/bin/env bash
# git under the library (and every process git starts, bash included): init,
# commit of 600 generated files, a second commit that edits, removes and adds
# files, then log --stat, log -p, diff, blame, grep (threaded), repack
# (threaded), fsck and the list of objects. Names, emails and dates are fixed,
# so the commit hashes are the same on every machine.
# Usage: bash tests/programs/git.sh /abs/path/to/libft_malloc.so
. "$(dirname "$0")/programs_common.bash"

/usr/bin/python3 - "$pg_in" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(7)
words = ["alpha", "beta", "gamma", "delta", "malloc", "free", "realloc", "zone",
         "slab", "page", "chunk", "arena", "lock", "thread", "size", "class"]
def text(n):
    return "".join(" ".join(rng.choice(words) for _ in range(rng.randrange(1, 14))) + "\n" for _ in range(n))
def write(base, rel, data):
    p = os.path.join(base, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(data)
v1, v2 = os.path.join(root, "v1"), os.path.join(root, "v2")
names = ["d%02d/s%d/file%04d.txt" % (i % 23, i % 5, i) for i in range(600)]
for i, n in enumerate(names):
    body = text(rng.randrange(1, 400))
    write(v1, n, body)
    r = rng.random()
    if r < 0.1:
        continue  # removed in v2
    if r < 0.4:   # edited in v2
        lines = body.splitlines(True)
        for _ in range(rng.randrange(1, 10)):
            j = rng.randrange(len(lines) + 1)
            lines[j:j + rng.randrange(0, 3)] = [text(1)] * rng.randrange(0, 4)
        body = "".join(lines)
    write(v2, n, body)
for i in range(600, 700):
    write(v2, "new/n%d/file%04d.txt" % (i % 7, i), text(rng.randrange(1, 200)))
PY

cat >"$pg_in/git-steps.sh" <<'SH'
set -e
in=$1
export GIT_AUTHOR_NAME="A U Thor" GIT_AUTHOR_EMAIL=author@example.com
export GIT_COMMITTER_NAME="C O Mitter" GIT_COMMITTER_EMAIL=committer@example.com
cat >"$HOME/.gitconfig" <<'CFG'
[init]
	defaultBranch = main
[gc]
	auto = 0
[maintenance]
	auto = false
[pack]
	threads = 2
[grep]
	threads = 2
[core]
	preloadIndex = true
[advice]
	detachedHead = false
CFG
step() { echo "== $*"; "$@" || { rc=$?; echo "step failed with exit $rc: $*" >&2; exit $rc; }; }

step git init repo
cd repo
cp -R "$in/v1/." .
step git add -A
export GIT_AUTHOR_DATE="2001-02-03T04:05:06Z" GIT_COMMITTER_DATE="2001-02-03T04:05:06Z"
step git commit -q -m "first: 600 generated files"
git ls-files -z | xargs -0 rm -f
cp -R "$in/v2/." .
step git add -A
export GIT_AUTHOR_DATE="2002-03-04T05:06:07Z" GIT_COMMITTER_DATE="2002-03-04T05:06:07Z"
step git commit -q -m "second: edits, removals, additions" -m "With a body."
step git rev-parse HEAD HEAD~1 HEAD^{tree}
step git log --stat --format=fuller
step git diff --stat --summary HEAD~1 HEAD
git log -p | sha256sum
step git blame -s "$(git ls-files d05 | head -n 1)"
step git grep -c -e malloc -e arena
step git grep -n --threads=2 "zone slab page" -- 'd1*'
step git repack -adq
step git fsck --full --strict
step git count-objects -v | grep -v -e size -e prune
step git cat-file --batch-check --batch-all-objects
step git archive --format=tar HEAD | sha256sum
step git status --porcelain=v1
SH

pg_check_maps
pg_check git-init-commit-log bash "$pg_in/git-steps.sh" "$pg_in"

pg_finish
