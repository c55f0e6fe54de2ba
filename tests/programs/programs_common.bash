# Shared by the real-program scripts of tests/programs/ (sourced; tests/run.sh
# runs only *.sh files, so never this one by itself).
#
# A script is invoked as `bash tests/programs/NAME.sh /abs/path/to/lib.so` from
# the repo root. Each check runs a real program twice, in the same fresh
# directory and the same environment: once plainly (glibc's malloc), once with
# LD_PRELOAD=LIB. It passes only when
#   - the plain run succeeded (exit 0) and printed something,
#   - the preloaded run neither timed out nor was killed by a signal,
#   - both exit statuses, both stdouts and both stderrs are identical byte for
#     byte,
#   - the loader really initialised LIB in every dynamically linked process of
#     the preloaded run (checked with LD_DEBUG=libs, written to files through
#     LD_DEBUG_OUTPUT so that stdout and stderr are untouched).
# Each check prints exactly "PASS name" or "FAIL name (reason)" on stdout;
# details of a failure (stderr tail, first differing lines) go to stderr,
# indented. The script exits non-zero when any check failed.
#
# Environment knobs:
#   PROGRAMS_VERBOSE=1        print the time of each run on stderr
#   PROGRAMS_TIMEOUT_FACTOR=N the preloaded run may take N times the plain run
#                             (at least PROGRAMS_TIMEOUT_MIN seconds); default 20
#   PROGRAMS_TIMEOUT_MIN=S    default 60
#   PROGRAMS_KEEP=DIR         keep each check's outputs (stdout, stderr of both
#                             runs, LD_DEBUG files) in DIR/SUITE/CHECK/

set -u
set -o pipefail

pg_suite=$(basename "${0%.sh}")
pg_failed=0
pg_lib=${1:-}

pg_pass() { echo "PASS programs/$pg_suite/$1"; }
pg_fail() {
	echo "FAIL programs/$pg_suite/$1 ($2)"
	pg_failed=1
}
pg_note() { sed 's/^/    | /' >&2; }
pg_finish() { exit "$pg_failed"; }

if [ -z "$pg_lib" ]; then
	pg_fail setup "usage: bash $0 /abs/path/to/libft_malloc.so"
	exit 1
