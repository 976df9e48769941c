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

# TEST_ONLY=ERE runs only the tests whose name matches (make check-faults).
selected() {
	[ -z "${TEST_ONLY:-}" ] || echo "$1" | grep -Eq -- "$TEST_ONLY"
}

for t in "$BUILD"/tests/test_*; do
	case $t in *.d) continue ;; esac
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
