#!/usr/bin/env bash
# The library exports every symbol of glibc's malloc API (nm -D), and nothing
# of its internals.
set -u
lib=$1
fail=0
exported=$(nm -D --defined-only "$lib" | awk '{print $3}')
for s in malloc free calloc realloc reallocarray posix_memalign aligned_alloc memalign \
	valloc pvalloc malloc_usable_size cfree mallopt malloc_trim mallinfo mallinfo2 \
	malloc_stats malloc_info __libc_malloc __libc_free __libc_calloc __libc_realloc \
	__libc_memalign __posix_memalign show_alloc_mem; do
	if grep -qx "$s" <<< "$exported"; then
		echo "PASS symbols/$s exported"
	else
		echo "FAIL symbols/$s exported (missing from nm -D)"
		fail=1
	fi
done
leaked=$(grep -E '^(ft_|ftm_)' <<< "$exported" | grep -vx 'ft_malloc_set_on_error')
if [ -z "$leaked" ]; then
	echo "PASS symbols/no internal symbol exported"
else
	echo "FAIL symbols/no internal symbol exported ($(echo $leaked))"
	fail=1
fi
if readelf -d "$lib" | grep -q 'SONAME.*\[libft_malloc.so\]'; then
	echo "PASS symbols/SONAME is libft_malloc.so"
else
	echo "FAIL symbols/SONAME is libft_malloc.so"
	fail=1
fi
# The library itself never calls libc's malloc family or stdio printing.
undef=$(nm -D --undefined-only "$lib" | awk '{print $2}' | sed 's/@.*//')
bad=$(grep -xE 'malloc|calloc|realloc|free|printf|fprintf|sprintf|snprintf|vfprintf|puts|fputs|fwrite|fopen|strdup|__libc_malloc' <<< "$undef")
if [ -z "$bad" ]; then
	echo "PASS symbols/no call to an allocating or stdio function"
else
	echo "FAIL symbols/no call to an allocating or stdio function ($(echo $bad))"
	fail=1
fi
exit $fail
