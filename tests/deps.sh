#!/usr/bin/env bash
# Installs, from Debian's archive, every tool that the build, the proofs and the
# tests need and that this machine lacks. Quiet when nothing is missing.
# Usage: tests/deps.sh [build]   ("build": only what `make` needs)
set -eu
packages=(
	make gcc clang libclang-rt-14-dev
	frama-c-base why3 z3 cvc4 cvc5
	afl++ valgrind strace binutils
	python3 perl git sqlite3 xz-utils coreutils
)
[ "${1:-}" = build ] && packages=(make gcc python3)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
