#!/usr/bin/env bash
# After a warm-up, a steady malloc/free loop (TINY and SMALL sizes, single
# blocks and batches) makes no memory system call at all: counted with strace
# between two markers the program writes.
set -u
lib=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
gcc -O1 -o "$dir/steady" "$(dirname "$0")/src/steady_loop.c" || { echo "FAIL syscalls/build"; exit 1; }
LD_PRELOAD=$lib strace -f -o "$dir/trace" -e trace=mmap,munmap,mprotect,madvise,mremap,brk,write \
	"$dir/steady" > "$dir/out"
rc=$?
if [ $rc -eq 0 ] && grep -q BEGIN "$dir/out" && grep -q END "$dir/out"; then
	echo "PASS syscalls/steady loop runs under strace"
else
	echo "FAIL syscalls/steady loop runs under strace (exit $rc)"
	fail=1
fi
inside=$(awk '/write\(1, "BEGIN/{on=1; next} /write\(1, "END/{on=0} on' "$dir/trace" |
	grep -cE 'mmap|munmap|mprotect|madvise|mremap|brk')
total=$(grep -cE 'mmap|munmap|mprotect|madvise|mremap|brk' "$dir/trace")
if [ "$inside" -eq 0 ] && [ "$total" -gt 0 ]; then
	echo "PASS syscalls/no memory system call in a steady malloc/free loop ($total outside it)"
else
	echo "FAIL syscalls/no memory system call in a steady malloc/free loop ($inside inside, $total in all)"
	awk '/write\(1, "BEGIN/{on=1; next} /write\(1, "END/{on=0} on' "$dir/trace" | head -5 | sed 's/^/    | /' >&2
	fail=1
fi
exit $fail
