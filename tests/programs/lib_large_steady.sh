#!/usr/bin/env bash
# Freed LARGE mappings are reused: after a warm-up, a loop that replaces
# LARGE blocks of mixed sizes (40 KiB to 1 MiB) gets nearly all of them from
# the cache of freed mappings, not from new mappings. Counted with strace
# between two markers the program writes; 4000 LARGE allocations are made in
# between.
set -u
lib=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
gcc -O1 -o "$dir/steady" "$(dirname "$0")/src/large_steady.c" || { echo "FAIL large_steady/build"; exit 1; }
LD_PRELOAD=$lib strace -f -o "$dir/trace" -e trace=mmap,munmap,write "$dir/steady" > "$dir/out"
rc=$?
if [ $rc -eq 0 ] && grep -q BEGIN "$dir/out" && grep -q END "$dir/out"; then
	echo "PASS large_steady/LARGE loop runs under strace"
else
	echo "FAIL large_steady/LARGE loop runs under strace (exit $rc)"
	exit 1
fi
inside() {
	awk '/write\(1, "BEGIN/{on=1; next} /write\(1, "END/{on=0} on' "$dir/trace" | grep -cE "(^|[ 	])$1\("
}
maps=$(inside mmap)
unmaps=$(inside munmap)
# Without reuse, each allocation maps and each free unmaps: 4000 of each.
if [ "$maps" -le 400 ]; then
	echo "PASS large_steady/at most 1 LARGE allocation in 10 maps memory ($maps mmap for 4000)"
else
	echo "FAIL large_steady/at most 1 LARGE allocation in 10 maps memory ($maps mmap for 4000)"
	fail=1
fi
if [ $((maps + unmaps)) -le 2000 ]; then
	echo "PASS large_steady/at most 1 map or unmap per 2 LARGE allocations ($maps mmap, $unmaps munmap)"
else
	echo "FAIL large_steady/at most 1 map or unmap per 2 LARGE allocations ($maps mmap, $unmaps munmap)"
	fail=1
fi
exit $fail
