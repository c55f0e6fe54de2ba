#!/usr/bin/env bash
# The LARGE registry's capacity follows the number of live LARGE blocks, not
# the number ever allocated: 8 live blocks under 200000 allocations and frees
# (white-box: fuzz/tools/large_table_churn.c reads the table's capacity).
set -u
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
if cc -O1 -std=gnu11 -DFT_NO_EXPORTS -Iinclude -Isrc -pthread -o "$dir/churn" \
	fuzz/tools/large_table_churn.c $(find src -name '*.c') 2> "$dir/err"; then
	if out=$("$dir/churn" 2>&1); then
		echo "PASS large-table/capacity stays bounded under churn ($(echo "$out" | tail -1))"
	else
		echo "FAIL large-table/capacity stays bounded under churn ($(echo "$out" | tail -1))"
		exit 1
	fi
else
	echo "FAIL large-table/build ($(head -3 "$dir/err" | tr '\n' ' '))"
	exit 1
fi
