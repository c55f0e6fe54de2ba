#!/usr/bin/env bash
# Runs under a 200 MiB address-space limit (no large up-front reservation),
# and hands memory back to the OS.
set -u
lib=$1
fail=0
script='
d = {}
for i in range(200000):
    d[i] = "x" * (i % 300)
big = [bytearray(1 << 20) for _ in range(20)]
print(len(d), sum(len(v) for v in d.values()), len(big))
'
want=$(/usr/bin/python3 -c "$script")
got=$(ulimit -v 204800; LD_PRELOAD=$lib /usr/bin/python3 -c "$script" 2>&1)
if [ "$got" = "$want" ]; then
	echo "PASS limits/python3 runs under ulimit -v 204800"
else
	echo "FAIL limits/python3 runs under ulimit -v 204800 (got: $(echo "$got" | tail -1))"
	fail=1
fi
exit $fail
