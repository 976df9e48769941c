#!/bin/sh
# tests/run.sh BUILD BIN: run every unit test program and CLI test script,
# read their TAP (tests/runner.sh), and end with one line "N passed, N
# failed".
BUILD=$1
CONCDEMO=$2
TOOLS=$(cd "$BUILD/tools" && pwd)
SANITIZER=${SANITIZER:-}
export CONCDEMO TOOLS SANITIZER
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"
. tests/runner.sh

# TEST_ONLY=ERE runs only the tests whose name matches (make check-faults);
# TEST_SKIP=ERE leaves out those whose name matches (.ci/run's gcc run,
# followed by make check-faults, leaves out fault/).
selected() {
	{ [ -z "${TEST_ONLY:-}" ] || echo "$1" | grep -Eq -- "$TEST_ONLY"; } &&
	    { [ -z "${TEST_SKIP:-}" ] || ! echo "$1" | grep -Eq -- "$TEST_SKIP"; }
}

# test_prime and test_workload only compute (no clock, no threads, no
# timing check), for seconds each: they run side by side, first, while
# nothing else runs; every other test runs alone.
PAIR="test_prime test_workload"
started=""
for n in $PAIR; do
	selected "$n" && [ -f "$BUILD/tests/$n" ] && [ -x "$BUILD/tests/$n" ] ||
		continue
	start_one "$n" "$BUILD/tests/$n"
	started="$started $n"
done
for n in $started; do
	end_one "$n"
done
for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
	case " $PAIR " in *" $(basename "$t") "*) continue ;; esac
	selected "$(basename "$t")" || continue
	# (a file: macOS puts test_X.dSYM folders beside the programs)
	[ -f "$t" ] && [ -x "$t" ] && run_one "$(basename "$t")" "$t"
done
for t in tests/cli/*.sh; do
	selected "cli/$(basename "$t" .sh)" || continue
	run_one "cli/$(basename "$t" .sh)" sh "$t"
done
for t in tests/fault/*.sh; do
	selected "fault/$(basename "$t" .sh)" || continue
	run_one "fault/$(basename "$t" .sh)" sh "$t"
done
finish
