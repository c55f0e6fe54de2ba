#!/usr/bin/env bash
# Runs the benchmark suite: installs what is missing (the peer allocators,
# gnuplot), then hands over to bench/run.py, which runs every workload
# under every allocator, interleaved, and writes the report and the chart.
# Usage: bench/bench.sh full|quick BIN_DIR FT_MALLOC_SO   (make bench / make bench-quick)
set -eu
mode=${1:-full}
bindir=${2:-build/bench}
lib=${3:-$PWD/libft_malloc.so}
here=$(cd "$(dirname "$0")" && pwd)

# Debian packages: the peers, gnuplot for the chart, python3 for
# the runner. Installed only when missing, like tests/deps.sh.
packages=(libjemalloc2 libmimalloc2.0 libtcmalloc-minimal4 gnuplot-nox python3)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -ne 0 ]; then
	echo "bench: installing ${missing[*]}"
	if [ "$(id -u)" -ne 0 ]; then
		echo "bench: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# The shared object of each peer, from its package's file list.
so_of() { dpkg -L "$1" 2>/dev/null | grep -E "/$2\$" | head -n1; }
jemalloc=$(so_of libjemalloc2 'libjemalloc\.so\.2')
mimalloc=$(so_of libmimalloc2.0 'libmimalloc\.so\.2(\.[0-9]+)?')
tcmalloc=$(so_of libtcmalloc-minimal4 'libtcmalloc_minimal\.so\.4')
for v in jemalloc mimalloc tcmalloc; do
	[ -n "${!v}" ] || { echo "bench: cannot find the $v library" >&2; exit 1; }
done
[ -e "$lib" ] || { echo "bench: $lib not built (make all)" >&2; exit 1; }
# Measure a private copy: a rebuild of the library while the suite runs (other
# work in the same tree) must not mix two versions into one report.
mkdir -p "$bindir"
snapshot=$(cd "$bindir" && pwd)/libft_malloc.measured.so
cp -L "$lib" "$snapshot.tmp" && mv -f "$snapshot.tmp" "$snapshot"
lib=$snapshot

exec python3 "$here/run.py" --mode "$mode" --bindir "$bindir" \
	--alloc "ft_malloc=$lib" --alloc "glibc=" --alloc "jemalloc=$jemalloc" \
	--alloc "mimalloc=$mimalloc" --alloc "tcmalloc=$tcmalloc" \
	--out "$here/results"