fi
case $pg_lib in
/*) ;;
*) pg_lib=$PWD/$pg_lib ;;
esac
if [ ! -f "$pg_lib" ]; then
	pg_fail setup "library not found: $pg_lib"
	exit 1
fi
pg_lib_real=$(readlink -f "$pg_lib")

# Deterministic, isolated environment, the same for both runs.
pg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ft_malloc_programs.XXXXXX")
pg_cleanup() { rm -rf "$pg_tmp"; }
trap pg_cleanup EXIT
trap 'pg_cleanup; exit 130' INT TERM
unset LD_PRELOAD LD_DEBUG LD_DEBUG_OUTPUT LD_LIBRARY_PATH MALLOC_CHECK_ MALLOC_PERTURB_ \
	PYTHONSTARTUP PYTHONPATH PYTHONHOME PYTHONMALLOC PERL5LIB PERL5OPT
export LC_ALL=C LANG=C TZ=UTC
pg_orig_home=${HOME:-}
export HOME=$pg_tmp/home TMPDIR=$pg_tmp/tmp
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1
export PERL_HASH_SEED=0 PERL_PERTURB_KEYS=0
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=$pg_tmp/home/.gitconfig
mkdir -p "$HOME" "$TMPDIR" "$pg_tmp/in"
ulimit -c 0 2>/dev/null || true
# Inputs shared, read-only, by both runs of a check.
pg_in=$pg_tmp/in

pg_now() { date +%s.%N; }
pg_secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# Explains an exit status: "exit 3", "killed by SIGSEGV (exit 139)".
pg_status() {
	local rc=$1
	if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
		echo "killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo "?$((rc - 128))") (exit $rc)"
	else
		echo "exit $rc"
	fi
}

# pg_check NAME CMD [ARGS...]
# Runs CMD in a fresh $pg_tmp/run (its cwd) plainly, then preloaded, and
# compares. CMD sees $pg_in (inputs) and may write anything in its cwd.
pg_check() {
	local name=$1
	shift
	local run=$pg_tmp/run out=$pg_tmp/out
	local factor=${PROGRAMS_TIMEOUT_FACTOR:-20} tmin=${PROGRAMS_TIMEOUT_MIN:-60}
	rm -rf "$run" "$out"
	mkdir -p "$run" "$out/ld"

	local t0 t1 t2 rc_p rc_l
	t0=$(pg_now)
	{ (cd "$run" && exec timeout -k 5 600 "$@") </dev/null >"$out/plain.out" 2>"$out/plain.err"; } 2>/dev/null
	rc_p=$?
	t1=$(pg_now)
	local plain_secs limit
	plain_secs=$(pg_secs "$t0" "$t1")
	limit=$(awk -v p="$plain_secs" -v f="$factor" -v m="$tmin" \
		'BEGIN { l = int(p * f + 1); if (l < m) l = m; print l }')

	rm -rf "$run" "$TMPDIR"
	mkdir -p "$run" "$TMPDIR"
	t1=$(pg_now)
	# (the braces take the shell's own "Segmentation fault" report away)
	{ (cd "$run" && exec timeout -k 5 "$limit" env LD_PRELOAD="$pg_lib" \
		LD_DEBUG=libs LD_DEBUG_OUTPUT="$out/ld/ld" "$@") \
		</dev/null >"$out/preload.out" 2>"$out/preload.err"; } 2>/dev/null
	rc_l=$?
	t2=$(pg_now)
	rm -rf "$run" "$TMPDIR"
	mkdir -p "$TMPDIR"

	if [ -n "${PROGRAMS_VERBOSE:-}" ]; then
		echo "    time $pg_suite/$name: plain $(pg_secs "$t0" "$t1")s, preloaded $(pg_secs "$t1" "$t2")s" >&2
	fi

	# Processes the loader started, and those in which it initialised LIB.
	# A process that execs keeps its pid, so one file may hold several
	# programs: each "initialize program: X" closes the lines of program X.
	local nprog=0 nlib=0 bad=""
	if compgen -G "$out/ld/ld.*" >/dev/null; then
		read -r nprog nlib bad < <(awk -v a="calling init: $pg_lib" -v b="calling init: $pg_lib_real" '
			FNR == 1 { seen = 0 }
			{ line = $0; sub(/^ *[0-9]+:\t/, "", line) }
			line == a || line == b { seen = 1 }
			index(line, "initialize program: ") == 1 {
				np++; if (seen) nl++; else if (nb++ < 5) bad = bad " " substr(line, 21)
				seen = 0
			}
			END { print np + 0, nl + 0, bad }' "$out"/ld/ld.*)
	fi

	if [ -n "${PROGRAMS_KEEP:-}" ]; then
		mkdir -p "$PROGRAMS_KEEP/$pg_suite"
		rm -rf "${PROGRAMS_KEEP:?}/$pg_suite/${name:?}"
		cp -R "$out" "$PROGRAMS_KEEP/$pg_suite/$name"
	fi

	local reason=""
	if [ "$rc_p" -ne 0 ]; then
		reason="baseline without the library failed: $(pg_status "$rc_p")"
		tail -n 5 "$out/plain.err" | pg_note
	elif [ ! -s "$out/plain.out" ]; then
		reason="baseline printed nothing"
	elif [ "$rc_l" -eq 124 ] || { [ "$rc_l" -eq 137 ] && [ "$(pg_secs "$t1" "$t2" | cut -d. -f1)" -ge "$limit" ]; }; then
		reason="preloaded run timed out after ${limit}s (plain run took ${plain_secs}s)"
	elif [ "$rc_l" -ne "$rc_p" ]; then
		reason="preloaded $(pg_status "$rc_l"), plain exit $rc_p"
	elif ! cmp -s "$out/plain.out" "$out/preload.out"; then
		reason="stdout differs"
	elif ! cmp -s "$out/plain.err" "$out/preload.err"; then
		reason="stderr differs"
	elif [ "$nprog" -eq 0 ]; then
		reason="LD_DEBUG saw no process start"
	elif [ "$nlib" -lt "$nprog" ]; then
		reason="library initialised in $nlib of $nprog processes; missing in: $bad"
	fi

	if [ -z "$reason" ]; then
		pg_pass "$name"
		return 0
	fi
	pg_fail "$name" "$reason"
	if [ "$rc_p" -eq 0 ] && [ -s "$out/plain.out" ]; then
		if [ -s "$out/preload.err" ] && { ! cmp -s "$out/plain.err" "$out/preload.err" || [ "$rc_l" -ne 0 ]; }; then
			echo "preloaded stderr (last lines):" | pg_note
			tail -n 8 "$out/preload.err" | cut -c1-300 | pg_note
		fi
		if [ "$rc_l" -eq "$rc_p" ] && ! cmp -s "$out/plain.out" "$out/preload.out"; then
			echo "stdout diff (plain vs preloaded, first lines):" | pg_note
			diff "$out/plain.out" "$out/preload.out" | head -n 12 | cut -c1-300 | pg_note
		fi
	fi
	return 1
}

# The separate, cheap check that the library maps into a preloaded process.
pg_check_maps() {
	env LD_PRELOAD="$pg_lib" cat /proc/self/maps >"$pg_tmp/maps.out" 2>"$pg_tmp/maps.err"
	if grep -qF "$pg_lib_real" "$pg_tmp/maps.out"; then
		pg_pass "library-in-maps"
	else
		pg_fail "library-in-maps" "$pg_lib_real not in a preloaded cat's /proc/self/maps"
		head -n 5 "$pg_tmp/maps.err" | pg_note
	fi
}
