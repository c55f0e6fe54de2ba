#!/usr/bin/env bash
# Memory comes back when a program frees everything: after 256 MiB of TINY
# and SMALL blocks are written and freed in a shuffled order, the resident set
# is back within 10 MiB of where it started (tests/programs/src/free_all_rss.c).
set -u
lib=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gcc -O1 -o "$dir/free_all" "$(dirname "$0")/src/free_all_rss.c" || { echo "FAIL free-all/build"; exit 1; }
if ! out=$(LD_PRELOAD=$lib "$dir/free_all"); then
	echo "FAIL free-all/program runs (exit $?)"
	exit 1
fi
read -r start full end <<< "$out"
if [ $((full - start)) -lt $((200 * 1024)) ]; then
	echo "FAIL free-all/the blocks were resident ($start KiB at start, $full KiB full)"
	exit 1
fi
if [ $((end - start)) -le $((10 * 1024)) ]; then
	echo "PASS free-all/resident set back within 10 MiB after freeing 256 MiB ($start -> $full -> $end KiB)"
else
	echo "FAIL free-all/resident set back within 10 MiB after freeing 256 MiB ($start -> $full -> $end KiB)"
	exit 1
fi
