#!/bin/sh
# tests/valgrind/run.sh BUILD BIN: the unit tests and a set of CLI runs
# under valgrind's memcheck, the thread tests under helgrind (make valgrind).
# Any memcheck or helgrind error, or a definite or indirect leak, fails the
# run (--error-exitcode); known false alarms are suppressed by name in
# tests/valgrind/concdemo.supp.  VALGRIND_SKIP lists unit tests left out
# (default: test_prime and test_workload, compute only and ~7 s native
# each, which is minutes under memcheck; the CLI runs below drive the same
# modules; and test_queue_condvar_robust, 8 s under memcheck for code that
# test_queue and test_queue_portable already run there).  Children are traced, except python3 (test_chart's optional
# cross-check), which is not ours and crawls under valgrind.
BUILD=$1
BIN=$2
TOOLS=$BUILD/tools
SKIP=${VALGRIND_SKIP-test_prime test_workload test_queue_condvar_robust}
# Left out of helgrind only: test_queue kills processes that hold a robust
# process-shared mutex, and under helgrind the next lock's EOWNERDEAD
# repair misbehaves (the test fails there, passes natively, under memcheck,
# ASan and TSan); the queue's thread paths run under helgrind in test_pool.
HG_SKIP=${HELGRIND_SKIP-test_queue test_queue_portable}
HERE=tests/valgrind
ERR=99
# --fair-sched: valgrind runs one thread at a time, and by default lets
# the one that holds its lock keep it; then a test's computing threads can
# starve the others for a minute (test_gil: 3 forced GIL switches in 60 s
# instead of ~110 in 20 s), and a check that needs them to take turns can
# fail.  A fair (ticket) lock hands it round.  --vgdb=no: no debugger
# pipes in /tmp (a test child that switches user cannot remove them, and
# valgrind says so in the log).
VG="valgrind -q --fair-sched=try --vgdb=no --error-exitcode=$ERR
    --suppressions=$HERE/concdemo.supp --trace-children=yes
    --trace-children-skip=*python* --child-silent-after-fork=no"
MEMCHECK="$VG --tool=memcheck --leak-check=full
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"
HELGRIND="$VG --tool=helgrind"
LOG=$BUILD/valgrind-logs
# Under valgrind, threads run one at a time and 20-50x slower: the unit
# tests stretch their alarm and skip wall-clock assertions (tap.h).
TAP_TIME_SCALE=20
TAP_NO_TIMING=1
export TAP_TIME_SCALE TAP_NO_TIMING
T=$(mktemp -d "${TMPDIR:-/tmp}/concdemo-vg.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
mkdir -p "$LOG"
passed=0
failed=0
failures=""	# "name<TAB>log" lines, recalled at the end

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind not found: skipped (Debian: apt-get install valgrind)"
	exit 0
fi

# result NAME STATUS WANT LOGFILE
result() {
	if [ "$2" = "$3" ]; then
		passed=$((passed + 1))
		printf '%-44s ok\n' "$1"
	else
		failed=$((failed + 1))
		why="exit $2, want $3"
		[ "$2" = "$ERR" ] && why="valgrind found errors"
		printf '%-44s FAILED (%s)\n' "$1" "$why"
		show_failure "$4"
		failures="$failures
$1	$4"
	fi
}

# show_failure LOG: valgrind's reports and the failed checks in LOG.
show_failure() {
	grep -E -A3 '^==[0-9]+==|^not ok ' "$1" | head -n 40 | sed 's/^/    /'
	tail -n 3 "$1" | sed 's/^/    | /'
}

# Unit tests: memcheck for all; helgrind too for those that start threads.
for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	case " $SKIP " in *" $name "*)
		echo "$name: skipped (VALGRIND_SKIP)"
		continue ;;
	esac
	# shellcheck disable=SC2086
	$MEMCHECK "$t" >"$LOG/$name.memcheck" 2>&1
	result "memcheck $name" $? 0 "$LOG/$name.memcheck"
	case " $HG_SKIP " in *" $name "*)
		echo "helgrind $name: skipped (HELGRIND_SKIP)"
		continue ;;
	esac
	# (test_X_portable is test_X.c built another way: see the Makefile)
	if grep -q pthread_create "tests/unit/${name%_portable}.c" 2>/dev/null
	then
		# shellcheck disable=SC2086
		$HELGRIND "$t" >"$LOG/$name.helgrind" 2>&1
		result "helgrind $name" $? 0 "$LOG/$name.helgrind"
	fi
done
grep -l pthread_create tests/unit/test_*.c >/dev/null 2>&1 ||
	echo "helgrind: no unit test starts a thread yet"

# CLI runs: STATUS STDIN ARGS... (stdout and stderr to files, bounded by
# ptyrun).  A usage error, each output fault, and stdin input (read
# whole, and streamed by the filter: a bad word skipped).  --simd:
# valgrind's CPU has no AVX-512 (its cpuid says so), so auto takes the
# next path (AVX2 on x86-64).
awk 'BEGIN { for (i = 1; i <= 2000; i++) print i * 7919 }' >"$T/nums"
head -c 100000 /dev/zero | tr '\0' 7 >"$T/token"
i=0
while read -r want input args; do
	i=$((i + 1))
	out=$T/out
	case $input in
	full) input=/dev/null out=/dev/full ;;
	-) input=/dev/null ;;
	*) input=$T/$input ;;
	esac
	# shellcheck disable=SC2086
	"$TOOLS/ptyrun" -t 300000 -g 1000 -z -- $MEMCHECK "$BIN" $args \
		<"$input" >"$out" 2>"$LOG/cli-$i.memcheck"
	result "memcheck concdemo $args" $? "$want" "$LOG/cli-$i.memcheck"
done <<'RUNS'
0 - --help
0 - --version
2 - frobnicate
2 - primes --frob
2 - primes -xh
0 - primes --help
2 - primes 7 18446744073709551616
2 - primes 1__0
0 - primes 2 142702110479723 299593572317531 3333333333333333 18446744073709551615
0 - primes --simd 2 142702110479723 299593572317531 3333333333333333 18446744073709551615
2 - primes --simd=x 7
0 nums primes 5 - 11
2 token primes -
1 full primes 7 11
0 nums primes --format=tsv 5 - 11
1 token primes --format=jsonl 7 -
RUNS

# Recall the failures just above the final line (CI shows the end).
if [ -n "$failures" ]; then
	echo "failed:"
	echo "$failures" | while IFS='	' read -r name log; do
		[ -n "$name" ] || continue
		echo "  $name (log: $log)"
		show_failure "$log"
	done
fi
echo "valgrind: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
